import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessBlock } from './higher-risk.ts';
import type { BlockFacts } from '../homes/index.ts';

const block = (facts: Partial<BlockFacts>): BlockFacts => ({
  id: 'b', reference: null, name: 'Bronte House', estateName: null, storeys: null, heightMetres: null, heightMethod: 'measured', residentialUnits: 20,
  yearBuilt: 1968, buildingNumber: null, street: 'Moor Road', town: 'Leeds', postcode: 'LS6 1AA', homes: 20, homeIds: [], ...facts,
});

test('18 m or 7 storeys with at least 2 units is higher-risk, and says why', () => {
  assert.equal(assessBlock(block({ heightMetres: 18, storeys: 6 })).status, 'higher-risk');
  assert.equal(assessBlock(block({ heightMetres: 12, storeys: 7 })).status, 'higher-risk');
  const onStoreys = assessBlock(block({ storeys: 9 }));
  assert.equal(onStoreys.status, 'higher-risk', 'no height but enough storeys qualifies on storeys');
  assert.match(onStoreys.reasons.join('; '), /9 storeys is at least 7/);
});

test('fewer than 2 recorded residential units is not higher-risk however tall; units fall back to the homes held', () => {
  assert.equal(assessBlock(block({ heightMetres: 30, residentialUnits: 1 })).status, 'not-higher-risk');
  const fallback = assessBlock(block({ heightMetres: 30, residentialUnits: null, homes: 4 }));
  assert.equal(fallback.status, 'higher-risk');
  assert.match(fallback.reasons.join('; '), /homes held in Hearth/);
});

test('unknown is unknown: units not recorded and fewer than 2 homes held is "data needed" unless the building is plainly not tall', () => {
  for (const facts of [{ heightMetres: null, storeys: null }, { heightMetres: 30, storeys: null }, { heightMetres: null, storeys: 9 }, { heightMetres: null, storeys: 6 }]) {
    for (const homes of [0, 1]) {
      const a = assessBlock(block({ ...facts, residentialUnits: null, homes }));
      assert.equal(a.status, 'data-needed', `${JSON.stringify(facts)} with ${homes} home(s) held and no units recorded`);
      assert.match(a.reasons.join('; '), /residential units are not recorded/);
    }
  }
  assert.equal(assessBlock(block({ heightMetres: 9, storeys: 3, residentialUnits: null, homes: 1 })).status, 'not-higher-risk', 'a measured 9 m building is not higher-risk whatever its units');
});

test('missing height and storeys, or near the line, is "data needed", never left out', () => {
  assert.equal(assessBlock(block({})).status, 'data-needed');
  assert.equal(assessBlock(block({ storeys: 6 })).status, 'data-needed');
  assert.equal(assessBlock(block({ heightMetres: 16.5, heightMethod: 'estimated', storeys: 5 })).status, 'data-needed');
  assert.equal(assessBlock(block({ heightMetres: 16.5, heightMethod: 'measured', storeys: 5 })).status, 'not-higher-risk', 'a measured 16.5 m is below the line');
  assert.equal(assessBlock(block({ heightMetres: 9, storeys: 3 })).status, 'not-higher-risk');
});
