// The hub's BI pages for signed-in analysts (src/modules/hub/insight) on the real app and database: four landlords
// publish through the intake; the filters narrow the rows as they say, the medians are right, the CSV is exactly the
// rows shown, the cross-tab's cells are the medians of their landlords; saved views are their user's alone (another
// user gets 404); hub:insight is enforced and every POST needs its CSRF token; a subscription emails once per new
// arrival, even with two workers at once; the TSM returns page, CSV and one landlord's return.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { staffSession, type StaffSession } from '../support/staff.ts';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { receive, upsertPublisher } from '../../src/modules/hub/intake.ts';
import { loadLocalAuthorities } from '../../src/modules/hub/public/local-authorities.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';
import { hubTsmReturns, hubTsmReturnsCsv } from '../../src/modules/hub/returns.ts';
import { INSIGHT_CSV_COLUMNS, insightRows, median, parseFilters } from '../../src/modules/hub/insight/service.ts';
import { sendDueSubscriptions } from '../../src/modules/hub/insight/subscriptions.ts';

let h: Harness;
// This run's own registrations, period and TSM year: on PostgreSQL, test files share one database.
const seed = String(process.pid % 10000).padStart(4, '0');
const [A, B, C, D] = ['IA', 'IB', 'IC', 'ID'].map((p) => `${p}${seed}`) as [string, string, string, string];
const pad = (n: number) => String(n).padStart(2, '0');
const PERIOD = { from: `2016-04-${pad(1 + (process.pid % 28))}`, to: `2017-03-${pad(1 + (Math.floor(process.pid / 28) % 28))}` };
const PERIOD_KEY = `${PERIOD.from}_${PERIOD.to}`;
const YEAR = 1991 + (process.pid % 20);
const TSM = { from: `${YEAR}-04-01`, to: `${YEAR + 1}-03-31` };
const names = { [A]: `Aire Homes ${seed}`, [B]: `Bronte Housing ${seed}`, [C]: `Camden Council ${seed}`, [D]: `Dales Trust ${seed}` };

const survey = (sampleSize: number, population = 20_000) => ({ method: 'mixed', sampleSize, population, fieldworkFrom: '2016-09-01', fieldworkTo: '2017-02-01' });
const tp01 = (landlord: string, tenureGroup: 'LCRA' | 'LCHO', satisfied: number, responses: number) => ({
  type: 'measures', landlord, period: PERIOD, tenureGroup, tp01: { satisfied, responses }, survey: survey(responses),
});
const homes = (prefix: string, n: number, localAuthority: string) => Array.from({ length: n }, (_, i) => ({
  ...EXAMPLE_HOME, landlordReference: `${prefix}-${i}`, uprn: undefined, block: undefined, localAuthority,
}));

let batch = 0;
async function publish(publisher: string, records: unknown[]): Promise<void> {
  const id = `b${++batch}`;
  const r = await h.store.system((db) => receive(db, { publisher, id, via: 'push', body: `${id}${JSON.stringify(records)}`, records}));
  assert.equal(r.rejected, 0, JSON.stringify(r.errors));
}

let org: { id: string };
let analyst: StaffSession;
let other: StaffSession;
let officer: StaffSession;

