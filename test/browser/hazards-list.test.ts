// The list of every hazard report (/hazards) in a real browser: axe (every rule, any impact) finds nothing at 1280 px
// and on a 375 px phone, the table scrolls inside its labelled region so the page never scrolls sideways, and the
// filter works with JavaScript off (a GOV.UK form sent with GET).
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { chromium, type Browser, type Page } from 'playwright-core';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { patches, patchEstates } from '../../src/modules/patches/schema.ts';
import { expectAccessible } from '../support/axe.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const OFFICER = { email: 'officer@hazards-list.example', password: 'a long test password for hazards', name: 'Olivia Officer-Longname' };

let h: Harness;
let a: Landlord;
let browser: Browser;
let base: string;

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  launching.catch(() => undefined);
  h = await harness();
  a = await landlord(h);
  const A = a.as.administrator;
  const estate = (await api(h, 'POST', '/api/v1/estates', A, { name: 'Moor Estate' })).body.id as string;
  await api(h, 'POST', '/api/v1/estates', A, { name: 'Park Estate with a very long name indeed' });
  for (let i = 0; i < 6; i++) {
    const home = (await api(h, 'POST', '/api/v1/homes', A, sample.home({ subBuilding: `Flat ${i + 1}`, estateId: i < 4 ? estate : undefined }))).body.id as string;
    const r = await api(h, 'POST', `/api/v1/homes/${home}/hazard-reports`, A, {
      hazard: i % 2 ? 'excess-cold' : 'damp-and-mould', severity: i % 3 ? 'significant' : 'emergency',
      reportedAt: new Date(Date.now() - i * 9 * 86_400_000 - 3_600_000).toISOString(), description: 'Found on a visit',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const officer = await h.auth.addUser({ organisationId: a.id, role: 'housing-officer', ...OFFICER });
  await h.store.withOrg(a.id, async (tx) => {
    const patchId = uuidv7();
    await tx.insert(patches).values({ organisationId: a.id, id: patchId, name: 'Moor patch', officerUserId: officer.id });
    await tx.insert(patchEstates).values({ organisationId: a.id, patchId, estateId: estate });
  });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});

after(async () => {
  await browser?.close();
  await h?.close();
});

async function signedIn(width: number, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email address').fill(OFFICER.email);
  await page.getByLabel('Password').fill(OFFICER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  return page;
}


for (const width of [1280, 375]) {
  test(`the hazard reports list at ${width} px: accessible, the table scrolls in its labelled region, the page never sideways`, async () => {
    const page = await signedIn(width);
    await page.goto(`${base}/hazards?status=all`);
    assert.equal(await page.locator('#count').textContent(), '6 hazard reports');
    await expectAccessible(page, `/hazards at ${width} px`);
    const region = page.getByRole('region', { name: 'Hazard reports, newest first' });
    assert.equal(await region.getAttribute('tabindex'), '0');
    assert.equal(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 0);
    // Insight is the service navigation's current link: the list is found from it.
    assert.equal(await page.locator('.govuk-service-navigation__item--active').textContent().then((t) => t?.trim()), 'Insight');
    await page.context().close();
  });
}

test('the filter works without JavaScript: my patch and deadlines', async () => {
  const page = await signedIn(1280, false);
  await page.goto(`${base}/hazards`);
  assert.equal(await page.locator('#count').textContent(), '6 open hazard reports');
  await page.getByLabel('Only homes in my patch').check();
  await page.getByLabel('Status').selectOption('all');
  await page.getByRole('button', { name: 'Show hazard reports' }).click();
  await page.waitForURL(/mine=yes/);
  assert.equal(await page.locator('#count').textContent(), '4 hazard reports in your patch');
  assert.equal(await page.getByLabel('Only homes in my patch').isChecked(), true, 'the choices are kept');
  await page.context().close();
});
