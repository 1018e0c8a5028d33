// Issue 16, "Done when": the whole hub journey tried as a new user would, in a real browser against the app listening on
// a real port (the hub this same app runs):
//   1. three landlords publish: A from its own Hearth (its administrator fills in "Publish to a hub", previews, presses
//      "Publish now": a signed push over HTTP to this server's hub, with the key the hub's operator created on the
//      operator's pages), B by an RPDE feed served on 127.0.0.1 that the operator registers and pulls, C by files the
//      operator uploads (homes.csv and measures.csv, one bad row, named by row and column on the receipt and on C's
//      public quality page); eight more publishers' measures, received directly, make the national medians;
//   2. the public (no sign-in) searches each, sees its measures beside the national median, "fewer than 10" where a count
//      of people is below 10, a national page, and downloads the open data CSV; axe on every page at 375 px and 1280 px;
//   3. a regulator's analyst filters "National data", saves the view, and downloads the saved view's CSV;
//   4. the analyst downloads the TSM returns for the year the measures cover.
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { makeHubOperator } from '../../src/modules/hub/operator/service.ts';
import { expectAccessible } from '../support/axe.ts';
import { pageWidth, signedIn } from '../support/browser.ts';
import { drain } from '../../src/platform/events/relay.ts';
import { ukDate } from '../../src/platform/uk-time.ts';
import { receive, upsertPublisher } from '../../src/modules/hub/intake.ts';
import { standardCsv } from '../../src/modules/hub/standard/csv.ts';
import { EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';
import type { HomeRecord, MeasuresRecord } from '../../src/modules/hub/standard/schema.ts';
import { loadLocalAuthorities } from '../../src/modules/hub/public/local-authorities.ts';
import { publicDataFor } from '../../src/modules/hub/public/queries.ts';
import { tsmYearOf } from '../../src/modules/hub/publishing/build.ts';
import { publishDue, publishingSubscriber } from '../../src/modules/hub/publishing/push.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const seed = String((process.pid * 23) % 10000).padStart(4, '0');
const unique = `${seed}${Date.now() % 100000}`;
/** Registrations no other test file uses (U and a letter, four digits). */
const A = `UA${seed}`;
const B = `UB${seed}`;
const C = `UC${seed}`;
const NAMES = { [A]: `Airedale Homes ${seed}`, [B]: `Bramley Valley Housing ${seed}`, [C]: `Calderdale District Council ${seed}` } as const;
const YORKSHIRE = { code: 'E12000003', name: 'Yorkshire and The Humber' };
/** The TSM year Hearth publishes A's measures for (today's); B, C and the rest publish the same year. */
const PERIOD = tsmYearOf(ukDate(new Date()));
const YEAR = Number(PERIOD.from.slice(0, 4));
const PASSWORD = 'a long test password for the journey';
const ADMIN = { email: `hub-journey-admin-${unique}@airedale.example`, password: PASSWORD };
const OPERATOR = { email: `hub-journey-operator-${unique}@hub.example`, password: PASSWORD };
const ANALYST = { email: `hub-journey-analyst-${unique}@regulator.example`, password: PASSWORD };

let h: Harness;
let browser: Browser;
let base: string;
let landlordA: Landlord;
const feedRequests: string[] = [];
let feedServer: http.Server;

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  launching.catch(() => undefined);
  h = await harness();
  await h.store.system((db) => loadLocalAuthorities(db));
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});
after(async () => {
  await browser?.close();
  await operator?.context().close();
  if (feedServer) await new Promise<void>((resolve) => { feedServer.closeAllConnections(); feedServer.close(() => resolve()); });
  await h?.close();
});

/** A Yorkshire landlord's measures for PERIOD: TP01 and the rest scaled a little; LCHO with 9 survey responses when asked. */
function measures(publisher: string, scale: number, tenureGroup: 'LCRA' | 'LCHO' = 'LCRA'): MeasuresRecord {
  const survey = { ...EXAMPLE_MEASURES.survey!, fieldworkFrom: `${YEAR}-09-01`, fieldworkTo: `${YEAR + 1}-02-28` };
  if (tenureGroup === 'LCHO') {
    return {
      type: 'measures', landlord: publisher, period: PERIOD, tenureGroup, dampAndMould: { openCases: 0, clocksMet: 20, clocksMissed: 1 },
      tp01: { satisfied: 6, responses: 9 }, survey: { ...survey, sampleSize: 9, population: 300 },
    };
  }
  return {
    ...EXAMPLE_MEASURES, landlord: publisher, period: PERIOD, tenureGroup,
    dampAndMould: { openCases: 20 + 7 * scale, clocksMet: 300 + 10 * scale, clocksMissed: 30 - scale },
    tp01: { satisfied: 640 + 30 * scale, responses: 1_110 }, survey,
  };
}

