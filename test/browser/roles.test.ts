// Issue 13, done when: tried as a new user would, each role signs in, sees its own worklist on the home page (and not
// another role's), and completes one task from it end to end in the browser, by clicking links and filling forms:
// an administrator gives an officer a patch; a housing officer changes a phone number and adds a note; an ASB officer
// reviews an alert; a repairs planner reports a hazard; a compliance lead finds every open hazard report; a data lead
// links a pair of records and undoes it; a read-only analyst finds where to start and cannot change anything.
// axe (every rule, any impact) finds nothing on every page visited, at 375 px and at 1280 px.
// One harness and one small demo landlord for the file. Needs Debian's Chromium at /usr/bin/chromium
// (scripts/ensure-chromium.sh), like the other browser tests.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { harness, api, type Harness } from '../support/harness.ts';
import { generateDemo } from '../../src/modules/demo/generate.ts';
import { assignDemoPatches } from '../../src/modules/patches/demo.ts';
import { relinkAll } from '../../src/modules/linkage/service.ts';
import { ROLES, type Role } from '../../src/platform/auth/roles.ts';
import { ukDate } from '../../src/platform/uk-time.ts';
import { expectAccessible as expectAccessibleAt } from '../support/axe.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS = path.resolve(import.meta.dirname, '..', '..', 'test-results');
const PASSWORD = 'a long password for the roles test';
const NAMES: Record<Role, string> = {
  administrator: 'Ada Admin', 'housing-officer': 'Olivia Officer', 'asb-officer': 'Asha Behaviour', 'repairs-planner': 'Rory Planner',
  'compliance-lead': 'Cora Compliance', 'data-lead': 'Dara Data', analyst: 'Ann Analyst',
  operative: 'Owen Operative',
};
const who = (role: Role) => ({ email: `${role}@roles.example`, password: PASSWORD, name: NAMES[role] });
/** A second housing officer, with no patch until the administrator gives them one. */
const SECOND_OFFICER = { email: 'second-officer@roles.example', password: PASSWORD, name: 'Sam Second' };

/** The home page's sections of each role (their headings, without the count). */
const SECTIONS: Record<Role, string[]> = {
  'housing-officer': ['Notes to action', 'Alerts to review', 'Tenancies starting or ending', 'Hazard reports past a deadline', 'Hazard reports due soon'],
  'compliance-lead': ['Hazard reports past a deadline', 'Hazard reports due soon', 'Blocks to measure'],
  'data-lead': ['Imports with problems', 'Pairs to review', 'Data quality checks that got worse'],
  administrator: ['Imports with problems', 'Pairs to review', 'Data quality checks that got worse'],
  'repairs-planner': ['Repairs past their target', 'Repairs due soon', 'Repairs to schedule'],
  'asb-officer': ['ASB actions overdue', 'ASB actions due soon', 'New ASB reports to acknowledge', 'Alerts to review'],
  analyst: [],
  operative: ['Your jobs today'],
};

