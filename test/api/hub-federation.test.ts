// Federation (src/modules/hub/sources/feed.ts, poller.ts, registry.ts) on the real database, against a real HTTP
// server on this machine serving RPDE pages: a first pull over several pages, a later pull resuming from the cursor
// with a change and a deletion, and the feeds the hub refuses (backwards, looping, malformed, too large) paused with
// the reason and nothing of the refused page applied; a server that fails is retried; two pollers at once pull a
// source once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { sql } from 'drizzle-orm';
import { localServer, type LocalServer } from '../support/local-server.ts';
import type { AddressInfo } from 'node:net';
import { harness, type Harness } from '../support/harness.ts';
import { upsertPublisher } from '../../src/modules/hub/intake.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';
import { getSource, listSources, registerSource, resumeSource, sourceStatus, SourceRefused, unregisterSource, type Source } from '../../src/modules/hub/sources/registry.ts';
import { pullFeed } from '../../src/modules/hub/sources/feed.ts';
import { pollDueSources } from '../../src/modules/hub/sources/poller.ts';

let h: Harness;
let server: LocalServer;
let base: string;
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;
const routes = new Map<string, Handler>();
const requests: string[] = [];

before(async () => {
  h = await harness();
  server = await localServer((req, res, url) => {
    requests.push(url.pathname + url.search);
    const route = routes.get(url.pathname);
    if (route) route(req, res, url);
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
  const p = `FD${String((process.pid * 13 + Date.now() + ++n) % 10000).padStart(4, '0')}`;
  await h.store.system((db) => upsertPublisher(db, { publisher: p, name: `Federation test ${p}`, kind: 'private-registered-provider' }));
  return p;
}
let paths = 0;
const path = (name: string) => `/t${++paths}/${name}`;
const json = (res: http.ServerResponse, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
};
/** A port nothing listens on. */
const closedPort = () => new Promise<number>((resolve) => {
  const s = http.createServer().listen(0, '127.0.0.1', () => { const port = (s.address() as AddressInfo).port; s.close(() => resolve(port)); });
});
const home = (ref: string, extra: Record<string, unknown> = {}) => ({ ...EXAMPLE_HOME, landlordReference: ref, uprn: undefined, ...extra });

interface Item { state: 'updated' | 'deleted'; kind: string; id: string; modified: number; data?: unknown }

/** A real RPDE feed ("modified timestamp and ID"): each record once, at its latest change, `size` a page. */
function rpde(at: string, size: number) {
  const records = new Map<string, Item>();
  routes.set(at, (_req, res, url) => {
    const ts = url.searchParams.get('afterTimestamp');
    const id = url.searchParams.get('afterId') ?? '';
    const sorted = [...records.values()].sort((a, b) => a.modified - b.modified || (a.id < b.id ? -1 : 1));
    const items = (ts === null ? sorted : sorted.filter((i) => i.modified > Number(ts) || (i.modified === Number(ts) && i.id > id))).slice(0, size);
    const last = items.at(-1);
    const next = last ? `${base}${at}?afterTimestamp=${last.modified}&afterId=${encodeURIComponent(last.id)}` : `${base}${url.pathname}${url.search}`;
    json(res, { next, items, license: 'https://creativecommons.org/licenses/by/4.0/' });
  });
  let clock = 0;
  return {
    update(ref: string, data: unknown, kind = 'home') { records.set(ref, { state: 'updated', kind, id: ref, modified: ++clock, data }); },
    remove(ref: string) { records.set(ref, { state: 'deleted', kind: 'home', id: ref, modified: ++clock }); },
  };
}

/** Fixed pages: path → body. */
function pages(bodies: Record<string, unknown>) {
  for (const [p, body] of Object.entries(bodies)) routes.set(p, (_req, res) => (typeof body === 'string' ? res.writeHead(200).end(body) : json(res, body)));
}

const rows = async (q: ReturnType<typeof sql>) => (await h.store.system((db) => db.execute(q))).rows as Record<string, unknown>[];
const homes = async (p: string) => (await rows(sql`SELECT landlord_reference, bedrooms FROM hub.homes WHERE publisher = ${p} ORDER BY 1`))
  .map((r) => r.landlord_reference as string);
const feed = async (p: string, url: string) => h.store.system((db) => registerSource(db, { publisher: p, kind: 'feed', url }));
const reload = async (s: Source) => (await h.store.system((db) => getSource(db, s.publisher, s.id)))!;
const page = (next: string, items: Item[]) => ({ next: `${base}${next}`, items, license: 'https://creativecommons.org/licenses/by/4.0/' });
const item = (id: string, modified: number, data: unknown = home(id)): Item => ({ state: 'updated', kind: 'home', id, modified, data });

test('a first pull reads every page, one batch each, and stores the cursor; the next finds nothing new', async () => {
  const p = await publisher();
  const at = path('feed');
  const f = rpde(at, 3);
  for (const ref of ['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7']) f.update(ref, home(ref));
  f.update(`${p}-2025-LCRA`, { ...EXAMPLE_MEASURES, landlord: p }, 'measures');
  const s = await feed(p, `${base}${at}`);

  const r = await pullFeed(h.store, s);
  assert.equal(r.outcome, 'ok');
  assert.equal(r.batches, 3);
  assert.equal(r.accepted, 8);
  assert.deepEqual(await homes(p), ['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7']);
  assert.equal((await rows(sql`SELECT 1 FROM hub.measures WHERE publisher = ${p}`)).length, 1);
  const batches = await rows(sql`SELECT via, source_id, records FROM hub.batches WHERE publisher = ${p} ORDER BY received_at, records DESC`);
  assert.deepEqual(batches.map((b) => [b.via, b.source_id, b.records]), [['feed', s.id, 3], ['feed', s.id, 3], ['feed', s.id, 2]]);
  const stored = await reload(s);
  assert.equal(stored.status, 'ok');
  assert.equal(stored.cursorModified, 8);
  assert.equal(stored.cursorId, `${p}-2025-LCRA`);
  assert.equal(stored.nextUrl, `${base}${at}?afterTimestamp=8&afterId=${p}-2025-LCRA`);
  assert.ok(stored.lastChangedAt && stored.lastCheckedAt);

  const again = await pullFeed(h.store, stored);
  assert.equal(again.outcome, 'unchanged');
  assert.equal(again.batches, 0);
  assert.equal(requests.filter((q) => q.startsWith(at)).length, 5, 'four pages, then the last page once more');
});

test('a later pull resumes from the cursor: a change and a deletion are applied, the earlier pages not read again', async () => {
  const p = await publisher();
  const at = path('feed');
  const f = rpde(at, 2);
  for (const ref of ['R1', 'R2', 'R3', 'R4']) f.update(ref, home(ref, { bedrooms: 1 }));
  const s = await feed(p, `${base}${at}`);
  await pullFeed(h.store, s);
  const resumedFrom = (await reload(s)).nextUrl!;

  f.update('R2', home('R2', { bedrooms: 4 }));
  f.remove('R3');
  const before = requests.length;
  const r = await pullFeed(h.store, await reload(s));
  assert.equal(r.outcome, 'ok');
  assert.equal(r.batches, 1);
  assert.equal(`${base}${requests[before]}`, resumedFrom, 'the pull starts at the stored next URL');
  assert.deepEqual(await rows(sql`SELECT landlord_reference, bedrooms FROM hub.homes WHERE publisher = ${p} ORDER BY 1`),
    [{ landlord_reference: 'R1', bedrooms: 1 }, { landlord_reference: 'R2', bedrooms: 4 }, { landlord_reference: 'R4', bedrooms: 1 }]);
  const stored = await reload(s);
  assert.deepEqual([stored.cursorModified, stored.cursorId], [6, 'R3']);
});

test('a pull cut short (the network gone after the first page) resumes from the last page applied', async () => {
  const p = await publisher();
  const at = path('feed');
  const f = rpde(at, 2);
  for (const ref of ['K1', 'K2', 'K3', 'K4', 'K5']) f.update(ref, home(ref));
  const s = await feed(p, `${base}${at}`);
  let calls = 0;
  const cut: typeof fetch = async (url, init) => {
    if (++calls > 1) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    return fetch(url, init);
  };
  const r = await pullFeed(h.store, s, { fetch: cut });
  assert.equal(r.outcome, 'failing');
  assert.match(r.reason!, /failed: fetch failed \(ECONNRESET\); tried again at the next poll/);
  assert.deepEqual(await homes(p), ['K1', 'K2']);
  const before = requests.length;
  const resumed = await pullFeed(h.store, await reload(s));
  assert.equal(resumed.outcome, 'ok');
  assert.deepEqual(await homes(p), ['K1', 'K2', 'K3', 'K4', 'K5']);
  assert.ok(!requests.slice(before).includes(at), 'the first page is not read again');
  const limited = await pullFeed(h.store, await h.store.system((db) => registerSource(db, { publisher: p, kind: 'feed', url: `${base}${at}?from=start` })), { maxPages: 1 });
  assert.deepEqual([limited.outcome, limited.batches, limited.more], ['ok', 1, true], 'maxPages stops a pull, with more to read');
});

test('a feed that goes backwards is paused with the reason, and nothing of the refused page is applied', async () => {
  const p = await publisher();
  const [one, two] = [path('1'), path('2')];
  pages({ [one]: page(two, [item('B1', 10), item('B2', 11)]), [two]: page(two, [item('B0', 9), item('B3', 12)]) });
  const s = await feed(p, `${base}${one}`);
  const r = await pullFeed(h.store, s);
  assert.equal(r.outcome, 'paused');
  assert.match(r.reason!, new RegExp(`^The page ${base}${two} was refused: items\\[0\\] \\(modified 9, id "B0"\\) is at or before the last item already read \\(modified 11, id "B2"\\): the feed went backwards`));
  assert.deepEqual(await homes(p), ['B1', 'B2'], 'the first page stays applied; B0 and B3 are not');
  const stored = await reload(s);
  assert.equal(stored.status, 'paused');
  assert.equal(stored.lastError, r.reason);
  assert.deepEqual([stored.cursorModified, stored.nextUrl], [11, `${base}${two}`], 'the cursor is the last page applied');

  const asked = requests.length;
  assert.equal((await pullFeed(h.store, stored)).outcome, 'paused');
  assert.equal(requests.length, asked, 'a paused source is not fetched');
  const status = await h.store.system((db) => sourceStatus(db, p, s.id));
  assert.equal(status!.source.status, 'paused');
  assert.equal(status!.lastBatch!.records, 2);

  // Items out of order within a page are refused the same way.
  const three = path('3');
  pages({ [three]: page(three, [item('C2', 5), item('C1', 5)]) });
  const s2 = await feed(p, `${base}${three}`);
  assert.match((await pullFeed(h.store, s2)).reason!, /items\[1\] \(modified 5, id "C1"\) is at or before items\[0\] \(modified 5, id "C2"\): items must come in \(modified, id\) order/);
  assert.equal((await rows(sql`SELECT 1 FROM hub.homes WHERE publisher = ${p} AND landlord_reference LIKE 'C%'`)).length, 0);
});

test('a feed that loops is paused: a next already read while items keep coming, or a page with items that is its own next', async () => {
  const p = await publisher();
  const [one, two, self] = [path('1'), path('2'), path('self')];
  pages({ [one]: page(two, [item('L1', 1)]), [two]: page(one, [item('L2', 2)]), [self]: page(self, [item('S1', 1)]) });
  const s = await feed(p, `${base}${one}`);
  const r = await pullFeed(h.store, s);
  assert.equal(r.outcome, 'paused');
  assert.match(r.reason!, new RegExp(`^The page ${base}${two} was refused: its next \\(${base}${one}\\) is a page already read in this pull, and items keep coming: the feed loops`));
  assert.deepEqual(await homes(p), ['L1']);

  const s2 = await feed(p, `${base}${self}`);
  const r2 = await pullFeed(h.store, s2);
  assert.match(r2.reason!, /has 1 items and its next is the page itself .*: the feed loops/);
  assert.deepEqual(await homes(p), ['L1'], 'nothing of the looping page');
  assert.equal((await reload(s2)).status, 'paused');
});

test('a page that is not RPDE is refused naming the field; a page too large is refused without reading it all', async () => {
  const p = await publisher();
  const [bad, html, big] = [path('bad'), path('html'), path('big')];
  pages({
    [bad]: page(bad, [item('M1', 1), { ...item('M2', 2), modified: 'yesterday' as unknown as number }]),
    [html]: '<!doctype html><title>Feed</title>',
    [big]: page(big, Array.from({ length: 50 }, (_, i) => item(`G${String(i).padStart(2, '0')}`, i + 1))),
  });
  const r = await pullFeed(h.store, await feed(p, `${base}${bad}`));
  assert.equal(r.outcome, 'paused');
  assert.match(r.reason!, /is not an RPDE page: items\[1\]\.modified is not a whole number, 0 or more\. Nothing of it was applied/);
  assert.match((await pullFeed(h.store, await feed(p, `${base}${html}`))).reason!, /is not an RPDE page: it is not JSON/);
  const tooBig = await pullFeed(h.store, await feed(p, `${base}${big}`), { maxPageBytes: 2000 });
  assert.equal(tooBig.outcome, 'paused');
  assert.match(tooBig.reason!, /is [\d,]+ bytes \(its Content-Length\), more than the limit of 2,000 bytes: it was not downloaded/);
  assert.deepEqual(await homes(p), []);
});

test('a server that fails is marked failing and tried again at the next pull; resume after a pause restarts when asked', async () => {
  const p = await publisher();
  const at = path('flaky');
  let up = false;
  routes.set(at, (_req, res) => (up ? json(res, page(at, [])) : res.writeHead(503, 'Service Unavailable').end()));
  const s = await feed(p, `${base}${at}`);
  const r = await pullFeed(h.store, s);
  assert.equal(r.outcome, 'failing');
  assert.match(r.reason!, /answered 503 Service Unavailable: tried again at the next poll/);
  assert.equal((await reload(s)).status, 'failing');
  up = true;
  assert.equal((await pullFeed(h.store, await reload(s))).outcome, 'unchanged');
  const stored = await reload(s);
  assert.deepEqual([stored.status, stored.lastError], ['ok', null]);

  const port = await closedPort();
  const down = await pullFeed(h.store, await feed(p, `http://127.0.0.1:${port}/feed`));
  assert.equal(down.outcome, 'failing');
  assert.match(down.reason!, new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/feed failed: .*ECONNREFUSED`));

  await h.store.system((db) => resumeSource(db, p, s.id, { restart: true }));
  const restarted = await reload(s);
  assert.deepEqual([restarted.status, restarted.nextUrl, restarted.cursorModified, restarted.lastCheckedAt], ['ok', null, null, null]);
});

test('the registry refuses what it cannot pull and lists what it has', async () => {
  const p = await publisher();
  const refused = async (s: Parameters<typeof registerSource>[1]) => {
    try { await h.store.system((db) => registerSource(db, s)); } catch (err) { if (err instanceof SourceRefused) return err; throw err; }
    assert.fail('expected a refusal');
  };
  assert.equal((await refused({ publisher: p, kind: 'feed', url: 'ftp://landlord.example/feed' })).field, 'url');
  assert.match((await refused({ publisher: p, kind: 'feed', url: 'https://user:pw@landlord.example/feed' })).message, /user name or password/);
  assert.match((await refused({ publisher: p, kind: 'feed', url: 'feed.json' })).message, /^url: must be a full URL/);
  assert.match((await refused({ publisher: 'ZZ0000', kind: 'feed', url: 'https://landlord.example/feed' })).message, /^publisher: "ZZ0000" is not a publisher of this hub/);
  assert.equal((await refused({ publisher: p, kind: 'file', url: 'https://landlord.example/homes.csv' })).field, 'fileKind');
  assert.match((await refused({ publisher: p, kind: 'feed', url: 'https://landlord.example/f', fileKind: 'homes' })).message, /only for a file source/);
  await h.store.system((db) => registerSource(db, { publisher: p, kind: 'feed', url: 'https://x.example/' }));
  await assert.rejects(h.store.system((db) => registerSource(db, { publisher: p, kind: 'feed', url: 'https://x.example/' })), /already registered/);
  await assert.rejects(h.store.system((db) => registerSource(db, { publisher: p, kind: 'feed', url: 'https://y.example/' }, { checkUrl: async () => { throw new Error('is a private address'); } })),
    /url: is a private address$/);
  const listed = await h.store.system((db) => listSources(db, p));
  assert.deepEqual(listed.map((s) => s.url), ['https://x.example/']);
  assert.equal(await h.store.system((db) => unregisterSource(db, p, listed[0]!.id)), true);
  assert.deepEqual(await h.store.system((db) => listSources(db, p)), []);
});

test('three pollers at once pull a source once; a paused or recently checked source is not pulled', async () => {
  const p = await publisher();
  const at = path('feed');
  const f = rpde(at, 2);
  for (const ref of ['P1', 'P2', 'P3', 'P4', 'P5']) f.update(ref, home(ref));
  const s = await feed(p, `${base}${at}`);
  const paused = await feed(p, `${base}${path('never')}`);
  await h.store.system((db) => db.execute(sql`UPDATE hub.sources SET status = 'paused' WHERE publisher = ${p} AND id = ${paused.id}`));
  const now = new Date();
  const before = requests.length;

  const pulled = (await Promise.all([1, 2, 3].map(() => pollDueSources(h.store, { now, publisher: p })))).flat();
  assert.deepEqual(pulled.map((r) => [r.sourceId, r.outcome, r.batches]), [[s.id, 'ok', 3]], 'one poller took the source, the others found nothing due');
  const asked = requests.slice(before);
  assert.equal(asked.length, 4, 'three pages and the last page, each once');
  assert.equal(new Set(asked).size, 4);
  assert.deepEqual(await homes(p), ['P1', 'P2', 'P3', 'P4', 'P5']);
  assert.equal((await rows(sql`SELECT 1 FROM hub.batches WHERE publisher = ${p}`)).length, 3);

  assert.deepEqual(await pollDueSources(h.store, { now: new Date(now.getTime() + 60_000), publisher: p }), [], 'checked a minute ago: not due');
  const later = await pollDueSources(h.store, { now: new Date(now.getTime() + 6 * 60_000), publisher: p });
  assert.deepEqual(later.map((r) => [r.sourceId, r.outcome]), [[s.id, 'unchanged']], 'due again after 5 minutes; the paused source never');
});
