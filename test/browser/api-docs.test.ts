// The API docs (/api/docs, swagger-ui) in a real browser under their Content-Security-Policy (styles, fonts and
// images from this origin only): the page renders every operation, an operation opens with its responses, and the
// browser reports no CSP violation and no error. Screenshot: test-results/api-docs.png.
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { harness, type Harness } from '../support/harness.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS = path.resolve(import.meta.dirname, '..', '..', 'test-results');

let h: Harness;
let browser: Browser;
let base: string;
before(async () => {
  h = await harness();
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: CHROMIUM });
  fs.mkdirSync(RESULTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await h.close();
});

test('the API docs render every operation with no CSP violation', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Each violation as the page itself sees it (the console message is not always sent for styles).
  await page.addInitScript({ content: `document.addEventListener('securitypolicyviolation', (e) =>
    console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));` });
  const res = await page.goto(`${base}/api/docs/`);
  assert.equal(res?.status(), 200);
  await page.waitForSelector('.opblock');
  const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, object> };
  const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  assert.equal(await page.locator('.opblock').count(), operations, 'one block per operation');
  // The swagger-ui stylesheet applied (an unstyled page has no coloured method badges).
  const badge = await page.locator('.opblock-summary-method').first().evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);
  assert.notEqual(badge, 'rgba(0, 0, 0, 0)', 'method badges are styled');
  // Open one operation: its parameters and problem responses render too.
  await page.locator('#operations-Homes-listHomes .opblock-summary-control').click();
  await page.locator('#operations-Homes-listHomes .responses-table').waitFor();
  assert.match(await page.locator('#operations-Homes-listHomes').innerText(), /application\/problem\+json|401/);
  await page.screenshot({ path: path.join(RESULTS, 'api-docs.png'), fullPage: false });
  assert.deepEqual(problems, []);
  await page.close();
});