let h: Harness;
let launching: Promise<Browser> | undefined;
let browser: Browser;
let base: string;
let org: string;
const today = ukDate(new Date());
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Who the tasks are about, picked from (or added to) the demo landlord. */
const target = {
  patchName: '',
  /** Someone living on the officer's patch. */
  person: { id: '', searchName: '' },
  /** Two people who may be one, waiting for a data lead's decision. */
  pair: { a: '', b: '' },
  /** Alerts overdue for review (of people on the officer's patch). */
  alerts: [] as { id: string; personId: string }[],
  /** A home, found by its postcode, for the repairs planner; an estate on no patch, for the administrator. */
  home: { id: '', postcode: '' },
  freeEstate: { id: '', name: '' },
};

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await h.store.system((tx) => tx.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  fs.mkdirSync(RESULTS, { recursive: true });
  launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  launching.catch(() => undefined);
  h = await harness();
  const demo = await generateDemo(h.store, { homes: 80, seed: 13, name: 'Roles Homes (demo)' });
  org = demo.organisationId;
  for (const role of ROLES) await h.auth.addUser({ organisationId: org, role, ...who(role) });
  await h.auth.addUser({ organisationId: org, role: 'housing-officer', ...SECOND_OFFICER });
  // The demo's patch goes to its officer as `hearth start` does it (the demo's officer here is ours).
  assert.equal(await assignDemoPatches(h.store, who('housing-officer').email), 1, 'the demo has a patch for the officer');
  const [patch] = await rows<{ name: string }>(sql`select p.name from patches p join users u on u.id = p.officer_user_id
    where p.organisation_id = ${org} and u.email = ${who('housing-officer').email}`);
  target.patchName = patch!.name;

  // Someone on the patch with a current tenancy, whose name finds only them.
  const onPatch = await rows<{ id: string; given_name: string; family_name: string }>(sql`
    select distinct p.id, p.given_name, p.family_name from patches pa
    join patch_estates pe on pe.organisation_id = pa.organisation_id and pe.patch_id = pa.id
    join homes ho on ho.organisation_id = pa.organisation_id and ho.estate_id = pe.estate_id
    join tenancies t on t.organisation_id = ho.organisation_id and t.home_id = ho.id and (t.end_date is null or t.end_date >= current_date)
    join tenancy_members m on m.organisation_id = t.organisation_id and m.tenancy_id = t.id and (m.end_date is null or m.end_date >= current_date)
    join people p on p.organisation_id = m.organisation_id and p.id = m.person_id
    where pa.organisation_id = ${org} and pa.name = ${target.patchName}
      and (select count(*) from people q where q.organisation_id = p.organisation_id and q.given_name = p.given_name and q.family_name = p.family_name) = 1
    order by p.id limit 3`);
  assert.ok(onPatch.length >= 3, 'the patch has households');
  target.person = { id: onPatch[0]!.id, searchName: `${onPatch[0]!.given_name} ${onPatch[0]!.family_name}` };

  // Two alerts overdue for review, of people on the patch (the demo's review dates are random): made through the API.
  const token = await h.auth.addToken(org, 'roles test set-up', 'administrator');
  const admin = { authorization: `Bearer ${token.token}` };
  for (const p of onPatch.slice(1, 3)) {
    const r = await api(h, 'POST', '/api/v1/alerts', admin, { personId: p.id, hactCode: '20-60', category: 'AGE', confidentiality: 'standard',
      startDate: '2020-01-01', reviewDate: addDays(today, -3) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    target.alerts.push({ id: r.body.id, personId: p.id });
  }

  // A pair for the data lead: a tenant's record again, as another system spelt it (the demo has no doubtful pairs),
  // added through the API and scored by the linkage engine (a full run, as after an import).
  const [source] = await rows<{ id: string; given_name: string; family_name: string; date_of_birth: string | null }>(sql`
    select id, given_name, family_name, to_char(date_of_birth, 'YYYY-MM-DD') as date_of_birth from people
    where organisation_id = ${org} and date_of_birth is not null and id <> ${target.person.id} order by id desc limit 1`);
  const twin = await api(h, 'POST', '/api/v1/people', admin, { givenName: source!.given_name.slice(0, 3), familyName: `${source!.family_name}e`,
    dateOfBirth: source!.date_of_birth });
  assert.equal(twin.status, 201, JSON.stringify(twin.body));
  await relinkAll(h.store, org);
  const [pending] = await rows<{ a_id: string; b_id: string }>(sql`select a_id, b_id from link_reviews
    where organisation_id = ${org} and status = 'pending' and ${twin.body.id} in (a_id, b_id)`);
  assert.ok(pending, 'the linkage engine puts the look-alike up for review');
  target.pair = { a: pending.a_id, b: pending.b_id };

  const [home] = await rows<{ id: string; postcode: string }>(sql`
    with pc as (select postcode, count(*) n from homes where organisation_id = ${org} group by postcode)
    select h.id, h.postcode from homes h join pc on pc.postcode = h.postcode and pc.n <= 10 where h.organisation_id = ${org} order by h.id limit 1`);
  target.home = home!;
  // An estate for the administrator's new patch, one on no patch yet if there is one.
  const [estate] = await rows<{ id: string; name: string }>(sql`select e.id, e.name from estates e where e.organisation_id = ${org}
    order by exists (select 1 from patch_estates pe where pe.organisation_id = e.organisation_id and pe.estate_id = e.id), e.name limit 1`);
  assert.ok(estate, 'the demo has estates');
  target.freeEstate = estate;

  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});

after(async () => {
  // Close the browser even when the set-up failed after launching it.
  await (browser ?? await launching?.catch(() => undefined))?.close();
  await h?.close();
});

// ---- Helpers

async function signedIn(role: Role): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 40\d/.test(m.text())) errors.push(m.text()); });
  await page.goto(`${base}/`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('Email address').fill(who(role).email);
  await page.getByLabel('Password').fill(who(role).password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
  await page.getByRole('main').getByText(`Signed in as ${who(role).name}`).waitFor();
  return { context, page, errors };
}

/** axe, every rule, any impact: 0 violations at 1280 px and at 375 px (the page drawn again at each width). */
async function expectAccessible(page: Page, name: string) {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await expectAccessibleAt(page, `${name} at ${width} px`);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.equal(overflow, 0, `${name} scrolls sideways at ${width} px`);
  }
  await page.screenshot({ path: path.join(RESULTS, `roles-${name.replace(/\W+/g, '-')}.png`), fullPage: true });
}

