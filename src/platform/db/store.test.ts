import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { copyText, isolationSql, prepare } from './store.ts';
import { escapeLike } from './like.ts';

test('COPY text escapes tabs, newlines, carriage returns and backslashes, and writes NULL as \\N', () => {
  assert.equal(copyText([['a\tb', 'line1\nline2', 'c:\\dir', null, 3, 'cr\r']]), 'a\\tb\tline1\\nline2\tc:\\\\dir\t\\N\t3\tcr\\r\n');
  assert.equal(copyText([]), '');
});

test('the isolation step lists every organisation table, marks the audit log append-only, and only adds what is missing', () => {
  const s = isolationSql(['homes', 'audit_events']);
  assert.match(s, /\('organisations', 'id', false\)/);
  assert.match(s, /\('homes', 'organisation_id', false\)/);
  assert.match(s, /\('audit_events', 'organisation_id', true\)/);
  assert.match(s, /WHEN r\.append_only THEN 'SELECT, INSERT'/);
  assert.doesNotMatch(s, /DROP POLICY/);
});

test('LIKE patterns escape the wildcards users type', () => {
  assert.equal(escapeLike('50%_off\\'), '50\\%\\_off\\\\');
});

test('a prepared statement binds each named placeholder once, however often it appears; plain values keep their own', () => {
  const org = sql`${sql.placeholder('org')}::uuid`;
  const p = prepare('t', sql`select ${org}, ${sql.placeholder('id')}, ${'x'}, ${org} where ${org} = ${sql.placeholder('id')}`);
  assert.equal(p.text, 'select $1::uuid, $2, $3, $1::uuid where $1::uuid = $2');
  assert.equal(p.params.length, 3);
  assert.equal(p.params[2], 'x');
});
