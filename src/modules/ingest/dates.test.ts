// Dates written more than one way in one column, and dates given in day, month and year columns (issue 11, 4b).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseDateColumn, dateFromParts, longDate, mixedDate } from './normalise.ts';
import { suggestMapping, validateProfile } from './mapping.ts';
import '../install-all.ts'; // the kinds of record and permissions, as the app installs them

test('a mixed column: ranked by the dates that read only one way; each value read the way it can be, two readings given back', () => {
  const a = analyseDateColumn(['25/12/1980', '13/01/1970', '03/25/1961', '05/06/1980', '1999-01-02']);
  assert.equal(a.format, 'mixed');
  assert.deepEqual(a.ranked!.slice(0, 3), ['dmy', 'mdy', 'iso']); // mdy and iso: one each that reads only that way; mdy fits more
  assert.match(a.message, /listed for review/);
  const ranked = a.ranked!;
  assert.deepEqual(mixedDate('03/25/1961', ranked), { ok: true, value: '1961-03-25', format: 'mdy' });
  assert.deepEqual(mixedDate('1999-01-02', ranked), { ok: true, value: '1999-01-02', format: 'iso' });
  assert.deepEqual(mixedDate('05/06/1980', ranked), { ok: true, value: '1980-06-05', format: 'dmy', alternatives: [{ format: 'mdy', value: '1980-05-06' }] });
  assert.deepEqual(mixedDate('06/06/1980', ranked), { ok: true, value: '1980-06-06', format: 'dmy' }, 'the same date either way is not for review');
  assert.deepEqual(mixedDate('', ranked), { ok: true, value: null });
  const impossible = mixedDate('31/02/1990', ranked);
  assert.equal(impossible.ok ? null : impossible.rule, 'date-impossible');
  const notADate = mixedDate('soon', ranked);
  assert.equal(notADate.ok ? null : notADate.rule, 'date-wrong-format');
  assert.equal(longDate('1975-07-04'), '4 July 1975');
  // Where every date reads two ways nothing says which: still refused, naming the setting (not a mixed column).
  assert.equal(analyseDateColumn(['01/02/1990', '03/04/1985']).format, 'ambiguous');
});

test('a date from day, month and year cells', () => {
  assert.deepEqual(dateFromParts('2', '3', '1971'), { ok: true, value: '1971-03-02' });
  assert.deepEqual(dateFromParts(15, 'Nov', 1980), { ok: true, value: '1980-11-15' });
  assert.deepEqual(dateFromParts('1st', 'September', '2001'), { ok: true, value: '2001-09-01' });
  assert.deepEqual(dateFromParts('', '', ''), { ok: true, value: null });
  const rule = (r: ReturnType<typeof dateFromParts>) => (r.ok ? null : r.rule);
  assert.equal(rule(dateFromParts('31', '02', '1990')), 'date-impossible');
  assert.equal(rule(dateFromParts('3', '', '1990')), 'date-incomplete');
  assert.equal(rule(dateFromParts('3', '4', '90')), 'date-two-digit-year');
  assert.equal(rule(dateFromParts('3', 'Foo', '1990')), 'date-wrong-format');
  assert.equal(rule(dateFromParts('3', '4', '1700')), 'date-out-of-range');
});

test('day, month and year columns are suggested as a set, only when the date has no whole column', () => {
  const fields = (headers: string[]) => suggestMapping('people', headers).map((s) => s.field);
  const base = ['Tenant Ref', 'Forename', 'Surname'];
  for (const parts of [['DOB Day', 'DOB Month', 'DOB Year'], ['Day of birth', 'Month of birth', 'Year of birth'], ['Birth Day', 'Birth Month', 'Birth Year'],
    ['DOB_DD', 'DOB_MM', 'DOB_YYYY']]) {
    assert.deepEqual(fields([...base, ...parts]).slice(3), ['dateOfBirth.day', 'dateOfBirth.month', 'dateOfBirth.year'], parts.join(', '));
  }
  assert.deepEqual(fields([...base, 'Birthday']).slice(3), [null], 'a day alone is not a date');
  const both = suggestMapping('people', [...base, 'DOB', 'DOB Day', 'DOB Month', 'DOB Year']);
  assert.deepEqual(both.slice(3).map((s) => s.field), ['dateOfBirth', null, null, null]);
  assert.match(both[4]!.reason, /day of Date of birth/);
});

test('a mapping of day, month and year columns: all three, and not with a whole-date column', () => {
  const headers = ['Ref', 'First', 'Last', 'D', 'M', 'Y', 'DOB'];
  const columns = { Ref: 'sourceId', First: 'givenName', Last: 'familyName', D: 'dateOfBirth.day', M: 'dateOfBirth.month', Y: 'dateOfBirth.year', DOB: null };
  const profile = { sourceSystem: 'x', kind: 'people', columns };
  const check = validateProfile(profile, headers);
  assert.deepEqual(check.errors, []);
  assert.ok(!check.warnings.some((w) => w.code === 'missing-recommended' && w.field === 'dateOfBirth'), 'the date of birth is mapped');
  const incomplete = validateProfile({ ...profile, columns: { ...columns, Y: null } }, headers);
  assert.deepEqual(incomplete.errors.map((e) => e.code), ['date-parts-incomplete']);
  assert.match(incomplete.errors[0]!.message, /"D", "M".*year/);
  const twice = validateProfile({ ...profile, columns: { ...columns, DOB: 'dateOfBirth' } }, headers);
  assert.deepEqual(twice.errors.map((e) => e.code), ['field-mapped-twice']);
});
