import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import * as passwords from './passwords.ts';
import { Problem } from '../http/problem.ts';

/** A task that runs until released. */
function held() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => { release = resolve; });
  return { task: () => done, release };
}

test('the hash gate runs at most `concurrent` at once, queues up to `queued`, and refuses the rest at once', async () => {
  const gate = new passwords.HashGate(2, 1);
  assert.equal(gate.capacity, 3);
  const tasks = [held(), held(), held(), held()];
  const runs = tasks.slice(0, 3).map((t) => gate.run(t.task));
  assert.deepEqual([gate.inFlight, gate.queued], [2, 1]);
  await assert.rejects(gate.run(tasks[3]!.task), (err: unknown) => err instanceof Problem && err.status === 429 && /Too many sign-in attempts/.test(err.message));
  assert.equal(gate.started, 2);
  tasks[0]!.release();
  await runs[0];
  assert.deepEqual([gate.inFlight, gate.queued, gate.started], [2, 0, 3], 'the queued task starts when one finishes');
  tasks[1]!.release(); tasks[2]!.release();
  await Promise.all(runs);
  assert.deepEqual([gate.inFlight, gate.queued], [0, 0]);
  // A task that fails still frees its place.
  await assert.rejects(gate.run(() => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(gate.inFlight, 0);
});

test('password hashing goes through one gate sized to the CPU cores', async () => {
  const gate = passwords.passwordHashing;
  assert.equal(gate.concurrent, availableParallelism());
  const checks = Array.from({ length: gate.concurrent + 1 }, () => passwords.verifyPassword('a guess', passwords.DUMMY_HASH));
  assert.deepEqual([gate.inFlight, gate.queued], [gate.concurrent, 1], 'no more hashes run at once than there are cores');
  assert.deepEqual(await Promise.all(checks), checks.map(() => false));
  assert.deepEqual([gate.inFlight, gate.queued], [0, 0]);
  const hash = await passwords.hashPassword('a long test password 1');
  assert.equal(await passwords.verifyPassword('a long test password 1', hash), true);
});
