import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateParts, parseDateParts, parseTime, readDateInput } from './dates.ts';

test('times and dates as people type them', () => {
  assert.deepEqual(['14:30', '14.30', '2:30pm', '2pm', '9am', '12am', '12pm', 'midday', ' 9:05 AM '].map(parseTime),
    ['14:30', '14:30', '14:30', '14:00', '09:00', '00:00', '12:00', '12:00', '09:05']);
  for (const bad of ['14', '25:00', '13pm', '10:60', 'soon', '']) assert.equal(parseTime(bad), null, bad);
  assert.equal(parseDateParts('7', '1', '2026'), '2026-01-07');
  assert.equal(parseDateParts('29', '2', '2026'), null);
  assert.equal(parseDateParts('1', '1', '26'), null);
  assert.equal(parseDateParts('1', '1', '0000'), null);
});

test('a date input by the GOV.UK rules, with "today" given', () => {
  const m = { label: 'Date of birth' };
  const today = '2026-06-01';
  assert.deepEqual(readDateInput({ day: ' ', month: '', year: '' }, m, 'past', today), { kind: 'empty' });
  assert.deepEqual(readDateInput({ day: '', month: '', year: '2020' }, m, 'past', today), { kind: 'error', text: 'Date of birth must include a day and month', part: 'day' });
  assert.deepEqual(readDateInput({ day: '1', month: '2', year: '' }, m, 'past', today), { kind: 'error', text: 'Date of birth must include a year', part: 'year' });
  assert.deepEqual(readDateInput({ day: '1', month: '6', year: '2026' }, m, 'past', today), { kind: 'error', text: 'Date of birth must be in the past', part: 'day' });
  assert.deepEqual(readDateInput({ day: '1', month: '6', year: '2026' }, m, 'today-or-past', today), { kind: 'date', date: '2026-06-01' });
  assert.deepEqual(readDateInput({ day: '1', month: '6', year: '2026' }, { label: 'The visit date', when: 'The visit must be after today' }, 'future', today),
    { kind: 'error', text: 'The visit must be after today', part: 'day' });
  assert.deepEqual(dateParts('2026-01-07'), { day: '7', month: '1', year: '2026' });
});
