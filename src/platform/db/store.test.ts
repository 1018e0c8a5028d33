import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyText, isolationSql } from './store.ts';
import { escapeLike } from './like.ts';

test('COPY text escapes tabs, newlines, carriage returns and backslashes, and writes NULL as \\N', () => {
  assert.equal(copyText([['a\tb', 'line1\nline2', 'c:\\dir', null, 3, 'cr\r']]), 'a\\tb\tline1\\nline2\tc:\\\\dir\t\\N\t3\tcr\\r\n');
  assert.equal(copyText([]), '');
});

test('every organisation table gets the isolation policy; the audit log is append-only', () => {
  const s = isolationSql(['homes', 'audit_events']);
  assert.match(s, /ALTER TABLE "homes" ENABLE ROW LEVEL SECURITY/);
  assert.match(s, /GRANT SELECT, INSERT, UPDATE, DELETE ON "homes" TO hearth_app/);
  assert.match(s, /GRANT SELECT, INSERT ON "audit_events" TO hearth_app;/);
  assert.doesNotMatch(s, /UPDATE, DELETE ON "audit_events"/);
});

test('LIKE patterns escape the wildcards users type', () => {
  assert.equal(escapeLike('50%_off\\'), '50\\%\\_off\\\\');
});
