// The public feed-quality pages (src/modules/hub/quality) on the real app and database: a publisher with a good batch,
// a batch with bad records and an old batch outside the 30-day window; its page gives validity (70-odd per cent over 30
// days, 50 per cent in the last batch, the errors grouped by field and message with a count and an example row),
// completeness (fields given of possible, each home field's share, the measures of the latest period) and timeliness
// (last received, lag, a failing source with its reason and no query string), with the status at the top. /hub/quality
// lists every publisher with the three scores, sorted by a GET parameter, a page at a time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { harness, type Harness } from '../support/harness.ts';
import { receive, upsertPublisher } from '../../src/modules/hub/intake.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';
import { registerSource } from '../../src/modules/hub/sources/registry.ts';
import { pollDueSources } from '../../src/modules/hub/sources/poller.ts';
import { publisherQuality } from '../../src/modules/hub/quality/quality.ts';

let h: Harness;
let server: http.Server;
let base: string;
const seed = String((process.pid * 11) % 10000).padStart(4, '0');
const A = `QV${seed}`;
const B = `QW${seed}`;
const C = `QX${seed}`;
const names = { [A]: `Aire Quality Homes ${seed}`, [B]: `Bramley Quality Housing ${seed}`, [C]: `Colne Quality Trust ${seed}` };
const now = new Date();
const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const home = (ref: string, extra: Record<string, unknown> = {}) => ({ ...EXAMPLE_HOME, landlordReference: ref, uprn: `9${seed}${ref.replace(/\D/g, '').padStart(4, '0')}`, ...extra });

