// The hub's public website in a real browser, as the public sees it: no sign-in, every page checked with axe (every
// rule, 0 violations) on a phone (375 px) and a desktop (1280 px), no sideways scrolling on the phone, the browser
// reporting no CSP violation, and the search form used with JavaScript off (the pages need none).
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { harness, type Harness } from '../support/harness.ts';
import { expectAccessible } from '../support/axe.ts';
import { pageWidth } from '../support/browser.ts';
import { receive, upsertPublisher } from '../../src/modules/hub/intake.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const seed = String(process.pid % 10000).padStart(4, '0');
const A = `QA${seed}`;
const B = `QB${seed}`;

let h: Harness;
let browser: Browser;
let base: string;

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  launching.catch(() => undefined);
  h = await harness();
  const lastYear = { from: '2024-04-01', to: '2025-03-31' };
  for (const [p, name, scale] of [[A, 'Wharfedale Homes', 1], [B, 'Calder Valley Housing Association', 2]] as const) {
    await h.store.system((db) => upsertPublisher(db, { publisher: p, name: `${name} ${seed}`, kind: 'private-registered-provider' }));
    const records = [
      ...Array.from({ length: 6 }, (_, i) => ({ ...EXAMPLE_HOME, landlordReference: `${p}-${i}`, uprn: undefined })),
      { ...EXAMPLE_MEASURES, landlord: p, tp01: { satisfied: 700 + 50 * scale, responses: 1_110 }, ch01_2: { numerator: 3 * scale, denominator: 12_480 } },
      { ...EXAMPLE_MEASURES, landlord: p, period: lastYear, tp01: { satisfied: 650 + 40 * scale, responses: 1_110 } },
      { ...EXAMPLE_MEASURES, landlord: p, tenureGroup: 'LCHO', tp01: { satisfied: 6, responses: 9 }, ch01_1: { numerator: 5, denominator: 300 } },
    ];
    const r = await h.store.system((db) => receive(db, { publisher: p, id: 'b1', via: 'push', body: JSON.stringify(records), records }));
    assert.equal(r.rejected, 0, JSON.stringify(r.errors));
  }
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});
after(async () => { await browser?.close(); await h?.close(); });

const PAGES = () => [
  ['/hub', 'search'], ['/hub?q=leeds', 'search results'], [`/hub/landlords/${A}`, "a landlord's page"], [`/hub/landlords/${B}?tenure=all`, "a landlord's page, all homes"],
  ['/hub/landlords/ZZ9999', 'an unknown landlord'], ['/hub/local-authorities/E08000035', 'a local authority'], ['/hub/local-authorities/E08000999', 'an unknown local authority'],
  ['/hub/national/higher-risk-buildings', 'higher-risk buildings'], ['/hub/national/damp-and-mould', 'damp and mould'],
  ['/hub/national/tsm', 'TSM league table'], ['/hub/national/tsm?measure=ch01_1&tenure=LCHO', 'TSM league table, CH01 LCHO'], ['/hub/data', 'open data'],
] as const;

for (const width of [375, 1280]) {
  test(`every public page at ${width} px: axe finds nothing, no CSP violation${width < 500 ? ', no sideways scrolling' : ''}`, { timeout: 180_000 }, async () => {
    const context = await browser.newContext({ ...(width < 500 ? { viewport: { width, height: 740 }, isMobile: true, hasTouch: true } : { viewport: { width, height: 900 } }) });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
    try {
      for (const [path, name] of PAGES()) {
        const res = await page.goto(`${base}${path}`);
        assert.ok(res, path);
        assert.ok(res.status() === 200 || res.status() === 404, `${path}: ${res.status()}`);
        await expectAccessible(page, `${name} at ${width} px`);
        if (width < 500) assert.ok(await pageWidth(page) <= width, `${path} is wider than the phone`);
      }
      assert.deepEqual(refused, []);
      assert.deepEqual(await context.cookies(), [], 'no cookie was set');
    } finally {
      await context.close();
    }
  });
}

test('search works without JavaScript: type a name, press Search, follow the result', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  try {
    await page.goto(`${base}/hub`);
    await page.getByLabel('Search for a landlord or a local authority').fill(`Wharfedale Homes ${seed}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/hub\?q=/);
    await page.getByRole('link', { name: `Wharfedale Homes ${seed}` }).click();
    await page.waitForURL(new RegExp(`/hub/landlords/${A}$`));
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Wharfedale Homes ${seed}`);
    assert.ok(await page.getByText('fewer than 10').first().isVisible());
  } finally {
    await context.close();
  }
});
