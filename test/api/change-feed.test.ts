// Issue 12: change feeds (RPDE 1.0, decision 0018). Paged from the start, a feed gives each record of the kind once,
// at its latest change, with its data as its own API returns it, in (modified, id) order; the last page has no items
// and `next` is its own URL; a record changed after it was read comes again; a crafted cursor is a 400 naming the
// parameter; another landlord's records never appear; people have no feed. Also through a real HTTP client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { sequence } from '../../src/platform/events/relay.ts';

let h: Harness;
let dir: string;
before(async () => { h = await harness(); dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-feed-')); });
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

interface Item { state: 'updated' | 'deleted'; kind: string; id: string; modified: number; data?: Record<string, unknown> }
interface Page { items: Item[]; next: string; license: string }

/** A URL of the feed (absolute, as `next` gives it) as a request through the app: its path and query. */
const local = (url: string) => { const u = new URL(url, 'http://localhost'); return u.pathname + u.search; };

/**
 * Every committed event of this landlord sequenced. On a PostgreSQL database shared with other test files, another
 * file's open transaction can hold the sequencer back for a moment (it numbers only below the oldest running one).
 */
async function sequenced(org: string) {
  for (let i = 0; i < 200; i++) {
    await sequence(h.store);
    const [row] = (await h.store.withOrg(org, (tx) => tx.execute(sql`select count(*)::int as n from events where position is null`))).rows as { n: number }[];
    if (row!.n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('events were not sequenced');
}

/** Follow `next` from `start` until a page has no items; every page checked against RPDE's rules on the way. */
async function readFeed(who: Record<string, string>, start: string) {
  const items: Item[] = [];
  let url = start;
  let pages = 0;
  for (;;) {
    const res = await api(h, 'GET', local(url), who);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const page = res.body as Page;
    pages++;
    assert.match(page.next, /^http:\/\/localhost(:\d+)?\/api\/v1\/feeds\//, 'next is absolute');
    assert.match(page.license, /^http:\/\/localhost(:\d+)?\/api\/docs\/feeds$/);
    assert.ok(page.items.length <= 500);
    if (!page.items.length) {
      assert.equal(local(page.next), local(url), 'the last page: next is its own URL');
      return { items, pages, end: page.next };
    }
    const last = page.items.at(-1)!;
    assert.equal(local(page.next), `${new URL(page.next).pathname}?afterTimestamp=${last.modified}&afterId=${last.id}`);
    items.push(...page.items);
    url = page.next;
  }
}

function inOrder(items: Item[]) {
  for (let i = 1; i < items.length; i++) {
    const [a, b] = [items[i - 1]!, items[i]!];
    assert.ok(a.modified < b.modified || (a.modified === b.modified && a.id < b.id), `items ${i - 1} and ${i} out of order`);
  }
}

let files = 0;
async function load(org: string, lines: string[]) {
  const file = path.join(dir, `homes-${++files}.csv`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem: 'northgate', kind: 'homes' });
  assert.equal(r.counts.rejected, 0, JSON.stringify(r.counts));
  return r;
}

const homeLine = (i: number, beds: number) => `P${i},${i},Hill Street,Leeds,LS6 2BB,${beds},B${i % 3},Block ${i % 3}`;
const HEADER = 'Prop Ref,House No,Street,Town,Post Code,Beds,Block Ref,Block';

test('from the start: every home once, at its latest change, with its data as GET returns it, in order; the last page is empty and points at itself', async () => {
  const l = await landlord(h);
  const who = l.as.analyst;
  // 1,200 homes from an import (three pages), a second import changing every seventh, and homes made and changed by the API.
  await load(l.id, [HEADER, ...Array.from({ length: 1200 }, (_, i) => homeLine(i, 2))]);
  await load(l.id, [HEADER, ...Array.from({ length: 1200 }, (_, i) => homeLine(i, i % 7 === 0 ? 4 : 2))]);
  const made = await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home());
  assert.equal(made.status, 201);
  const changed = await api(h, 'PATCH', `/api/v1/homes/${made.body.id}`, { ...l.as['data-lead'], 'if-match': `"${made.body.version}"` }, { bedrooms: 5 });
  assert.equal(changed.status, 200);
  await sequenced(l.id);

  const { items, pages } = await readFeed(who, '/api/v1/feeds/homes');
  assert.equal(pages, 4, '1,201 homes: three pages of up to 500, then the empty last page');
  const homes = (await h.store.withOrg(l.id, (tx) => tx.execute(sql`select id, version, bedrooms from homes`))).rows as { id: string; version: number; bedrooms: number }[];
  assert.equal(items.length, homes.length, 'each home once');
  assert.deepEqual(new Set(items.map((i) => i.id)), new Set(homes.map((x) => x.id)));
  inOrder(items);
  assert.ok(items.every((i) => i.state === 'updated' && i.kind === 'home' && Number.isInteger(i.modified)));
  // Latest data: every home's version and bedrooms as stored now; the changed ones come after the rest.
  const byId = new Map(homes.map((x) => [x.id, x]));
  for (const i of items) assert.deepEqual([i.data!.version, i.data!.bedrooms], [byId.get(i.id)!.version, byId.get(i.id)!.bedrooms], i.id);
  const firstChanged = items.findIndex((i) => i.data!.version === 2);
  assert.ok(items.slice(firstChanged).every((i) => i.data!.version === 2), 'changed homes sit at their later change');
  assert.equal(items.at(-1)!.id, made.body.id, 'the home the API changed last is last');
  // The data is the home as GET /api/v1/homes/{id} returns it (search words left out, source references in).
  for (const i of [items[0]!, items[700]!, items.at(-1)!]) {
    const got = await api(h, 'GET', `/api/v1/homes/${i.id}`, who);
    assert.deepEqual(i.data, got.body);
  }
  assert.ok(!('searchText' in items[0]!.data!));
  assert.equal((items[0]!.data!.sourceReferences as unknown[]).length, 1);
});

test('blocks from an import and the API, changed both ways, are in the blocks feed once each with their latest data', async () => {
  const l = await landlord(h);
  await load(l.id, [HEADER, ...Array.from({ length: 6 }, (_, i) => homeLine(i, 2))]);
  const viaApi = await api(h, 'POST', '/api/v1/blocks', l.as['data-lead'], sample.block());
  assert.equal(viaApi.status, 201);
  // The import fills in a height the imported block lacked; the API changes the other one.
  await load(l.id, ['Prop Ref,House No,Street,Town,Post Code,Block Ref,Block,Storeys', 'P1,1,Hill Street,Leeds,LS6 2BB,B1,Block 1,8']);
  await api(h, 'PATCH', `/api/v1/blocks/${viaApi.body.id}`, { ...l.as['data-lead'], 'if-match': `"${viaApi.body.version}"` }, { storeys: 10 });
  await sequenced(l.id);
  const { items } = await readFeed(l.as.analyst, '/api/v1/feeds/blocks');
  const blocks = (await h.store.withOrg(l.id, (tx) => tx.execute(sql`select id, reference, storeys, version from blocks`))).rows as { id: string; reference: string | null; storeys: number | null; version: number }[];
  assert.equal(blocks.length, 4);
  assert.deepEqual(items.map((i) => i.id).sort(), blocks.map((b) => b.id).sort(), 'each block once');
  inOrder(items);
  const b1 = blocks.find((b) => b.reference === 'B1')!;
  assert.deepEqual(items.slice(-2).map((i) => [i.id, i.data!.storeys]), [[b1.id, 8], [viaApi.body.id, 10]], 'the two changed blocks last, as changed');
  for (const i of items) assert.deepEqual(i.data, (await api(h, 'GET', `/api/v1/blocks/${i.id}`, l.as.analyst)).body);
  // Their estates and tenancies have feeds too.
  for (const kind of ['estates', 'tenancies']) assert.equal((await api(h, 'GET', `/api/v1/feeds/${kind}`, l.as.analyst)).status, 200, kind);
});

test('a home changed after it was read comes again further on; the end of the feed then moves on', async () => {
  const l = await landlord(h);
  const who = l.as['data-lead'];
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await api(h, 'POST', '/api/v1/homes', who, sample.home({ bedrooms: i }))).body.id);
  await sequenced(l.id);
  const first = await readFeed(who, '/api/v1/feeds/homes');
  assert.deepEqual(first.items.map((i) => i.id), ids);
  const home = await api(h, 'GET', `/api/v1/homes/${ids[0]}`, who);
  await api(h, 'PATCH', `/api/v1/homes/${ids[0]}`, { ...who, 'if-match': home.headers.etag as string }, { floor: 3 });
  await sequenced(l.id);
  const again = await readFeed(who, first.end);
  assert.equal(again.items.length, 1);
  assert.equal(again.items[0]!.id, ids[0]);
  assert.equal(again.items[0]!.data!.floor, 3);
  assert.ok(again.items[0]!.modified > first.items.at(-1)!.modified);
  // From the start, it is now last, and there only.
  assert.deepEqual((await readFeed(who, '/api/v1/feeds/homes')).items.map((i) => i.id), [ids[1], ids[2], ids[0]]);
});

test('a write is in the feed at once: the request sequences waiting events itself', async () => {
  const l = await landlord(h);
  const made = await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home());
  let items: Item[] = [];
  // On PostgreSQL another test file's open transaction can hold the sequencer back a moment; on PGlite, never.
  for (let tries = 0; tries < 100 && !items.length; tries++) {
    if (tries) await new Promise((r) => setTimeout(r, 50));
    items = ((await api(h, 'GET', '/api/v1/feeds/homes', l.as.analyst)).body as Page).items;
    if (h.store.kind === 'pglite') break;
  }
  assert.deepEqual(items.map((i) => i.id), [made.body.id]);
});

