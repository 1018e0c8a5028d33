// The forms layer's shared pages in a browser, checked with axe (every rule, 0 violations) as the staff pages are: a
// journey's step with the GOV.UK error summary and a field error, a date input in error, and the check-your-answers
// page with its Change links. The journey runs on a test-only route (src/web/forms/fixtures/journey-app.ts): no module
// uses one yet. Needs Chromium at /usr/bin/chromium (scripts/ensure-chromium.sh), like test/browser/pages.test.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { journeyTestApp } from '../../src/web/forms/fixtures/journey-app.ts';
import { expectAccessible } from '../support/axe.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const { app, written } = await journeyTestApp({ styles: true });
let browser: Browser;
let base: string;

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
after(async () => { await browser?.close(); await app.close(); });


test('a journey in a browser: errors on each step, check your answers, Change, and one report', async () => {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'hearth_session', value: 'browser-session', url: base }]);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  const start = '/test/homes/h9/repairs/report';

  await page.goto(`${base}${start}`);
  await expectAccessible(page, 'journey step');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  assert.match(await page.title(), /^Error: What needs repairing\?/);
  await expectAccessible(page, 'journey step with an error');
  // The summary's link moves to the field.
  await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter what needs repairing' }).click();
  assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id), 'description');
  await page.getByLabel('What needs repairing?').fill('Leaking tap');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByLabel('Day').fill('3');
  await page.getByLabel('Year').fill('2026');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('.govuk-error-summary').getByRole('link', { name: 'The date it started must include a month' }).waitFor();
  await expectAccessible(page, 'date input with an error');
  await page.getByLabel('Month').fill('2');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('heading', { name: 'Check your answers before reporting the repair' }).waitFor();
  await expectAccessible(page, 'check your answers');
  await page.getByRole('link', { name: 'Change what needs repairing' }).click();
  await page.getByLabel('What needs repairing?').fill('Leaking kitchen tap');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('Leaking kitchen tap').waitFor();
  await page.getByRole('button', { name: 'Report the repair' }).click();
  await page.waitForURL(/\/test\/repairs\/\d+$/);
  assert.deepEqual(written, [{ home: 'h9', description: 'Leaking kitchen tap', startedOn: '2026-02-03' }]);
  // A page with errors answers 400 by design, and the test's result URL is not a page (404): nothing else.
  assert.deepEqual(problems.filter((p) => !/Failed to load resource: the server responded with a status of (400|404)/.test(p)), [], 'no browser errors');
  await context.close();
});
