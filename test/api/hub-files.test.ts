// File drop (src/modules/hub/sources/file.ts) on the real database, against a real HTTP server on this machine: a
// homes.csv whose bad rows are kept with row and column while the good ones load, fetched again only when it changed
// (304), the same body under a new ETag answered as a replay, a later snapshot withdrawing the homes it leaves out, a
// "10 GB" file refused on its Content-Length without being downloaded, an endless one stopped at the limit, a JSON
// batch for another publisher refused, and uploads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { sql } from 'drizzle-orm';
import { localServer, type LocalServer } from '../support/local-server.ts';
import { harness, type Harness } from '../support/harness.ts';
import { upsertPublisher } from '../../src/modules/hub/intake.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';
import { getSource, registerSource, type FileKind, type Source } from '../../src/modules/hub/sources/registry.ts';
import { pullFile, receiveUpload, UploadRefused } from '../../src/modules/hub/sources/file.ts';

let h: Harness;
let server: LocalServer;
let base: string;
type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const routes = new Map<string, Handler>();

before(async () => {
  h = await harness();
  server = await localServer((req, res, url) => {
    const route = routes.get(url.pathname);
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  base = server.base;
});
after(async () => {
  await server.close();
  await h.close();
});

let n = 0;
async function publisher(): Promise<string> {
  const p = `FL${String((process.pid * 17 + Date.now() + ++n) % 10000).padStart(4, '0')}`;
  await h.store.system((db) => upsertPublisher(db, { publisher: p, name: `File test ${p}`, kind: 'local-authority' }));
  return p;
}
let paths = 0;
const path = (name: string) => `/f${++paths}/${name}`;
const rows = async (q: ReturnType<typeof sql>) => (await h.store.system((db) => db.execute(q))).rows as Record<string, unknown>[];
const homes = async (p: string) => (await rows(sql`SELECT landlord_reference FROM hub.homes WHERE publisher = ${p} ORDER BY 1`)).map((r) => r.landlord_reference as string);
const batches = async (p: string) => rows(sql`SELECT id, via, records, accepted, rejected, errors FROM hub.batches WHERE publisher = ${p} ORDER BY received_at`);
const reload = async (s: Source) => (await h.store.system((db) => getSource(db, s.publisher, s.id)))!;
const file = async (p: string, at: string, fileKind: FileKind) => h.store.system((db) => registerSource(db, { publisher: p, kind: 'file', url: `${base}${at}`, fileKind }));

/** A published file with an ETag, answering 304 to If-None-Match when it has not changed. */
function published(at: string) {
  const state = { body: '', etag: '"v1"', conditional: [] as (string | undefined)[] };
  routes.set(at, (req, res) => {
    state.conditional.push(req.headers['if-none-match']);
    if (req.headers['if-none-match'] === state.etag) { res.writeHead(304, { etag: state.etag }).end(); return; }
    res.writeHead(200, { 'content-type': 'text/csv', etag: state.etag, 'last-modified': 'Mon, 01 Jun 2026 09:00:00 GMT', 'content-length': Buffer.byteLength(state.body) }).end(state.body);
  });
  return state;
}

const HEADER = 'landlord_reference,uprn,local_authority,rent_type,bedrooms,block_reference,block_storeys';
const csv = (...lines: string[]) => `${HEADER}\n${lines.join('\n')}\n`;

test('a homes.csv loads its good rows and keeps each bad row as an error with its row and column', async () => {
  const p = await publisher();
  const at = path('homes.csv');
  const f = published(at);
  f.body = csv('A1,,E08000035,social-rent,2,,', 'A2,,E08000035,social-rent,99,,', 'A3,,E08000035,social-rent,1,BLK-1,3', 'A4,,E99999999,social-rent,1,,');
  const s = await file(p, at, 'homes');
  const r = await pullFile(h.store, s);
  assert.deepEqual([r.outcome, r.records, r.accepted, r.rejected], ['ok', 4, 2, 2]);
  assert.deepEqual(await homes(p), ['A1', 'A3']);
  const [b] = await batches(p);
  assert.equal(b!.via, 'file');
  const errors = b!.errors as { row: number; field: string; message: string }[];
  assert.deepEqual(errors.map((e) => [e.row, e.field]), [[3, 'bedrooms'], [5, 'local_authority']]);
  assert.match(errors[0]!.message, /^bedrooms \(99\)/);
  const stored = await reload(s);
  assert.deepEqual([stored.status, stored.etag, stored.lastModified], ['ok', '"v1"', 'Mon, 01 Jun 2026 09:00:00 GMT']);
});

test('an unchanged file is not fetched again (304), and the same body under a new ETag is a replay', async () => {
  const p = await publisher();
  const at = path('homes.csv');
  const f = published(at);
  f.body = csv('B1,,E08000035,social-rent,2,,');
  const s = await file(p, at, 'homes');
  await pullFile(h.store, s);
  const first = await reload(s);

  const later = new Date(Date.now() + 60_000);
  const same = await pullFile(h.store, first, { now: later });
  assert.equal(same.outcome, 'unchanged');
  assert.deepEqual(f.conditional, [undefined, '"v1"'], 'the second GET sent the stored ETag');
  const checked = await reload(s);
  assert.equal(checked.lastCheckedAt!.getTime(), later.getTime());
  assert.equal(checked.lastChangedAt!.getTime(), first.lastChangedAt!.getTime(), '304: only lastCheckedAt moves');

  f.etag = '"v2"';
  const replay = await pullFile(h.store, checked);
  assert.equal(replay.outcome, 'replayed');
  assert.equal((await batches(p)).length, 1, 'no second batch');
  assert.equal((await reload(s)).etag, '"v2"', 'the new ETag is kept for the next conditional GET');
});

test('a later homes.csv is the whole stock: homes it leaves out are withdrawn, a home on a bad row is kept; an earlier version put back is applied again', async () => {
  const p = await publisher();
  const at = path('homes.csv');
  const f = published(at);
  const v1 = csv('C1,,E08000035,social-rent,2,,', 'C2,,E08000035,social-rent,2,,', 'C3,,E08000035,social-rent,2,BLK-9,4');
  f.body = v1;
  const s = await file(p, at, 'homes');
  await pullFile(h.store, s);
  assert.deepEqual(await homes(p), ['C1', 'C2', 'C3']);

  f.body = csv('C1,,E08000035,social-rent,3,,', 'C2,,E08000035,social-rent,99,,');
  f.etag = '"v2"';
  const r = await pullFile(h.store, await reload(s));
  assert.equal(r.outcome, 'ok');
  assert.deepEqual(await homes(p), ['C1', 'C2'], 'C3 withdrawn; C2 (a bad row) kept as it was');
  assert.equal((await rows(sql`SELECT 1 FROM hub.blocks WHERE publisher = ${p}`)).length, 0, 'the block went with its last home');

  f.body = v1;
  f.etag = '"v3"';
  const back = await pullFile(h.store, await reload(s));
  assert.equal(back.outcome, 'ok', 'not a replay: the file changed back');
  assert.deepEqual(await homes(p), ['C1', 'C2', 'C3']);
  assert.equal((await batches(p)).length, 3);
});

test('a file whose Content-Length is 10 GB is refused without downloading it', async () => {
  const p = await publisher();
  const at = path('homes.csv');
  let sent = 0;
  let closed = false;
  routes.set(at, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(10 * 1024 ** 3) });
    res.write(Buffer.alloc(64 * 1024, 'x'), () => { sent += 64 * 1024; });
    res.on('close', () => { closed = true; });
  });
  const s = await file(p, at, 'homes');
  const started = Date.now();
  const r = await pullFile(h.store, s);
  assert.equal(r.outcome, 'paused');
  assert.match(r.reason!, /is 10,737,418,240 bytes \(its Content-Length\), more than the limit of 209,715,200 bytes: it was not downloaded/);
  assert.ok(Date.now() - started < 5000);
  for (let i = 0; i < 50 && !closed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(closed, 'the connection was closed');
  assert.ok(sent <= 64 * 1024, `${sent} bytes sent`);
  const stored = await reload(s);
  assert.deepEqual([stored.status, stored.lastError], ['paused', r.reason]);
  assert.equal((await batches(p)).length, 0);
});