test('a deletion event makes a deleted item without data; a record that is gone without one is deleted too', async () => {
  const l = await landlord(h);
  const who = l.as.analyst;
  const kept = (await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home())).body.id as string;
  const removed = (await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home())).body.id as string;
  const vanished = uuidv7();
  // Hearth deletes no records yet: the events are written as a deleting service would (and one for a record that is not there).
  await h.store.system((tx) => tx.execute(sql`insert into events (organisation_id, id, type, entity_kind, subject, actor, data) values
    (${l.id}, ${uuidv7()}, 'uk.hearth.home.deleted', 'home', ${removed}, 'system:test', '{}'),
    (${l.id}, ${uuidv7()}, 'uk.hearth.home.updated', 'home', ${vanished}, 'system:test', '{}')`));
  await sequenced(l.id);
  const { items } = await readFeed(who, '/api/v1/feeds/homes');
  assert.deepEqual(items.map((i) => [i.id, i.state, 'data' in i]), [[kept, 'updated', true], [removed, 'deleted', false], [vanished, 'deleted', false]]);
});

test('crafted or malformed cursors, unknown parameters and kinds without a feed are 400s naming the parameter', async () => {
  const l = await landlord(h);
  const id = uuidv7();
  const cases: [string, string][] = [
    [`afterTimestamp=-1&afterId=${id}`, 'querystring:/afterTimestamp'],
    [`afterTimestamp=1.5&afterId=${id}`, 'querystring:/afterTimestamp'],
    [`afterTimestamp=1e3&afterId=${id}`, 'querystring:/afterTimestamp'],
    [`afterTimestamp=&afterId=${id}`, 'querystring:/afterTimestamp'],
    [`afterTimestamp=99999999999999999999&afterId=${id}`, 'querystring:/afterTimestamp'],
    [`afterTimestamp=9007199254740993&afterId=${id}`, 'querystring:/afterTimestamp'],
    [`afterTimestamp=1&afterTimestamp=2&afterId=${id}`, 'querystring:/afterTimestamp'],
    ['afterTimestamp=10&afterId=42', 'querystring:/afterId'],
    ["afterTimestamp=10&afterId=x'%20or%201=1--", 'querystring:/afterId'],
    ['afterTimestamp=10', 'querystring:/afterId'],
    [`afterId=${id}`, 'querystring:/afterTimestamp'],
    ['limit=10', 'querystring:/limit'],
  ];
  for (const [query, field] of cases) {
    const res = await api(h, 'GET', `/api/v1/feeds/homes?${query}`, l.as.analyst);
    assert.equal(res.status, 400, query);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/, query);
    assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), [field], query);
    assert.match(res.body.detail, new RegExp(field.split('/')[1]!), query);
  }
  for (const kind of ['people', 'alerts', 'notes', 'person', 'repairs', 'widgets']) {
    const res = await api(h, 'GET', `/api/v1/feeds/${kind}`, l.as.administrator);
    assert.equal(res.status, 400, kind);
    assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), ['params:/kind'], kind);
    assert.match(res.body.detail, /is not a change feed/);
  }
  assert.equal((await api(h, 'GET', '/api/v1/feeds/homes', {})).status, 401, 'a token is needed');
});