before(async () => {
  h = await harness();
  await h.store.system((db) => loadLocalAuthorities(db));
  await h.store.system(async (db) => {
    await upsertPublisher(db, { publisher: A, name: names[A]!, kind: 'private-registered-provider' });
    await upsertPublisher(db, { publisher: B, name: names[B]!, kind: 'private-registered-provider' });
    await upsertPublisher(db, { publisher: C, name: names[C]!, kind: 'local-authority' });
    // D's homes are in Leeds, but it gave the hub its registered office's region: the North East.
    await upsertPublisher(db, { publisher: D, name: names[D]!, kind: 'private-registered-provider', region: 'E12000001' });
  });
  // TP01 LCRA: A 82.0%, B 60.0%, C 90.0%, D 50.0%; A's LCHO 66.7%.
  await publish(A, [...homes('A', 12, 'E08000035'), tp01(A, 'LCRA', 820, 1000), tp01(A, 'LCHO', 6, 9)]);
  await publish(B, [...homes('B', 8, 'E08000035'), tp01(B, 'LCRA', 600, 1000)]);
  await publish(C, [...homes('C', 5, 'E09000001'), tp01(C, 'LCRA', 450, 500)]);
  await publish(D, [...homes('D', 1000, 'E08000035'), tp01(D, 'LCRA', 500, 1000)]);
  // TSM year: A a full return (both groups), B management measures only, C figures that cannot make a return.
  await publish(A, [{ ...EXAMPLE_MEASURES, landlord: A, period: TSM },
    { ...EXAMPLE_MEASURES, landlord: A, period: TSM, tenureGroup: 'LCHO', tp02: undefined, tp05: undefined, tp12: undefined, tp01: { satisfied: 150, responses: 290 },
      survey: { ...EXAMPLE_MEASURES.survey!, method: 'online', sampleSize: 300, population: 1_400 } }]);
  await publish(B, [{ type: 'measures', landlord: B, period: TSM, tenureGroup: 'LCRA', rp01: { numerator: 3, denominator: 800 } }]);
  await publish(C, [{ ...EXAMPLE_MEASURES, landlord: C, period: TSM, tp01: undefined, tp02: undefined, tp05: undefined, tp12: undefined, survey: { ...EXAMPLE_MEASURES.survey!, sampleSize: 0, population: 0 } }]);
  org = await landlord(h, `Regulator ${seed}`);
  analyst = await staffSession(h, org.id, 'analyst', 'Ana Lyst', `analyst-${seed}-${Date.now()}@insight.example`);
  other = await staffSession(h, org.id, 'analyst', 'Other Analyst', `other-${seed}-${Date.now()}@insight.example`);
  officer = await staffSession(h, org.id, 'housing-officer', 'Hou Sing', `officer-${seed}-${Date.now()}@insight.example`);
});
after(async () => { await h?.close(); });

const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;|\s+/g, ' ').replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
/** Registration and tenure group of each row of the values table. */
function tableRows(html: string): string[] {
  const at = html.indexOf('id="values"');
  if (at < 0) return [];
  const body = html.slice(at, html.indexOf('</table>', at));
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].slice(1).map((r) => {
    const cells = [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => words(c[1]!).trim());
    const reg = /\b(I[A-D]\d{4})\b/.exec(cells[0]!)?.[1] ?? cells[0]!;
    return `${reg} ${cells.find((c) => c === 'LCRA' || c === 'LCHO')} ${cells.at(-2)}`;
  });
}
const base = `/hub-insight?measure=tp01&period=${PERIOD_KEY}`;