test('a file without a Content-Length is stopped when it passes the limit', async () => {
  const p = await publisher();
  const at = path('measures.csv');
  let sent = 0;
  routes.set(at, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv' });
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const more = () => {
      while (sent < 50 * 1024 * 1024 && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) { res.once('drain', more); return; }
      }
      res.end();
    };
    more();
  });
  const r = await pullFile(h.store, await file(p, at, 'measures'), { maxBytes: 256 * 1024 });
  assert.equal(r.outcome, 'paused');
  assert.match(r.reason!, /passed the limit of 262,144 bytes while downloading \(it gave no Content-Length\): the download was stopped/);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(sent < 50 * 1024 * 1024, `the server stopped sending after ${sent} bytes`);
});

test('a JSON batch for another publisher is refused with the field; one of its own is applied', async () => {
  const p = await publisher();
  const at = path('batch.json');
  const f = published(at);
  f.body = JSON.stringify({ standard: '1.0', publisher: 'L0001', records: [{ ...EXAMPLE_HOME, uprn: undefined }] });
  const s = await file(p, at, 'batch');
  const r = await pullFile(h.store, s);
  assert.equal(r.outcome, 'refused');
  assert.match(r.reason!, /^The file .*batch\.json was refused: \/publisher: publisher \("L0001"\) is not the publisher this file is registered for/);
  assert.deepEqual(await homes(p), []);
  assert.equal((await rows(sql`SELECT 1 FROM hub.homes WHERE publisher = 'L0001'`)).length, 0);
  const stored = await reload(s);
  assert.deepEqual([stored.status, stored.lastError], ['failing', r.reason]);
  const [b] = await batches(p);
  assert.deepEqual([b!.accepted, b!.rejected, (b!.errors as { field: string }[])[0]!.field], [0, 1, '/publisher']);

  f.body = JSON.stringify({ standard: '1.0', publisher: p, records: [{ ...EXAMPLE_HOME, uprn: undefined }, { ...EXAMPLE_MEASURES, landlord: p }] });
  f.etag = '"v2"';
  const ok = await pullFile(h.store, stored);
  assert.deepEqual([ok.outcome, ok.accepted], ['ok', 2]);
  assert.deepEqual(await homes(p), [EXAMPLE_HOME.landlordReference]);
  assert.deepEqual([(await reload(s)).status, (await reload(s)).lastError], ['ok', null]);
});

