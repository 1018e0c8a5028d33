// The pure parts of federation: reading an RPDE page (naming the field that is wrong), the (modified, id) order
// against the cursor, and how items become the standard's records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareIds, itemRecord, orderProblem, parseFeedPage, type FeedItem } from './feed.ts';

const page = (p: unknown) => parseFeedPage(JSON.stringify(p), 'https://landlord.example/feed');
const problem = (p: unknown) => {
  const r = typeof p === 'string' ? parseFeedPage(p, 'https://landlord.example/feed') : page(p);
  assert.ok('problem' in r, 'expected a problem');
  return r.problem;
};

test('a page is read with its next made absolute, ids as text and modified as a number', () => {
  const r = page({ next: '/feed?afterTimestamp=2&afterId=b', items: [
    { state: 'updated', kind: 'home', id: 'a', modified: 1, data: { type: 'home' } },
    { state: 'deleted', kind: 'home', id: 7, modified: '2' },
  ], license: 'https://landlord.example/licence' });
  assert.ok(!('problem' in r));
  assert.equal(r.next, 'https://landlord.example/feed?afterTimestamp=2&afterId=b');
  assert.deepEqual(r.items.map((i) => [i.state, i.id, i.modified, i.data]), [['updated', 'a', 1, { type: 'home' }], ['deleted', '7', 2, undefined]]);
});

test('a page that is not RPDE is refused naming the field', () => {
  assert.match(problem('<html>'), /is not JSON/);
  assert.match(problem([]), /must be a JSON object/);
  assert.match(problem({ items: [] }), /^next is missing/);
  assert.match(problem({ next: 'ftp://x.example/f', items: [] }), /^next .* must use https or http/);
  assert.match(problem({ next: '/f' }), /^items is missing/);
  assert.match(problem({ next: '/f', items: {} }), /^items is not a list/);
  const item = { state: 'updated', kind: 'home', id: 'a', modified: 1, data: {} };
  assert.match(problem({ next: '/f', items: [item, 'x'] }), /^items\[1\] must be an object/);
  assert.match(problem({ next: '/f', items: [item, { ...item, state: 'changed' }] }), /^items\[1\]\.state must be "updated" or "deleted"/);
  assert.match(problem({ next: '/f', items: [{ ...item, kind: undefined }] }), /^items\[0\]\.kind is missing/);
  assert.match(problem({ next: '/f', items: [{ ...item, id: { x: 1 } }] }), /^items\[0\]\.id is not text or a whole number/);
  assert.match(problem({ next: '/f', items: [item, { ...item, modified: 'yesterday' }] }), /^items\[1\]\.modified is not a whole number/);
  assert.match(problem({ next: '/f', items: [{ ...item, modified: -1 }] }), /^items\[0\]\.modified is not a whole number, 0 or more/);
  assert.match(problem({ next: '/f', items: [{ ...item, data: undefined }] }), /^items\[0\]\.data is missing: an updated item carries its record/);
});

const at = (modified: number, id: string): FeedItem => ({ state: 'updated', kind: 'home', id, modified, data: {} });

test('items must come after the cursor and in (modified, id) order', () => {
  assert.equal(orderProblem([at(5, 'a'), at(5, 'b'), at(6, 'a')], { modified: 4, id: 'z' }), undefined);
  assert.equal(orderProblem([at(5, 'b')], { modified: 5, id: 'a' }), undefined);
  assert.match(orderProblem([at(5, 'a')], { modified: 5, id: 'a' })!, /^items\[0\] \(modified 5, id "a"\) is at or before the last item already read .*went backwards/);
  assert.match(orderProblem([at(4, 'z')], { modified: 5, id: 'a' })!, /went backwards/);
  assert.match(orderProblem([at(6, 'b'), at(6, 'a')], null)!, /^items\[1\] .* is at or before items\[0\] .*\(modified, id\) order/);
  assert.match(orderProblem([at(6, 'a'), at(6, 'a')], null)!, /\(modified, id\) order/);
});

test('whole-number ids compare by value, others by code point', () => {
  assert.equal(compareIds('9', '10'), -1);
  assert.equal(compareIds('10', '10'), 0);
  assert.equal(compareIds('0f3c', '1a00'), -1);
  assert.equal(compareIds('b', 'a'), 1);
});

test('an updated item is its data; a deleted home is a deletion by its landlord reference', () => {
  assert.deepEqual(itemRecord({ state: 'updated', kind: 'home', id: 'H1', modified: 1, data: { type: 'home', landlordReference: 'H1' } }), { type: 'home', landlordReference: 'H1' });
  assert.deepEqual(itemRecord({ state: 'deleted', kind: 'home', id: 'H1', modified: 1 }), { type: 'deletion', kind: 'home', landlordReference: 'H1', deleted: true });
  assert.deepEqual(itemRecord({ state: 'deleted', kind: 'measures', id: 'M1', modified: 1 }), { type: 'deletion', kind: 'measures', landlordReference: 'M1', deleted: true });
});
