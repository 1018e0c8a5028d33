import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { DateInput, defineForm, TimeInput, Untrimmed } from './define.ts';

const Person = defineForm({
  schema: Type.Object({
    name: Type.String({ maxLength: 10 }),
    role: Type.Union([Type.Literal('tenant'), Type.Literal('officer')]),
    dateOfBirth: DateInput({ label: 'Date of birth', when: 'past' }),
    children: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
    contact: Type.Optional(Type.Array(Type.String())),
    password: Type.Optional(Untrimmed(Type.String())),
    callAt: Type.Optional(TimeInput()),
  }),
  messages: {
    name: { required: 'Enter your name', tooLong: 'Your name must be 10 characters or fewer' },
    role: 'Select your role',
    dateOfBirth: 'Enter your date of birth',
    children: { invalid: 'Enter the number of children as a whole number', tooBig: 'The number of children must be 20 or fewer' },
    contact: 'Select how to contact you',
    password: 'Enter a password',
    callAt: 'Enter the time like 14:30 or 2:30pm',
  },
  check: (v, fail) => { if (v.role === 'officer' && !v.password) fail('password', 'Enter a password, as an officer'); },
});

test('a good form: typed values, trimmed, empty answers left out, numbers, ticked boxes and a date as such', () => {
  const r = Person.parse({
    _csrf: 'x', name: '  Ann  ', role: 'officer', 'dateOfBirth-day': ' 7', 'dateOfBirth-month': '1 ', 'dateOfBirth-year': '1990',
    children: '2', contact: ['email', ' ', 'phone'], password: ' secret ', callAt: '2:30pm',
  });
  assert.ok(r.ok);
  assert.deepEqual(r.values, { name: 'Ann', role: 'officer', dateOfBirth: '1990-01-07', children: 2, contact: ['email', 'phone'], password: ' secret ', callAt: '14:30' });
  const one = Person.parse({ name: 'Bo', role: 'tenant', 'dateOfBirth-day': '7', 'dateOfBirth-month': '1', 'dateOfBirth-year': '1990', children: '', contact: 'email' });
  assert.ok(one.ok);
  assert.deepEqual(one.values, { name: 'Bo', role: 'tenant', dateOfBirth: '1990-01-07', contact: ['email'] });
});

test('an empty form: each required field\'s message, in the order of the fields, linked to its control', () => {
  const r = Person.parse({ name: '   ', 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' });
  assert.ok(!r.ok);
  assert.deepEqual(r.errors, [
    { text: 'Enter your name', href: '#name' },
    { text: 'Select your role', href: '#role' },
    { text: 'Enter your date of birth', href: '#dateOfBirth-day' },
  ]);
  assert.equal(r.errorFor.name, 'Enter your name');
  assert.equal(r.errorFor['dateOfBirth-day'], 'Enter your date of birth');
  assert.deepEqual(r.raw.dateOfBirth, { day: '', month: '', year: '' }, 'what was typed, to draw the form again');
});

test('bad answers: too long, not a choice, not a whole number, too big, a time that is not one, a rule across fields', () => {
  const r = Person.parse({ name: 'Annabel Lee Smith', role: 'landlord', 'dateOfBirth-day': '7', 'dateOfBirth-month': '1', 'dateOfBirth-year': '1990', children: 'two', callAt: '25:00' });
  assert.ok(!r.ok);
  assert.deepEqual(r.errors.map((e) => e.text), ['Your name must be 10 characters or fewer', 'Select your role', 'Enter the number of children as a whole number', 'Enter the time like 14:30 or 2:30pm']);
  const big = Person.parse({ name: 'Ann', role: 'officer', 'dateOfBirth-day': '7', 'dateOfBirth-month': '1', 'dateOfBirth-year': '1990', children: '21' });
  assert.ok(!big.ok);
  assert.deepEqual(big.errors, [{ text: 'The number of children must be 20 or fewer', href: '#children' }, { text: 'Enter a password, as an officer', href: '#password' }]);
});

test('the GOV.UK date input rules: a part missing, not a real date, not in the past', () => {
  const date = (day: string, month: string, year: string) => {
    const r = Person.parse({ name: 'Ann', role: 'tenant', 'dateOfBirth-day': day, 'dateOfBirth-month': month, 'dateOfBirth-year': year });
    return r.ok ? r.values.dateOfBirth : r.errors[0];
  };
  assert.deepEqual(date('7', '', '1990'), { text: 'Date of birth must include a month', href: '#dateOfBirth-month' });
  assert.deepEqual(date('', '', '1990'), { text: 'Date of birth must include a day and month', href: '#dateOfBirth-day' });
  assert.deepEqual(date('30', '2', '1990'), { text: 'Date of birth must be a real date', href: '#dateOfBirth-day' });
  assert.deepEqual(date('1', '13', '1990'), { text: 'Date of birth must be a real date', href: '#dateOfBirth-day' });
  assert.deepEqual(date('1', '1', '90'), { text: 'Date of birth must be a real date', href: '#dateOfBirth-day' });
  assert.deepEqual(date('1', '1', '2999'), { text: 'Date of birth must be in the past', href: '#dateOfBirth-day' });
  assert.equal(date('29', '2', '2024'), '2024-02-29');
});

test('a body that is not a form is an empty one', () => {
  for (const body of [undefined, null, 'name=Ann', ['Ann']]) {
    const r = Person.parse(body);
    assert.ok(!r.ok);
    assert.equal(r.errors[0]!.text, 'Enter your name');
  }
});

// Issue 13, defect 8: the error summary lists errors in the order the fields are on the page, wherever they came from.
test('a refusal found after parsing (form.fail) is listed in the order of the fields, not the order the service gave', () => {
  const r = Person.fail({}, [
    { text: 'The password is refused', href: '#password' },
    { text: 'The date of birth is refused', href: '#dateOfBirth-year' },
    { text: 'Something about the whole form', href: '#main-content' },
    { text: 'The name is refused', href: '#name' },
  ]);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.errors.map((e) => e.href), ['#name', '#dateOfBirth-year', '#password', '#main-content']);
  assert.equal(r.errorFor['dateOfBirth-year'], 'The date of birth is refused');
});

test('an error linked to another field (ids) is listed where that field is; `order` puts controls the schema does not read', () => {
  const Types = defineForm({
    schema: Type.Object({ eventTypes: Type.Optional(Type.Array(Type.String())), other: Type.Optional(Type.String({ maxLength: 3 })), version: Type.Optional(Type.Integer()) }),
    messages: { eventTypes: 'Select the events', other: 'The other types must be 3 characters or fewer', version: 'The page was out of date' },
    ids: { version: 'eventTypes' },
  });
  const r = Types.parse({ other: 'abcd', version: 'x' });
  assert.equal(r.ok, false);
  if (!r.ok) assert.deepEqual(r.errors.map((e) => e.text), ['The page was out of date', 'The other types must be 3 characters or fewer']);

  const Upload = defineForm({
    schema: Type.Object({ source: Type.String(), sheet: Type.Optional(Type.String({ maxLength: 2 })) }),
    messages: { source: 'Enter the system', sheet: 'The sheet name is too long' },
    order: ['source', 'file', 'sheet'],
  });
  const parsed = Upload.parse({ sheet: 'abc' });
  assert.equal(parsed.ok, false);
  if (parsed.ok) return;
  const all = Upload.fail(parsed.raw, [{ text: 'Select a file', href: '#file' }, ...parsed.errors]);
  assert.equal(all.ok, false);
  if (!all.ok) assert.deepEqual(all.errors.map((e) => e.href), ['#source', '#file', '#sheet']);
});
