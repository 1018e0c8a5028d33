// The higher-risk buildings register against the real database: every block assessed, none silently left out,
// another landlord's blocks never seen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { higherRiskRegister } from '../../src/modules/insight/higher-risk.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
before(async () => { h = await harness(); a = await landlord(h); b = await landlord(h); });
after(() => h.close());

test('the register lists higher-risk blocks and the ones that need data, from the record', async () => {
  const add = async (who: Landlord, facts: Record<string, unknown>) => {
    const r = await api(h, 'POST', '/api/v1/blocks', who.as.administrator, sample.block(facts));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const tower = await add(a, { name: 'Tower', storeys: 12, heightMetres: 36, residentialUnits: 48 });
  const onStoreys = await add(a, { name: 'Seven Storeys', storeys: 7, heightMetres: undefined, heightMethod: undefined, heightSource: undefined, residentialUnits: 14 });
  const unknown = await add(a, { name: 'Unknown Height', storeys: undefined, heightMetres: undefined, heightMethod: undefined, heightSource: undefined, residentialUnits: 6 });
  const low = await add(a, { name: 'Low Rise', storeys: 3, heightMetres: 9, residentialUnits: 6 });
  await add(b, { name: 'Other landlord tower', storeys: 20, heightMetres: 60, residentialUnits: 80 });

  const reg = await h.store.withOrg(a.id, (tx) => higherRiskRegister({ actor: systemActor(a.id), tx }));
  assert.deepEqual(reg.higherRisk.map((x) => x.id).sort(), [tower, onStoreys].sort());
  assert.deepEqual(reg.dataNeeded.map((x) => x.id), [unknown]);
  assert.deepEqual(reg.notHigherRisk.map((x) => x.id), [low]);
  assert.match(reg.dataNeeded[0]!.assessment.reasons[0]!, /neither height nor storeys/);
  assert.ok(![...reg.higherRisk, ...reg.dataNeeded, ...reg.notHigherRisk].some((x) => x.name === 'Other landlord tower'));
});
