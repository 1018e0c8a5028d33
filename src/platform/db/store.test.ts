import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { copyText, isolationSql, migrationIndexes, prepare } from './store.ts';
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

test('the indexes the migrations leave: created, less those dropped later, under their latest name, whatever the quoting', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-migrations-'));
  try {
    fs.mkdirSync(path.join(dir, 'meta'));
    fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ entries: [{ tag: '0000_a' }, { tag: '0001_b' }] }));
    fs.writeFileSync(path.join(dir, '0000_a.sql'), `CREATE INDEX "a_idx" ON "t" USING btree ("x");--> statement-breakpoint
-- CREATE INDEX commented_idx ON t (x);
CREATE UNIQUE INDEX IF NOT EXISTS B_Idx ON public.t USING btree (y) WHERE y > 0;
CREATE INDEX gone_idx ON t (z);
CREATE INDEX old_idx ON t USING gin (s gin_trgm_ops);`);
    fs.writeFileSync(path.join(dir, '0001_b.sql'), `DROP INDEX IF EXISTS "public"."gone_idx";
ALTER INDEX old_idx RENAME TO "new_idx";`);
    assert.deepEqual([...migrationIndexes(dir)], [
      ['a_idx', 'CREATE INDEX IF NOT EXISTS "a_idx" ON "t" USING btree ("x")'],
      ['b_idx', 'CREATE UNIQUE INDEX IF NOT EXISTS "b_idx" ON public.t USING btree (y) WHERE y > 0'],
      ['new_idx', 'CREATE INDEX IF NOT EXISTS "new_idx" ON t USING gin (s gin_trgm_ops)'],
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
