import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { caseReviewCheck, caseReviewThreshold, type AsbReport } from './case-review.ts';
import { DEFAULT_ASB_SETTINGS as S } from './default-settings.ts';
import type { CaseReviewRule } from './settings.ts';

const NATIONAL = S.caseReviewRules[0]!;
/** A report made at noon UK time (BST in these months) on `reportedOn`. */
const report = (id: string, reporterId: string | null, incidentOn: string, reportedOn: string): AsbReport =>
  ({ id, reporterId, incidentOn, reportedAt: new Date(`${reportedOn}T11:00:00Z`) });
// The review is asked for on Wednesday 15 July 2026.
const NOW = new Date('2026-07-15T11:00:00Z');
const reasonsOf = (r: ReturnType<typeof caseReviewCheck>, id: string) => r.notQualifying.find((n) => n.id === id)?.reasons ?? [];

describe('the national threshold: 3 reports in 6 months, each within 1 month of its incident', () => {
  test('is met by three qualifying reports, even from one person', () => {
    const r = caseReviewCheck(NATIONAL, [
      report('r1', 'amy', '2026-02-01', '2026-02-10'),
      report('r2', 'amy', '2026-04-01', '2026-04-20'),
      report('r3', 'amy', '2026-06-05', '2026-06-05'),
    ], NOW);
    assert.equal(r.met, true);
    assert.deepEqual(r.qualifying, ['r1', 'r2', 'r3']);
    assert.deepEqual(r.notQualifying, []);
    assert.equal(r.words, 'National threshold: met. 3 qualifying reports (3 needed).');
  });

  test('is not met by two, and says so', () => {
    const r = caseReviewCheck(NATIONAL, [report('r1', 'amy', '2026-06-01', '2026-06-02'), report('r2', 'ben', '2026-06-03', '2026-06-04')], NOW);
    assert.equal(r.met, false);
    assert.equal(r.words, 'National threshold: not met. 2 qualifying reports (3 needed).');
  });

  test('a report made more than a month after its incident does not qualify: one month beginning with 10 May ends on 9 June', () => {
    const late = caseReviewCheck(NATIONAL, [report('late', 'amy', '2026-05-10', '2026-06-10')], NOW);
    assert.deepEqual(late.qualifying, []);
    assert.deepEqual(reasonsOf(late, 'late'), ['It was made on 10 June 2026, more than 1 month after the incident on 10 May 2026: it needed to be made by 9 June 2026']);
    assert.deepEqual(caseReviewCheck(NATIONAL, [report('last-day', 'amy', '2026-05-10', '2026-06-09')], NOW).qualifying, ['last-day']);
  });

  test('the day a report was made is its UK date: 23:30 UTC on 9 June is 10 June in summer time', () => {
    const r = caseReviewCheck(NATIONAL, [{ id: 'night', reporterId: 'amy', incidentOn: '2026-05-10', reportedAt: new Date('2026-06-09T23:30:00Z') }], NOW);
    assert.deepEqual(r.qualifying, []);
  });

  test('at the end of a month: an incident on 31 January can be reported up to 28 February', () => {
    const r = caseReviewCheck(NATIONAL, [report('feb', 'amy', '2026-01-31', '2026-02-28'), report('mar', 'ben', '2026-01-31', '2026-03-01')], new Date('2026-03-10T12:00:00Z'));
    assert.deepEqual(r.qualifying, ['feb']);
    assert.match(reasonsOf(r, 'mar')[0] ?? '', /needed to be made by 28 February 2026$/);
  });

  test('a report counts for six months beginning with the day it was made', () => {
    // Asked for on 15 July 2026: a report made on 16 January counts (its six months end on 15 July), one on 15 January does not.
    const r = caseReviewCheck(NATIONAL, [report('in', 'amy', '2026-01-10', '2026-01-16'), report('out', 'ben', '2026-01-10', '2026-01-15')], NOW);
    assert.deepEqual(r.qualifying, ['in']);
    assert.deepEqual(reasonsOf(r, 'out'), ['It was made on 15 January 2026, more than 6 months ago: it counted towards a review asked for by 14 July 2026']);
  });

  test('a report both late and too old gives both reasons; dates that make no sense are named', () => {
    const r = caseReviewCheck(NATIONAL, [
      report('both', 'amy', '2025-11-01', '2026-01-05'),
      report('backwards', 'ben', '2026-06-20', '2026-06-10'),
      report('future', 'cat', '2026-07-14', '2026-07-16'),
    ], NOW);
    assert.deepEqual(r.qualifying, []);
    assert.equal(reasonsOf(r, 'both').length, 2);
    assert.deepEqual(reasonsOf(r, 'backwards'), ['It says the incident happened on 20 June 2026, after the report was made on 10 June 2026: check the dates']);
    assert.match(reasonsOf(r, 'future')[0] ?? '', /after the date of this check \(15 July 2026\)/);
  });

  test('reports are considered in the order they were made, whatever order they are given in', () => {
    const r = caseReviewCheck(NATIONAL, [
      report('c', 'amy', '2026-06-05', '2026-06-05'), report('a', 'amy', '2026-02-01', '2026-02-10'), report('b', 'amy', '2026-04-01', '2026-04-20'),
    ], NOW);
    assert.deepEqual(r.qualifying, ['a', 'b', 'c']);
  });
});

