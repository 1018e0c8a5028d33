// The feed-quality pages (public) and the hub operator's pages (an administrator's) in a real browser: each passes axe
// (every rule, 0 violations) at 375 px and 1280 px, none scrolls sideways on a phone, the public ones report no CSP
// violation. The operator's publisher page is checked with a key just made (its secret page), the results of an upload
// with errors, and the form errors of a refused source.
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { makeHubOperator } from '../../src/modules/hub/operator/service.ts';
import { expectAccessible } from '../support/axe.ts';
import { pageWidth, signedIn } from '../support/browser.ts';
import { receive, upsertPublisher } from '../../src/modules/hub/intake.ts';
import { registerSource } from '../../src/modules/hub/sources/registry.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';
import { standardCsv } from '../../src/modules/hub/standard/csv.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const seed = String((process.pid * 19) % 10000).padStart(4, '0');
const A = `QO${seed}`;
const ADMIN = { email: `hub-operator-${process.pid}@hub-quality.example`, password: 'a long test password for the hub operator', name: 'Opal Operator' };

let h: Harness;
let browser: Browser;
let base: string;
let csvFile: string;

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  launching.catch(() => undefined);
  h = await harness();
  const l = await landlord(h, 'Hub Operator Landlord');
  await h.auth.addUser({ organisationId: l.id, role: 'administrator', ...ADMIN });
  await h.store.system((db) => makeHubOperator(db, l.id));
  await h.store.system((db) => upsertPublisher(db, { publisher: A, name: `Wharfe Feed Homes ${seed}`, kind: 'private-registered-provider' }));
  const records = [
    ...Array.from({ length: 5 }, (_, i) => ({ ...EXAMPLE_HOME, landlordReference: `${A}-${i}`, uprn: undefined })),
    { ...EXAMPLE_HOME, landlordReference: `${A}-bad`, bedrooms: 99 }, { ...EXAMPLE_MEASURES, landlord: A },
  ];
  await h.store.system((db) => receive(db, { publisher: A, id: 'b1', via: 'push', body: JSON.stringify(records), records }));
  // A source that has failed, with its reason.
  await h.store.system(async (db) => {
    const s = await registerSource(db, { publisher: A, kind: 'feed', url: 'https://landlord.example.org/hhds/feed' });
    const reason = 'GET https://landlord.example.org/hhds/feed answered 503 Service Unavailable: tried again at the next poll';
    await db.execute(sql`UPDATE hub.sources SET status = 'failing', last_error = ${reason}, last_checked_at = now() WHERE publisher = ${A} AND id = ${s.id}`);
  });
  const csv = standardCsv('homes', [{ ...EXAMPLE_HOME, landlordReference: 'U1', uprn: undefined }, { ...EXAMPLE_HOME, landlordReference: 'U2', uprn: undefined }]).split('\n');
  csv[2] = csv[2]!.replace(',2,1968,', ',99,1968,');
  csvFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-quality-')), 'homes.csv');
  fs.writeFileSync(csvFile, csv.join('\n'));
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});
after(async () => { await browser?.close(); await h?.close(); fs.rmSync(path.dirname(csvFile), { recursive: true, force: true }); });

const phone = (width: number) => width < 500;
async function check(page: Page, name: string, width: number) {
  await expectAccessible(page, `${name} at ${width} px`);
  if (phone(width)) assert.ok(await pageWidth(page) <= width, `${name} is wider than the phone`);
}

for (const width of [375, 1280]) {
  test(`the public quality pages at ${width} px: axe finds nothing, no CSP violation`, { timeout: 120_000 }, async () => {
    const context = await browser.newContext(phone(width) ? { viewport: { width, height: 740 }, isMobile: true, hasTouch: true } : { viewport: { width, height: 900 } });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
    try {
      for (const [url, name] of [['/hub/quality', 'every publisher'], ['/hub/quality?sort=validity&dir=asc', 'sorted by validity'], [`/hub/publishers/${A}/quality`, "a publisher's quality"], ['/hub/publishers/ZZ9999/quality', 'an unknown publisher']] as const) {
        const res = await page.goto(`${base}${url}`);
        assert.ok(res && (res.status() === 200 || res.status() === 404), url);
        await check(page, name, width);
      }
      assert.deepEqual(refused, []);
    } finally {
      await context.close();
    }
  });

  test(`the hub operator's pages at ${width} px: axe finds nothing`, { timeout: 120_000 }, async () => {
    const page = await signedIn(browser, base, ADMIN, width, '/hub-operator');
    try {
      await check(page, 'the publishers', width);
      await page.goto(`${base}/hub-operator/new`);
      await check(page, 'add a publisher', width);
      await page.getByRole('button', { name: 'Add the publisher' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await check(page, 'add a publisher, with errors', width);
      await page.goto(`${base}/hub-operator/publishers/${A}`);
      await check(page, "a publisher's page", width);
      await page.getByRole('button', { name: 'Create a push key' }).click();
      await page.waitForSelector('[data-secret]');
      await check(page, 'a new key, its secret shown once', width);
      await page.goto(`${base}/hub-operator/publishers/${A}`);
      await page.getByLabel('Address').fill('ftp://landlord.example.org/homes.csv');
      await page.getByLabel('A published file').check();
      await page.getByRole('button', { name: 'Register' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await check(page, 'a source refused', width);
      await page.getByLabel('File', { exact: true }).setInputFiles(csvFile);
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.waitForSelector('#receipt');
      assert.match(await page.locator('#receipt').innerText(), /Row 3/);
      await check(page, 'an upload with errors', width);
    } finally {
      await page.context().close();
    }
  });
}
