// The hub's public website (src/modules/hub/public) on the real app and database: three landlords publish through
// the intake (receive), then the pages show their figures beside the national and regional medians, a count of fewer
// than 10 people reads "fewer than 10", an attacker with everything the pages and the open data publish cannot work a
// hidden count out from a total, unknown landlords and local authorities get a helpful 404, and every page is public
// (no cookie), cached and under a strict CSP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { harness, type Harness } from '../support/harness.ts';
import { receive, upsertPublisher } from '../../src/modules/hub/intake.ts';
import { EXAMPLE_HOME } from '../../src/modules/hub/standard/examples.ts';
import { HUB_CSP } from '../../src/modules/hub/public/pages.ts';
import { loadLocalAuthorities, readLocalAuthorities } from '../../src/modules/hub/public/local-authorities.ts';
import { OPEN_DATA_COLUMNS } from '../../src/modules/hub/public/downloads.ts';

let h: Harness;
// Registrations and the period are this run's own: on PostgreSQL, test files share one database.
const seed = process.pid % 1000;
const A = `PA${String(seed).padStart(4, '0')}`;
const B = `PB${String(seed).padStart(4, '0')}`;
const C = `PC${String(seed).padStart(4, '0')}`;
const day = String(1 + (process.pid % 28)).padStart(2, '0');
const PERIOD = { from: '2019-04-01', to: `2020-03-${day}` };
const EARLIER = { from: '2018-04-01', to: `2019-03-${day}` };
const names = { [A]: `Aireside Homes ${seed}`, [B]: `Brontë Housing ${seed}`, [C]: `Camden Court Trust ${seed}` };

const survey = (n: number) => ({ method: 'mixed', sampleSize: n, population: 20_000, fieldworkFrom: '2019-09-01', fieldworkTo: '2020-02-01' });
const measures = (landlord: string, tenureGroup: 'LCRA' | 'LCHO', period: { from: string; to: string }, values: Record<string, unknown>) => ({
  type: 'measures', landlord, period, tenureGroup, ...values,
});
const homes = (prefix: string, n: number, localAuthority: string, block?: Record<string, unknown>) => Array.from({ length: n }, (_, i) => ({
  ...EXAMPLE_HOME, landlordReference: `${prefix}-${i}`, uprn: undefined, localAuthority, block: block ? { ...block } : undefined,
  rentType: i % 4 === 3 ? 'shared-ownership' : 'social-rent',
}));

async function publish(publisher: string, records: unknown[], id = 'first'): Promise<void> {
  const r = await h.store.system((db) => receive(db, { publisher, id, via: 'push', body: JSON.stringify(records), records }));
  assert.equal(r.rejected, 0, JSON.stringify(r.errors));
}

before(async () => {
  h = await harness();
  for (const p of [A, B, C]) await h.store.system((db) => upsertPublisher(db, { publisher: p, name: names[p]!, kind: 'private-registered-provider' }));
  // A: Leeds (Yorkshire and The Humber), one higher-risk block; 4 stage one complaints in its shared ownership homes.
  await publish(A, [
    ...homes('A', 12, 'E08000035', { blockReference: 'TOWER-1', storeys: 11, heightMetres: 31.5, residentialUnits: 66, higherRisk: true }),
    measures(A, 'LCRA', PERIOD, { tp01: { satisfied: 820, responses: 1110 }, survey: survey(1110), ch01_1: { numerator: 612, denominator: 12_480 }, dampAndMould: { openCases: 41, clocksMet: 388, clocksMissed: 12 } }),
    measures(A, 'LCHO', PERIOD, { ch01_1: { numerator: 4, denominator: 500 }, dampAndMould: { openCases: 3, clocksMet: 20, clocksMissed: 1 } }),
  ]);
  // B: Leeds too.
  await publish(B, [
    ...homes('B', 8, 'E08000035'),
    measures(B, 'LCRA', PERIOD, { tp01: { satisfied: 600, responses: 1000 }, survey: survey(1000), ch01_1: { numerator: 95, denominator: 3_000 }, dampAndMould: { openCases: 12, clocksMet: 40, clocksMissed: 2 } }),
  ]);
  // C: City of London (London), and an earlier year for its trend.
  await publish(C, [
    ...homes('C', 5, 'E09000001'),
    measures(C, 'LCRA', EARLIER, { tp01: { satisfied: 250, responses: 500 }, survey: survey(500) }),
    measures(C, 'LCRA', PERIOD, { tp01: { satisfied: 300, responses: 500 }, survey: survey(500), ch01_1: { numerator: 7, denominator: 900 }, dampAndMould: { openCases: 0, clocksMet: 5, clocksMissed: 0 } }),
  ]);
});
after(async () => { await h?.close(); });

