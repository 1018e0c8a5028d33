// The page layout in a real browser (issue 13, defects 7 and 9): the header fits one line at 1280 px for every role,
// with no API docs link in the staff navigation; every text, SVG charts included, is in the GOV.UK fallback font stack
// (Arial), never the browser's default serif; the overview search box is full width on a 375 px phone; wide tables
// scroll inside a labelled, focusable region so no page scrolls sideways; axe (every rule, any impact) finds nothing.
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { harness, type Harness } from '../support/harness.ts';
import { generateDemo } from '../../src/modules/demo/generate.ts';
import { ROLES, type Role } from '../../src/platform/auth/roles.ts';
import { expectAccessible } from '../support/axe.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS = path.resolve(import.meta.dirname, '..', '..', 'test-results');
const PASSWORD = 'a long demo password for layout';
const who = (role: Role) => ({ email: `${role}@layout.example`, password: PASSWORD, name: `Layout ${role}` });

let h: Harness;
let browser: Browser;
let base: string;

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  launching.catch(() => undefined);
  h = await harness();
  const demo = await generateDemo(h.store, { homes: 150, seed: 2, name: 'Riverside Homes (demo)' });
  // Every role, with a long name as real staff have: the header must still fit.
  for (const role of ROLES) await h.auth.addUser({ organisationId: demo.organisationId, role, ...who(role) });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});

after(async () => {
  await browser?.close();
  await h?.close();
});

async function signedIn(role: Role, width: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email address').fill(who(role).email);
  await page.getByLabel('Password').fill(who(role).password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  return { context, page };
}


/** Elements sticking out of the window (a clipped page would not scroll, yet hide them), those inside a scrolling
 * table region excepted. A string run in the page: this project's TypeScript has no DOM types. */
const outsideTheWindow = (page: Page) => page.evaluate<string[]>(`[...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    && !el.closest('.hearth-table-scroll')?.contains(el.parentElement))
  .map((el) => el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 40)).slice(0, 3)`);

/** How far the page scrolls sideways (0 when nothing is wider than the window). */
const sidewaysOverflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

describe('the header at 1280 px', () => {
  for (const role of ROLES) {
    test(`${role}: every navigation link on one line, Sign out beside them, no API docs link`, async () => {
      const { context, page } = await signedIn(role, 1280);
      try {
        const nav = page.getByRole('navigation', { name: 'Menu' });
        const items = await nav.getByRole('link').all();
        assert.ok(items.length >= 2, 'the navigation has links (an operative has two: Home and My jobs)');
        const boxes = await Promise.all(items.map(async (l) => (await l.boundingBox())!));
        const tops = new Set(boxes.map((b) => Math.round(b.y)));
        assert.equal(tops.size, 1, `the links share one top offset, got ${[...tops].join(', ')}`);
        const lowest = Math.max(...boxes.map((b) => b.y + b.height));
        const signOut = (await page.getByRole('button', { name: /^Sign out/ }).boundingBox())!;
        assert.ok(signOut.y < lowest, `Sign out (top ${signOut.y}) is not below the navigation (bottom ${lowest})`);
        assert.equal(await nav.getByRole('link', { name: 'API' }).count(), 0, 'the API docs are not in the staff navigation');
        assert.equal(await nav.locator('a[href^="/api"]').count(), 0);
        // Still reachable: the footer links to them.
        assert.equal(await page.getByRole('contentinfo').locator('a[href="/api/docs"]').count(), 1, 'the footer links to the API docs');
        fs.mkdirSync(RESULTS, { recursive: true });
        await page.screenshot({ path: path.join(RESULTS, `layout-header-${role}.png`), clip: { x: 0, y: 0, width: 1280, height: 240 } });
      } finally {
        await context.close();
      }
    });
  }
});

describe('fonts, narrow screens and wide tables', () => {
  let context: BrowserContext;
  let page: Page;
  before(async () => ({ context, page } = await signedIn('administrator', 1280)));
  after(() => context?.close());

  test('chart text and big numbers on the insight dashboard are in the Arial stack, not the default serif', async () => {
    await page.goto(`${base}/insight`);
    const chartText = page.locator('svg.hearth-chart text').first();
    await chartText.waitFor();
    const families = {
      chart: await chartText.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).fontFamily),
      figure: await page.locator('.hearth-stat__value').first().evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).fontFamily),
      body: await page.locator('body').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).fontFamily),
    };
    for (const [what, family] of Object.entries(families)) {
      assert.match(family, /\bArial\b/i, `${what}: ${family}`);
      assert.doesNotMatch(family, /GDS Transport|Times/i, `${what}: ${family}`);
    }
    await expectAccessible(page, 'the insight dashboard');
  });

  test('the overview search box is full width on a 375 px phone', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/`);
    const input = (await page.locator('#q').boundingBox())!;
    const form = (await page.getByRole('search').boundingBox())!;
    assert.ok(Math.abs(input.width - form.width) <= 1, `the box is ${input.width} px wide in a ${form.width} px form`);
    assert.equal(await sidewaysOverflow(page), 0);
    await page.screenshot({ path: path.join(RESULTS, 'layout-overview-375.png') });
    await expectAccessible(page, 'the overview at 375 px');
  });

  for (const width of [375, 1280]) {
    test(`higher-risk buildings at ${width} px: the tables scroll inside labelled regions, the page never sideways`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/insight/higher-risk-buildings`);
      await page.getByRole('heading', { level: 1, name: 'Higher-risk buildings' }).waitFor();
      const tables = page.locator('main table');
      assert.ok(await tables.count() >= 1, 'the demo has a table to show');
      for (const table of await tables.all()) {
        const wrapper = table.locator('xpath=..');
        assert.equal(await wrapper.getAttribute('role'), 'region');
        assert.equal(await wrapper.getAttribute('tabindex'), '0');
        assert.ok(await wrapper.getAttribute('aria-label'));
      }
      assert.equal(await sidewaysOverflow(page), 0, 'the page does not scroll sideways');
      // Nothing sticks out of the window either (a clipped page would not scroll, yet hide it).
      const overflowing = await outsideTheWindow(page);
      assert.deepEqual(overflowing, []);
      await expectAccessible(page, `higher-risk buildings at ${width} px`);
    });
  }

  test('no staff page scrolls sideways on a 375 px phone', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    const wide: string[] = [];
    for (const url of ['/', '/search?q=road', '/insight', '/insight/damp-and-mould', '/insight/hazards', '/data-quality', '/imports', '/linkage', '/users', '/webhooks']) {
      await page.goto(`${base}${url}`);
      const overflow = await sidewaysOverflow(page);
      if (overflow > 0) wide.push(`${url}: ${overflow} px (${(await outsideTheWindow(page)).join('; ')})`);
    }
    assert.deepEqual(wide, []);
  });

  test('a page with a back link has no content outside landmarks', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/imports/new`);
    await page.getByRole('link', { name: 'Back' }).waitFor();
    await expectAccessible(page, 'load a file (with a back link)');
  });
});
