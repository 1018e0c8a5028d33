import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deadlineKey, hazardClocks } from './clocks.ts';

const report = { reportedAt: '2026-12-21T10:00:00Z', severity: 'significant' as const };

test('labels every clock and names the bank holidays a working-day deadline skipped', () => {
  const r = hazardClocks(report, '2026-12-22T09:00:00Z');
  assert.deepEqual(r.clocks.map((c) => c.label), ['Investigate', 'Written summary to the tenant', 'Make safe', 'Start further works', 'Start further works (12-week limit)']);
  assert.deepEqual(r.clocks[0]!.skipped.map((s) => s.date), ['2026-12-25', '2026-12-28', '2027-01-01']);
  assert.equal(r.worst, 'due');
});

test('an investigation that found no hazard makes the works clocks not applicable; the tenant is still told what it found', () => {
  const facts = { ...report, investigatedAt: '2027-01-05T10:00:00Z', investigationOutcome: 'not-confirmed' };
  assert.deepEqual(hazardClocks(facts, '2027-03-01T09:00:00Z').clocks.map((c) => [c.id, c.status]).slice(0, 2), [['investigate', 'met'], ['written-summary', 'overdue']]);
  const r = hazardClocks({ ...facts, summarySentAt: '2027-01-06T12:00:00Z' }, '2027-03-01T09:00:00Z');
  assert.deepEqual(r.clocks.map((c) => [c.id, c.status, c.deadline]), [
    ['investigate', 'met', '2027-01-07'], ['written-summary', 'met', '2027-01-08'], ['make-safe', 'not-applicable', null],
    ['further-works', 'not-applicable', null], ['further-works-12-weeks', 'not-applicable', null],
  ]);
  assert.equal(r.worst, 'met');
  // Confirmed: the same dates run on, and are overdue by March.
  assert.equal(hazardClocks({ ...facts, investigationOutcome: 'confirmed' }, '2027-03-01T09:00:00Z').worst, 'overdue');
  // The 12-week clock counts calendar days, so it names no holidays.
  assert.deepEqual(hazardClocks({ ...facts, investigationOutcome: 'confirmed' }, '2027-03-01T09:00:00Z').clocks[4]!.skipped, []);
});

test('deadlines sort by when they run out', () => {
  const keys = [{ deadline: '2027-01-07', deadlineKind: 'date' as const }, { deadline: '2027-01-07T10:00:00.000Z', deadlineKind: 'instant' as const }, { deadline: null, deadlineKind: 'date' as const }].map(deadlineKey);
  assert.deepEqual([...keys].sort(), [keys[1], keys[0], keys[2]]);
});
