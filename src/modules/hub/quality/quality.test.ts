// The quality page's words: how long ago, a share (floored, so 99.95% is not "100%"), and a reason with the query of
// every URL left out (a source's address may carry a token).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lagWords, percentWords, sourceWhere, withoutQueries } from './quality.ts';

test('lag in words', () => {
  assert.equal(lagWords(null), 'Nothing received yet');
  assert.equal(lagWords(0), 'Less than a minute');
  assert.equal(lagWords(1), '1 minute');
  assert.equal(lagWords(119), '119 minutes');
  assert.equal(lagWords(120), '2 hours');
  assert.equal(lagWords(47 * 60 + 59), '47 hours');
  assert.equal(lagWords(48 * 60), '2 days');
  assert.equal(lagWords(400 * 1440), '400 days');
});

test('shares in words, floored to one decimal place', () => {
  assert.equal(percentWords(null), 'No records');
  assert.equal(percentWords(null, 'No homes'), 'No homes');
  assert.equal(percentWords(8 / 11), '72.7%');
  assert.equal(percentWords(0.9995), '99.9%');
  assert.equal(percentWords(1), '100.0%');
  assert.equal(percentWords(0), '0.0%');
});

test("no query of a source's address reaches the public page", () => {
  assert.equal(sourceWhere('https://landlord.example.org/hhds/homes.csv?token=abc#x'), 'https://landlord.example.org/hhds/homes.csv');
  assert.equal(sourceWhere('not a url'), '');
  assert.equal(withoutQueries('GET https://a.example/feed?key=s3cret answered 500: tried again; next https://a.example/feed?afterId=9 too'),
    'GET https://a.example/feed answered 500: tried again; next https://a.example/feed too');
  assert.equal(withoutQueries(null), null);
  assert.equal(withoutQueries('paused by Ada'), 'paused by Ada');
});
