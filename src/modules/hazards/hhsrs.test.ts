import { test } from 'node:test';
import assert from 'node:assert/strict';
import { awaabCoverage, HHSRS_HAZARDS, hhsrsHazard, isHhsrsCode } from './hhsrs.ts';

test('29 hazards in four groups, damp and mould first, codes unique', () => {
  assert.equal(HHSRS_HAZARDS.length, 29);
  assert.equal(new Set(HHSRS_HAZARDS.map((x) => x.code)).size, 29);
  assert.equal(HHSRS_HAZARDS[0]!.code, 'damp-and-mould');
  const groups = Object.groupBy(HHSRS_HAZARDS, (x) => x.group);
  assert.deepEqual(Object.fromEntries(Object.entries(groups).map(([g, list]) => [g, list!.length])), { physiological: 10, psychological: 4, infection: 4, accidents: 11 });
  assert.ok(isHhsrsCode('structural-collapse'));
  assert.ok(!isHhsrsCode('mould'));
});

test("Awaab's Law phases: emergencies and damp now, the 2026 list next, crowding never", () => {
  assert.equal(awaabCoverage('noise', 'emergency').phase, 1);
  assert.deepEqual(awaabCoverage('damp-and-mould', 'significant'), { phase: 1, from: '2025-10-27', text: 'In force since 27 October 2025: significant damp and mould growth is covered from phase 1.' });
  const phase2 = HHSRS_HAZARDS.filter((x) => x.phase === 2).map((x) => x.code).sort();
  assert.deepEqual(phase2, ['domestic-hygiene-pests-refuse', 'electrical-hazards', 'excess-cold', 'excess-heat', 'explosions', 'falling-between-levels',
    'falling-on-level-surfaces', 'falling-on-stairs', 'falls-associated-with-baths', 'fire', 'food-safety', 'structural-collapse']);
  assert.equal(awaabCoverage('lead', 'significant').from, '2027');
  assert.equal(awaabCoverage('crowding-and-space', 'significant').phase, null);
  assert.equal(hhsrsHazard('crowding-and-space')?.phase, null);
});
