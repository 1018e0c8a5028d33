// Issue 15's journey, as new users would try it, in a real browser: an ASB officer records a noise complaint at a flat
// (finding the home by postcode, the complainant and the person reported on the record), sees the open case at the
// same block, adds the report to it as an incident (NM01 does not move: a report while a case is open is not a new
// case), assesses the complainant's risk as high and gets the action plan brought forward with its dates, raises a
// "do not visit alone" alert; a repairs operative opening a job at the reported person's home sees "Visit in pairs"
// and nothing of the case; a third report triggers the ASB Case Review flag; a report elsewhere opens a new case and
// NM01 moves on the insight dashboard. Each page on the way passes axe (every rule, 0 violations).
// Needs Debian's Chromium at /usr/bin/chromium: run scripts/ensure-chromium.sh (npm test does it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { expectAccessible } from '../support/axe.ts';
import { signedIn as signIn, type Credentials } from '../support/browser.ts';
import { ukDate } from '../../src/platform/uk-time.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import { createOperative, buildPlan } from '../../src/modules/scheduling/index.ts';
import { bookWorkOrder, workOrderAvailability } from '../../src/modules/repairs/index.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const password = 'a long test password for the asb journey';
const unique = `${process.pid}-${Date.now()}`;
const OFFICER = { email: `asb-${unique}@asb-journey.example`, password, name: 'Asha Officer' };
const OPERATIVE = { email: `operative-${unique}@asb-journey.example`, password, name: 'Sam Fixer' };
const ANALYST = { email: `analyst-${unique}@asb-journey.example`, password, name: 'Ana Lyst' };
const POSTCODE = 'LS7 3QX';