test("another landlord's records never appear, whatever the cursor", async () => {
  const a: Landlord = await landlord(h);
  const b: Landlord = await landlord(h);
  const mine = (await api(h, 'POST', '/api/v1/homes', a.as['data-lead'], sample.home())).body.id as string;
  const theirs: string[] = [];
  for (let i = 0; i < 3; i++) theirs.push((await api(h, 'POST', '/api/v1/homes', b.as['data-lead'], sample.home())).body.id);
  await api(h, 'POST', '/api/v1/estates', b.as['data-lead'], { name: 'Millfield' });
  await sequenced(a.id);
  await sequenced(b.id);
  const seen = (await readFeed(a.as.administrator, '/api/v1/feeds/homes')).items.map((i) => i.id);
  assert.deepEqual(seen, [mine]);
  assert.deepEqual((await readFeed(a.as.administrator, '/api/v1/feeds/estates')).items, []);
  // A cursor made from B's own item reads on from there in A's feed: still only A's records (none after it).
  const bItem = (await readFeed(b.as.analyst, '/api/v1/feeds/homes')).items[0]!;
  const res = await api(h, 'GET', `/api/v1/feeds/homes?afterTimestamp=0&afterId=${bItem.id}`, a.as.administrator);
  assert.ok(!JSON.stringify(res.body).match(new RegExp(theirs.join('|'))));
});

test('a real HTTP client pages through the feed by following next', async () => {
  const l = await landlord(h);
  await load(l.id, [HEADER, ...Array.from({ length: 620 }, (_, i) => homeLine(i, 1))]);
  await sequenced(l.id);
  const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const headers = { authorization: l.as.analyst.authorization };
  const ids: string[] = [];
  let url = `${base}/api/v1/feeds/homes`;
  for (let pages = 1; ; pages++) {
    const res = await fetch(url, { headers });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const page = await res.json() as Page;
    assert.ok(page.next.startsWith(`${base}/api/v1/feeds/homes`), page.next);
    if (!page.items.length) {
      assert.equal(page.next, url, 'the last page points at itself');
      assert.equal(pages, 3);
      break;
    }
    ids.push(...page.items.map((i) => i.id));
    url = page.next;
  }
  assert.equal(ids.length, 620);
  assert.equal(new Set(ids).size, 620);
});
