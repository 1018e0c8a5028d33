// A resident reports a damp bedroom wall from a phone (375 px) in a real browser: every page of the journey checked with
// axe (every rule, 0 violations), errors shown in the GOV.UK error summary, a slot booked, a reference given; then
// they find the repair again with the reference and postcode. Also the administrator's settings page at 1280 px.
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { chromium, type Browser } from 'playwright-core';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { expectAccessible } from '../support/axe.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { createOperative } from '../../src/modules/scheduling/service.ts';
import { repairRequests, repairs } from '../../src/modules/repairs/schema.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const PLANNER = { email: 'planner@report-a-repair.example', password: 'a long test password for planning', name: 'Pat Planner' };
const ADMIN = { email: 'admin@report-a-repair.example', password: 'a long test password for repairs', name: 'Ada Admin' };

let h: Harness;
let a: Landlord;
let browser: Browser;
let base: string;

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  launching.catch(() => undefined);
  h = await harness();
  a = await landlord(h, 'Moorside Homes');
  const made = async (url: string, body: unknown) => {
    const r = await api(h, 'POST', url, a.as.administrator, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  let home = '';
  for (const flat of ['Flat 1', 'Flat 2', 'Flat 12']) home = await made('/api/v1/homes', sample.home({ subBuilding: flat, postcode: 'LS6 1AA' }));
  // Flat 12's household has a "risk to staff" alert: the planner sees "Visit in pairs", never the alert.
  const personId = await made('/api/v1/people', sample.person());
  await made('/api/v1/tenancies', { reference: 'T-12', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: home, members: [{ personId, role: 'lead' }] });
  await made('/api/v1/alerts', { personId, hactCode: '10', category: 'RISK', confidentiality: 'confidential', startDate: '2024-01-01', description: 'Aggressive dog' });
  await h.auth.addUser({ organisationId: a.id, role: 'repairs-planner', ...PLANNER });
  await h.store.withOrg(a.id, (tx) => createOperative({ actor: systemActor(a.id), tx }, {
    name: 'Sam Fixer', trades: ['damp-and-mould', 'plumbing', 'carpentry'], pattern: { days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '18:00' },
  }));
  await h.auth.addUser({ organisationId: a.id, role: 'administrator', ...ADMIN });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});

after(async () => {
  await browser?.close();
  await h?.close();
});

