import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrizzleQueryError } from 'drizzle-orm';
import { describeError, errorForLog } from './log.ts';

/** A database error as both drivers throw it: a SQLSTATE code and PostgreSQL's message. */
const dbError = (code: string, message: string) => Object.assign(new Error(message), { code, detail: 'Key (email)=(jane@example.org) already exists.' });

test('a failed query is logged with its statement, code and the database reason, never its parameters or values', () => {
  const err = new DrizzleQueryError('select * from people where family_name = $1 and born = $2::int', ['Doe', 'Jane Doe 1971'],
    dbError('22P02', 'invalid input syntax for type integer: "Jane Doe 1971"'));
  const logged = errorForLog(err);
  const text = JSON.stringify(logged);
  assert.equal(logged.type, 'DrizzleQueryError');
  assert.equal(logged.message, 'Failed query: select * from people where family_name = $1 and born = $2::int');
  assert.equal(logged.code, '22P02');
  assert.equal(logged.cause?.message, 'invalid input syntax for type integer: "…"');
  assert.match(logged.stack, /^DrizzleQueryError: Failed query: select .*\n\s+at /);
  for (const value of ['Doe', 'Jane', 'jane@example.org']) assert.ok(!text.includes(value), value);
  assert.equal(describeError(err), 'invalid input syntax for type integer: "…" (22P02)');
});

test('names in other database messages (a constraint, a table) are kept', () => {
  assert.equal(errorForLog(dbError('23505', 'duplicate key value violates unique constraint "users_email_idx"')).message,
    'duplicate key value violates unique constraint "users_email_idx"');
});
