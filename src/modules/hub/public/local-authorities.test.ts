// Local authorities named in landlords' own words resolve to their ONS codes; what cannot be told apart does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { districtKey, localAuthorityCodeOf, readLocalAuthorities } from './local-authorities.ts';

test('councils as landlords name them resolve to the district', () => {
  assert.equal(localAuthorityCodeOf('Leeds City Council'), 'E08000035');
  assert.equal(localAuthorityCodeOf('London Borough of Hackney'), 'E09000012');
  assert.equal(localAuthorityCodeOf('Birmingham City Council'), 'E08000025');
  assert.equal(localAuthorityCodeOf('Manchester City Council'), 'E08000003');
  assert.equal(localAuthorityCodeOf('london borough of southwark'), 'E09000028');
  assert.equal(localAuthorityCodeOf('e08000035'), 'E08000035');
  assert.equal(localAuthorityCodeOf('Kingston upon Hull City Council'), 'E06000010');
});

test('what is not a district is not guessed', () => {
  assert.equal(localAuthorityCodeOf('Yorkshire'), undefined);
  assert.equal(localAuthorityCodeOf(''), undefined);
  assert.equal(localAuthorityCodeOf(null), undefined);
  assert.equal(localAuthorityCodeOf('E12000003'), undefined, 'a region code is not a district');
});

test("every district's own name resolves to it, unless two share it", () => {
  const list = readLocalAuthorities();
  const keys = new Map<string, number>();
  for (const la of list) keys.set(districtKey(la.name), (keys.get(districtKey(la.name)) ?? 0) + 1);
  for (const la of list) {
    if (keys.get(districtKey(la.name)) === 1) assert.equal(localAuthorityCodeOf(la.name), la.code, la.name);
    else assert.equal(localAuthorityCodeOf(la.name), undefined, la.name);
  }
});
