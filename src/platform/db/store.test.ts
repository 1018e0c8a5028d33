import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyText, isolationSql } from './store.ts';
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
