// The ASB officer's pages (issue 15) in a real browser: the list, finding the place by postcode, the person picker, the
// new-case form (and its errors), the step that shows open cases that may be the same problem (and its error), the case
// page with its tools, alerts and forms (and their errors), a tool's status page and closing a case (and their errors)
// each pass axe (every rule, 0 violations) at 375 px and 1280 px, and none scrolls sideways on a phone. The case page,
// the picker and the close page are screenshotted to test-results/.
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { expectAccessible } from '../support/axe.ts';
import { ukDate } from '../../src/platform/uk-time.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS = path.resolve(import.meta.dirname, '..', '..', 'test-results');
const OFFICER = { email: `asb-officer-${process.pid}@asb-pages.example`, password: 'a long test password for the asb pages', name: 'Olu Officer' };

/** The modules with the ASB pages registered (until the lead adds them to the ASB manifest, which this then keeps). */

let h: Harness;
let a: Landlord;
let browser: Browser;
let base: string;
let block = '';
let caseId = '';
let toolId = '';
let reviewCaseId = '';

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  fs.mkdirSync(RESULTS, { recursive: true });
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  launching.catch(() => undefined);
  h = await harness();
  a = await landlord(h, 'Moorside Homes');
  const made = async (url: string, body: unknown, who = a.as.administrator) => {
    const r = await api(h, 'POST', url, who, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  block = await made('/api/v1/blocks', sample.block({ name: 'Bronte House', postcode: 'LS6 1AA' }));
  const flat = await made('/api/v1/homes', sample.home({ blockId: block, subBuilding: 'Flat 1', postcode: 'LS6 1AA' }));
  await made('/api/v1/homes', sample.home({ blockId: block, subBuilding: 'Flat 2', postcode: 'LS6 1AA' }));
  const person = await made('/api/v1/people', sample.person({ givenName: 'Percy', familyName: 'Loud' }));
  await h.auth.addUser({ organisationId: a.id, role: 'asb-officer', ...OFFICER });
  // An open case at a flat of the block, with an overdue-looking plan as it comes: the similar step finds it.
  caseId = await made('/api/v1/asb-cases', {
    summary: 'Loud music late at night from the flat above', categories: ['noise'],
    parties: [{ role: 'complainant', kind: 'unknown', name: 'Carys Jones' }, { role: 'alleged-perpetrator', kind: 'person', personId: person }],
    places: [{ homeId: flat }],
    incident: { occurredOn: ukDate(new Date(Date.now() - 2 * 86_400_000)), occurredTime: '23:30', description: 'Music until 3am again', reportedVia: 'phone', reportedByPartyIndex: 0 },
  }, a.as['asb-officer']);
  // A tool and an alert, so the case page shows its tables as well as its forms.
  toolId = await made(`/api/v1/asb-cases/${caseId}/tools`, { kind: 'acceptable-behaviour-contract', status: 'in-place', startedOn: ukDate(new Date(Date.now() - 86_400_000)), notes: 'Signed at the office' }, a.as['asb-officer']);
  const alert = await api(h, 'POST', `/api/v1/asb-cases/${caseId}/alerts`, a.as['asb-officer'], { personId: person, words: 'do-not-visit-alone', reviewOn: ukDate(new Date(Date.now() + 90 * 86_400_000)) });
  assert.equal(alert.status, 201, JSON.stringify(alert.body));
  // A case with three reports, so it meets the ASB Case Review threshold and its page shows the review's section and form.
  reviewCaseId = await made('/api/v1/asb-cases', {
    summary: 'Shouting on the landing', categories: ['noise'], parties: [{ role: 'alleged-perpetrator', kind: 'person', personId: person }], places: [{ homeId: flat }],
    incident: { occurredOn: ukDate(new Date(Date.now() - 2 * 86_400_000)), description: 'Shouting at midnight' },
  }, a.as['asb-officer']);
  for (const days of [1, 0]) {
    const r = await api(h, 'POST', `/api/v1/asb-cases/${reviewCaseId}/incidents`, a.as['asb-officer'], { occurredOn: ukDate(new Date(Date.now() - days * 86_400_000)), description: 'Shouting again' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});

after(async () => {
  await browser?.close();
  await h?.close();
});

async function signedIn(width: number, next: string): Promise<Page> {
  const context = await browser.newContext(width < 500 ? { viewport: { width, height: 740 }, isMobile: true, hasTouch: true } : { viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email address').fill(OFFICER.email);
  await page.getByLabel('Password').fill(OFFICER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/sign-in');
  return page;
}

const pageWidth = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);

async function check(page: Page, name: string, width: number) {
  await expectAccessible(page, `${name} at ${width} px`);
  if (width === 375) assert.ok(await pageWidth(page) <= 375, `${name} scrolls sideways at 375 px`);
}

const screenshot = (page: Page, name: string, width: number) => page.screenshot({ path: path.join(RESULTS, `asb-${name}-${width}.png`), fullPage: true });

test('every ASB page, with and without errors, passes axe at 375 px and 1280 px, and none scrolls sideways on a phone', async () => {
  for (const width of [375, 1280]) {
    const page = await signedIn(width, '/asb');
    const continueButton = () => page.getByRole('button', { name: 'Continue' }).click();

    for (const url of ['/asb', '/asb?status=all', '/asb/cases/new', '/asb/cases/new?postcode=LS6+1AA', `/asb/cases/new?blockId=${block}`,
      `/asb/cases/new?blockId=${block}&find=perpetrator`, `/asb/cases/${caseId}/tools/${toolId}`, `/asb/cases/${caseId}/close`, `/asb/cases/${reviewCaseId}`, `/asb/cases/${caseId}`]) {
      const res = await page.goto(`${base}${url}`);
      assert.equal(res?.status(), 200, url);
      await check(page, url, width);
    }
    await page.getByRole('heading', { name: /Loud music/ }).waitFor();
    const main = await page.locator('main').innerText();
    assert.match(main, /Interview the complainant/);
    assert.match(main, /Acceptable behaviour contract/);
    assert.match(main, /Do not visit alone/);
    for (const heading of ['Add a tool or outcome', 'Raise an alert for other services', 'Close the case']) await page.getByRole('heading', { name: heading }).waitFor();
    await screenshot(page, 'case', width);
    // The case that met the threshold showed its ASB Case Review and the form to record it (checked by axe above).
    await page.goto(`${base}/asb/cases/${reviewCaseId}`);
    await page.getByRole('heading', { name: 'ASB Case Review', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Save the review' }).waitFor();

    // The person picker: searched by name, its results to choose from.
    await page.goto(`${base}/asb/cases/new?blockId=${block}&find=perpetrator`);
    await page.getByLabel('Name', { exact: true }).fill('Loud');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('group', { name: /People who match/ }).waitFor();
    await check(page, 'the person picker with results', width);
    await screenshot(page, 'person-picker', width);
    await page.getByRole('button', { name: 'Use this person' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await check(page, 'the person picker with an error', width);
    await page.getByLabel('Percy Loud').check();
    await page.getByRole('button', { name: 'Use this person' }).click();
    await page.getByRole('heading', { name: 'Open an ASB case' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Percy Loud/);
    await check(page, 'the new-case form with a person chosen', width);

    // The new-case form sent empty: the errors, each naming its field.
    await page.goto(`${base}/asb/cases/new?blockId=${block}`);
    await continueButton();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the problem in a line/);
    await check(page, 'the new-case form with errors', width);

    // Filled in at the block: the open case at a flat of it may be the same problem.
    await page.getByLabel('The problem in a line').fill('Shouting in the stairwell');
    await page.getByLabel('What happened', { exact: true }).fill('Shouting and banging on doors at night');
    const today = ukDate(new Date()).split('-');
    await page.getByLabel('Day').fill(String(Number(today[2])));
    await page.getByLabel('Month').fill(String(Number(today[1])));
    await page.getByLabel('Year').fill(today[0]!);
    await page.getByLabel('Noise', { exact: true }).check();
    await page.getByLabel('Someone not known').check();
    await continueButton();
    await page.getByRole('heading', { name: 'There are open cases that may be the same problem' }).waitFor();
    assert.match(await page.locator('main').innerText(), /same block: Bronte House/);
    await check(page, 'the similar-cases step', width);
    await continueButton();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await check(page, 'the similar-cases step with an error', width);

    // The case page with the add-incident form's errors.
    await page.goto(`${base}/asb/cases/${caseId}`);
    await page.getByRole('button', { name: 'Add the incident' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter what happened/);
    await check(page, 'the case page with errors', width);

    // The tool and alert forms sent empty: their errors, each naming its field.
    await page.goto(`${base}/asb/cases/${caseId}`);
    await page.getByRole('button', { name: 'Add the tool' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Select the tool or outcome/);
    await check(page, 'the case page with the tool form in error', width);
    await page.goto(`${base}/asb/cases/${caseId}`);
    await page.getByRole('button', { name: 'Raise the alert' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    const alertErrors = await page.locator('.govuk-error-summary').innerText();
    assert.match(alertErrors, /Select who the alert is about/);
    assert.match(alertErrors, /Enter the date the alert should be reviewed/);
    await check(page, 'the case page with the alert form in error', width);

    // A tool's status page and the close page, sent empty.
    await page.goto(`${base}/asb/cases/${caseId}/tools/${toolId}`);
    await page.getByRole('button', { name: 'Change the status' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await check(page, 'the tool page with an error', width);
    await page.goto(`${base}/asb/cases/${caseId}/close`);
    await screenshot(page, 'close', width);
    await page.getByRole('button', { name: 'Close the case' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Select why the case is closing/);
    await check(page, 'the close page with an error', width);
    await page.context().close();
  }
});
