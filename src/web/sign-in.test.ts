import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeNext } from './sign-in.ts';

test('after sign-in Hearth only redirects to its own pages', () => {
  assert.equal(safeNext('/homes/123?x=1'), '/homes/123?x=1');
  for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', 'javascript:alert(1)', undefined, 42]) assert.equal(safeNext(bad), '/', String(bad));
});