test('the filters narrow the rows as they say; the median shown and the national median', async () => {
  const all = await analyst.get(`${base}&tenure=LCRA`);
  assert.equal(all.statusCode, 200, all.body);
  assert.match(all.body, /not for publication/);
  assert.deepEqual(tableRows(all.body), [`${A} LCRA 82`, `${B} LCRA 60`, `${C} LCRA 90`, `${D} LCRA 50`]);
  // 50, 60, 82, 90: (60 + 82) / 2.
  assert.match(words(all.body), /Median of the rows shown 71%/);
  assert.match(words(all.body), /National median 71% \(4 landlords/);
  assert.match(all.body, /<svg class="hearth-chart"[\s\S]*Highest: Camden Council \d+, 90%/);

  const cases: [string, string[]][] = [
    ['&tenure=LCRA&region=E12000003', [`${A} LCRA 82`, `${B} LCRA 60`]], // Yorkshire: D gave the North East
    ['&tenure=LCRA&region=E12000001', [`${D} LCRA 50`]],
    ['&tenure=LCRA&kind=local-authority', [`${C} LCRA 90`]],
    ['&tenure=LCRA&size=medium', [`${D} LCRA 50`]], // 1,000 homes published
    ['&tenure=LCRA&size=large', []],
    [`&tenure=LCRA&q=bront`, [`${B} LCRA 60`]],
    [`&q=${C}`, [`${C} LCRA 90`]],
    ['&region=E12000003&size=small', [`${A} LCRA 82`, `${A} LCHO 66.7`, `${B} LCRA 60`]], // both tenure groups
    ['&tenure=LCHO', [`${A} LCHO 66.7`]],
  ];
  for (const [filters, rows] of cases) {
    const r = await analyst.get(`${base}${filters}`);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(tableRows(r.body), rows, filters);
  }
  // The national median ignores region, kind, size and name, not the tenure group: 50, 60, 66.7, 82, 90.
  const yorkshire = await analyst.get(`${base}&region=E12000003`);
  assert.match(words(yorkshire.body), /Median of the rows shown 66\.7%/);
  assert.match(words(yorkshire.body), /National median 66\.7% \(4 landlords/);
  // An odd value is named and left out, not an error page.
  const odd = await analyst.get(`${base}&tenure=XYZ&size=huge`);
  assert.equal(odd.statusCode, 200);
  assert.match(words(odd.body), /Tenure group: "XYZ" must be LCRA or LCHO/);
  assert.match(words(odd.body), /Size: "huge" is not a size band/);
});

test('median: the middle value, or the mean of the middle two', () => {
  assert.equal(median([]), null);
  assert.equal(median([3]), 3);
  assert.equal(median([90, 50, 60]), 60);
  assert.equal(median([90, 50, 60, 82], 1), 71);
  assert.equal(median([1.25, 1.5], 2), 1.38);
});

test('the CSV is exactly the rows shown', async () => {
  const filters = `&region=E12000003`;
  const page = await analyst.get(`${base}${filters}`);
  const csv = await analyst.get(`/hub-insight.csv?measure=tp01&period=${PERIOD_KEY}${filters}`);
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  assert.match(String(csv.headers['content-disposition']), /not-for-publication/);
  const rows = parse(csv.body, { bom: true }) as string[][];
  assert.deepEqual(rows[0], [...INSIGHT_CSV_COLUMNS]);
  assert.deepEqual(rows.slice(1).map((r) => `${r[0]} ${r[8]} ${r[13]}`), tableRows(page.body));
  const expected = await h.store.system((db) => insightRows(db, parseFilters({ measure: 'tp01', period: PERIOD_KEY, region: 'E12000003' }).filters));
  assert.deepEqual(rows.slice(1).map((r) => [r[0], r[11], r[12], r[13], r[14]]),
    expected.rows.map((r) => [r.publisher, String(r.numerator), String(r.denominator), String(r.value), r.unit]));
  assert.deepEqual(rows[1]!.slice(0, 11), [A, names[A], 'private-registered-provider', 'Yorkshire and The Humber', '12', 'Under 1,000 homes', PERIOD.from, PERIOD.to, 'LCRA', 'tp01', 'TP01']);
});

test('the cross-tab: medians and landlords by region or size, by tenure group', async () => {
  const r = await analyst.get(`/hub-insight/cross-tab?measure=tp01&period=${PERIOD_KEY}&rows=region&columns=tenure`);
  assert.equal(r.statusCode, 200, r.body);
  const text = words(r.body);
  assert.match(text, /Yorkshire and The Humber 71% 2 landlords 66\.7% 1 landlord/);
  assert.match(text, /London 90% 1 landlord None/);
  assert.match(text, /North East 50% 1 landlord None/);
  assert.match(text, /All 71% 4 landlords 66\.7% 1 landlord/);
  const bySize = words((await analyst.get(`/hub-insight/cross-tab?measure=tp01&period=${PERIOD_KEY}&rows=size&columns=tenure`)).body);
  assert.match(bySize, /Under 1,000 homes 82% 3 landlords 66\.7% 1 landlord/);
  assert.match(bySize, /1,000 to 9,999 homes 50% 1 landlord None/);
  assert.match(bySize, /10,000 homes or more None None/);
  const byPeriod = words((await analyst.get(`/hub-insight/cross-tab?measure=tp01&q=${B}&rows=size&columns=period`)).body);
  assert.match(byPeriod, /Under 1,000 homes 60% 1 landlord/);
});

test('saved views are their user\'s alone: save, list, open, download, delete; another user gets 404', async () => {
  await analyst.get(`${base}&region=E12000003`);
  const saved = await analyst.post('/hub-insight/views', { name: 'Yorkshire TP01', measure: 'tp01', period: PERIOD_KEY, region: 'E12000003' });
  assert.equal(saved.statusCode, 303, saved.body);
  const list = await analyst.get('/hub-insight/views');
  assert.match(list.body, /Yorkshire TP01/);
  const id = /\/hub-insight\/views\/([0-9a-f-]{36})"/.exec(list.body)![1]!;
  const open = await analyst.get(`/hub-insight/views/${id}`);
  assert.equal(open.statusCode, 303);
  assert.equal(open.headers.location, `/hub-insight?measure=tp01&period=${PERIOD_KEY}&region=E12000003`);
  const csv = await analyst.get(`/hub-insight/views/${id}/download.csv`);
  assert.equal(csv.statusCode, 200);
  assert.deepEqual((parse(csv.body, { bom: true }) as string[][]).slice(1).map((r) => r[0]), [A, A, B]);
  // No name: the error names the field, and the filters are kept.
  const blank = await analyst.post('/hub-insight/views', { name: '  ', measure: 'tp01', region: 'E12000003' });
  assert.equal(blank.statusCode, 400);
  assert.match(blank.body, /href="#name">Enter a name for the view/);

  // Another analyst of the same organisation: not in their list, and every way in is 404.
  assert.doesNotMatch((await other.get('/hub-insight/views')).body, /Yorkshire TP01/);
  assert.equal((await other.get(`/hub-insight/views/${id}`)).statusCode, 404);
  assert.equal((await other.get(`/hub-insight/views/${id}/download.csv`)).statusCode, 404);
  assert.equal((await other.post(`/hub-insight/views/${id}/delete`, {})).statusCode, 404);
  assert.equal((await other.post(`/hub-insight/views/${id}/subscribe`, {})).statusCode, 404);
  assert.match((await analyst.get('/hub-insight/views')).body, /Yorkshire TP01/, 'still there');

  const deleted = await analyst.post(`/hub-insight/views/${id}/delete`, {});
  assert.equal(deleted.statusCode, 303);
  assert.doesNotMatch((await analyst.get('/hub-insight/views')).body, /Yorkshire TP01/);
  assert.equal((await analyst.get(`/hub-insight/views/${id}`)).statusCode, 404);
});

test('hub:insight is needed: a housing officer gets 403, no one signed in is sent to sign in', async () => {
  for (const url of [base, `/hub-insight.csv?measure=tp01`, '/hub-insight/cross-tab', '/hub-insight/views', `/hub-insight/tsm-returns?year=${YEAR}`,
    `/hub-insight/tsm-returns.csv?year=${YEAR}`, `/hub-insight/tsm-returns/${A}?year=${YEAR}`]) {
    assert.equal((await officer.get(url)).statusCode, 403, url);
    const anonymous = await h.app.inject({ method: 'GET', url });
    assert.equal(anonymous.statusCode, 302, url);
    assert.match(String(anonymous.headers.location), /^\/sign-in\?next=/);
  }
  assert.equal((await officer.post('/hub-insight/views', { name: 'Mine', measure: 'tp01' })).statusCode, 403);
  // The navigation shows "National data" to analysts only.
  assert.match((await analyst.get('/')).body, /href="\/hub-insight"/);
  assert.doesNotMatch((await officer.get('/')).body, /href="\/hub-insight"/);
});

test('every POST needs its CSRF token', async () => {
  await analyst.post('/hub-insight/views', { name: 'CSRF view', measure: 'tp01' });
  const id = /\/hub-insight\/views\/([0-9a-f-]{36})"/.exec((await analyst.get('/hub-insight/views')).body)![1]!;
  for (const url of ['/hub-insight/views', `/hub-insight/views/${id}/delete`, `/hub-insight/views/${id}/subscribe`, `/hub-insight/views/${id}/unsubscribe`]) {
    const r = await analyst.post(url, { name: 'Forged', measure: 'tp01', _csrf: 'forged' });
    assert.equal(r.statusCode, 403, url);
  }
  const list = (await analyst.get('/hub-insight/views')).body;
  assert.doesNotMatch(list, /Forged/);
  assert.match(list, /CSRF view/);
  assert.match(list, /Not subscribed/);
  await analyst.post(`/hub-insight/views/${id}/delete`, {});
});

const emails = () => h.store.system(async (db) => (await db.execute(sql`SELECT recipient, subject, body FROM notifications
  WHERE organisation_id = ${org.id} AND template_id = 'hub-view-updated' ORDER BY created_at`)).rows as { recipient: string; subject: string; body: string }[]);

test('a subscription emails a link to the view\'s CSV once per new arrival for its landlords, even with two workers at once', async () => {
  // The view's landlords: B alone (by name), so another test file's batches are never new data for it.
  await analyst.post('/hub-insight/views', { name: 'Subscribed view', measure: 'tp01', period: PERIOD_KEY, q: names[B]! });
  const id = /\/hub-insight\/views\/([0-9a-f-]{36})"[^>]*>Subscribed view/.exec((await analyst.get('/hub-insight/views')).body)![1]!;
  assert.equal((await analyst.post(`/hub-insight/views/${id}/subscribe`, {})).statusCode, 303);
  assert.match((await analyst.get('/hub-insight/views')).body, /Subscribed\s*<\/strong>/);
  const send = () => sendDueSubscriptions(h.store, new Date(), { organisationId: org.id, baseUrl: 'https://hub.example' });

  // Nothing new since subscribing: no email.
  assert.deepEqual(await send(), []);
  assert.equal((await emails()).length, 0);
  // New data from B: one email, with the link to the CSV (sign-in needed), and not again.
  await publish(B, [tp01(B, 'LCHO', 10, 20)]);
  assert.deepEqual((await send()).map((s) => s.outcome), ['emailed']);
  assert.deepEqual((await send()), []);
  const [first] = await emails();
  assert.equal(first!.recipient, analyst.email);
  assert.match(first!.subject, /Subscribed view/);
  assert.match(first!.body, new RegExp(`https://hub\\.example/hub-insight/views/${id}/download\\.csv`));
  assert.match(first!.body, /not for publication/);
  // New data from a landlord the view does not choose: no email.
  await publish(C, [tp01(C, 'LCHO', 10, 20)]);
  assert.deepEqual(await send(), []);
  // Another arrival from B, two workers at once: one email between them.
  await publish(B, [tp01(B, 'LCHO', 11, 20)]);
  const [x, y] = await Promise.all([send(), send()]);
  assert.equal(x.length + y.length, 1);
  assert.equal((await emails()).length, 2);
  assert.deepEqual(await send(), []);
  // A batch with nothing accepted is not new data.
  await h.store.system((db) => receive(db, { publisher: B, id: 'all-bad', via: 'push', body: 'bad', records: [{ type: 'nonsense' }] }));
  assert.deepEqual(await send(), []);
  // Unsubscribed: no more emails.
  await analyst.post(`/hub-insight/views/${id}/unsubscribe`, {});
  await publish(B, [tp01(B, 'LCHO', 12, 20)]);
  assert.deepEqual(await send(), []);
  assert.equal((await emails()).length, 2);
});

test('TSM returns: each landlord\'s summary, those that cannot make one with the reason, the CSV, one landlord\'s full return', async () => {
  const r = await analyst.get(`/hub-insight/tsm-returns?year=${YEAR}`);
  assert.equal(r.statusCode, 200, r.body);
  const text = words(r.body);
  const yy = `${YEAR}/${String((YEAR + 1) % 100).padStart(2, '0')}`;
  assert.match(text, new RegExp(`TSM returns ${yy}`));
  // A: LCRA 1,110 of 12,480 mixed methods ±2.8% (±3% required) met; LCHO 300 of 1,400 online ±5.0% met.
  assert.match(text, new RegExp(`${names[A]} ${A} LCRA 12,480 mixed methods 1,110 ±2.8% ±3% Met LCHO 1,400 online 300 ±5% ±5% Met`));
  assert.match(text, new RegExp(`${names[B]} ${B} No survey published: management measures only`));
  assert.match(text, new RegExp(`${names[C]} \\(${C}\\): .*homes: must be a whole number, 1 or more`));

  const csv = await analyst.get(`/hub-insight/tsm-returns.csv?year=${YEAR}`);
  assert.equal(csv.statusCode, 200);
  const expected = hubTsmReturnsCsv(await h.store.system((db) => hubTsmReturns(db, YEAR)));
  assert.equal(csv.body, expected);
  assert.match(csv.body, new RegExp(`${names[A]},${A},${yy},LCHO,TP01,150,290,51\\.7,%,290,online,300,5,yes`));

  const one = await analyst.get(`/hub-insight/tsm-returns/${A}?year=${YEAR}`);
  assert.equal(one.statusCode, 200);
  const full = words(one.body);
  assert.match(full, /TP01 Overall satisfaction 73\.9% 820 of 1,110 51\.7% 150 of 290/);
  assert.match(full, /TP02 Satisfaction with repairs 77\.3% 700 of 905 Not published/);
  assert.match(full, /TP03 .* Not published Not published/);
  assert.match(full, /NM01\(1\) Anti-social behaviour cases per 1,000 homes 32\.21 per 1,000 homes 402 of 12,480/);
  assert.match(full, /RP02\(2\) Emergency repairs completed within target timescale 98% 5,804 of 5,920/);
  const bad = await analyst.get(`/hub-insight/tsm-returns/${C}?year=${YEAR}`);
  assert.match(words(bad.body), /These figures do not make a return: .*homes: must be a whole number/);
  assert.equal((await analyst.get(`/hub-insight/tsm-returns/ZZ9999?year=${YEAR}`)).statusCode, 404);
  assert.equal((await analyst.get(`/hub-insight/tsm-returns/not-a-number?year=${YEAR}`)).statusCode, 404);
  const odd = await analyst.get('/hub-insight/tsm-returns?year=twenty');
  assert.equal(odd.statusCode, 200);
  assert.match(words(odd.body), /Year: "twenty" must be the year a reporting year starts/);
});
