import { test } from 'node:test';
import assert from 'node:assert/strict';
import Format from 'typebox/format';
import { registerFormats, isCalendarDate } from './formats.ts';
import { fieldErrors, nulPointers } from './validation.ts';

registerFormats();

test('calendar dates must exist', () => {
  assert.equal(isCalendarDate('2024-02-29'), true);
  assert.equal(isCalendarDate('2023-02-29'), false);
  assert.equal(isCalendarDate('2024-13-01'), false);
  assert.equal(isCalendarDate('01/02/2024'), false);
  // Year 0000 is ISO 8601's 1 BC, which PostgreSQL cannot read: refused here rather than failing in the database.
  assert.equal(isCalendarDate('0000-01-01'), false);
  assert.equal(isCalendarDate('0001-01-01'), true);
  assert.equal(Format.Test('date-time', '0000-01-01T00:00:00Z'), false);
  assert.equal(Format.Test('date-time', '2026-01-01T00:00:00Z'), true);
});

test('nulPointers names every string and key holding a NUL, as JSON pointers', () => {
  assert.deepEqual(nulPointers({ a: 'x', b: ['ok', 'n\u0000'], 'c/d': { e: '\u0000' }, ['k\u0000']: 1 }), ['/b/1', '/c~1d/e', '/k␀']);
  assert.deepEqual(nulPointers('\u0000'), ['/']);
  assert.deepEqual(nulPointers(Buffer.from([0, 0])), []);
});

test('past-date refuses tomorrow and accepts today', () => {
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  assert.equal(Format.Test('past-date', today), true);
  assert.equal(Format.Test('past-date', tomorrow), false);
});

test('uk-postcode accepts real shapes in any case and refuses others', () => {
  for (const ok of ['SW1A 1AA', 'sw1a1aa', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT']) assert.equal(Format.Test('uk-postcode', ok), true, ok);
  for (const bad of ['XX', 'SW1A 1A', '12345', 'LS6 XYZ', '']) assert.equal(Format.Test('uk-postcode', bad), false, bad);
});

test('validation errors become one plain message per field', () => {
  const errors = fieldErrors([
    { keyword: 'boolean', instancePath: '/foo', params: {}, message: 'schema is false' },
    { keyword: 'additionalProperties', instancePath: '', params: { additionalProperties: ['foo'] } },
    { keyword: 'format', instancePath: '/postcode', params: { format: 'uk-postcode' } },
    { keyword: 'type', instancePath: '/postcode', params: { type: 'null' } },
    { keyword: 'anyOf', instancePath: '/postcode', params: {} },
    { keyword: 'const', instancePath: '/role', params: { allowedValue: 'lead' } },
    { keyword: 'const', instancePath: '/role', params: { allowedValue: 'joint' } },
    { keyword: 'anyOf', instancePath: '/role', params: {} },
  ]);
  assert.deepEqual(errors, [
    { field: '/foo', message: 'is not a field this API knows' },
    { field: '/postcode', message: 'is not a valid UK postcode' },
    { field: '/role', message: 'must be one of: lead, joint' },
  ]);
});