const home = (publisher: string, i: number, localAuthority: string, extra: Partial<HomeRecord> = {}): HomeRecord => ({
  type: 'home', landlordReference: `${publisher}-H${i}`, localAuthority, rentType: 'social-rent', propertyType: 'house', bedrooms: 2 + (i % 3), buildYear: 1950 + i, ...extra,
});

/** The hub's operator (an administrator of the organisation that runs the hub), signed in once. */
let operator: Page | undefined;
async function operatorPage(): Promise<Page> {
  if (operator) return operator;
  const hubOrg = await landlord(h, `National hub (test) ${unique}`);
  await h.auth.addUser({ organisationId: hubOrg.id, role: 'administrator', name: 'Otto Operator', ...OPERATOR });
  await h.store.system((db) => makeHubOperator(db, hubOrg.id));
  operator = await signedIn(browser, base, OPERATOR, 1280, '/hub-operator');
  return operator;
}

/** The operator adds a publisher through "Hub publishers" → "Add a publisher"; ends on the publisher's page. */
async function addPublisher(page: Page, registration: string, kind: 'Private registered provider' | 'Local authority') {
  await page.goto(`${base}/hub-operator/new`);
  await page.getByLabel('Registration number').fill(registration);
  await page.getByLabel('Name', { exact: true }).fill(NAMES[registration as keyof typeof NAMES]);
  await page.getByLabel(kind, { exact: true }).check();
  await page.getByRole('button', { name: 'Add the publisher' }).click();
  await page.waitForURL((u) => u.pathname === `/hub-operator/publishers/${registration}`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), NAMES[registration as keyof typeof NAMES]);
}

async function download(page: Page, link: ReturnType<Page['getByRole']>): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: fs.readFileSync(path, 'utf8') };
}
const rowsOf = (csv: string) => parse(csv.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true }) as Record<string, string>[];

// ---- 1a. Landlord A publishes from its own Hearth, by signed push -------------------------------------------------

