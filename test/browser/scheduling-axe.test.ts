// The planner's pages pass axe (every rule, any impact), in a real browser, with and without errors: the day with its
// appointments and its plan, the operatives, adding and changing one. A browser test:
// needs Chromium at /usr/bin/chromium (scripts/ensure-chromium.sh), and fails, saying so, without it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import { expectAccessible } from '../support/axe.ts';
import { bookAppointment, type Slot } from '../../src/modules/scheduling/index.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const PLANNER = { email: 'planner@scheduling-axe.example', password: 'a long test password 1', name: 'Pia Planner' };
const SLOTS: Slot[] = [{ code: 'AM', label: 'Morning', start: '08:00', end: '13:00' }, { code: 'PM', label: 'Afternoon', start: '13:00', end: '18:00' }];
const DATE = '2027-03-08';
let h: Harness;
let L: Landlord;
let browser: Browser;
let base: string;

if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);

before(async () => {
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  launching.catch(() => undefined);
  h = await harness();
  L = await landlord(h);
  await h.auth.addUser({ organisationId: L.id, role: 'repairs-planner', ...PLANNER });
  for (const [name, trades] of [['Pat Plumber', ['plumbing']], ['Eve Sparks', ['electrical']]] as const) {
    const r = await api(h, 'POST', '/api/v1/operatives', L.as['repairs-planner'], { name, trades, pattern: { days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' }, baseLatitude: 53.8, baseLongitude: -1.55 });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  await h.store.withOrg(L.id, async (tx) => {
    const ctx = { actor: { kind: 'user' as const, id: randomUUID(), name: 'Test', organisationId: L.id, role: 'repairs-planner' as const }, tx };
    for (const [trade, slot] of [['plumbing', 'AM'], ['plumbing', 'PM'], ['electrical', 'AM'], ['electrical', 'PM']] as const) {
      const id = randomUUID();
      await bookAppointment(ctx, { jobKind: 'repair', jobId: id, jobReference: `RJ-${id.slice(0, 6)}`, href: `/repairs/work-orders/${id}`, label: `A ${trade} job · 1 Test Road`,
        trade, minutes: 60, date: DATE, slot, slots: SLOTS, latitude: 53.81, longitude: -1.56 }, new Date('2027-03-01T00:00:00Z'));
    }
  });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});
after(async () => { await browser?.close(); await h?.close(); });

test('the planner’s pages pass axe, with and without errors', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${base}/scheduling?date=${DATE}`);
  await page.getByLabel('Email address', { exact: true }).fill(PLANNER.email);
  await page.getByLabel('Password').fill(PLANNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: /Appointments on Monday 8 March 2027/ }).waitFor();
  await expectAccessible(page, 'the day before its plan');
  await page.getByRole('button', { name: 'Build the plan' }).click();
  await page.getByRole('heading', { level: 2, name: 'The plan' }).waitFor();
  assert.match(await page.content(), /Pat Plumber/);
  await expectAccessible(page, 'the day with its plan');

  await page.getByLabel('Day').fill('31');
  await page.getByLabel('Month').fill('2');
  await page.getByLabel('Year').fill('2027');
  await page.getByRole('button', { name: 'Show the day' }).click();
  await page.getByText('There is a problem').waitFor();
  await expectAccessible(page, 'the day with a date that does not exist');

  await page.goto(`${base}/scheduling/operatives`);
  await expectAccessible(page, 'the operatives');
  await page.getByRole('button', { name: 'Add an operative' }).click();
  await page.getByRole('heading', { level: 1, name: 'Add an operative' }).waitFor();
  await expectAccessible(page, 'add an operative');
  await page.getByRole('button', { name: 'Add operative' }).click();
  await page.getByText('There is a problem').waitFor();
  await expectAccessible(page, 'add an operative, with errors');

  await page.goto(`${base}/scheduling/operatives`);
  await page.getByRole('link', { name: /Eve Sparks/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Eve Sparks' }).waitFor();
  await expectAccessible(page, 'change an operative');
  await context.close();
});