describe('local variants', () => {
  const fiveDifferent: CaseReviewRule = { name: 'Five neighbours', minReports: 5, windowMonths: 6, reportWithin: { amount: 30, unit: 'days' }, differentReporters: true };

  test('5 reports by different people: a second report from one person, and an anonymous one, do not count', () => {
    const reports = [
      report('a1', 'amy', '2026-06-01', '2026-06-01'),
      report('a2', 'amy', '2026-06-08', '2026-06-08'),
      report('b1', 'ben', '2026-06-02', '2026-06-02'),
      report('c1', 'cat', '2026-06-03', '2026-06-03'),
      report('d1', 'dev', '2026-06-04', '2026-06-04'),
      report('x1', null, '2026-06-05', '2026-06-05'),
    ];
    const r = caseReviewCheck(fiveDifferent, reports, NOW);
    assert.equal(r.met, false);
    assert.deepEqual(r.qualifying, ['a1', 'b1', 'c1', 'd1']);
    assert.equal(r.differentReporters, 4);
    assert.deepEqual(reasonsOf(r, 'a2'), ['It is from the same person as report a1, which already counts: each report must come from a different person']);
    assert.match(reasonsOf(r, 'x1')[0] ?? '', /do not know who made it/);
    assert.equal(caseReviewCheck(fiveDifferent, [...reports, report('e1', 'eve', '2026-06-20', '2026-06-21')], NOW).met, true);
  });

  test('a deadline in days: 30 days beginning with the incident', () => {
    // 30 days beginning with 1 June end on 30 June.
    const r = caseReviewCheck(fiveDifferent, [report('ok', 'amy', '2026-06-01', '2026-06-30'), report('late', 'ben', '2026-06-01', '2026-07-01')], NOW);
    assert.deepEqual(r.qualifying, ['ok']);
    assert.match(reasonsOf(r, 'late')[0] ?? '', /more than 30 days after the incident on 1 June 2026: it needed to be made by 30 June 2026/);
  });

  test('a number of different people: 3 reports from at least 2 people', () => {
    const rule: CaseReviewRule = { ...NATIONAL, name: 'Two households', minDifferentReporters: 2 };
    const oneperson = [report('a1', 'amy', '2026-06-01', '2026-06-01'), report('a2', 'amy', '2026-06-08', '2026-06-08'), report('a3', 'amy', '2026-06-10', '2026-06-10')];
    const r = caseReviewCheck(rule, oneperson, NOW);
    assert.equal(r.met, false);
    assert.deepEqual(r.qualifying, ['a1', 'a2', 'a3']);
    assert.equal(r.words, 'Two households: not met. 3 qualifying reports (3 needed), from 1 known person (2 needed).');
    const two = caseReviewCheck(rule, [...oneperson.slice(0, 2), report('b1', 'ben', '2026-06-10', '2026-06-10')], NOW);
    assert.equal(two.met, true);
    assert.equal(two.differentReporters, 2);
  });

  test('the threshold is met when any of the rules is', () => {
    const reports = [report('a1', 'amy', '2026-06-01', '2026-06-01'), report('a2', 'amy', '2026-06-08', '2026-06-08'), report('a3', 'amy', '2026-06-10', '2026-06-10')];
    const both = caseReviewThreshold({ caseReviewRules: [fiveDifferent, NATIONAL] }, reports, NOW);
    assert.equal(both.met, true);
    assert.deepEqual(both.results.map((r) => [r.rule, r.met]), [['Five neighbours', false], ['National threshold', true]]);
    assert.equal(caseReviewThreshold({ caseReviewRules: [fiveDifferent] }, reports, NOW).met, false);
  });
});
