// The API reference (/api/docs, issue 13 defect 9) in a real browser: every page of it (the introduction and one page
// per tag) passes axe (every rule, any impact) at 375 and 1280 px, signed out and signed in; nothing sticks out of a
// 375 px window (wide tables scroll inside labelled regions, long paths wrap); every text is in the Arial stack, never
// GDS Transport; it all works with JavaScript off; and the browser reports no error or Content-Security-Policy
// violation. Screenshots: test-results/api-docs-*.png.
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { harness, type Harness } from '../support/harness.ts';
import { createOrganisation } from '../../src/modules/organisations/service.ts';
import { expectAccessible } from '../support/axe.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS = path.resolve(import.meta.dirname, '..', '..', 'test-results');
const ADMIN = { email: 'admin@api-docs.example', password: 'a long password for the api docs', name: 'Docs Administrator' };

interface Doc { tags: { name: string }[]; paths: Record<string, Record<string, { operationId: string; tags: string[] }>> }

let h: Harness;
let browser: Browser;
let base: string;
let doc: Doc;
/** Every page of the reference: the introduction, then one per tag (linked from it). */
let pages: string[];

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  launching.catch(() => undefined);
  h = await harness();
  const org = await createOrganisation(h.store, { name: 'Docs Homes', kind: 'private-registered-provider' });
  await h.auth.addUser({ organisationId: org.id, role: 'administrator', ...ADMIN });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
  fs.mkdirSync(RESULTS, { recursive: true });
  doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as Doc;
  const intro = (await h.app.inject({ method: 'GET', url: '/api/docs' })).body;
  pages = ['/api/docs', ...new Set([...intro.matchAll(/href="(\/api\/docs\/[a-z0-9-]+)"/g)].map((m) => m[1]!))];
});

after(async () => {
  await browser?.close();
  await h?.close();
});

/** A page in a fresh context that records console errors, page errors and CSP violations. */
async function open(width: number, options: { javaScript?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: options.javaScript ?? true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript({ content: `document.addEventListener('securitypolicyviolation', (e) =>
    console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));` });
  return { context, page, problems };
}


/** Elements sticking out of the window, those inside a scrolling table region excepted (as test/browser/layout.test.ts). */
const outsideTheWindow = (page: Page) => page.evaluate<string[]>(`[...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    && !el.closest('.hearth-table-scroll')?.contains(el.parentElement))
  .map((el) => el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 40)).slice(0, 3)`);

/** Every font family used for text on the page (elements with text of their own). */
const fontFamilies = (page: Page) => page.evaluate<string[]>(`[...new Set([...document.querySelectorAll('body *')]
  .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
  .map((el) => getComputedStyle(el).fontFamily))]`);

test('the reference has an introduction and a page for every tag', () => {
  assert.equal(pages.length, 1 + doc.tags.length, pages.join(', '));
});

for (const width of [375, 1280]) {
  describe(`signed out at ${width} px`, () => {
    let context: BrowserContext;
    let page: Page;
    let problems: string[];
    before(async () => ({ context, page, problems } = await open(width)));
    after(() => context?.close());

    test('every page passes axe, fits the window, is in the Arial stack and has no browser error', async () => {
      for (const url of pages) {
        const res = await page.goto(`${base}${url}`);
        assert.equal(res?.status(), 200, url);
        await expectAccessible(page, `${url} at ${width} px`);
        assert.deepEqual(await outsideTheWindow(page), [], `${url} at ${width} px: nothing sticks out of the window`);
        assert.equal(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 0, `${url}: no sideways scroll`);
        for (const family of await fontFamilies(page)) {
          assert.doesNotMatch(family, /GDS Transport/i, `${url}: ${family}`);
          assert.match(family, /\bArial\b|monospace/i, `${url}: ${family}`);
        }
        const body = await page.locator('main td').first().evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).fontFamily).catch(() => 'Arial');
        assert.match(body, /^Arial\b/, `${url}: table text in ${body}`);
        // Every wide table is in a labelled region that takes keyboard focus, so it can scroll by keyboard.
        for (const region of await page.locator('main table').locator('xpath=..').all()) {
          assert.equal(await region.getAttribute('role'), 'region', url);
          assert.ok(await region.getAttribute('aria-label'), url);
          assert.equal(await region.getAttribute('tabindex'), '0', url);
        }
      }
      assert.deepEqual(problems, []);
    });

    test('a screenshot of the Homes page', async () => {
      await page.goto(`${base}/api/docs/homes`);
      await page.screenshot({ path: path.join(RESULTS, `api-docs-homes-${width}.png`), fullPage: false });
      await page.goto(`${base}/api/docs`);
      await page.screenshot({ path: path.join(RESULTS, `api-docs-${width}.png`), fullPage: false });
    });
  });
}

test('with JavaScript off, the contents lead to every operation, each shown in full', async () => {
  const { context, page, problems } = await open(1280, { javaScript: false });
  try {
    await page.goto(`${base}/api/docs`);
    await page.getByRole('link', { name: 'Download the OpenAPI document (JSON)' }).waitFor();
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    for (const op of ops) {
      const link = page.locator(`main a[href$="#${op.operationId}"]`);
      assert.equal(await link.count(), 1, `the contents link to ${op.operationId}`);
    }
    // Follow one: the operation's heading, its parameters and its responses are on the tag's page.
    await page.locator('main a[href$="#listHomes"]').click();
    await page.waitForURL(/\/api\/docs\/homes#listHomes$/);
    await page.getByRole('heading', { level: 1, name: 'Homes' }).waitFor();
    assert.equal(await page.locator('main h2[id]:not(#on-this-page)').count(), ops.filter((o) => o.tags[0] === 'Homes').length, 'one heading per operation');
    assert.ok(await page.getByRole('region', { name: /^Parameters: List home records$/ }).isVisible());
    assert.match(await page.getByRole('region', { name: /^Responses: List home records$/ }).innerText(), /401[\s\S]*application\/problem\+json/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

describe('signed in', () => {
  for (const width of [375, 1280]) {
    test(`at ${width} px: their own header, the footer link, no API link in the navigation, and axe finds nothing`, async () => {
      const { context, page, problems } = await open(width);
      try {
        await page.goto(`${base}/sign-in`);
        await page.getByLabel('Email address').fill(ADMIN.email);
        await page.getByLabel('Password').fill(ADMIN.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${base}/`);
        await page.getByRole('contentinfo').getByRole('link', { name: 'API documentation' }).click();
        await page.waitForURL(`${base}/api/docs`);
        assert.ok(await page.getByRole('button', { name: /Sign out/ }).isVisible(), 'the header shows who is signed in');
        assert.equal(await page.getByRole('navigation', { name: 'Menu' }).locator('a[href^="/api"]').count(), 0, 'no API link in the navigation');
        await expectAccessible(page, `/api/docs signed in at ${width} px`);
        await page.goto(`${base}/api/docs/webhooks`);
        await expectAccessible(page, `/api/docs/webhooks signed in at ${width} px`);
        assert.deepEqual(await outsideTheWindow(page), []);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