/** The home page's section headings, without their counts. */
async function sectionTitles(page: Page): Promise<string[]> {
  const headings = await page.locator('main section h3').allInnerTexts();
  return headings.map((t) => t.replace(/\s*\([\d,]+\)\s*$/, '').trim());
}

/** The home page: the role's own sections, none of another role's; accessible at both widths. */
async function expectOwnWork(page: Page, role: Role) {
  const own = SECTIONS[role];
  assert.deepEqual((await sectionTitles(page)).sort(), [...own].sort(), `${role}'s home page sections`);
  const others = new Set(ROLES.flatMap((r) => SECTIONS[r]).filter((t) => !own.includes(t)));
  for (const t of others) assert.equal(await page.getByRole('heading', { level: 3, name: new RegExp(`^${t}`) }).count(), 0, `${role} does not see “${t}”`);
  await page.getByRole('heading', { level: 2, name: own.length ? 'Your work' : 'Where to start' }).waitFor();
  await expectAccessible(page, `home (${role})`);
}

/** A section of the home page, by its title. */
const section = (page: Page, title: string) => page.locator('main section').filter({ has: page.getByRole('heading', { level: 3, name: new RegExp(`^${title}`) }) });
const count = async (page: Page, title: string) => Number(/\(([\d,]+)\)/.exec(await section(page, title).locator('h3').innerText())?.[1]?.replace(/,/g, '') ?? NaN);

async function fillDate(page: Page, scope: ReturnType<Page['locator']>, iso: string) {
  await scope.getByLabel('Day').fill(String(Number(iso.slice(8))));
  await scope.getByLabel('Month').fill(String(Number(iso.slice(5, 7))));
  await scope.getByLabel('Year').fill(iso.slice(0, 4));
}

// ---- One describe per role