before(async () => {
  h = await harness();
  server = http.createServer((_req, res) => { res.writeHead(500, 'Internal Server Error').end('broken'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const p of [A, B, C]) await h.store.system((db) => upsertPublisher(db, { publisher: p, name: names[p]!, kind: 'private-registered-provider' }));
  const take = async (p: string, id: string, records: unknown[], at: Date) =>
    h.store.system((db) => receive(db, { publisher: p, id, via: id === 'upload-1' ? 'upload' : 'push', body: JSON.stringify(records), records, now: at }));
  // A: an old batch (40 days ago) with errors of its own, outside the window.
  await take(A, 'old', [home('A90', { rentType: 'nope' }), home('A91', { rentType: 'nope' }), home('A92', { rentType: 'nope' })], ago(40 * 24));
  // Two days ago: 4 full homes (6 of 6 optional fields each) and a measures record (20 of its 28 parts).
  const good = await take(A, 'good', [home('A1'), home('A2'), home('A3'), home('A4'), { ...EXAMPLE_MEASURES, landlord: A }], ago(48));
  assert.equal(good.rejected, 0, JSON.stringify(good.errors));
  // Three hours ago: 3 homes without UPRN or block (4 of 6), two with too many bedrooms, one with a rent type that is not one.
  const bad = await take(A, 'bad', [
    home('A5', { uprn: undefined, block: undefined }), home('A6', { bedrooms: 99 }), home('A7', { uprn: undefined, block: undefined }),
    home('A8', { bedrooms: 99 }), home('A9', { uprn: undefined, block: undefined }), home('A10', { rentType: 'weekly' }),
  ], ago(3));
  assert.equal(bad.accepted, 3);
  assert.equal(bad.rejected, 3);
  // B: every record good; C: nothing at all.
  await take(B, 'good', [home('B1'), home('B2')], ago(1));
  // A file source of A whose server fails: the pull marks it failing with the reason.
  await h.store.system((db) => registerSource(db, { publisher: A, kind: 'file', url: `${base}/hhds/homes.csv?token=not-for-the-public`, fileKind: 'homes' }));
  const pulled = await pollDueSources(h.store, { publisher: A });
  assert.deepEqual(pulled.map((r) => r.outcome), ['failing']);
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

const get = (url: string) => h.app.inject({ method: 'GET', url });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

test('quality figures: validity over 30 days and the last batch, errors grouped, completeness, measures of the period, timeliness', async () => {
  const q = (await h.store.system((db) => publisherQuality(db, A, now)))!;
  // Validity: 5 of 5 and 3 of 6 in the window (the old batch's 3 rejected left out).
  assert.equal(q.validity.records30, 11);
  assert.equal(q.validity.accepted30, 8);
  assert.equal(q.validity.share30, 8 / 11);
  assert.equal(q.validity.lastBatch?.id, 'bad');
  assert.equal(q.validity.lastBatch?.share, 0.5);
  assert.deepEqual(q.validity.groups.map((g) => [g.field, g.message, g.count]), [
    ['/bedrooms', 'bedrooms (99) must be 20 or less', 2],
    ['/rentType', 'rentType ("weekly") must be one of: "social-rent", "affordable-rent", "intermediate-rent", "shared-ownership", "other-lcho", "market-rent", "leasehold", "other"', 1],
  ]);
  assert.equal(q.validity.groups[0]!.example.record, 2, 'the example: its first in the latest batch, the 2nd record (A6)');
  assert.equal(q.validity.errorsKept, 3);
  // Completeness: (4 × 6 + 20 + 3 × 4) of (7 × 6 + 28).
  assert.equal(q.completeness.given30, 56);
  assert.equal(q.completeness.possible30, 70);
  assert.equal(q.completeness.homes, 7);
  const share = Object.fromEntries(q.completeness.fields.map((f) => [f.key, f.given]));
  assert.deepEqual(share, { uprn: 4, propertyType: 7, bedrooms: 7, buildYear: 7, needsType: 7, block: 4 });
  assert.deepEqual(q.completeness.period, EXAMPLE_MEASURES.period);
  assert.deepEqual(q.completeness.tenureGroups, ['LCRA']);
  assert.equal(q.completeness.measuresGiven, 20);
  assert.equal(q.completeness.measuresPossible, 28);
  const given = Object.fromEntries(q.completeness.measures.map((m) => [m.key, m.given.LCRA]));
  assert.equal(given.tp01, true);
  assert.equal(given.tp03, false);
  assert.equal(given.dampAndMould, true);
  // Timeliness.
  assert.equal(q.timeliness.lastReceived?.getTime(), ago(3).getTime());
  assert.equal(q.timeliness.lagMinutes, 180);
  assert.equal(q.timeliness.batches, 3);
  assert.equal(q.timeliness.sources[0]!.status, 'failing');
  assert.match(q.timeliness.sources[0]!.reason ?? '', /answered 500/);
  assert.equal(q.timeliness.sources[0]!.where, `${base}/hhds/homes.csv`);
});

test("a publisher's quality page: public, in the public site's CSP, the status first, every figure in words", async () => {
  const res = await get(`/hub/publishers/${A.toLowerCase()}/quality`);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-security-policy']), /script-src 'none'/);
  assert.equal(res.headers['set-cookie'], undefined, 'no cookie');
  const page = text(res.body);
  // The status page's three facts come first, before the dashboard.
  const at = (s: string) => { const i = page.indexOf(s); assert.ok(i >= 0, `${s} is on the page`); return i; };
  assert.ok(at('Last received') < at('Validity') && at('Errors') < at('Validity') && at('Lag') < at('Validity'));
  assert.match(page, /3 of 6 records rejected in the last batch; 3 errors in the last 30 days/);
  assert.match(page, /3 hours since the last batch/);
  assert.match(page, /72\.7% 8 of 11 records accepted/);
  assert.match(page, /50\.0% 3 of 6 records accepted/);
  assert.match(page, /bedrooms bedrooms \(99\) must be 20 or less 2 Record 2 of a pushed batch/);
  assert.match(page, /80\.0% 56 of 70 optional fields given/);
  assert.match(page, /UPRN 4 57\.1%/);
  assert.match(page, /Block \(building\) 4 57\.1%/);
  assert.match(page, /Measures published for April 2025 to March 2026: 20 of 28 \(71\.4%\)/);
  assert.match(page, /TP03 Satisfaction with time taken to complete most recent repair Not published/);
  assert.match(page, /TP01 Overall satisfaction Published/);
  assert.match(page, /Failing/);
  assert.match(page, /answered 500 Internal Server Error/);
  assert.ok(!res.body.includes('not-for-the-public'), "the source's query string (a token, perhaps) is not shown");
  // Nothing of a record beyond field names and messages: no landlord reference of a rejected home.
  assert.ok(!/A8|A6|A10/.test(page.replace(new RegExp(A, 'g'), '')), 'no rejected record is shown');

  assert.equal((await get('/hub/publishers/ZZ9999/quality')).statusCode, 404);
  assert.equal((await get('/hub/publishers/not-one/quality')).statusCode, 404);
  const empty = text((await get(`/hub/publishers/${C}/quality`)).body);
  assert.match(empty, /Nothing received yet/);
  assert.match(empty, /No measures published yet/);
});

test('/hub/quality lists every publisher with its scores, sorted by a GET parameter, a page at a time', async () => {
  /** Every row across the pages, following "Next" links. */
  async function all(url: string): Promise<{ publisher: string; cells: string }[]> {
    const rows: { publisher: string; cells: string }[] = [];
    for (let next: string | undefined = url, pages = 0; next && pages < 200; pages++) {
      const res = await get(next);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
      for (const m of res.body.matchAll(/<tr class="govuk-table__row">\s*<th scope="row"[^>]*><a class="govuk-link" href="\/hub\/publishers\/([^/]+)\/quality">([\s\S]*?)<\/tr>/g)) {
        rows.push({ publisher: m[1]!, cells: text(m[2]!) });
      }
      next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(res.body)?.[1]?.replace(/&amp;/g, '&');
    }
    return rows;
  }
  const byName = await all('/hub/quality');
  const mine = byName.filter((r) => [A, B, C].includes(r.publisher));
  assert.deepEqual(mine.map((r) => r.publisher), [A, B, C], 'all three, by name');
  assert.match(mine[0]!.cells, /72\.7% 80\.0% 3 hours ago 1, 1 failing/);
  assert.match(mine[1]!.cells, /100\.0% 100\.0% 60 minutes ago None \(push only\)/);
  assert.match(mine[2]!.cells, /No records No records Nothing received yet/);

  const byValidity = (await all('/hub/quality?sort=validity')).map((r) => r.publisher);
  assert.ok(byValidity.indexOf(B) < byValidity.indexOf(A) && byValidity.indexOf(A) < byValidity.indexOf(C), 'best first; none last');
  const worstFirst = (await all('/hub/quality?sort=validity&dir=asc')).map((r) => r.publisher);
  assert.ok(worstFirst.indexOf(A) < worstFirst.indexOf(B) && worstFirst.indexOf(B) < worstFirst.indexOf(C), 'worst first; none still last');
  const byTime = (await all('/hub/quality?sort=timeliness')).map((r) => r.publisher);
  assert.ok(byTime.indexOf(B) < byTime.indexOf(A) && byTime.indexOf(A) < byTime.indexOf(C));

  const page = await get('/hub/quality?sort=validity');
  assert.match(page.body, /aria-sort="descending"><a class="govuk-link" href="\/hub\/quality\?sort=validity&amp;dir=asc">Validity/);
  assert.equal((await get('/hub/quality?sort=nonsense&page=-3')).statusCode, 200, 'an odd query is read leniently');
});
