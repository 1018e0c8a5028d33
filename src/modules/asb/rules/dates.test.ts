import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, dueBy, endOfUkDay, periodEnd, targetWords } from './dates.ts';

describe('periodEnd: a period beginning with a day includes it', () => {
  test('one month beginning with 10 January ends on 9 February', () => {
    assert.equal(periodEnd('2026-01-10', 1, 'months'), '2026-02-09');
    assert.equal(periodEnd('2026-03-01', 1, 'months'), '2026-03-31');
  });

  test('with no corresponding day in the last month, the period ends with that month (leap years too)', () => {
    assert.equal(periodEnd('2026-01-31', 1, 'months'), '2026-02-28');
    assert.equal(periodEnd('2026-01-29', 1, 'months'), '2026-02-28');
    assert.equal(periodEnd('2028-01-31', 1, 'months'), '2028-02-29');
    assert.equal(periodEnd('2026-08-31', 6, 'months'), '2027-02-28');
  });

  test('across the end of a year, and in days', () => {
    assert.equal(periodEnd('2026-12-15', 1, 'months'), '2027-01-14');
    assert.equal(periodEnd('2026-01-10', 30, 'days'), '2026-02-08');
    assert.equal(periodEnd('2026-01-10', 1, 'days'), '2026-01-10');
  });

  test('refuses a date that does not exist', () => {
    assert.throws(() => periodEnd('2026-02-30', 1, 'months'), /not a real date/);
    assert.throws(() => addDays('10/01/2026', 1), /not a real date/);
  });
});

describe('endOfUkDay', () => {
  test('is UTC midnight less a millisecond in winter, and 23:00 UTC in summer', () => {
    assert.equal(endOfUkDay('2026-12-29').toISOString(), '2026-12-29T23:59:59.999Z');
    assert.equal(endOfUkDay('2026-07-01').toISOString(), '2026-07-01T22:59:59.999Z');
  });

  test('on the days the clocks change', () => {
    assert.equal(endOfUkDay('2026-03-29').toISOString(), '2026-03-29T22:59:59.999Z');
    assert.equal(endOfUkDay('2026-10-25').toISOString(), '2026-10-25T23:59:59.999Z');
  });
});

describe('dueBy', () => {
  test('hour targets run around the clock, Christmas Day included', () => {
    assert.equal(dueBy({ amount: 24, unit: 'hours' }, new Date('2026-12-24T18:00:00Z')).toISOString(), '2026-12-25T18:00:00.000Z');
  });

  test('working days skip Christmas, the Boxing Day substitute and the weekend', () => {
    // Thursday 24 December 2026: 25th (Friday) and 28th (Monday, for Boxing Day on Saturday) are bank holidays.
    assert.equal(dueBy({ amount: 1, unit: 'working-days' }, new Date('2026-12-24T10:00:00Z')).toISOString(), '2026-12-29T23:59:59.999Z');
  });

  test('working days skip Good Friday and Easter Monday, and end at UK midnight in summer time', () => {
    // Thursday 2 April 2026; 3 and 6 April are bank holidays, so day 1 is Tuesday 7 April (BST).
    assert.equal(dueBy({ amount: 1, unit: 'working-days' }, new Date('2026-04-02T09:00:00Z')).toISOString(), '2026-04-07T22:59:59.999Z');
  });

  test('count from the UK date: 23:30 UTC in summer is already the next day', () => {
    // 23:30 UTC on Thursday 4 June 2026 is 00:30 on Friday 5 June in the UK: 1 working day is Monday 8 June.
    assert.equal(dueBy({ amount: 1, unit: 'working-days' }, new Date('2026-06-04T23:30:00Z')).toISOString(), '2026-06-08T22:59:59.999Z');
    assert.equal(dueBy({ amount: 1, unit: 'working-days' }, new Date('2026-06-04T22:30:00Z')).toISOString(), '2026-06-05T22:59:59.999Z');
  });
});

test('targetWords', () => {
  assert.equal(targetWords({ amount: 1, unit: 'working-days' }), '1 working day');
  assert.equal(targetWords({ amount: 24, unit: 'hours' }), '24 hours');
});
