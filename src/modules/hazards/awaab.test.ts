import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHazard, ukDate, type AwaabClock, type ClockId, type HazardReport } from './awaab.ts';

function clock(clocks: AwaabClock[], id: ClockId): AwaabClock {
  const c = clocks.find((x) => x.id === id);
  assert.ok(c, `clock ${id}`);
  return c;
}

// Mon 1 Jun 2026, 10:00 BST. 10 working days on: Mon 15 Jun.
const significant: HazardReport = { reportedAt: '2026-06-01T10:00:00+01:00', severity: 'significant' };

test('significant: investigate clock statuses due, due-soon, overdue, met, breached', () => {
  const at = (now: string, extra: Partial<HazardReport> = {}) =>
    clock(assessHazard({ ...significant, ...extra }, now).clocks, 'investigate');

  assert.equal(at('2026-06-03T09:00:00Z').deadline, '2026-06-15');
  assert.equal(at('2026-06-03T09:00:00Z').startsAt, '2026-06-01');
  assert.equal(at('2026-06-03T09:00:00Z').status, 'due');
  assert.equal(at('2026-06-11T09:00:00Z').status, 'due'); // Thu: 2 working days left
  assert.equal(at('2026-06-12T09:00:00Z').status, 'due-soon'); // Fri: deadline is the next working day
  assert.equal(at('2026-06-13T09:00:00Z').status, 'due-soon'); // Sat
  assert.equal(at('2026-06-15T22:59:00Z').status, 'due-soon'); // 23:59 BST on the deadline day
  assert.equal(at('2026-06-15T23:00:00Z').status, 'overdue'); // 00:00 BST next day
  assert.equal(at('2026-06-20T09:00:00Z', { investigatedAt: '2026-06-15T16:00:00+01:00' }).status, 'met');
  assert.equal(at('2026-06-20T09:00:00Z', { investigatedAt: '2026-06-16T08:00:00+01:00' }).status, 'breached');
});

test('significant: downstream clocks are not started until the investigation ends', () => {
  const r = assessHazard(significant, '2026-06-03T09:00:00Z');
  assert.deepEqual(r.clocks.map((c) => [c.id, c.status]), [
    ['investigate', 'due'],
    ['written-summary', 'not-started'],
    ['make-safe', 'not-started'],
    ['further-works', 'not-started'],
    ['further-works-12-weeks', 'not-started'],
  ]);
  assert.equal(r.worst, 'due');
  assert.equal(clock(r.clocks, 'make-safe').deadline, null);
});

test('significant: report on Thu 24 Dec 2026 spans Christmas, Boxing Day substitute and New Year', () => {
  const report: HazardReport = { reportedAt: '2026-12-24T15:00:00Z', severity: 'significant' };
  const inv = clock(assessHazard(report, '2026-12-29T09:00:00Z').clocks, 'investigate');
  assert.equal(inv.deadline, '2027-01-12');
  assert.equal(inv.status, 'due');
  assert.equal(clock(assessHazard(report, '2027-01-11T09:00:00Z').clocks, 'investigate').status, 'due-soon');
  assert.equal(clock(assessHazard(report, '2027-01-13T09:00:00Z').clocks, 'investigate').status, 'overdue');
});

test('significant: clocks after an investigation ending Thu 25 Mar 2027 skip Easter', () => {
  const report: HazardReport = {
    reportedAt: '2027-03-15T09:00:00Z',
    severity: 'significant',
    investigatedAt: '2027-03-25T14:00:00Z',
    summarySentAt: '2027-04-01T16:00:00+01:00',
    madeSafeAt: '2027-04-06T10:00:00+01:00',
  };
  const r = assessHazard(report, '2027-04-06T12:00:00+01:00');
  const byId = Object.fromEntries(r.clocks.map((c) => [c.id, c]));
  assert.equal(byId['investigate'].deadline, '2027-03-31'); // Good Friday and Easter Monday skipped
  assert.equal(byId['investigate'].status, 'met');
  assert.equal(byId['written-summary'].startsAt, '2027-03-25');
  assert.equal(byId['written-summary'].deadline, '2027-04-01');
  assert.equal(byId['written-summary'].status, 'met');
  assert.equal(byId['make-safe'].deadline, '2027-04-05');
  assert.equal(byId['make-safe'].status, 'breached');
  assert.equal(byId['further-works'].deadline, '2027-04-05');
  assert.equal(byId['further-works'].status, 'overdue');
  assert.equal(byId['further-works-12-weeks'].deadline, '2027-06-17');
  assert.equal(byId['further-works-12-weeks'].status, 'due');
  assert.equal(r.worst, 'overdue');
  assert.deepEqual(r.warnings, []);
});