test('a resident reports a damp bedroom wall on a phone, books a slot and gets a reference (every page passes axe); a planner sees the Awaab\'s priority and "Visit in pairs"; the resident cancels', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  const checked = async (name: string) => {
    await expectAccessible(page, name);
    // Nothing wider than the phone: the page never scrolls sideways.
    const wide = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    assert.ok(wide <= 375, `${name} is ${wide} px wide at 375 px`);
  };
  const next = () => page.getByRole('button', { name: 'Continue' }).click();

  // The landlord's own address: on PostgreSQL the test files share a database, so /report-a-repair asks which landlord.
  await page.goto(`${base}/landlords/${a.id}/report-a-repair`);
  await page.getByRole('heading', { name: 'Report a repair' }).waitFor();
  await checked('start page');
  await page.getByRole('button', { name: 'Start now' }).click();

  await page.getByRole('heading', { name: 'Is it one of these emergencies?' }).waitFor();
  await checked('emergency screen');
  await next();
  await page.locator('.govuk-error-summary').waitFor();
  assert.match(await page.title(), /^Error: /);
  await checked('emergency screen with an error');
  await page.getByLabel('None of these').check();
  await next();

  await page.getByLabel('Inside my home').check();
  await checked('where');
  await next();

  await page.getByLabel('What is your postcode?').fill('ls6 1aa');
  await checked('postcode');
  await next();
  await page.getByRole('heading', { name: 'Select your address' }).waitFor();
  await checked('address');
  await page.getByLabel(/Flat 12/).check();
  await next();

  for (const answer of ['Bedroom', 'Damp or mould', 'Damp patch or wet wall']) {
    await page.locator('h1').waitFor();
    await checked(`problem: ${answer}`);
    await page.getByLabel(answer, { exact: true }).check();
    await next();
  }

  await page.getByRole('heading', { name: 'Describe the problem' }).waitFor();
  await next();
  await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter what is wrong' }).waitFor();
  await checked('describe with an error');
  await page.getByLabel('What is wrong?').fill('The wall under the window is wet and there is black mould growing on it');
  await page.getByLabel(/Where exactly/).fill('Bedroom, under the window');
  await next();

  await page.getByRole('heading', { name: /Add photos/ }).waitFor();
  await checked('photos');
  await next();

  await page.getByRole('heading', { name: 'When can we visit?' }).waitFor();
  await checked('when');
  await page.locator('input[name="slot"]').first().check();
  const chosen = await page.locator('input[name="slot"]:checked').evaluate((e) => (e as unknown as { value: string }).value);
  assert.notEqual(chosen, 'none');
  await next();

  await page.getByRole('heading', { name: 'Your contact details' }).waitFor();
  await page.getByLabel('Full name').fill('Ada Resident');
  await page.getByLabel('Phone number').fill('07700 900982');
  await page.getByLabel('Phone call').check();
  await checked('contact');
  await next();

  await page.getByRole('heading', { name: 'Check your answers before reporting your repair' }).waitFor();
  await checked('check your answers');
  await page.getByText('Bedroom › Damp or mould › Damp patch or wet wall').waitFor();
  await page.getByRole('button', { name: 'Report the repair' }).click();

  await page.getByRole('heading', { name: 'Repair reported' }).waitFor();
  await checked('confirmation');
  const reference = (await page.locator('.govuk-panel strong').textContent())?.trim() ?? '';
  assert.match(reference, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const [request] = await h.store.withOrg(a.id, (tx) => tx.select().from(repairRequests).where(eq(repairRequests.reference, reference)));
  assert.equal(request!.priorityCode, 'awaab-significant');
  const [workOrder] = await h.store.withOrg(a.id, (tx) => tx.select().from(repairs).where(eq(repairs.requestId, request!.id)));
  assert.equal(workOrder!.workStatus, 'scheduled');

  // A repairs planner sees the job with the Awaab's priority and "Visit in pairs", and nothing of the alert itself.
  const staff = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const planner = await staff.newPage();
  await planner.goto(`${base}/sign-in?next=/repairs/work-orders/${workOrder!.id}`);
  await planner.getByLabel('Email address').fill(PLANNER.email);
  await planner.getByLabel('Password').fill(PLANNER.password);
  await planner.getByRole('button', { name: 'Sign in' }).click();
  await planner.getByText(workOrder!.jobReference).first().waitFor();
  const sheet = await planner.locator('main').innerText();
  assert.match(sheet, /Damp and mould \(Awaab's Law\)/);
  assert.match(sheet, /Visit in pairs/);
  assert.doesNotMatch(sheet, /Aggressive dog/);
  await staff.close();

  // Find it again.
  await page.getByRole('link', { name: 'Check, change or cancel a repair' }).click();
  await page.getByRole('heading', { name: 'Find your repair' }).waitFor();
  await checked('find a repair');
  await page.getByLabel('Repair reference').fill(reference.toLowerCase());
  await page.getByLabel('Postcode').fill('LS6 1AB');
  await page.getByRole('button', { name: 'Find repair' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  await checked('find a repair: not found');
  await page.getByLabel('Postcode').fill('LS6 1AA');
  await page.getByRole('button', { name: 'Find repair' }).click();
  await page.getByRole('heading', { name: `Your repair ${reference}` }).waitFor();
  await checked('your repair');
  await page.getByRole('link', { name: 'Cancel this repair' }).click();
  await checked('cancel: are you sure');
  await page.getByRole('button', { name: 'Yes, cancel the repair' }).click();
  await page.getByRole('heading', { name: 'Repair cancelled' }).waitFor();
  await checked('cancelled');

  // Pages with errors answer 400 by design: nothing else.
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), [], 'no browser errors');
  await context.close();
});

test('the administrator\'s repair settings page passes axe at 1280 px and 375 px', async () => {
  for (const width of [1280, 375]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in?next=/repairs/settings`);
    await page.getByLabel('Email address').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Repair settings' }).waitFor();
    await expectAccessible(page, `repair settings at ${width} px`);
    await context.close();
  }
});