const get = (url: string) => h.app.inject({ method: 'GET', url });
const periodKey = `${PERIOD.from}_${PERIOD.to}`;
/** The text of a page without tags, spaces squeezed: what a reader sees. */
const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;|\s+/g, ' ').replace(/&#39;|&#x27;/g, "'").replace(/&amp;/g, '&');
/** The rows of the table with this caption: cells' text. */
function table(html: string, caption: string): string[][] {
  const at = html.indexOf(`${caption}</caption>`);
  assert.ok(at > 0, `no table "${caption}"`);
  const body = html.slice(at, html.indexOf('</table>', at));
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => words(c[1]!).trim()));
}

test("the local authority list has England's 296 districts in 9 regions and Wales's 22, and the migrations load exactly it", async () => {
  const list = readLocalAuthorities();
  assert.equal(list.filter((l) => l.code.startsWith('E')).length, 296);
  assert.equal(new Set(list.filter((l) => l.code.startsWith('E')).map((l) => l.regionCode)).size, 9);
  assert.equal(list.filter((l) => l.code.startsWith('W')).length, 22);
  assert.deepEqual(list.find((l) => l.code === 'E08000035'), { code: 'E08000035', name: 'Leeds', regionCode: 'E12000003', regionName: 'Yorkshire and The Humber' });
  const migrated = (await h.store.system((db) => db.execute(sql`SELECT code, name, region_code AS "regionCode", region_name AS "regionName" FROM hub.local_authorities ORDER BY code`))).rows;
  assert.deepEqual(migrated, [...list].sort((a, b) => (a.code < b.code ? -1 : 1)), 'drizzle/0021_hub_local_authorities.sql is the CSV');
  // Loading it again (as an operator refreshing the list would) changes nothing.
  await h.store.system((db) => loadLocalAuthorities(db));
  assert.equal(((await h.store.system((db) => db.execute(sql`SELECT count(*)::int AS n FROM hub.local_authorities`))).rows[0] as { n: number }).n, list.length);
});

test("a landlord's page shows its measures beside the national and regional medians, and its trend", async () => {
  const res = await get(`/hub/landlords/${A}`);
  assert.equal(res.statusCode, 200);
  const rows = table(res.body, `${names[A]} beside the national and regional medians`);
  const tp01 = rows.find((r) => r[0]!.startsWith('TP01'))!;
  // A 820/1,110 = 73.9%; the national median of A, B (60%) and C (60%) is 60.0%; Yorkshire's (A and B) 66.9%.
  assert.deepEqual(tp01.slice(1), ['73.9%', '60.0%', '66.9%']);
  assert.match(rows[0]!.join('|'), /Yorkshire and The Humber median/);
  const nm = table((await get(`/hub/landlords/${B}`)).body, `${names[B]} beside the national and regional medians`);
  assert.equal(nm.find((r) => r[0]!.startsWith('CH01 (1)'))![1], '31.7 per 1,000 homes'); // 95 / 3,000
  const trend = table((await get(`/hub/landlords/${C}`)).body, `${names[C]} over time (low cost rental)`);
  assert.deepEqual(trend.find((r) => r[0]!.startsWith('TP01'))!.slice(1), ['50.0%', '60.0%']);
  assert.match(res.body, /<svg class="hearth-chart"[^>]*font-family="Arial, Helvetica, sans-serif"/);
});

test('a count of fewer than 10 people reads "fewer than 10", and the total does not give it away', async () => {
  const res = await get(`/hub/landlords/${A}`);
  const counts = table(res.body, 'Counts of people behind the measures');
  const ch01 = counts.find((r) => r[0]!.startsWith('CH01 (1)'))!;
  // LCRA 612, LCHO 4, total 616: the 4 is hidden, and so is the total, so that "total minus LCRA" cannot be done;
  // low cost rental, what most readers look at, stays shown (rounded to 5).
  assert.equal(ch01[2], 'fewer than 10');
  assert.equal(ch01.slice(1).filter((c) => /^\d/.test(c)).length, 1, `one number left: ${ch01.join(' | ')}`);
  assert.deepEqual(ch01.slice(1), ['610', 'fewer than 10', 'suppressed']);
  // A rate is hidden with its numerator: LCRA's is shown, that of all homes is not.
  const lcra = table(res.body, `${names[A]} beside the national and regional medians`);
  assert.match(lcra.find((r) => r[0]!.startsWith('CH01 (1)'))![1]!, /^49\.\d per 1,000 homes$/);
  const all = table((await get(`/hub/landlords/${A}?tenure=all`)).body, `${names[A]} beside the national and regional medians`);
  assert.equal(all.find((r) => r[0]!.startsWith('CH01 (1)'))![1], 'not shown');
  // C's 7 complaints: hidden, with the rate.
  const c = table((await get(`/hub/landlords/${C}`)).body, 'Counts of people behind the measures');
  assert.equal(c.find((r) => r[0]!.startsWith('CH01 (1)'))![1], 'fewer than 10');
});

