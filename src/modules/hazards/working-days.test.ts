import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { addWorkingDays, bankHolidays, isWorkingDay, workingDaysBetween } from './working-days.ts';

test('bank holidays come from the data source, with substitute days, for 2026 and 2027', () => {
  assert.deepEqual([...bankHolidays(2026).keys()], [
    '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31',
    '2026-12-25', '2026-12-26', '2026-12-28',
  ]);
  const y2027 = bankHolidays(2027);
  for (const d of ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28']) {
    assert.ok(y2027.has(d), `${d} is a bank holiday`);
  }
  // Observances (Mother's Day, Easter Sunday) are not bank holidays.
  assert.ok(!bankHolidays(2026).has('2026-03-15'));
});

test('isWorkingDay: weekdays yes; weekends, bank holidays and substitute days no', () => {
  assert.equal(isWorkingDay('2026-12-24'), true); // Thu
  assert.equal(isWorkingDay('2026-12-25'), false); // Christmas Day, Fri
  assert.equal(isWorkingDay('2026-12-26'), false); // Sat
  assert.equal(isWorkingDay('2026-12-27'), false); // Sun
  assert.equal(isWorkingDay('2026-12-28'), false); // Boxing Day substitute, Mon
  assert.equal(isWorkingDay('2026-12-29'), true);
  assert.equal(isWorkingDay('2027-03-26'), false); // Good Friday
  assert.equal(isWorkingDay('2027-03-29'), false); // Easter Monday
  assert.equal(isWorkingDay('2027-03-30'), true);
});

test('addWorkingDays: the start date is day 0', () => {
  assert.equal(addWorkingDays('2026-06-03', 0), '2026-06-03');
  assert.equal(addWorkingDays('2026-06-03', 1), '2026-06-04'); // Wed → Thu
  assert.equal(addWorkingDays('2026-06-05', 1), '2026-06-08'); // Fri → Mon over a weekend
  assert.equal(addWorkingDays('2026-06-06', 1), '2026-06-08'); // Sat (day 0) → Mon
  assert.equal(addWorkingDays('2026-06-01', 10), '2026-06-15'); // two weekends
  assert.equal(addWorkingDays('2026-06-08', -1), '2026-06-05');
});

test('addWorkingDays across Christmas 2026 (Christmas Fri, Boxing Day substitute Mon, New Year Fri)', () => {
  assert.equal(addWorkingDays('2026-12-24', 1), '2026-12-29');
  assert.equal(addWorkingDays('2026-12-24', 3), '2026-12-31');
  assert.equal(addWorkingDays('2026-12-24', 4), '2027-01-04');
  assert.equal(addWorkingDays('2026-12-24', 10), '2027-01-12');
});

test('addWorkingDays across Easter 2027 (Good Friday 26 Mar, Easter Monday 29 Mar)', () => {
  assert.equal(addWorkingDays('2027-03-25', 1), '2027-03-30');
  assert.equal(addWorkingDays('2027-03-25', 3), '2027-04-01');
  assert.equal(addWorkingDays('2027-03-25', 5), '2027-04-05');
});

test('workingDaysBetween counts days after a up to and including b', () => {
  assert.equal(workingDaysBetween('2026-06-03', '2026-06-03'), 0);
  assert.equal(workingDaysBetween('2026-06-05', '2026-06-08'), 1);
  assert.equal(workingDaysBetween('2026-12-24', '2027-01-12'), 10);
  assert.equal(workingDaysBetween('2027-01-12', '2026-12-24'), -10);
  assert.equal(workingDaysBetween('2026-12-24', '2026-12-28'), 0);
  for (const n of [0, 1, 2, 5, 10, 30]) {
    for (const start of ['2026-12-24', '2027-03-25', '2026-06-06']) {
      assert.equal(workingDaysBetween(start, addWorkingDays(start, n)), n, `${start} + ${n}`);
    }
  }
});

test('rejects malformed and impossible dates', () => {
  assert.throws(() => isWorkingDay('2026-02-30'), RangeError);
  assert.throws(() => isWorkingDay('24/12/2026'), RangeError);
  assert.throws(() => addWorkingDays('2026-12-24T10:00:00Z', 1), RangeError);
  assert.throws(() => addWorkingDays('2026-12-24', 1.5), RangeError);
});

test('does not depend on the process time zone (fresh process per zone)', () => {
  const module = new URL('./working-days.ts', import.meta.url).href;
  const script = `
    import { addWorkingDays, isWorkingDay, bankHolidays } from ${JSON.stringify(module)};
    console.log(JSON.stringify([addWorkingDays('2026-12-24', 10), isWorkingDay('2026-03-30'), [...bankHolidays(2027).keys()]]));
  `;
  const results = ['Pacific/Kiritimati', 'America/Los_Angeles', 'Europe/London', 'UTC'].map((zone) =>
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: zone }, encoding: 'utf8' }),
  );
  for (const r of results) assert.equal(r, results[0]);
  const [deadline, monday] = JSON.parse(results[0]) as [string, boolean];
  assert.equal(deadline, '2027-01-12');
  assert.equal(monday, true);
});