test('1a. Landlord A, a Hearth landlord, turns on "Publish to a hub", previews, and publishes: the hub receives its homes and measures', { timeout: 90_000 }, async () => {
  // A's Hearth: an estate in "Leeds City Council", a block, four homes with references and tenancies, and one damp and mould report.
  landlordA = await landlord(h, `Airedale Homes (Hearth) ${unique}`);
  const created = async (path: string, body: unknown, role: 'administrator' | 'compliance-lead' = 'administrator') => {
    const r = await api(h, 'POST', `/api/v1/${path}`, landlordA.as[role], body);
    assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  const estate = await created('estates', { name: `Harehills Estate ${unique}`, localAuthority: 'Leeds City Council' });
  const block = await created('blocks', sample.block({ reference: `BLK-${unique}`, estateId: estate, storeys: 11, heightMetres: 31.5, residentialUnits: 66, yearBuilt: 1968 }));
  const homes: string[] = [];
  for (let i = 1; i <= 4; i++) homes.push(await created('homes', sample.home({ reference: `AH-${unique}-${i}`, subBuilding: `Flat ${i}`, blockId: block, estateId: estate, bedrooms: 2 })));
  for (const [i, homeId] of homes.slice(0, 3).entries()) {
    const person = await created('people', sample.person({ givenName: `Tenant${i}`, familyName: `Journey${unique}` }));
    await created('tenancies', { reference: `TEN-${unique}-${i}`, tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId, members: [{ personId: person, role: 'lead' }] });
  }
  await created(`homes/${homes[0]}/hazard-reports`, {
    hazard: 'damp-and-mould', severity: 'significant', description: 'Mould in the bathroom', reportedBy: 'Tenant, by phone', reportedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
  }, 'compliance-lead');

  // The hub's operator adds A as a publisher and creates its push key (the secret is shown once, on that page).
  const op = await operatorPage();
  await addPublisher(op, A, 'Private registered provider');
  await op.getByRole('button', { name: 'Create a push key' }).click();
  await op.waitForURL((u) => u.pathname === `/hub-operator/publishers/${A}/keys`);
  const key = {
    keyId: (await op.locator('.govuk-summary-list__row', { hasText: 'Key id' }).locator('code').innerText()).trim(),
    secret: (await op.locator('code[data-secret]').innerText()).trim(),
  };
  assert.match(key.keyId, /^hk_/);
  assert.match(key.secret, /^whsec_/);

  // A's administrator, in the browser.
  await h.auth.addUser({ organisationId: landlordA.id, role: 'administrator', name: 'Ada Administrator', ...ADMIN });
  const page = await signedIn(browser, base, ADMIN, 1280, '/');
  try {
    await page.getByRole('link', { name: 'Publish to a hub' }).first().click();
    await page.waitForURL((u) => u.pathname === '/hub-publishing');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Publish to a hub');
    await page.getByLabel('Yes, keep the hub up to date').check();
    await page.getByLabel('Homes', { exact: true }).check();
    await page.getByLabel('Measures', { exact: true }).check();
    await page.getByLabel('Hub address').fill(base);
    await page.getByLabel('Registration number').fill(A);
    await page.getByLabel('Key id').fill(key.keyId);
    await page.getByLabel('Secret', { exact: true }).fill(key.secret);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL((u) => u.pathname === '/hub-publishing');
    if (await page.locator('.govuk-error-summary').count()) assert.fail(`saving the settings: ${await page.locator('.govuk-error-summary').innerText()}`);
    assert.match(await page.locator('main').innerText(), /A secret is saved/);
    assert.ok(!(await page.content()).includes(key.secret), 'the secret is never shown back');

    // The preview: exactly the records that would be sent.
    await page.getByRole('link', { name: 'See exactly what would be published' }).click();
    await page.waitForURL((u) => u.pathname === '/hub-publishing/preview');
    const preview = await page.locator('main').innerText();
    assert.match(preview, /4 of 4 homes would be published/);
    for (let i = 1; i <= 4; i++) assert.ok(preview.includes(`AH-${unique}-${i}`), `the preview lists home AH-${unique}-${i}`);
    assert.ok(preview.includes('E08000035'), '"Leeds City Council" is published as its ONS code');
    assert.ok(!preview.includes(`Journey${unique}`), 'no tenant\'s name is in the preview');

    // Publish now: a signed push over HTTP to this server's hub.
    await page.goto(`${base}/hub-publishing`);
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.waitForURL((u) => u.pathname === '/hub-publishing');
    const status = await page.locator('main').innerText();
    assert.match(status, /5 accepted, 0 rejected by the hub/, status);
    assert.match(status, /Last failure\s+None/, status);
  } finally {
    await page.context().close();
  }

  // The publishing worker's step: the relay marks A's changes, the next run sends only what the hub does not hold.
  await drain(h.store, [publishingSubscriber]);
  const run = (await publishDue(h.store, { organisationId: landlordA.id })).get(landlordA.id);
  assert.ok(!run || run.status !== 'failed', JSON.stringify(run));
  const held = await h.store.system(async (db) => (await db.execute(sql`SELECT (SELECT count(*)::int FROM hub.homes WHERE publisher = ${A}) AS homes,
    (SELECT count(*)::int FROM hub.measures WHERE publisher = ${A}) AS measures,
    (SELECT count(*)::int FROM hub.batches WHERE publisher = ${A} AND via = 'push' AND accepted > 0) AS pushes`)).rows[0] as { homes: number; measures: number; pushes: number });
  assert.equal(held.homes, 4, 'the hub holds A\'s four homes');
  assert.equal(held.measures, 1, 'and its measures');
  assert.ok(held.pushes >= 1, 'pushed, signed, over HTTP');
});

// ---- 1b. Landlord B publishes an RPDE feed; the hub federates it ---------------------------------------------------

test('1b. Landlord B publishes an HHDS change feed; the hub\'s operator registers it and pulls it now: every page taken in', { timeout: 30_000 }, async () => {
  const items = [
    ...Array.from({ length: 6 }, (_, i) => home(B, i, 'E08000032')),
    measures(B, 2), measures(B, 2, 'LCHO'),
  ].map((data, i) => ({
    state: 'updated', kind: data.type, id: data.type === 'home' ? data.landlordReference : `measures-${PERIOD.from}-${(data as MeasuresRecord).tenureGroup}`, modified: 1000 + i, data,
  }));
  feedServer = http.createServer((req, res) => {
    feedRequests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const after = Number(url.searchParams.get('afterTimestamp') ?? 0);
    const page = items.filter((it) => it.modified > after).slice(0, 5);
    const last = page.at(-1);
    const next = last ? `/hhds/feed?afterTimestamp=${last.modified}&afterId=${encodeURIComponent(last.id)}` : `${url.pathname}${url.search}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ next, items: page, license: 'https://creativecommons.org/licenses/by/4.0/' }));
  });
  await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
  const feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/hhds/feed`;

  assert.equal(h.config.production, false, 'outside production the hub may pull from 127.0.0.1');
  assert.equal(h.config.hubAllowPrivate, true);
  const op = await operatorPage();
  await addPublisher(op, B, 'Private registered provider');
  await op.getByLabel('A change feed (RPDE)').check();
  await op.getByLabel('Address', { exact: true }).fill(feedUrl);
  await op.getByRole('button', { name: 'Register', exact: true }).click();
  await op.waitForURL((u) => u.pathname === `/hub-operator/publishers/${B}`);
  if (await op.locator('.govuk-error-summary').count()) assert.fail(`registering the feed: ${await op.locator('.govuk-error-summary').innerText()}`);
  assert.ok((await op.locator('#sources ~ .govuk-summary-card, .govuk-summary-card').first().innerText()).includes(feedUrl));
  await op.getByRole('button', { name: 'Pull now' }).click();
  const pulled = await op.getByRole('table', { name: 'What each source gave' }).innerText();
  // Source, outcome, records, accepted, rejected: six homes and two measures records, none rejected.
  assert.match(pulled, new RegExp(`${feedUrl.replace(/[.?]/g, '\\$&')}\\s+Taken in\\s+8\\s+8\\s+0`), pulled);
  assert.ok(feedRequests.length >= 3, `the hub followed next to the last page: ${feedRequests.join(', ')}`);
});

// ---- 1c. Landlord C drops files ------------------------------------------------------------------------------------

let badRow = 0;
test('1c. Landlord C drops files: the operator uploads its homes.csv and measures.csv; the bad row is refused naming its row and column, the rest taken in', { timeout: 30_000 }, async () => {
  const op = await operatorPage();
  await addPublisher(op, C, 'Local authority');
  const upload = async (name: string, text: string) => {
    await op.getByLabel('File', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await op.getByRole('button', { name: 'Upload' }).click();
    await op.waitForURL((u) => u.pathname === `/hub-operator/publishers/${C}/upload`);
    return op.locator('#receipt').innerText();
  };
  const homesCsv = standardCsv('homes', Array.from({ length: 5 }, (_, i) => home(C, i, 'E08000036')));
  // One more row whose bedrooms are words: line 7 of the file (the header is line 1).
  const lines = homesCsv.trimEnd().split('\r\n');
  const header = lines[0]!.split(',');
  const bad = lines[1]!.split(',');
  bad[header.indexOf('landlord_reference')] = `${C}-H99`;
  bad[header.indexOf('bedrooms')] = 'three';
  lines.push(bad.join(','));
  badRow = lines.length;
  const homesReceipt = await upload('homes.csv', `${lines.join('\r\n')}\r\n`);
  assert.match(homesReceipt, /homes\.csv: taken in/);
  assert.match(homesReceipt, /Records\s+6\s+Accepted\s+5\s+Rejected\s+1/, homesReceipt);
  const errors = await op.getByRole('table', { name: /Errors/ }).locator('tbody tr').allInnerTexts();
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, new RegExp(`^Row ${badRow}\\s+bedrooms\\s+.*bedrooms`), 'the error names the row, the column and what is wrong');

  const measuresReceipt = await upload('measures.csv', standardCsv('measures', [measures(C, 3)]));
  assert.match(measuresReceipt, /measures\.csv: taken in/);
  assert.match(measuresReceipt, /Records\s+1\s+Accepted\s+1\s+Rejected\s+0/, measuresReceipt);
});

// ---- 1d. Eight more publishers: national medians worth comparing with ---------------------------------------------

const EXTRA = ['D', 'E', 'F', 'G', 'H', 'J', 'K', 'L'].map((letter, i) => ({
  publisher: `U${letter}${seed}`, name: `Extra Landlord ${letter} ${seed}`,
  // Two in Yorkshire, the rest elsewhere (Manchester, Westminster).
  localAuthority: i < 2 ? 'E08000035' : i % 2 ? 'E08000003' : 'E09000033', scale: i,
}));
test('1d. Eight more publishers push their measures (one with a count of people below 10)', { timeout: 30_000 }, async () => {
  for (const x of EXTRA) {
    await h.store.system((db) => upsertPublisher(db, { publisher: x.publisher, name: x.name, kind: 'private-registered-provider' }));
    const m = measures(x.publisher, x.scale);
    if (x.scale === 7) m.ch01_1 = { numerator: 4, denominator: 800 };
    const records = [home(x.publisher, 1, x.localAuthority), home(x.publisher, 2, x.localAuthority), m];
    const r = await h.store.system((db) => receive(db, { publisher: x.publisher, id: 'journey-1', via: 'push', body: JSON.stringify(records), records }));
    assert.equal(r.rejected, 0, JSON.stringify(r.errors));
  }
  // As the push route, the poller and the operator's pages do after a batch: the public summaries are made again.
  publicDataFor(h.store).changed();
});

// ---- 2. The public site ----------------------------------------------------------------------------------------------

for (const width of [1280, 375]) {
  test(`2. The public, on a ${width < 500 ? 'phone' : 'desktop'} (${width} px): finds A, B and C, compares them with the national median, sees small numbers hidden, opens a national page and downloads the open data (axe on every page)`, { timeout: 120_000 }, async () => {
    const context = await browser.newContext(width < 500 ? { viewport: { width, height: 740 }, isMobile: true, hasTouch: true } : { viewport: { width, height: 900 } });
    const page = await context.newPage();
    const check = async (name: string) => {
      await expectAccessible(page, `${name} at ${width} px`);
      if (width < 500) assert.ok(await pageWidth(page) <= width, `${name} scrolls sideways on a phone`);
    };
    const main = () => page.locator('main').innerText();
    try {
      await page.goto(`${base}/hub`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Social housing data');
      await check('the hub\'s front page');

      for (const p of [A, B, C]) {
        await page.getByLabel('Search for a landlord or a local authority').fill(NAMES[p]);
        await page.getByRole('button', { name: 'Search' }).click();
        await page.waitForURL(/\/hub\?q=/);
        await check(`search results for ${NAMES[p]}`);
        await page.getByRole('link', { name: NAMES[p], exact: true }).click();
        await page.waitForURL((u) => u.pathname === `/hub/landlords/${p}`);
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), NAMES[p]);
        await check(`${NAMES[p]}'s page`);
        const text = await main();
        assert.match(text, /Region\s+Yorkshire and The Humber/, `${p}'s homes are in Yorkshire`);
        assert.match(text, new RegExp(`Latest period\\s+April ${YEAR} to March ${YEAR + 1}`), text.slice(0, 600));
        // Its measures beside the national median: a table with a column for it, and a figure in that column.
        const comparison = page.getByRole('table', { name: new RegExp(`${NAMES[p]} beside the national and regional medians`) });
        const heads = await comparison.locator('thead th').allInnerTexts();
        assert.deepEqual(heads.slice(0, 3), ['Measure', NAMES[p], 'National median']);
        const medians = await comparison.locator('tbody tr td:nth-of-type(2)').allInnerTexts();
        assert.ok(medians.some((m) => /^\d[\d,.]*(%| per 1,000 homes)$/.test(m.trim())), `a national median is shown beside ${p}'s measures: ${medians.join(' | ')}`);
        if (p !== A) {
          const tp01 = comparison.locator('tbody tr', { hasText: 'TP01' });
          assert.match(await tp01.innerText(), /TP01[^\n]*\t\d+(\.\d)?%\t\d+(\.\d)?%/, `${p}'s TP01 beside the national median`);
        }
        // Suppression: A has one damp and mould case open (from its Hearth), B's LCHO survey had 9 responses.
        if (p === A || p === B) {
          const counts = page.getByRole('table', { name: /Counts of people behind the measures/ });
          assert.match(await counts.innerText(), /fewer than 10/, `${p}: a count of people below 10 reads "fewer than 10"`);
          assert.doesNotMatch(await counts.innerText(), /\t[1-9]\t|\t[1-9]$/m, `${p}: no count from 1 to 9 is shown`);
        }
        await page.goto(`${base}/hub`);
      }

      // A national page: the TSM league table for TP01, with B and C on it.
      await page.getByRole('link', { name: 'Tenant Satisfaction Measures: landlords compared' }).click();
      await page.waitForURL((u) => u.pathname === '/hub/national/tsm');
      await check('the TSM league table');
      // The page opens on the latest period any landlord published (on a shared database, perhaps another test's):
      // choose the journey's period, as a reader would with the form's period.
      await page.goto(`${base}/hub/national/tsm?measure=tp01&tenure=LCRA&period=${PERIOD.from}_${PERIOD.to}`);
      const league = await main();
      assert.match(league, /National median: \d+(\.\d)?% \(\d+ landlords\)/);
      assert.ok(league.includes(NAMES[B]) && league.includes(NAMES[C]), 'B and C are in the league table');
      await page.goto(`${base}/hub`);
      await page.getByRole('link', { name: 'Damp and mould by landlord size' }).click();
      await page.waitForURL((u) => u.pathname === '/hub/national/damp-and-mould');
      await check('damp and mould by landlord size');

      assert.match(await main(), /All landlords/);
      // The open data.
      await page.goto(`${base}/hub`);
      await page.getByRole('link', { name: 'Download the data (CSV and Parquet)' }).click();
      await page.waitForURL((u) => u.pathname === '/hub/data');
      await check('the open data page');
      if (width >= 500) {
        const csv = await download(page, page.getByRole('link', { name: 'Published measures, CSV' }));
        assert.match(csv.name, /^social-housing-measures-\d{4}-\d{2}-\d{2}\.csv$/);
        const rows = rowsOf(csv.text);
        for (const p of [A, B, C]) assert.ok(rows.some((r) => r.registration === p && r.period_from === PERIOD.from), `the open data has ${p}'s figures`);
        const dmA = rows.find((r) => r.registration === A && r.measure === 'dm_open' && r.tenure_group === 'LCRA')!;
        assert.equal(dmA.numerator, '', 'A\'s one open damp and mould case is hidden in the download too');
        assert.equal(dmA.numerator_note, 'fewer than 10');
        const lcho = rows.find((r) => r.registration === B && r.measure === 'tp01' && r.tenure_group === 'LCHO')!;
        assert.equal(lcho.denominator_note, 'fewer than 10', 'B\'s 9 responses are hidden');
        assert.equal(lcho.rate, '');
        const few = rows.find((r) => r.registration === EXTRA[7]!.publisher && r.measure === 'ch01_1' && r.tenure_group === 'LCRA')!;
        assert.deepEqual([few.numerator, few.numerator_note, few.rate], ['', 'fewer than 10', ''], 'a landlord\'s 4 complaints are hidden');
      }
      assert.deepEqual(await context.cookies(), [], 'the public site sets no cookie');
    } finally {
      await context.close();
    }
  });
}

test('2b. The public sees C\'s bad row on its quality page (row and column)', { timeout: 60_000 }, async () => {
  for (const width of [1280, 375]) {
    const context = await browser.newContext(width < 500 ? { viewport: { width, height: 740 }, isMobile: true, hasTouch: true } : { viewport: { width, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/hub/publishers/${C}/quality`);
      const text = await page.locator('main').innerText();
      assert.match(text, new RegExp(`Row ${badRow}\\b`), text);
      assert.match(text, /bedrooms/);
      await expectAccessible(page, `C's quality page at ${width} px`);
      if (width < 500) assert.ok(await pageWidth(page) <= width, 'the quality page scrolls sideways on a phone');
    } finally {
      await context.close();
    }
  }
});

// ---- 3. A regulator's analyst: filter, save, download -------------------------------------------------------------

test('3. A regulator\'s analyst filters "National data" by measure and region, saves the view, and downloads its CSV', { timeout: 60_000 }, async () => {
  const regulator = await landlord(h, `Regulator of Social Housing (test) ${unique}`);
  await h.auth.addUser({ organisationId: regulator.id, role: 'analyst', name: 'Rita Regulator', ...ANALYST });
  const page = await signedIn(browser, base, ANALYST, 1280, '/');
  try {
    await page.getByRole('link', { name: 'National data' }).first().click();
    await page.waitForURL((u) => u.pathname === '/hub-insight');
    await page.getByLabel('Measure').selectOption('dm_open');
    await page.getByLabel('Period').selectOption(`${PERIOD.from}_${PERIOD.to}`);
    await page.getByLabel('Region').selectOption({ label: YORKSHIRE.name });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((u) => u.searchParams.get('region') === YORKSHIRE.code);
    const table = await page.locator('#values').innerText();
    for (const p of [A, B, C, EXTRA[0]!.publisher, EXTRA[1]!.publisher]) assert.ok(table.includes(p), `${p} (Yorkshire) is shown`);
    for (const x of EXTRA.slice(2)) assert.ok(!table.includes(x.publisher), `${x.publisher} (not Yorkshire) is not shown`);

    const viewName = `Yorkshire damp and mould ${unique}`;
    await page.getByLabel('Name of the view').fill(viewName);
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.waitForURL((u) => u.pathname === '/hub-insight/views');
    assert.ok((await page.locator('main').innerText()).includes(viewName));
    const csv = await download(page, page.getByRole('link', { name: `Download CSV of ${viewName}` }));
    assert.match(csv.name, /\.csv$/);
    const rows = rowsOf(csv.text);
    assert.ok(rows.length >= 5, csv.text);
    const registrations = new Set(rows.map((r) => Object.values(r)[0]));
    for (const p of [A, B, C, EXTRA[0]!.publisher, EXTRA[1]!.publisher]) assert.ok(registrations.has(p), `the view's CSV has ${p}: ${csv.text}`);
    for (const x of EXTRA.slice(2)) assert.ok(!registrations.has(x.publisher), `the view's CSV leaves out ${x.publisher}`);
    for (const r of rows) assert.ok(Object.values(r).includes(YORKSHIRE.name), `every row is a Yorkshire landlord's: ${JSON.stringify(r)}`);
    for (const r of rows) assert.ok(Object.values(r).includes('dm_open'), `every row is the measure chosen: ${JSON.stringify(r)}`);
    // The exact figures, not for publication: A's one open case is there.
    const a = rows.find((r) => Object.values(r)[0] === A)!;
    assert.ok(Object.values(a).includes('1'), `A's exact count: ${JSON.stringify(a)}`);
  } finally {
    await page.context().close();
  }
});

// ---- 4. The TSM returns ------------------------------------------------------------------------------------------------

test('4. The analyst opens the TSM returns for the year the measures cover and downloads them: A, B and C are in the regulator\'s columns', { timeout: 60_000 }, async () => {
  const page = await signedIn(browser, base, ANALYST, 1280, '/hub-insight/tsm-returns');
  try {
    await page.getByLabel('Year the reporting year starts').fill(String(YEAR));
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((u) => u.searchParams.get('year') === String(YEAR));
    const reportingYear = `${YEAR}/${String((YEAR + 1) % 100).padStart(2, '0')}`;
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `TSM returns ${reportingYear}`);
    const text = await page.locator('main').innerText();
    for (const p of [B, C]) assert.ok(text.includes(NAMES[p]), `${p}'s return is listed`);
    const csv = await download(page, page.getByRole('link', { name: 'Download the returns as CSV' }));
    const rows = rowsOf(csv.text);
    assert.deepEqual(Object.keys(rows[0]!), ['landlord', 'registration number', 'period', 'tenure group', 'measure code', 'numerator', 'denominator',
      'value', 'unit', 'responses', 'method', 'sample size', 'precision', 'precision met']);
    const of = (p: string) => rows.filter((r) => r['registration number'] === p);
    for (const p of [A, B, C]) {
      assert.ok(of(p).length > 0, `${p} is in the TSM returns CSV`);
      for (const r of of(p)) { assert.equal(r.landlord, NAMES[p]); assert.equal(r.period, reportingYear); }
    }
    const tp01 = of(B).find((r) => r['measure code'] === 'TP01' && r['tenure group'] === 'LCRA')!;
    assert.deepEqual([tp01.numerator, tp01.responses, tp01.method, tp01['sample size']], ['700', '1110', 'mixed methods', '1110']);
    assert.ok(of(B).some((r) => r['tenure group'] === 'LCHO' && r['measure code'] === 'TP01'), 'B\'s LCHO return is apart from its LCRA one');
    assert.ok(of(C).some((r) => r['measure code'] === 'TP01' && r.numerator === '730'), 'C\'s TP01 from its measures.csv');
    assert.ok(of(A).some((r) => /^(NM01|RP02)/.test(r['measure code'])), `A's measures from its Hearth: ${JSON.stringify(of(A))}`);
  } finally {
    await page.context().close();
  }
});
