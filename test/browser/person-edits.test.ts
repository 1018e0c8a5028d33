// Issue 13: everyday edits to a person in a real browser, without JavaScript needed: change contact details (and the
// form in error), add an alert, review it, end it, and the "Alerts to review" list. Every page is checked with axe
// (every rule, 0 violations) and screenshotted to test-results/. Needs Chromium at /usr/bin/chromium
// (scripts/ensure-chromium.sh), like test/browser/pages.test.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { ukDate } from '../../src/platform/uk-time.ts';
import { expectAccessible as expectAccessibleOn } from '../support/axe.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS = path.resolve(import.meta.dirname, '..', '..', 'test-results');
const OFFICER = { email: 'officer@edits.example', password: 'a long test password 1', name: 'Olivia Officer' };

let h: Harness;
let L: Landlord;
let browser: Browser;
let base: string;
let personId: string;
const today = ukDate(new Date());
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  fs.mkdirSync(RESULTS, { recursive: true });
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  launching.catch(() => undefined);
  h = await harness();
  L = await landlord(h, 'Browser edits landlord');
  await h.auth.addUser({ organisationId: L.id, role: 'housing-officer', ...OFFICER });
  const r = await api(h, 'POST', '/api/v1/people', L.as.administrator, sample.person());
  assert.equal(r.status, 201, JSON.stringify(r.body));
  personId = r.body.id;
  // One alert overdue for review, for the list.
  const a = await api(h, 'POST', '/api/v1/alerts', L.as.administrator, { personId, hactCode: '20-60', category: 'AGE', confidentiality: 'standard',
    startDate: '2020-01-01', reviewDate: addDays(today, -2) });
  assert.equal(a.status, 201, JSON.stringify(a.body));
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});
after(async () => { await browser?.close(); await h?.close(); });

async function expectAccessible(page: Page, name: string) {
  await expectAccessibleOn(page, `the ${name} page`);
  await page.screenshot({ path: path.join(RESULTS, `person-edits-${name.replace(/\W+/g, '-')}.png`), fullPage: true });
}

test('an officer changes contact details, adds an alert, reviews it, ends it, and sees the alerts to review', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(5000);
  const page = await context.newPage();
  await page.goto(`${base}/people/${personId}/contact-details`);
  await page.getByLabel('Email address', { exact: true }).fill(OFFICER.email);
  await page.getByLabel('Password').fill(OFFICER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Change contact details' }).waitFor();
  assert.equal(await page.getByLabel('Mobile phone (optional)').inputValue(), '07700 900123');
  await expectAccessible(page, 'contact details');

  // In error: a phone number that is not one, an address without a town.
  await page.getByLabel('Mobile phone (optional)').fill('0770');
  await page.getByLabel('Address line 1').fill('12 Hill Street');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  assert.match(await page.title(), /^Error: /);
  await expectAccessible(page, 'contact details with errors');

  await page.getByLabel('Mobile phone (optional)').fill('07700 900 124');
  await page.getByLabel('Town or city').fill('Leeds');
  await page.getByLabel('Postcode').fill('LS6 1AA');
  await page.getByLabel('Communication needs (optional)').fill('Large print letters');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(`${base}/people/${personId}?updated=contact-details`);
  const [row] = (await h.store.withOrg(L.id, (tx) => tx.execute(sql`select contact_points, communication_needs from people where id = ${personId}`))).rows as
    { contact_points: { value: string }[]; communication_needs: string }[];
  assert.equal(row!.contact_points[0]!.value, '+447700900124');
  assert.equal(row!.communication_needs, 'Large print letters');

  // Add an alert: the form, then in error (a category that does not fit), then added.
  await page.goto(`${base}/people/${personId}/alerts/new`);
  await expectAccessible(page, 'add an alert');
  await page.getByLabel('Type of alert').selectOption({ label: 'Do not visit alone' });
  await page.getByLabel('Category').selectOption({ label: 'Pregnancy' });
  await page.getByLabel('Standard: staff who need it for their work').check();
  await page.getByRole('button', { name: 'Add the alert' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await expectAccessible(page, 'add an alert with errors');
  await page.getByLabel('Category').selectOption({ label: 'Risk to staff' });
  await page.getByLabel('Description (optional)').fill('Dog on the premises');
  await page.getByRole('button', { name: 'Add the alert' }).click();
  await page.getByText('Alert added').first().waitFor();
  await page.getByRole('heading', { level: 1, name: 'Do not visit alone' }).waitFor();
  await expectAccessible(page, 'an alert');

  // Review it: a next review date.
  const next = addDays(today, 60);
  const review = page.locator('form').filter({ has: page.getByRole('button', { name: 'Save the review' }) });
  await review.getByLabel('Day').fill(String(Number(next.slice(8))));
  await review.getByLabel('Month').fill(String(Number(next.slice(5, 7))));
  await review.getByLabel('Year').fill(next.slice(0, 4));
  await review.getByRole('button', { name: 'Save the review' }).click();
  await page.getByText('Alert reviewed').first().waitFor();
  await expectAccessible(page, 'an alert reviewed');

  // End it: an end date in the future is an error, today ends it.
  const end = page.locator('form').filter({ has: page.getByRole('button', { name: 'End the alert' }) });
  const future = addDays(today, 3);
  await end.getByLabel('Day').fill(String(Number(future.slice(8))));
  await end.getByLabel('Month').fill(String(Number(future.slice(5, 7))));
  await end.getByLabel('Year').fill(future.slice(0, 4));
  await end.getByRole('button', { name: 'End the alert' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await expectAccessible(page, 'end an alert with an error');
  const endAgain = page.locator('form').filter({ has: page.getByRole('button', { name: 'End the alert' }) });
  await endAgain.getByLabel('Day').fill(String(Number(today.slice(8))));
  await endAgain.getByLabel('Month').fill(String(Number(today.slice(5, 7))));
  await endAgain.getByLabel('Year').fill(today.slice(0, 4));
  await endAgain.getByRole('button', { name: 'End the alert' }).click();
  await page.waitForURL(`${base}/people/${personId}?updated=alert-ended`);

  // The alerts to review: the overdue one.
  await page.goto(`${base}/people/alerts/to-review`);
  await page.getByRole('heading', { level: 1, name: 'Alerts to review' }).waitFor();
  await page.getByText('Overdue').first().waitFor();
  await expectAccessible(page, 'alerts to review');
  await context.close();
});
