// Staff pages in a real browser: sign in, overview, search, a home, a person and a block, on a demo landlord.
// Every page is checked with axe (WCAG 2.2 AA) and screenshotted to test-results/. Also: another landlord's
// records are 404 pages, forms need a CSRF token, and the Content-Security-Policy uses nonces.
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { sql } from 'drizzle-orm';
import { harness, type Harness } from '../support/harness.ts';
import { generateDemo } from '../../src/modules/demo/generate.ts';
import { formatAddress } from '../../src/modules/homes/service.ts';
import { fullName } from '../../src/modules/people/service.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS = path.resolve(import.meta.dirname, '..', '..', 'test-results');
const OFFICER = { email: 'officer@riverside.example', password: 'a long demo password 1', name: 'Olivia Officer' };
const ANALYST = { email: 'analyst@second.example', password: 'a long demo password 2', name: 'Andrew Analyst' };
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const MISSING_ID = '00000000-0000-7000-8000-000000000000';

let h: Harness;
let launching: Promise<Browser> | undefined;
let browser: Browser | undefined;
let base: string;
/** Records of the first landlord, picked from the database for the journey. */
let target: {
  home: { id: string; address: string; postcode: string; blockId: string | null; risk: boolean };
  person: { id: string; name: string; searchName: string; alerts: number };
  block: { id: string; name: string };
  unmeasuredBlock: { id: string; name: string } | undefined;
};
let secondLandlordHomeId: string;

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await h.store.system((tx) => tx.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

/** Fails with every violation spelled out: rule, impact, what to fix and where. */
async function expectAccessible(page: Page, name: string) {
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const report = result.violations.map((v) =>
    `  ✖ [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
    v.nodes.slice(0, 5).map((n) => `      at ${n.target.join(' ')}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}`).join('\n'),
  ).join('\n');
  assert.equal(result.violations.length, 0, `axe found ${result.violations.length} accessibility violation(s) on the ${name} page:\n${report}`);
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });
}

/** Collects what the browser reports as errors (CSP violations, script errors) so a test can assert there are none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function signIn(context: BrowserContext, who: { email: string; password: string }, next = '/'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}${next}`);
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}${next}`);
  return page;
}

before(async () => {
  // Never skip silently: without Chromium this file fails and says how to get it.
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  // The browser starts while the database and the app get ready.
  launching = chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  launching.catch(() => undefined);
  h = await harness();

  const first = await generateDemo(h.store, { homes: 150, seed: 2, name: 'Riverside Homes (demo)' });
  const second = await generateDemo(h.store, { homes: 40, seed: 11, name: 'Second Landlord (demo)' });
  await h.auth.addUser({ organisationId: first.organisationId, role: 'housing-officer', ...OFFICER });
  await h.auth.addUser({ organisationId: second.organisationId, role: 'analyst', ...ANALYST });
  const org = first.organisationId;

  // A home whose postcode finds at most 25 homes (one page of results), with a current household, preferring one
  // where someone has an active "risk to staff" alert, in a block, with the most alerts.
  const [home] = await rows<{ id: string; block_id: string | null; tenancy_id: string; risk: boolean }>(sql`
    with postcodes as (select postcode, count(*) as n from homes where organisation_id = ${org} group by postcode)
    select h.id, h.block_id, t.id as tenancy_id, coalesce(bool_or(a.category = 'RISK'), false) as risk, count(a.id) as alerts
    from homes h
    join postcodes pc on pc.postcode = h.postcode and pc.n <= 25
    join tenancies t on t.organisation_id = h.organisation_id and t.home_id = h.id and (t.end_date is null or t.end_date >= current_date)
    join tenancy_members m on m.organisation_id = h.organisation_id and m.tenancy_id = t.id
    left join person_alerts a on a.organisation_id = h.organisation_id and a.person_id = m.person_id
      and (a.end_date is null or a.end_date >= current_date)
    where h.organisation_id = ${org}
    group by h.id, h.block_id, t.id
    order by risk desc, (h.block_id is not null) desc, alerts desc, h.id
    limit 1`);
  assert.ok(home, 'the demo landlord has a home with a current tenancy');
  const [homeRow] = await rows<Record<string, string | null>>(sql`
    select sub_building, building_name, building_number, street, locality, town, postcode from homes where organisation_id = ${org} and id = ${home.id}`);
  const homeAddress = formatAddress({
    subBuilding: homeRow!.sub_building, buildingName: homeRow!.building_name, buildingNumber: homeRow!.building_number,
    street: homeRow!.street, locality: homeRow!.locality, town: homeRow!.town, postcode: homeRow!.postcode,
  });

  // The member of that household with the most active alerts (risk first).
  const [person] = await rows<{ id: string; title: string | null; given_name: string; family_name: string; alerts: number }>(sql`
    select p.id, p.title, p.given_name, p.family_name, count(a.id)::int as alerts
    from tenancy_members m
    join people p on p.organisation_id = m.organisation_id and p.id = m.person_id
    left join person_alerts a on a.organisation_id = p.organisation_id and a.person_id = p.id and (a.end_date is null or a.end_date >= current_date)
    where m.organisation_id = ${org} and m.tenancy_id = ${home.tenancy_id}
    group by p.organisation_id, p.id order by coalesce(bool_or(a.category = 'RISK'), false) desc, count(a.id) desc, p.id limit 1`);
  assert.ok(person, 'the household has someone in it');

  const [block] = await rows<{ id: string; name: string }>(home.block_id
    ? sql`select id, name from blocks where organisation_id = ${org} and id = ${home.block_id}`
    : sql`select id, name from blocks where organisation_id = ${org} order by storeys desc nulls last limit 1`);
  assert.ok(block, 'the demo landlord has a block');
  const [unmeasuredBlock] = await rows<{ id: string; name: string }>(sql`
    select id, name from blocks where organisation_id = ${org} and height_metres is null and id <> ${block.id} limit 1`);

  target = {
    home: { id: home.id, address: homeAddress, postcode: homeRow!.postcode!, blockId: home.block_id, risk: home.risk },
    person: {
      id: person.id, alerts: person.alerts,
      name: fullName({ title: person.title, givenName: person.given_name, familyName: person.family_name }),
      searchName: `${person.given_name} ${person.family_name}`,
    },
    block, unmeasuredBlock,
  };
  const [other] = await rows<{ id: string }>(sql`select id from homes where organisation_id = ${second.organisationId} limit 1`);
  secondLandlordHomeId = other!.id;

  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});

after(async () => {
  // Close the browser even when set-up failed after launching it, then stop the server and the database.
  await (browser ?? await launching?.catch(() => undefined))?.close();
  await h?.close();
});

describe('a housing officer’s journey', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  before(async () => {
    context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(5000);
    page = await context.newPage();
    errors = watchErrors(page);
  });
  after(() => context?.close());

  test('signing in: the sign-in page, then the overview', async () => {
    const response = await page.goto(`${base}/`);
    assert.equal(response?.status(), 200);
    assert.match(page.url(), /\/sign-in\?next=%2F$/, 'an unsigned visitor is sent to sign in');
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Sign in to Hearth' }).waitFor());
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');

    // A wrong password: the form says so, and stays accessible with its error summary.
    await page.getByLabel('Email address').fill(OFFICER.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Enter a correct email address and password').first().waitFor();
    assert.match(await page.title(), /^Error: /);
    await expectAccessible(page, 'sign-in with an error');

    await page.getByLabel('Email address').fill(OFFICER.email);
    await page.getByLabel('Password').fill(OFFICER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('main').getByText(`Signed in as ${OFFICER.name}`).waitFor();
    await expectAccessible(page, 'overview');
    await screenshot(page, 'overview');
  });

  test('searching for a postcode and for a name', async () => {
    await page.getByLabel('Search by name, address, postcode, UPRN or tenancy reference').fill(target.home.postcode);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/search\?q=/);
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
    await page.getByRole('heading', { level: 2, name: /^Homes \(\d+\)$/ }).waitFor();
    assert.equal(await page.getByLabel('Search by name, address, postcode, UPRN or tenancy reference').inputValue(), target.home.postcode);
    assert.equal(await page.getByRole('link', { name: target.home.address, exact: true }).count(), 1, 'the home is in the results');
    await expectAccessible(page, 'search results (postcode)');
    await screenshot(page, 'search-postcode');

    await page.goto(`${base}/search?q=${encodeURIComponent(target.person.searchName)}`);
    await page.getByRole('heading', { level: 2, name: /^People \(\d+\)$/ }).waitFor();
    assert.equal(await page.getByRole('link', { name: target.person.name, exact: true }).count(), 1, 'the person is in the results');

    await page.goto(`${base}/search?q=zzqxv+nobody`);
    await page.getByRole('heading', { level: 2, name: 'No results for “zzqxv nobody”' }).waitFor();
    await page.getByText('check the spelling').waitFor();

    await page.goto(`${base}/search?q=${'x'.repeat(120)}`);
    await page.getByRole('link', { name: 'Search terms must be 100 characters or fewer' }).waitFor();
    assert.match(await page.title(), /^Error: /);
    await expectAccessible(page, 'search with a term too long');
  });

  test('opening a home: its details, household and alerts', async () => {
    await page.goto(`${base}/search?q=${encodeURIComponent(target.home.postcode)}`);
    await page.getByRole('link', { name: target.home.address, exact: true }).click();
    await page.waitForURL(`${base}/homes/${target.home.id}`);
    await page.getByRole('heading', { level: 1, name: target.home.address }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Current tenancy' }).waitFor();
    const household = page.getByRole('table', { name: 'People in the household' });
    await household.waitFor();
    await household.getByRole('columnheader', { name: 'Alerts' }).waitFor();
    assert.equal(await household.getByRole('link', { name: target.person.name, exact: true }).count(), 1, 'the household lists the person');
    if (target.person.alerts > 0) assert.ok(await household.locator('.govuk-tag').count() >= 1, 'alerts are shown as tags');
    if (target.home.risk) await page.locator('.govuk-warning-text').getByText('Risk to staff').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Source records' }).waitFor();
    await page.getByRole('table', { name: 'Source records of this home' }).waitFor();
    await expectAccessible(page, 'home');
    await screenshot(page, 'home');
  });

  test('opening a person from the household', async () => {
    await page.getByRole('table', { name: 'People in the household' }).getByRole('link', { name: target.person.name, exact: true }).click();
    await page.waitForURL(`${base}/people/${target.person.id}`);
    await page.getByRole('heading', { level: 1, name: target.person.name }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Alerts' }).waitFor();
    if (target.person.alerts > 0) {
      assert.equal(await page.getByRole('table', { name: `Active alerts for ${target.person.name}` }).getByRole('row').count(), target.person.alerts + 1);
    } else {
      await page.getByText('No active alerts').waitFor();
    }
    await page.getByRole('table', { name: `Tenancies of ${target.person.name}` }).getByRole('link', { name: target.home.address, exact: true }).waitFor();
    await expectAccessible(page, 'person');
    await screenshot(page, 'person');
  });

  test('opening a block', async () => {
    if (target.home.blockId) {
      await page.goto(`${base}/homes/${target.home.id}`);
      await page.getByRole('link', { name: target.block.name, exact: true }).click();
    } else {
      await page.goto(`${base}/blocks/${target.block.id}`);
    }
    await page.waitForURL(`${base}/blocks/${target.block.id}`);
    await page.getByRole('heading', { level: 1, name: target.block.name }).waitFor();
    await page.getByRole('heading', { level: 2, name: /^Homes in this block \(\d+\)$/ }).waitFor();
    if (target.home.blockId) {
      await page.getByRole('table', { name: `Homes in ${target.block.name}` }).locator(`a[href="/homes/${target.home.id}"]`).waitFor();
    }
    await expectAccessible(page, 'block');
    await screenshot(page, 'block');

    if (target.unmeasuredBlock) {
      await page.goto(`${base}/blocks/${target.unmeasuredBlock.id}`);
      await page.locator('.govuk-tag', { hasText: 'Height not recorded' }).waitFor();
      await screenshot(page, 'block-unmeasured');
    }
  });

  test('a page that does not exist', async () => {
    const response = await page.goto(`${base}/homes/${MISSING_ID}`);
    assert.equal(response?.status(), 404);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await expectAccessible(page, '404');
    await screenshot(page, 'not-found');
  });

  test('no browser errors (CSP violations, scripts) on any page', () => {
    // A 400 (wrong password) and a 404 are expected responses, not errors of the page.
    assert.deepEqual(errors.filter((e) => !/status of 40[04]/.test(e)), []);
  });
});

describe('another landlord’s analyst', () => {
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    context = await browser!.newContext();
    context.setDefaultTimeout(5000);
    page = await signIn(context, ANALYST);
  });
  after(() => context?.close());

  for (const kind of ['homes', 'people', 'blocks'] as const) {
    test(`gets a 404 page for the first landlord’s ${kind}`, async () => {
      const id = kind === 'homes' ? target.home.id : kind === 'people' ? target.person.id : target.block.id;
      const response = await page.goto(`${base}/${kind}/${id}`);
      assert.equal(response?.status(), 404);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
      const html = await page.content();
      for (const secret of [target.home.address, target.person.name, target.block.name]) assert.ok(!html.includes(secret), `the page does not show ${secret}`);
    });
  }

  test('is told their role cannot see alerts, never that there are none', async () => {
    const response = await page.goto(`${base}/homes/${secondLandlordHomeId}`);
    assert.equal(response?.status(), 200);
    await page.getByText('Your role does not allow you to see person alerts').first().waitFor();
    assert.equal(await page.getByText('None active').count(), 0);
    await expectAccessible(page, 'home (analyst)');
  });
});

describe('security headers and forms', () => {
  test('signing in without a CSRF token is refused', async () => {
    const body = new URLSearchParams({ email: OFFICER.email, password: OFFICER.password }).toString();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const bare = await fetch(`${base}/sign-in`, { method: 'POST', headers: form, body, redirect: 'manual' });
    assert.equal(bare.status, 403, 'no CSRF cookie and no token');
    assert.equal(bare.headers.getSetCookie().some((c) => c.startsWith('hearth_session=')), false);

    // With the CSRF cookie of a real visit to the form, but without the form's _csrf field.
    const visit = await fetch(`${base}/sign-in`);
    const cookie = visit.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    assert.match(cookie, /hearth_csrf=/);
    const noField = await fetch(`${base}/sign-in`, { method: 'POST', headers: { ...form, cookie }, body, redirect: 'manual' });
    assert.equal(noField.status, 403, 'a CSRF cookie but no _csrf field');
    assert.equal(noField.headers.getSetCookie().some((c) => c.startsWith('hearth_session=')), false);
  });

  test('pages carry a Content-Security-Policy with a script nonce and no unsafe-inline scripts', async () => {
    const res = await fetch(`${base}/sign-in`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
    const scriptSrc = directives.get('script-src') ?? directives.get('default-src') ?? [];
    const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"));
    assert.ok(nonce, `script-src has a nonce: ${csp}`);
    assert.ok(!scriptSrc.includes("'unsafe-inline'"), `script-src does not allow unsafe-inline: ${csp}`);
    assert.ok(!(directives.get('default-src') ?? []).includes("'unsafe-inline'"));
    // The page's own scripts carry that nonce; a second response gets a different one.
    const html = await res.text();
    assert.ok(html.includes(`nonce="${nonce!.slice(7, -1)}"`), 'inline scripts carry the nonce of the header');
    const again = (await fetch(`${base}/sign-in`)).headers.get('content-security-policy') ?? '';
    assert.notEqual(again, csp, 'each response has a fresh nonce');
  });
});