/** The open data's rows of this run's landlords, as a reader would load the CSV. */
async function openData(): Promise<Record<string, string>[]> {
  const res = await get('/hub/data/measures.csv');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/csv/);
  const rows = parse(res.body.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
  assert.deepEqual(Object.keys(rows[0]!), [...OPEN_DATA_COLUMNS]);
  return rows.filter((r) => [A, B, C].includes(r.registration!));
}

test('the attacker: from the pages and the open data, no hidden count can be worked out from a total', async () => {
  const rows = await openData();
  // The CSV shows what the page shows.
  const a = rows.filter((r) => r.registration === A && r.measure === 'ch01_1' && r.period_to === PERIOD.to);
  const cell = (r: Record<string, string>) => r.numerator || r.numerator_note;
  const page = table((await get(`/hub/landlords/${A}`)).body, 'Counts of people behind the measures').find((r) => r[0]!.startsWith('CH01 (1)'))!;
  assert.deepEqual(['LCRA', 'LCHO', 'all'].map((t) => cell(a.find((r) => r.tenure_group === t)!)), page.slice(1));
  // Every line of cells (LCRA + LCHO = all) published anywhere: where exactly one is hidden, the others give it away.
  const lines = new Map<string, Map<string, { value: number | null }>>();
  for (const r of rows) {
    for (const part of ['numerator', 'denominator'] as const) {
      const key = `${r.registration}|${r.period_from}|${r.period_to}|${r.measure}|${part}`;
      const line = lines.get(key) ?? lines.set(key, new Map()).get(key)!;
      line.set(r.tenure_group!, { value: r[part] === '' ? null : Number(r[part]) });
    }
  }
  let attacked = 0;
  for (const [key, line] of lines) {
    if (line.size < 3) continue;
    const hidden = [...line.values()].filter((c) => c.value === null).length;
    attacked++;
    assert.notEqual(hidden, 1, `${key}: one hidden cell, recoverable as total minus the others`);
    // Where two are hidden, the shown one and the hidden ones' bounds still leave the "fewer than 10" between 1 and 9.
  }
  assert.ok(attacked >= 6);
  // The one the test planted: LCHO's 4 complaints. Total minus LCRA, with everything published:
  const lcra = a.find((r) => r.tenure_group === 'LCRA')!.numerator;
  const total = a.find((r) => r.tenure_group === 'all')!.numerator;
  assert.ok(lcra === '' || total === '', 'LCRA and the total are not both published');
  // The damp and mould table by landlord size: each column's cells and total, the same rule.
  const damp = table((await get(`/hub/national/damp-and-mould?period=${periodKey}`)).body, 'Damp and mould by landlord size');
  for (const col of [3, 5, 6]) {
    const column = damp.slice(1).map((r) => r[col]!);
    const hiddenCells = column.filter((c) => c === 'fewer than 10' || c === 'suppressed').length;
    assert.notEqual(hiddenCells, 1, `damp column ${damp[0]![col]}: ${column.join(' | ')}`);
  }
});

test('the damp and mould page counts landlords by size; the league table ranks them with counts', async () => {
  const damp = table((await get(`/hub/national/damp-and-mould?period=${periodKey}`)).body, 'Damp and mould by landlord size');
  const small = damp.find((r) => r[0] === 'Fewer than 1,000 homes')!;
  // A 41+3, B 12, C 0 open cases = 56 → 55; 25 homes → 25.
  assert.equal(small[1], '3');
  assert.equal(small[2], '25');
  assert.equal(small[3], '55');
  const tsm = await get(`/hub/national/tsm?measure=tp01&tenure=LCRA&period=${periodKey}`);
  assert.equal(tsm.statusCode, 200);
  const league = table(tsm.body, 'League table: TP01 Overall satisfaction');
  const mine = league.filter((r) => Object.values(names).includes(r[0]!));
  assert.deepEqual(mine.map((r) => [r[0], r[1], r[2], r[3], r[4]]), [
    [names[A], '1', '73.9%', '820', '1,110'], [names[B], '2', '60.0%', '600', '1,000'], [names[C], '2', '60.0%', '300', '500'],
  ]);
  assert.match(tsm.body, /<select class="govuk-select" id="measure" name="measure"/);
  assert.match(tsm.body, /<form method="get" action="\/hub\/national\/tsm"/);
});

