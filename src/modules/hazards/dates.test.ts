import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clockTime, holidaysSkipped, longDate, longDateTime, skipsText, ukInstant, ukWallClock } from './dates.ts';

test('long dates and times as GOV.UK writes them', () => {
  assert.equal(longDate('2027-01-04'), 'Monday 4 January 2027');
  assert.equal(longDateTime('2026-12-25T18:00:00Z'), 'Friday 25 December 2026 at 6pm');
  assert.equal(longDateTime('2026-06-01T09:30:00Z'), 'Monday 1 June 2026 at 10:30am'); // BST
  assert.deepEqual(['12:00', '00:00', '00:30', '12:05', '23:59'].map(clockTime), ['midday', 'midnight', '12:30am', '12:05pm', '11:59pm']);
});

test('a UK date and time to an instant, across the clock changes', () => {
  assert.equal(ukInstant('2026-06-01', '10:00')?.toISOString(), '2026-06-01T09:00:00.000Z');
  assert.equal(ukInstant('2026-12-01', '10:00')?.toISOString(), '2026-12-01T10:00:00.000Z');
  assert.equal(ukInstant('2026-03-29', '01:30'), null, 'the hour skipped when clocks go forward');
  assert.equal(ukInstant('2026-10-25', '01:30')?.toISOString(), '2026-10-25T00:30:00.000Z', 'the first 01:30 (BST) when clocks go back');
  assert.equal(ukInstant('2026-02-30', '10:00'), null);
  assert.deepEqual(ukWallClock(new Date('2026-06-01T23:30:00Z')), { date: '2026-06-02', time: '00:30' });
});

test('the bank holidays a working-day count skipped, in words', () => {
  const skipped = holidaysSkipped('2026-12-21', '2027-01-07');
  assert.deepEqual(skipped.map((s) => s.date), ['2026-12-25', '2026-12-28', '2027-01-01']); // Boxing Day itself is a Saturday
  assert.equal(skipsText(skipped), "skips Christmas Day, Boxing Day (substitute day) and New Year's Day");
  assert.equal(skipsText(holidaysSkipped('2026-12-21', '2026-12-29').slice(0, 2)), 'skips Christmas Day and Boxing Day (substitute day)');
  assert.equal(skipsText(holidaysSkipped('2026-06-01', '2026-06-15')), '');
  assert.deepEqual(holidaysSkipped('2026-12-25', '2026-12-25'), [], 'the start day is day 0, not skipped');
});
