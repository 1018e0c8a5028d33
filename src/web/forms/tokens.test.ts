import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormTokens } from './tokens.ts';

test('a form token does its work once; a second post goes where the first led', async () => {
  const tokens = new FormTokens();
  let writes = 0;
  const token = tokens.issue('session-a');
  const work = async () => `/things/${++writes}`;
  assert.deepEqual(await tokens.once('session-a', token, work), { kind: 'done', location: '/things/1', repeat: false });
  assert.deepEqual(await tokens.once('session-a', token, work), { kind: 'done', location: '/things/1', repeat: true });
  assert.equal(writes, 1);
});

test('two posts at once: the second waits for the first and follows it', async () => {
  const tokens = new FormTokens();
  let writes = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const token = tokens.issue('s');
  const work = async () => { writes++; await gate; return '/done'; };
  const both = Promise.all([tokens.once('s', token, work), tokens.once('s', token, work)]);
  release();
  const [a, b] = await both;
  assert.equal(writes, 1);
  assert.equal(a.kind === 'done' && a.location, '/done');
  assert.equal(b.kind === 'done' && b.repeat, true);
});

test('a token of another session, an unknown one, or one pushed out is refused; a failed attempt can be sent again', async () => {
  const tokens = new FormTokens({ sessions: 2, perSession: 2 });
  const token = tokens.issue('a');
  assert.deepEqual(await tokens.once('b', token, async () => '/x'), { kind: 'unknown' });
  assert.deepEqual(await tokens.once('a', 'not-a-token', async () => '/x'), { kind: 'unknown' });
  await assert.rejects(tokens.once('a', token, async () => { throw new Error('refused'); }), /refused/);
  assert.equal(tokens.keep('a', token), token, 'still usable after the refusal');
  assert.deepEqual(await tokens.once('a', token, async () => '/x'), { kind: 'done', location: '/x', repeat: false });
  assert.notEqual(tokens.keep('a', token), token, 'a used token is not handed out again');
  const old = tokens.issue('a');
  tokens.issue('a');
  tokens.issue('a');
  assert.deepEqual(await tokens.once('a', old, async () => '/y'), { kind: 'unknown' }, 'only the most recent tokens of a session');
  const kept = tokens.issue('c');
  tokens.issue('d');
  tokens.issue('e');
  assert.deepEqual(await tokens.once('c', kept, async () => '/z'), { kind: 'unknown' }, 'only the most recent sessions');
});