test('an upload is taken in by its name, once; a file of another kind is refused naming it', async () => {
  const p = await publisher();
  const body = csv('U1,,E08000035,social-rent,2,,', 'U2,,E08000035,affordable-rent,1,,');
  const first = await receiveUpload(h.store, p, 'homes.csv', Buffer.from(`\uFEFF${body}`));
  assert.deepEqual([first.replayed, first.accepted, first.withdrawn], [false, 2, 0]);
  const again = await receiveUpload(h.store, p, 'my-homes.csv', body);
  assert.equal(again.replayed, true);
  assert.deepEqual((await batches(p)).map((b) => b.via), ['upload']);
  const fewer = await receiveUpload(h.store, p, 'homes.csv', csv('U1,,E08000035,social-rent,2,,'));
  assert.equal(fewer.withdrawn, 1);
  assert.deepEqual(await homes(p), ['U1']);
  await assert.rejects(receiveUpload(h.store, p, 'homes.xlsx', 'x'), (err: Error) => err instanceof UploadRefused && /^homes\.xlsx is not a file of the standard/.test(err.message));
  await assert.rejects(receiveUpload(h.store, p, 'homes.csv', new Uint8Array([0x61, 0xff])), /homes\.csv is not UTF-8 text/);
  await assert.rejects(receiveUpload(h.store, p, 'homes.csv', 'x'.repeat(2000), { maxBytes: 1000 }), /homes\.csv is 2,000 bytes, more than the limit of 1,000 bytes/);
  const header = await receiveUpload(h.store, p, 'homes.csv', `${HEADER},tenant_name\nU1,,E08000035,social-rent,2,,,Robert\n`);
  assert.equal(header.refused, true);
  assert.equal(header.withdrawn, 0, 'a refused file withdraws nothing');
  assert.deepEqual(await homes(p), ['U1']);
});