test('significant: further works started in week 10 meets the 12-week deadline but not the 5-day one', () => {
  const r = assessHazard(
    { ...significant, investigatedAt: '2026-06-05T12:00:00Z', furtherWorksStartedAt: '2026-08-10T08:00:00Z' },
    '2026-09-01T12:00:00Z',
  );
  assert.equal(clock(r.clocks, 'further-works').status, 'breached');
  assert.equal(clock(r.clocks, 'further-works-12-weeks').deadline, '2026-08-28');
  assert.equal(clock(r.clocks, 'further-works-12-weeks').status, 'met');
});

test('working-day clocks count from the UK date, not the UTC date', () => {
  // 23:30Z on Mon 1 Jun 2026 is 00:30 BST on Tue 2 Jun: day 0 is 2 Jun.
  assert.equal(ukDate(new Date('2026-06-01T23:30:00Z')), '2026-06-02');
  const c = clock(assessHazard({ reportedAt: '2026-06-01T23:30:00Z', severity: 'significant' }, '2026-06-02T09:00:00Z').clocks, 'investigate');
  assert.equal(c.startsAt, '2026-06-02');
  assert.equal(c.deadline, '2026-06-16');
  // In winter the UK date is the UTC date.
  assert.equal(ukDate(new Date('2026-12-24T23:30:00Z')), '2026-12-24');
});

test('emergency: 24-hour clocks run through a bank holiday by the hour', () => {
  const report: HazardReport = { reportedAt: '2026-12-24T18:00:00Z', severity: 'emergency' };
  const open = assessHazard(report, '2026-12-25T10:00:00Z');
  assert.deepEqual(open.clocks.map((c) => [c.id, c.deadlineKind, c.deadline, c.status]), [
    ['investigate', 'instant', '2026-12-25T18:00:00.000Z', 'due-soon'],
    ['make-safe', 'instant', '2026-12-25T18:00:00.000Z', 'due-soon'],
  ]);

  const late = assessHazard(report, '2026-12-25T18:00:01Z');
  assert.deepEqual(late.clocks.map((c) => c.status), ['overdue', 'overdue']);

  const done = assessHazard(
    { ...report, investigatedAt: '2026-12-25T17:59:00Z', madeSafeAt: '2026-12-25T18:30:00Z' },
    '2026-12-27T09:00:00Z',
  );
  assert.deepEqual(done.clocks.map((c) => c.status), ['met', 'breached']);
  assert.equal(done.worst, 'breached');
});

test('emergency: exactly 24 hours is in time, across the October clock change', () => {
  // Clocks go back at 02:00 BST on Sun 25 Oct 2026; 24 hours is still 24 elapsed hours.
  const report: HazardReport = { reportedAt: '2026-10-24T20:00:00+01:00', severity: 'emergency', madeSafeAt: '2026-10-25T19:00:00Z' };
  const r = assessHazard(report, '2026-10-26T12:00:00Z');
  assert.equal(clock(r.clocks, 'make-safe').deadline, '2026-10-25T19:00:00.000Z');
  assert.equal(clock(r.clocks, 'make-safe').status, 'met');
  assert.equal(clock(r.clocks, 'investigate').status, 'overdue');
});

test('events after now have not happened yet; odd data is warned about', () => {
  const r = assessHazard({ ...significant, investigatedAt: '2026-06-10T10:00:00Z' }, '2026-06-05T10:00:00Z');
  assert.equal(clock(r.clocks, 'investigate').status, 'due');
  assert.equal(clock(r.clocks, 'investigate').completedAt, null);

  const odd = assessHazard({ ...significant, madeSafeAt: '2026-05-30T10:00:00Z' }, '2026-06-05T10:00:00Z');
  assert.deepEqual(odd.warnings, [
    'madeSafeAt is before reportedAt',
    'madeSafeAt is recorded but investigatedAt is not, so its clock has not started',
  ]);
});

test('timestamps must carry a zone', () => {
  assert.throws(() => assessHazard({ reportedAt: '2026-06-01T10:00:00', severity: 'significant' }, '2026-06-02T10:00:00Z'), RangeError);
  assert.throws(() => assessHazard(significant, '2026-06-02'), RangeError);
  assert.throws(() => assessHazard({ ...significant, severity: 'minor' as 'significant' }, '2026-06-02T10:00:00Z'), RangeError);
});
