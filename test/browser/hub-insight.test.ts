// The hub's BI pages in a real browser, signed in as an analyst: every page (with data, with an error, empty) checked
// with axe (every rule, 0 violations) on a phone (375 px) and a desktop (1280 px), none scrolling sideways on the phone
// (wide tables scroll in their own region); a view saved and deleted through the forms.
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { expectAccessible } from '../support/axe.ts';
import { pageWidth, signedIn } from '../support/browser.ts';
import { receive, upsertPublisher } from '../../src/modules/hub/intake.ts';
import { loadLocalAuthorities } from '../../src/modules/hub/public/local-authorities.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const seed = String(process.pid % 10000).padStart(4, '0');
const A = `JA${seed}`;
const B = `JB${seed}`;
const YEAR = 2060 + (process.pid % 20);
const ANALYST = { email: `analyst-${seed}-${Date.now()}@insight.example`, password: 'a long test password 1' };

let h: Harness;
let browser: Browser;
let base: string;

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  launching.catch(() => undefined);
  h = await harness();
  await h.store.system((db) => loadLocalAuthorities(db));
  const period = { from: `${YEAR}-04-01`, to: `${YEAR + 1}-03-31` };
  for (const [p, name, scale] of [[A, 'Wharfedale Homes With A Rather Long Name Indeed', 1], [B, 'Calder Valley Housing Association', 2]] as const) {
    await h.store.system((db) => upsertPublisher(db, { publisher: p, name: `${name} ${seed}`, kind: 'private-registered-provider' }));
    const records = [
      ...Array.from({ length: 6 }, (_, i) => ({ ...EXAMPLE_HOME, landlordReference: `${p}-${i}`, uprn: undefined })),
      { ...EXAMPLE_MEASURES, landlord: p, period, tp01: { satisfied: 700 + 50 * scale, responses: 1_110 } },
      { ...EXAMPLE_MEASURES, landlord: p, period, tenureGroup: 'LCHO', tp01: { satisfied: 6, responses: 9 }, tp02: undefined, tp05: undefined, tp12: undefined,
        survey: { ...EXAMPLE_MEASURES.survey!, sampleSize: 300, population: 1_400 } },
    ];
    const r = await h.store.system((db) => receive(db, { publisher: p, id: 'b1', via: 'push', body: JSON.stringify(records), records }));
    assert.equal(r.rejected, 0, JSON.stringify(r.errors));
  }
  const org = await landlord(h, `Regulator ${seed}`);
  await h.auth.addUser({ organisationId: org.id, role: 'analyst', name: 'Ana Lyst', ...ANALYST });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});
after(async () => { await browser?.close(); await h?.close(); });

const period = () => `${YEAR}-04-01_${YEAR + 1}-03-31`;
const PAGES = () => [
  [`/hub-insight?measure=tp01&period=${period()}`, 'a measure, both tenure groups'],
  [`/hub-insight?measure=nm01_1&period=all&tenure=LCRA`, 'a rate, every period'],
  [`/hub-insight?measure=tp01&size=huge`, 'a filter that is not one'],
  [`/hub-insight?measure=tp09&q=nobody-at-all`, 'no rows'],
  [`/hub-insight/cross-tab?measure=tp01&period=${period()}&rows=region&columns=tenure`, 'cross-tab by region and tenure'],
  [`/hub-insight/cross-tab?measure=tp01&rows=size&columns=period`, 'cross-tab by size and period'],
  [`/hub-insight/tsm-returns?year=${YEAR}`, 'TSM returns'],
  [`/hub-insight/tsm-returns?year=x`, 'TSM returns, a year that is not one'],
  [`/hub-insight/tsm-returns/${A}?year=${YEAR}`, "a landlord's TSM return"],
] as const;

test('every hub insight page passes axe at 375 px and 1280 px, and none scrolls sideways on a phone; a view is saved and deleted', async () => {
  for (const width of [375, 1280]) {
    const page = await signedIn(browser, base, ANALYST, width, '/hub-insight');
    for (const [url, name] of PAGES()) {
      await page.goto(`${base}${url}`);
      await expectAccessible(page, `${name} (${url}) at ${width} px`);
      if (width === 375) assert.ok(await pageWidth(page) <= 375, `${name} scrolls sideways on a phone`);
    }
    // Save the view shown (the error first: no name), see it listed, delete it.
    await page.goto(`${base}/hub-insight?measure=tp01&period=${period()}`);
    await page.getByRole('button', { name: 'Save view' }).click();
    await expectAccessible(page, `the save form with an error at ${width} px`);
    await page.getByLabel('Name of the view').fill(`My view ${width}`);
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.waitForURL((u) => u.pathname === '/hub-insight/views');
    await expectAccessible(page, `saved views at ${width} px`);
    if (width === 375) assert.ok(await pageWidth(page) <= 375, 'saved views scroll sideways on a phone');
    await page.getByRole('button', { name: `Subscribe to My view ${width}` }).click();
    await expectAccessible(page, `saved views, subscribed, at ${width} px`);
    await page.getByRole('button', { name: `Delete My view ${width}` }).click();
    await page.waitForURL((u) => u.pathname === '/hub-insight/views');
    assert.equal(await page.getByText(`My view ${width}`).count(), 0);
    await expectAccessible(page, `no saved views at ${width} px`);
    await page.context().close();
  }
});
