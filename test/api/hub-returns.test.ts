// TSM returns from the hub's published measures (src/modules/hub/returns.ts): LCRA and LCHO apart with the survey's
// precision, management measures in the regulator's codes, only 1 April to 31 March periods, and a landlord whose
// figures cannot make a return listed with its reason.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from '../support/harness.ts';
import { receive, upsertPublisher } from '../../src/modules/hub/intake.ts';
import { hubTsmReturns, hubTsmReturnsCsv, reportingYear } from '../../src/modules/hub/returns.ts';
import { EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); });

let n = 0;
async function publisher(name: string): Promise<string> {
  const p = `R${String((process.pid * 13 + Date.now() + ++n) % 10000).padStart(4, '0')}`;
  await h.store.system((db) => upsertPublisher(db, { publisher: p, name, kind: 'private-registered-provider' }));
  return p;
}

test('reporting years are 1 April to 31 March', () => {
  assert.equal(reportingYear('2025-04-01', '2026-03-31'), '2025/26');
  assert.equal(reportingYear('1999-04-01', '2000-03-31'), '1999/00');
  assert.equal(reportingYear('2025-04-01', '2025-06-30'), null);
});

test("a landlord's return: each tenure group with its survey's precision, management measures in the regulator's codes", async () => {
  const p = await publisher('Returns Housing');
  const lcho = { ...EXAMPLE_MEASURES, landlord: p, tenureGroup: 'LCHO' as const, survey: { ...EXAMPLE_MEASURES.survey!, method: 'online' as const, sampleSize: 300, population: 1_400 },
    tp01: { satisfied: 150, responses: 290 }, tp02: undefined, tp05: undefined, tp12: undefined };
  const quarter = { ...EXAMPLE_MEASURES, landlord: p, period: { from: '2025-04-01', to: '2025-06-30' } };
  await h.store.system((db) => receive(db, { publisher: p, id: 'y', via: 'push', body: 'y', records: [{ ...EXAMPLE_MEASURES, landlord: p }, lcho, quarter] }));
  const r = await h.store.system((db) => hubTsmReturns(db, 2025, p));
  assert.equal(r.year, '2025/26');
  assert.deepEqual(r.problems, []);
  const ret = r.returns[0]!;
  assert.deepEqual(ret.groups.map((g) => [g.tenure, g.homes, g.sampleSize, g.methods.join()]), [['LCRA', 12_480, 1_110, 'mixed methods'], ['LCHO', 1_400, 300, 'online']]);
  // 1,110 of 12,480: 1.96 × √(0.25/1110) × √(11370/12479) = ±2.8; 300 of 1,400: ±5.0.
  assert.deepEqual(ret.groups.map((g) => [g.precision, g.requiredPrecision, g.precisionMet]), [[2.8, 3, true], [5, 5, true]]);
  const tp01 = ret.groups[0]!.measures.find((m) => m.code === 'TP01')!;
  assert.deepEqual([tp01.satisfied, tp01.responses, tp01.value], [820, 1_110, 73.9]);
  const rp02 = ret.management.find((m) => m.code === 'RP02(2)' && m.tenure === 'LCRA')!;
  assert.deepEqual([rp02.numerator, rp02.denominator, rp02.value, rp02.unit], [5_804, 5_920, 98, '%'], 'RP02 (2): emergency repairs');
  const nm01 = ret.management.find((m) => m.code === 'NM01(1)' && m.tenure === 'LCRA')!;
  assert.deepEqual([nm01.value, nm01.unit], [32.21, 'per 1,000 homes']);
  const csv = hubTsmReturnsCsv(r);
  assert.match(csv, /^\uFEFF?landlord,registration number,period,tenure group,measure code/);
  assert.match(csv, new RegExp(`Returns Housing,${p},2025/26,LCHO,TP01,150,290,51\\.7,%,290,online,300,5,yes`));
});

test('a landlord whose figures cannot make a return is listed with the reason', async () => {
  const p = await publisher('Impossible Homes');
  // The standard lets a survey of no one through (0 of 0); a return needs the homes surveyed.
  const bad = { ...EXAMPLE_MEASURES, landlord: p, tp01: undefined, tp02: undefined, tp05: undefined, tp12: undefined, survey: { ...EXAMPLE_MEASURES.survey!, sampleSize: 0, population: 0 } };
  await h.store.system((db) => receive(db, { publisher: p, id: 'b', via: 'push', body: 'b', records: [bad] }));
  const r = await h.store.system((db) => hubTsmReturns(db, 2025, p));
  assert.equal(r.returns.length, 0);
  assert.match(r.problems[0]!.reason, /homes: must be a whole number, 1 or more/);
});