test('search finds a landlord by name or registration and a local authority by name or code; its page lists landlords', async () => {
  const byName = await get(`/hub?q=${encodeURIComponent(`aireside homes ${seed}`)}`);
  assert.equal(byName.statusCode, 200);
  assert.match(byName.body, new RegExp(`href="/hub/landlords/${A}"`));
  assert.match((await get(`/hub?q=${B.toLowerCase()}`)).body, new RegExp(`href="/hub/landlords/${B}"`));
  const leeds = await get('/hub?q=leeds');
  assert.match(leeds.body, /href="\/hub\/local-authorities\/E08000035">Leeds</);
  assert.match((await get('/hub?q=E09000001')).body, /City of London/);
  const la = await get('/hub/local-authorities/E08000035');
  assert.equal(la.statusCode, 200);
  const rows = table(la.body, 'Landlords with homes in Leeds');
  assert.deepEqual(rows.find((r) => r[0] === names[A])!.slice(1), ['10', 'fewer than 3', 'fewer than 3']);
  assert.deepEqual(rows.find((r) => r[0] === names[B])!.slice(1), ['10', '0', '0']);
  const hr = await get('/hub/national/higher-risk-buildings');
  assert.equal(hr.statusCode, 200);
  assert.ok(table(hr.body, 'Higher-risk buildings by region').some((r) => r[0] === 'Yorkshire and The Humber'));
});

test('an unknown landlord or local authority gets a 404 that says what went wrong and offers search', async () => {
  for (const [url, said] of [['/hub/landlords/ZZ9999', /No landlord with registration number ZZ9999/], ['/hub/landlords/not-a-number', /is not a registration number/],
    ['/hub/local-authorities/E08000999', /E08000999 is not a local authority district/], ['/hub/local-authorities/leeds', /is not a local authority code/]] as const) {
    const res = await get(url);
    assert.equal(res.statusCode, 404, url);
    assert.match(words(res.body), said);
    assert.match(res.body, /<form method="get" action="\/hub"/);
    assert.equal(res.headers['content-security-policy'], HUB_CSP);
  }
});

test('every public page: no cookie needed or set, a strict CSP, cached for 5 minutes, no script', async () => {
  for (const url of ['/hub', '/hub?q=leeds', `/hub/landlords/${A}`, '/hub/local-authorities/E08000035', '/hub/national/higher-risk-buildings',
    '/hub/national/damp-and-mould', '/hub/national/tsm', '/hub/data', '/hub/data/measures.csv', '/hub/data/measures.parquet']) {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['set-cookie'], undefined, `${url} sets no cookie`);
    assert.equal(res.headers['cache-control'], 'public, max-age=300', url);
    const csp = String(res.headers['content-security-policy']);
    assert.equal(csp, HUB_CSP, url);
    assert.match(csp, /script-src 'none'/);
    assert.match(csp, /form-action 'self'/);
    assert.doesNotMatch(csp, /unsafe|nonce/);
    if (res.headers['content-type']?.toString().startsWith('text/html')) {
      assert.doesNotMatch(res.body, /<script/i, url);
      assert.doesNotMatch(res.body, /style="/, url);
      assert.match(res.body, /Social housing data/);
      assert.doesNotMatch(res.body, /Sign out|sign-in/, url);
    }
  }
});

test('the open data: CSV and Parquet hold the same rows, the Parquet file reads back', async () => {
  const csv = await openData();
  const res = await get('/hub/data/measures.parquet');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-disposition']), /attachment; filename="social-housing-measures-\d{4}-\d{2}-\d{2}\.parquet"/);
  const { parquetReadObjects, parquetMetadata } = await import('hyparquet');
  const buffer = res.rawPayload.buffer.slice(res.rawPayload.byteOffset, res.rawPayload.byteOffset + res.rawPayload.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file: buffer })).filter((r) => [A, B, C].includes(String(r.registration)));
  assert.equal(rows.length, csv.length);
  const key = (r: Record<string, unknown>) => `${r.registration}|${r.period_to}|${r.tenure_group}|${r.measure}`;
  const byKey = new Map(rows.map((r) => [key(r), r]));
  for (const c of csv) {
    const p = byKey.get(key(c))!;
    assert.ok(p, key(c));
    assert.equal(p.numerator === null ? '' : String(p.numerator), c.numerator, key(c));
    assert.equal(p.numerator_note ?? '', c.numerator_note, key(c));
    assert.equal(p.rate === null ? '' : String(p.rate), c.rate, key(c));
  }
  const meta = parquetMetadata(buffer);
  assert.match(String(meta.key_value_metadata?.find((k) => k.key === 'licence')?.value), /Open Government Licence v3\.0/);
  const page = await get('/hub/data');
  assert.match(page.body, /Open Government Licence v3\.0/);
  assert.ok(table(page.body, 'Latest changes to the data').some((r) => r[1] === names[C]));
});