describe('administrator: gives a housing officer a patch', () => {
  test('signs in, sees the data lists and Manage, adds a patch for an officer and sees it listed', async () => {
    const { context, page, errors } = await signedIn('administrator');
    try {
      await expectOwnWork(page, 'administrator');
      await page.getByRole('heading', { level: 2, name: 'Manage' }).waitFor();
      await page.getByRole('main').getByRole('link', { name: 'Staff and API tokens' }).waitFor();
      await page.getByRole('main').getByRole('link', { name: 'Patches', exact: true }).click();
      await page.waitForURL(`${base}/patches`);
      await page.getByRole('heading', { level: 1, name: 'Patches' }).waitFor();
      await expectAccessible(page, 'patches');
      await page.getByRole('button', { name: 'Add a patch' }).click();
      await page.waitForURL(`${base}/patches/new`);
      await page.getByRole('heading', { level: 1, name: 'Add a patch' }).waitFor();
      await expectAccessible(page, 'add a patch');
      await page.getByLabel('Name').fill('North');
      await page.getByLabel('Housing officer').selectOption({ label: SECOND_OFFICER.name });
      await page.getByLabel(target.freeEstate.name, { exact: true }).check();
      await page.getByRole('button', { name: 'Add patch' }).click();
      await page.waitForURL(`${base}/patches`);
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: /^North/ }) });
      assert.match(await row.innerText(), new RegExp(`North.*${SECOND_OFFICER.name}.*${target.freeEstate.name}`, 's'));
      await expectAccessible(page, 'patches after adding one');
      const [saved] = await rows<{ officer: string }>(sql`select u.name as officer from patches p join users u on u.id = p.officer_user_id
        where p.organisation_id = ${org} and p.name = 'North'`);
      assert.equal(saved?.officer, SECOND_OFFICER.name);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('housing officer: changes a phone number and adds a note', () => {
  test('signs in to their patch’s work, finds a tenant by search, changes the mobile number, adds a note', async () => {
    const { context, page, errors } = await signedIn('housing-officer');
    try {
      await expectOwnWork(page, 'housing-officer');
      assert.match(await page.locator('#your-patch').innerText(), new RegExp(`Your patch: ${target.patchName}`));
      assert.ok(await count(page, 'Alerts to review') >= 2, 'the overdue alerts on the patch are to review');

      // Find the tenant with the search box on the home page (only the patch).
      await page.getByLabel('Search by name, address, postcode, UPRN, phone number, tenancy reference or hazard report reference').fill(target.person.searchName);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/\/search\?q=/);
      await expectAccessible(page, 'search (officer)');
      const people = page.locator(`main a[href="/people/${target.person.id}"]`);
      assert.equal(await people.count(), 1, 'the tenant is found once');
      await people.click();
      await page.waitForURL(`${base}/people/${target.person.id}`);
      await expectAccessible(page, 'person (officer)');
      assert.equal(await page.getByRole('main').getByText('07700 900123').count(), 0, 'not their number yet');

      // Change the mobile number, typed as people say it.
      await page.getByRole('link', { name: 'Change contact details' }).click();
      await page.waitForURL(`${base}/people/${target.person.id}/contact-details`);
      await page.getByRole('heading', { level: 1, name: 'Change contact details' }).waitFor();
      await expectAccessible(page, 'change contact details');
      await page.getByLabel('Mobile phone (optional)').fill('07700 900 123');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.waitForURL(`${base}/people/${target.person.id}?updated=contact-details`);
      await page.getByText('Contact details saved').first().waitFor();
      await page.getByRole('main').getByText('07700 900123').first().waitFor();
      assert.equal(await page.getByRole('main').getByText('07700 900 123').count(), 0, 'shown UK-style, not as typed');
      await expectAccessible(page, 'person after the change');

      // Add a note about them.
      const text = `Rang about the new mobile number ${Date.now()}`;
      await page.getByRole('link', { name: /^Add a note about (?!tenancy)/ }).click();
      await page.waitForURL(`${base}/people/${target.person.id}/notes/new`);
      await page.getByRole('heading', { level: 1, name: 'Add a note' }).waitFor();
      await expectAccessible(page, 'add a note');
      await page.getByLabel('Type of note').selectOption({ label: 'Phone call' });
      await page.getByLabel('Note', { exact: true }).fill(text);
      await page.getByRole('button', { name: 'Add the note' }).click();
      await page.waitForURL(new RegExp(`/people/${target.person.id}`));
      await page.getByRole('main').getByText(text).first().waitFor();
      await page.getByRole('main').getByText(`Note (Phone call) by ${NAMES['housing-officer']}`).waitFor();
      await expectAccessible(page, 'person with the note');
      const [note] = await rows<{ note_type: string; author: string | null }>(sql`select note_type, author from notes where organisation_id = ${org} and text = ${text}`);
      assert.equal(note?.note_type, 'Phone call');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('ASB officer: reviews an alert', () => {
  test('signs in, opens an alert from “Alerts to review”, sets the next review date, and it leaves the list', async () => {
    const { context, page, errors } = await signedIn('asb-officer');
    try {
      await expectOwnWork(page, 'asb-officer');
      await section(page, 'ASB actions overdue').waitFor();
      const before0 = await count(page, 'Alerts to review');
      const alert = target.alerts[1]!;
      const href = `/people/${alert.personId}/alerts/${alert.id}`;
      const item = section(page, 'Alerts to review').locator(`a[href="${href}"]`);
      if (await item.count() === 0) {
        // Not among the first few: from the whole list.
        await section(page, 'Alerts to review').getByRole('link', { name: /^See all/ }).click();
        await page.waitForURL(/\/people\/alerts\/to-review/);
        await expectAccessible(page, 'alerts to review');
        await page.locator(`main a[href="${href}"]`).click();
      } else await item.click();
      await page.waitForURL(`${base}${href}`);
      await expectAccessible(page, 'an alert (ASB officer)');
      const next = addDays(today, 90);
      const review = page.locator('form').filter({ has: page.getByRole('button', { name: 'Save the review' }) });
      await fillDate(page, review, next);
      await review.getByRole('button', { name: 'Save the review' }).click();
      await page.getByText('Alert reviewed').first().waitFor();
      await expectAccessible(page, 'an alert reviewed');
      const [saved] = await rows<{ review_date: string }>(sql`select to_char(review_date, 'YYYY-MM-DD') as review_date from person_alerts
        where organisation_id = ${org} and id = ${alert.id}`);
      assert.equal(saved?.review_date, next);
      await page.goto(`${base}/`);
      assert.equal(await count(page, 'Alerts to review'), before0 - 1, 'one fewer alert to review');
      assert.equal(await section(page, 'Alerts to review').locator(`a[href="${href}"]`).count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('repairs planner: reports a hazard', () => {
  test('signs in, finds a home by its postcode, reports a hazard reported yesterday, and finds it among the open hazards', async () => {
    const { context, page, errors } = await signedIn('repairs-planner');
    try {
      await expectOwnWork(page, 'repairs-planner');
      await section(page, 'Repairs to schedule').waitFor();
      await page.getByLabel('Search by name, address, postcode, UPRN, phone number, tenancy reference or hazard report reference').fill(target.home.postcode);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/\/search\?q=/);
      await expectAccessible(page, 'search (repairs planner)');
      await page.locator(`main a[href="/homes/${target.home.id}"]`).first().click();
      await page.waitForURL(`${base}/homes/${target.home.id}`);
      await expectAccessible(page, 'home (repairs planner)');
      await page.getByRole('button', { name: 'Report a hazard' }).click();
      await page.waitForURL(`${base}/homes/${target.home.id}/hazards/new`);
      await expectAccessible(page, 'report a hazard');
      await page.getByLabel('Hazard', { exact: true }).selectOption({ index: 1 });
      const hazardLabel = (await page.getByLabel('Hazard', { exact: true }).locator('option:checked').innerText()).trim();
      await page.getByLabel('Significant').check();
      const yesterday = addDays(today, -1);
      await fillDate(page, page.getByRole('group', { name: 'When was it reported?' }), yesterday);
      await page.getByLabel('Time it was reported').fill('10:30');
      await page.getByLabel('Who reported it (optional)').fill('The tenant by phone');
      await page.getByLabel('Description', { exact: true }).fill('Black mould on the bedroom wall');
      await page.getByRole('button', { name: 'Report the hazard' }).click();
      await page.waitForURL(/\/hazards\/[0-9a-f-]{36}$/);
      const reference = (await page.locator('main .govuk-caption-l').first().innerText()).trim();
      assert.match(reference, /\S/);
      await page.getByRole('heading', { level: 1, name: hazardLabel }).waitFor();
      await expectAccessible(page, 'a hazard report');
      const id = page.url().split('/').pop()!;

      await page.goto(`${base}/hazards?status=open`);
      await page.getByRole('heading', { level: 1, name: 'Hazard reports' }).waitFor();
      await expectAccessible(page, 'open hazard reports (repairs planner)');
      // Newest first: it is on the first page, with its reference, hazard and the day it was reported.
      const row = page.locator('main tr').filter({ has: page.locator(`a[href="/hazards/${id}"]`) });
      assert.equal(await row.count(), 1, `the new report ${reference} is on the first page of open hazard reports`);
      const rowText = await row.innerText();
      assert.ok(rowText.includes(reference) && rowText.includes(hazardLabel), rowText);
      const [saved] = await rows<{ reported_at: Date | string }>(sql`select reported_at from hazard_reports where organisation_id = ${org} and id = ${id}`);
      assert.equal(new Date(saved!.reported_at).toISOString().slice(0, 10), yesterday);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('compliance lead: finds every open hazard report', () => {
  test('signs in, opens the hazards past a deadline, then every open hazard report from Insight: the dashboard figure is the list’s count', async () => {
    const { context, page, errors } = await signedIn('compliance-lead');
    try {
      await expectOwnWork(page, 'compliance-lead');
      const overdue = await count(page, 'Hazard reports past a deadline');
      assert.ok(overdue > 0, 'the demo has hazard reports past a deadline');
      await section(page, 'Hazard reports past a deadline').getByRole('link', { name: /^See all/ }).click();
      await page.waitForURL(/\/hazards\?status=open&clock=overdue/);
      assert.match(await page.locator('#count').innerText(), new RegExp(`^${overdue} `), 'the section’s total is the list’s');
      await expectAccessible(page, 'hazard reports past a deadline');
      await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Insight' }).click();
      await page.waitForURL(`${base}/insight`);
      await page.getByRole('heading', { level: 1, name: 'Insight' }).waitFor();
      await expectAccessible(page, 'insight (compliance lead)');
      const stat = page.locator('.hearth-stat', { has: page.getByRole('link', { name: 'Open hazard reports', exact: true }) });
      const open = Number((await stat.locator('.hearth-stat__value').innerText()).replace(/,/g, ''));
      assert.ok(open > 0, 'the demo has open hazard reports');
      await stat.getByRole('link', { name: 'Open hazard reports', exact: true }).click();
      await page.waitForURL(`${base}/hazards?status=open`);
      const counted = await page.locator('#count').innerText();
      assert.match(counted, new RegExp(`^${open.toLocaleString('en-GB')} open hazard reports?`), `the list says “${counted}”, the dashboard ${open}`);
      // Every one of them, page by page.
      const seen = new Set<string>();
      for (let n = 0; n < 50; n++) {
        for (const href of await page.locator('main table a[href^="/hazards/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!))) seen.add(href);
        const next = page.getByRole('link', { name: /^Next/ });
        if (await next.count() === 0) break;
        await next.first().click();
        await page.waitForLoadState();
      }
      assert.equal(seen.size, open, 'every open hazard report is listed');
      const [db] = await rows<{ n: number }>(sql`select count(*)::int as n from hazard_reports where organisation_id = ${org} and status = 'open'`);
      assert.equal(db?.n, open, 'the figure is every open report in the database');
      await page.goto(`${base}/hazards?status=open`);
      await expectAccessible(page, 'every open hazard report');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('data lead: links a pair of records and undoes it', () => {
  test('signs in, opens a pair from “Pairs to review”, links them, sees the banner, undoes it, and the pair waits again', async () => {
    const { context, page, errors } = await signedIn('data-lead');
    try {
      await expectOwnWork(page, 'data-lead');
      const pending = await count(page, 'Pairs to review');
      assert.ok(pending >= 1, 'a pair is waiting');
      const href = `/linkage/reviews/${target.pair.a}/${target.pair.b}`;
      let item = section(page, 'Pairs to review').locator(`a[href="${href}"]`);
      if (await item.count() === 0) {
        await section(page, 'Pairs to review').getByRole('link', { name: /^See all/ }).click();
        await page.waitForURL(`${base}/linkage/reviews`);
        await expectAccessible(page, 'pairs to review');
        item = page.locator(`main a[href="${href}"]`);
      }
      const names = (await item.innerText()).trim();
      assert.match(names, /^.+ and .+$/, 'the pair is named by the people’s names');
      await item.click();
      await page.waitForURL(`${base}${href}`);
      await page.getByRole('heading', { level: 1, name: 'Are these one person?' }).waitFor();
      await expectAccessible(page, 'a pair to review');
      await page.getByRole('button', { name: 'Accept: one person' }).click();
      await page.waitForURL(new RegExp(`${href}\\?decided=`));
      const banner = page.locator('.govuk-notification-banner--success');
      assert.match(await banner.innerText(), /You linked .+ and .+/);
      const [accepted] = await rows<{ status: string }>(sql`select status from link_reviews where organisation_id = ${org} and a_id = ${target.pair.a} and b_id = ${target.pair.b}`);
      assert.equal(accepted?.status, 'accepted');
      await expectAccessible(page, 'a pair linked');
      await banner.getByRole('button', { name: /^Undo/ }).click();
      await page.waitForURL(new RegExp(`\\?undone`));
      await page.getByText(/Decision undone: .+ are waiting for a decision again/).waitFor();
      await expectAccessible(page, 'a decision undone');
      const [undone] = await rows<{ status: string }>(sql`select status from link_reviews where organisation_id = ${org} and a_id = ${target.pair.a} and b_id = ${target.pair.b}`);
      assert.equal(undone?.status, 'pending');
      await page.goto(`${base}/`);
      assert.equal(await count(page, 'Pairs to review'), pending, 'the pair waits again');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('read-only analyst: finds where to start, changes nothing', () => {
  test('signs in to “Where to start”, opens Insight, a person has no Change links, and the change page says they cannot', async () => {
    const { context, page, errors } = await signedIn('analyst');
    try {
      await expectOwnWork(page, 'analyst');
      assert.equal(await page.getByRole('heading', { level: 2, name: 'Your work' }).count(), 0);
      await page.getByRole('main').getByRole('link', { name: 'Insight', exact: true }).click();
      await page.waitForURL(`${base}/insight`);
      await page.getByRole('heading', { level: 1, name: 'Insight' }).waitFor();
      await expectAccessible(page, 'insight (analyst)');
      await page.goto(`${base}/search?q=${encodeURIComponent(target.person.searchName)}`);
      await page.locator(`main a[href="/people/${target.person.id}"]`).first().click();
      await page.waitForURL(`${base}/people/${target.person.id}`);
      await expectAccessible(page, 'person (analyst)');
      const main = page.getByRole('main');
      assert.equal(await main.getByRole('link', { name: /^Change/ }).count(), 0, 'no Change links');
      assert.equal(await main.getByRole('link', { name: /^Add a note|^Add an alert/ }).count(), 0, 'no Add links');
      const response = await page.goto(`${base}/people/${target.person.id}/contact-details`);
      assert.equal(await page.getByRole('button', { name: 'Save changes' }).count(), 0, 'no form to change the details');
      assert.match(await main.innerText(), /You cannot/, `the page says they cannot (status ${response?.status()})`);
      await expectAccessible(page, 'contact details refused (analyst)');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