let h: Harness;
let a: Landlord;
let browser: Browser;
let base: string;
let perpetratorHome = '';
let otherHome = '';
let existingCase = { id: '', reference: '' };

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  launching.catch(() => undefined);
  h = await harness();
  a = await landlord(h, 'Harehills Housing');
  const made = async (url: string, body: unknown, who = a.as.administrator) => {
    const r = await api(h, 'POST', url, who, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  // A block of three flats; the complainant lives at flat 2, the person they complain of at flat 1.
  const block = (await made('/api/v1/blocks', sample.block({ name: 'Gledhow Court', postcode: POSTCODE }))).id as string;
  const flat = async (n: number) => (await made('/api/v1/homes', sample.home({ blockId: block, subBuilding: `Flat ${n}`, buildingName: 'Gledhow Court', postcode: POSTCODE, latitude: 53.81, longitude: -1.52 }))).id as string;
  perpetratorHome = await flat(1);
  const complainantHome = await flat(2);
  const thirdHome = await flat(3);
  otherHome = (await made('/api/v1/homes', sample.home({ subBuilding: '', buildingNumber: '14', street: 'Roundhay Road', postcode: 'LS8 5AN' }))).id as string;
  const person = async (givenName: string, familyName: string, home: string, ref: string) => {
    const id = (await made('/api/v1/people', sample.person({ givenName, familyName }))).id as string;
    await made('/api/v1/tenancies', { reference: `T-${ref}-${unique}`, tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-04-01', homeId: home, members: [{ personId: id, role: 'lead' }] });
    return id;
  };
  await person('Percy', 'Loudwater', perpetratorHome, '1');
  await person('Carys', 'Jonesworth', complainantHome, '2');
  await person('Wyn', 'Thirdflat', thirdHome, '3');
  const officerId = (await h.auth.addUser({ organisationId: a.id, role: 'asb-officer', ...OFFICER })).id;
  for (const [role, who] of [['operative', OPERATIVE], ['analyst', ANALYST]] as const) await h.auth.addUser({ organisationId: a.id, role, ...who });
  // The operative works every day, so the journey does not depend on the day the test runs.
  await asSystem((ctx) => createOperative(ctx, {
    name: OPERATIVE.name, trades: ['carpentry', 'glazing', 'general'], pattern: { days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '18:00' },
    userEmail: OPERATIVE.email, baseLatitude: 53.80, baseLongitude: -1.53,
  }));
  // The open case at flat 3 of the same block, the officer's own: shouting on the landing, reported two days ago.
  const opened = await made('/api/v1/asb-cases', {
    summary: 'Shouting and slammed doors on the landing at night', categories: ['noise'],
    parties: [{ role: 'complainant', kind: 'unknown', name: 'Resident of flat 3' }, { role: 'alleged-perpetrator', kind: 'unknown', name: 'Not known' }],
    places: [{ homeId: thirdHome }], officerUserId: officerId,
    incident: { occurredOn: ukDate(new Date(Date.now() - 2 * 86_400_000)), occurredTime: '23:45', description: 'Shouting and doors slammed until gone midnight', reportedVia: 'phone', reportedByPartyIndex: 0 },
  }, a.as['asb-officer']);
  existingCase = { id: opened.id, reference: opened.reference };
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});

after(async () => {
  await browser?.close();
  await h?.close();
});

const asSystem = <T>(work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(a.id, (tx) => work({ actor: systemActor(a.id), tx }));

const signedIn = (who: Credentials, width: number, next: string) => signIn(browser, base, who, width, next);

/** NM01 as the insight dashboard shows it: cases opened this reporting year. */
async function nm01Cases(): Promise<number> {
  const page = await signedIn(ANALYST, 1280, '/insight');
  await page.getByRole('heading', { name: 'Anti-social behaviour' }).waitFor();
  const text = await page.locator('main').innerText();
  const m = /([\d,]+) cases opened this reporting year/.exec(text);
  assert.ok(m, 'the dashboard gives the cases counted for NM01');
  await expectAccessible(page, 'the insight dashboard with ASB');
  await page.context().close();
  return Number(m[1]!.replace(/,/g, ''));
}

async function pick(page: Page, link: RegExp, name: string) {
  await page.getByRole('link', { name: link }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByLabel(new RegExp(name)).check();
  await page.getByRole('button', { name: 'Use this person' }).click();
  await page.getByRole('heading', { name: 'Open an ASB case' }).waitFor();
}

async function fillReport(page: Page, summary: string, description: string) {
  await page.getByLabel('The problem in a line').fill(summary);
  await page.getByLabel('What happened', { exact: true }).fill(description);
  const [year, month, day] = ukDate(new Date()).split('-');
  await page.getByRole('group', { name: 'When did it happen?' }).getByLabel('Day').fill(String(Number(day)));
  await page.getByRole('group', { name: 'When did it happen?' }).getByLabel('Month').fill(String(Number(month)));
  await page.getByRole('group', { name: 'When did it happen?' }).getByLabel('Year').fill(year!);
  await page.getByLabel('Noise', { exact: true }).check();
}

test('a noise complaint joins the open case at the block; high risk brings the plan forward; "Visit in pairs" reaches the operative and nothing of the case; a third report flags the case review; NM01 moves only for a new case', async () => {
  const nm01Before = await nm01Cases();

  // ---- the ASB officer, at a desk: the complaint, from flat 2, about flat 1
  const officer = await signedIn(OFFICER, 1280, '/asb');
  await officer.getByRole('button', { name: 'Open a case' }).click();
  await officer.getByLabel('Postcode of the home or block').fill(POSTCODE);
  await officer.getByRole('button', { name: 'Find homes' }).click();
  await officer.getByRole('link', { name: /Flat 2/ }).click();
  await officer.getByRole('heading', { name: 'Open an ASB case' }).waitFor();
  await pick(officer, /Find the complainant on our records/, 'Carys Jonesworth');
  await officer.getByLabel('A person on our records').check();
  await pick(officer, /Find the person reported on our records/, 'Percy Loudwater');
  await officer.getByLabel('A person on our records').check();
  await fillReport(officer, 'Loud music through the wall from flat 1', 'Music thumping through the bedroom wall from 11pm until 3am');
  await expectAccessible(officer, 'the new-case form filled in');
  await officer.getByRole('button', { name: 'Continue' }).click();

  // The similar open case at the same block, and the report added to it as an incident.
  await officer.getByRole('heading', { name: 'There are open cases that may be the same problem' }).waitFor();
  const step = await officer.locator('main').innerText();
  assert.match(step, /same block: Gledhow Court/);
  assert.match(step, new RegExp(existingCase.reference));
  await expectAccessible(officer, 'the similar-cases step');
  await officer.getByLabel(`Add this report to ${existingCase.reference} as a new incident`).check();
  await officer.getByRole('button', { name: 'Continue' }).click();
  await officer.waitForURL((u) => u.pathname === `/asb/cases/${existingCase.id}`);
  let caseText = await officer.locator('main').innerText();
  assert.match(caseText, /Music thumping through the bedroom wall/);
  assert.match(caseText, /Percy Loudwater/, 'the person reported joined the case');
  assert.match(caseText, /Carys Jonesworth/, 'the officer of the case sees who complained');
  const dueBefore = await officer.locator('#actions ~ table, #actions + * table').first().innerText().catch(() => '');

  // Risk: hurt or threatened makes it high; the plan's actions come forward, each with its date.
  await officer.getByRole('group', { name: 'Have they been hurt, or threatened with being hurt or killed?' }).getByLabel('Yes').check();
  await officer.getByRole('group', { name: 'Do they feel unsafe in their home, or going in and out of it?' }).getByLabel('Yes').check();
  await officer.getByRole('button', { name: 'Save the assessment' }).click();
  await officer.getByText(/High risk/).first().waitFor();
  caseText = await officer.locator('main').innerText();
  assert.match(caseText, /High risk/);
  for (const action of ['Contact the complainant and acknowledge the report', 'Interview the complainant', 'Visit the place where it happens']) {
    assert.match(caseText, new RegExp(`${action}[^\\n]*[\\s\\S]{0,200}\\d{1,2} [A-Z][a-z]+ 20\\d\\d`), `${action} has its date`);
  }
  const dueAfter = await officer.locator('#actions ~ table, #actions + * table').first().innerText().catch(() => '');
  if (dueBefore && dueAfter) assert.notEqual(dueAfter, dueBefore, 'the high risk moved the plan\'s dates');

  // The alert for other services, in safe words, on the person reported.
  await officer.getByRole('group', { name: 'Who is the alert about?' }).getByLabel(/Percy Loudwater/).check();
  await officer.getByLabel('Do not visit alone').check();
  const review = new Date(Date.now() + 90 * 86_400_000);
  const [ry, rm, rd] = ukDate(review).split('-');
  const when = officer.getByRole('group', { name: 'When should the alert be reviewed?' });
  await when.getByLabel('Day').fill(String(Number(rd)));
  await when.getByLabel('Month').fill(String(Number(rm)));
  await when.getByLabel('Year').fill(ry!);
  await officer.getByRole('button', { name: 'Raise the alert' }).click();
  await officer.getByRole('heading', { name: 'Alerts for other services' }).waitFor();
  assert.match(await officer.locator('main').innerText(), /Do not visit alone/);
  await expectAccessible(officer, 'the case page with its risk, plan and alert');

  // A repair at the reported person's home, raised after the alert.
  const repair = await api(h, 'POST', '/api/v1/repair-requests', a.as['housing-officer'], {
    homeId: perpetratorHome, triagePath: ['bedroom', 'window', 'window-will-not-open'], description: 'The bedroom window will not open', contactName: 'Resident', contactBy: 'phone', contactPhone: '07700 900982',
  });
  assert.equal(repair.status, 201, JSON.stringify(repair.body));
  // Booked and planned (as the repairs journey does through the pages): the operative's job.
  const workOrderId = repair.body.workOrder.id as string;
  const [slot] = await asSystem((ctx) => workOrderAvailability(ctx, workOrderId));
  assert.ok(slot, 'a time is offered');
  await asSystem((ctx) => bookWorkOrder(ctx, workOrderId, { date: slot.date, slot: slot.slot }));
  await asSystem((ctx) => buildPlan(ctx, slot.date));

  // ---- the repairs operative, on a phone: "Visit in pairs", and nothing of the case
  const operative = await signedIn(OPERATIVE, 375, `/my-jobs/${workOrderId}`);
  const sheet = await operative.locator('main').innerText();
  assert.match(sheet, /Visit in pairs/);
  for (const leak of [existingCase.reference, 'ASB', 'anti-social', 'Do not visit alone', 'music', 'Shouting', 'Carys', 'complain', 'perpetrator', 'high risk']) {
    assert.equal(sheet.toLowerCase().includes(leak.toLowerCase()), false, `"${leak}" on the operative's job sheet`);
  }
  await expectAccessible(operative, 'the operative\'s job sheet with the alert\'s words');
  const asb = await operative.goto(`${base}/asb/cases/${existingCase.id}`);
  assert.equal(asb?.status(), 403, 'an operative cannot open the case');
  await operative.context().close();

  // ---- back to the officer: a third report within the month meets the ASB Case Review threshold
  assert.doesNotMatch(caseText, /Threshold met/);
  await officer.getByLabel('What happened', { exact: true }).fill('Music again until 2am, and banging on the wall when asked to stop');
  const incident = officer.locator('form[action$="/incidents"]');
  const [y, m, d] = ukDate(new Date()).split('-');
  await incident.getByLabel('Day').fill(String(Number(d)));
  await incident.getByLabel('Month').fill(String(Number(m)));
  await incident.getByLabel('Year').fill(y!);
  await officer.getByRole('button', { name: 'Add the incident' }).click();
  await officer.getByText('Threshold met').waitFor();
  await expectAccessible(officer, 'the case page with the case review flag');

  // NM01: the report added to the open case did not count as a case; a report elsewhere opens one, and it does.
  assert.equal(await nm01Cases(), nm01Before, 'a report while a case is open is not a new case');
  await officer.goto(`${base}/asb/cases/new?homeId=${otherHome}`);
  await officer.getByLabel('Or, for someone not on our records, their name (optional)').fill('Dee Roundhay');
  await officer.getByLabel('Someone not known').check();
  await fillReport(officer, 'Motorbikes revved outside the house at night', 'Two motorbikes revving outside number 14 after midnight');
  await officer.getByRole('button', { name: 'Continue' }).click();
  await officer.waitForURL((u) => /^\/asb\/cases\/[0-9a-f-]{36}$/.test(u.pathname) && u.pathname !== `/asb/cases/${existingCase.id}`);
  await officer.context().close();
  assert.equal(await nm01Cases(), nm01Before + 1, 'a new case moves NM01');
});
