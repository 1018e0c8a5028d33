// The pure parts of file drop: a file read as the kind it is (CSV rows with row and column, a JSON batch's envelope
// and publisher), an upload's kind from its name, and the size limit on a body as it arrives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readStandardFile, uploadKind } from './file.ts';
import { readLimited, TooLarge, utf8 } from './http.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from '../standard/examples.ts';

const now = new Date('2026-06-01T12:00:00Z');
const HEADER = 'landlord_reference,local_authority,rent_type,bedrooms';

test('a homes.csv: good rows are records, a bad row is an error with its row and column, every reference is named', () => {
  const r = readStandardFile('homes', `${HEADER}\nA1,E08000035,social-rent,2\nA2,E08000035,social-rent,99\nA3,E08000035,social-rent,\n`, 'L1234', now);
  assert.equal(r.refused, false);
  assert.deepEqual(r.records.map((x) => (x as { landlordReference: string }).landlordReference), ['A1', 'A3']);
  assert.deepEqual(r.errors.map((e) => [e.row, e.field]), [[3, 'bedrooms']]);
  assert.equal(r.rejected, 1);
  assert.deepEqual([...r.references!].sort(), ['A1', 'A2', 'A3']);
});

test('a homes.csv with a column the profile lacks is refused whole and names no homes to keep', () => {
  const r = readStandardFile('homes', `${HEADER},tenant_name\nA1,E08000035,social-rent,2,Robert Morgan\n`, 'L1234', now);
  assert.equal(r.refused, true);
  assert.equal(r.records.length, 0);
  assert.equal(r.references, undefined);
  assert.equal(r.errors[0]!.field, 'tenant_name');
  assert.equal(r.errors[0]!.row, 1);
});

test('an empty CSV is refused; one whose every row is bad is not (its homes are named)', () => {
  assert.equal(readStandardFile('homes', '', 'L1234', now).refused, true);
  const bad = readStandardFile('homes', `\n${HEADER}\nA1,E08000035,social-rent,99\n`, 'L1234', now);
  assert.equal(bad.refused, false);
  assert.deepEqual(bad.errors.map((e) => [e.row, e.field]), [[3, 'bedrooms']]);
  assert.deepEqual([...bad.references!], ['A1']);
});

test("a JSON batch: its envelope is checked, and it may only be the registered publisher's", () => {
  const ok = readStandardFile('batch', JSON.stringify({ standard: '1.0', publisher: 'L1234', records: [EXAMPLE_HOME, EXAMPLE_MEASURES] }), 'L1234', now);
  assert.equal(ok.refused, false);
  assert.equal(ok.records.length, 2);
  const other = readStandardFile('batch', JSON.stringify({ standard: '1.0', publisher: 'L9999', records: [EXAMPLE_HOME] }), 'L1234', now);
  assert.equal(other.refused, true);
  assert.equal(other.errors[0]!.field, '/publisher');
  assert.match(other.errors[0]!.message, /"L9999"\) is not the publisher this file is registered for \("L1234"\)/);
  assert.equal(other.rejected, 1);
  const version = readStandardFile('batch', JSON.stringify({ standard: '9.0', publisher: 'L1234', records: [] }), 'L1234', now);
  assert.equal(version.errors[0]!.field, '/standard');
  assert.match(readStandardFile('batch', '{"standard":', 'L1234', now).errors[0]!.message, /^The file is not JSON/);
});

test("an upload's kind comes from its name", () => {
  assert.equal(uploadKind('homes.csv'), 'homes');
  assert.equal(uploadKind('C:\\exports\\L1234-Homes.CSV'), 'homes');
  assert.equal(uploadKind('2026-measures.csv'), 'measures');
  assert.equal(uploadKind('batch.json'), 'batch');
  assert.equal(uploadKind('homes.xlsx'), undefined);
});

const streamOf = (chunks: number, size: number) => new ReadableStream<Uint8Array>({
  pull(c) { if (chunks-- > 0) c.enqueue(new Uint8Array(size)); else c.close(); },
});

test('a body is read whole within the limit, refused on its Content-Length, and stopped when it passes the limit', async () => {
  assert.equal((await readLimited(new Response(streamOf(4, 1000)), 4000, 'f')).byteLength, 4000);
  await assert.rejects(readLimited(new Response(streamOf(1, 10), { headers: { 'content-length': '10737418240' } }), 1000, 'The file f'),
    (err: Error) => err instanceof TooLarge && /^The file f is 10,737,418,240 bytes \(its Content-Length\), more than the limit of 1,000 bytes: it was not downloaded/.test(err.message));
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({ pull(c) { pulled++; c.enqueue(new Uint8Array(1000)); } });
  await assert.rejects(readLimited(new Response(endless), 5500, 'f'), /passed the limit of 5,500 bytes while downloading \(it gave no Content-Length\)/);
  assert.ok(pulled < 10, `stopped after ${pulled} chunks`);
});

test('text must be UTF-8; a byte order mark is dropped', () => {
  assert.equal(utf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), 'a');
  assert.equal(utf8(new Uint8Array([0x61, 0xff])), undefined);
});
