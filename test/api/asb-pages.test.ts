// The ASB officer's pages (issue 15) through the real HTTP stack and database: the list, opening a case (the place by
// postcode, the one-page form, errors that name the field, the step that shows open cases that may be the same problem
// and each of its choices) and the case page (adding an incident, assessing risk); a repairs planner gets 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { ukDate } from '../../src/platform/uk-time.ts';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { staffSession, type StaffSession } from '../support/staff.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { DEFAULT_ASB_SETTINGS } from '../../src/modules/asb/rules/default-settings.ts';
import { asbCaseLinks } from '../../src/modules/asb/schema.ts';
import { getCase, listCases } from '../../src/modules/asb/service.ts';

/** The modules with the ASB pages registered (until the lead adds them to the ASB manifest, which this then keeps). */

let h: Harness;
let a: Landlord;
let officer: StaffSession;
let planner: StaffSession;
let block: string;
let flat1: string;
let person: string;

const DAY = 86_400_000;
const dayParts = (offsetDays: number) => {
  const [year, month, day] = ukDate(new Date(Date.now() + offsetDays * DAY)).split('-');
  return { 'occurredOn-day': String(Number(day)), 'occurredOn-month': String(Number(month)), 'occurredOn-year': year! };
};
const unique = `${process.pid}-${Date.now()}`;

async function created(path: string, body: unknown): Promise<string> {
  const r = await api(h, 'POST', `/api/v1/${path}`, a.as.administrator, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

/** The page's hidden fields (the similar-cases step carries the form's answers in them), unescaped as a browser would. */
function hiddenFields(body: string): [string, string][] {
  const unescape = (s: string) => s.replace(/&#39;/g, '\'').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return [...body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescape(m[2]!)]);
}

const countCases = () => h.store.withOrg(a.id, async (tx) => (await listCases({ actor: systemActor(a.id), tx }, { status: 'open', limit: 200 })).items.length);

before(async () => {
  h = await harness();
  a = await landlord(h);
  block = await created('blocks', sample.block({ name: 'Bronte House', postcode: 'LS6 1AA' }));
  flat1 = await created('homes', sample.home({ blockId: block, subBuilding: 'Flat 1', postcode: 'LS6 1AA' }));
  await created('homes', sample.home({ blockId: block, subBuilding: 'Flat 2', postcode: 'LS6 1AA' }));
  person = await created('people', sample.person({ givenName: 'Percy', familyName: 'Loud' }));
  officer = await staffSession(h, a.id, 'asb-officer', 'Olu Officer', `asb-officer-${unique}@pages.example`);
  planner = await staffSession(h, a.id, 'repairs-planner', 'Pat Planner', `planner-${unique}@pages.example`);
});
after(() => h.close());

/** A complete new-case form at a place; `extra` changes or adds answers. */
const caseForm = (place: Record<string, string>, extra: Record<string, string> = {}) => ({
  summary: 'Loud music late at night', description: 'Music until 3am from the flat above', ...dayParts(-2), occurredTime: '23:30',
  categories: 'noise', complainantName: 'Carys Jones', perpetratorKind: 'person', perpetratorPersonId: person, ...place, ...extra,
});

async function openForm(place: string): Promise<string> {
  const form = await officer.get(`/asb/cases/new?${place}`);
  assert.equal(form.statusCode, 200, form.body);
  return officer.field(form.body, 'formToken');
}

let firstCase = '';

test('the list, the place by postcode and the new-case form render for an ASB officer, with the landlord\'s categories', async () => {
  const list = await officer.get('/asb');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /<h1 class="govuk-heading-l">ASB cases<\/h1>/);
  assert.match(list.body, /href="\/asb\/cases\/new"[^>]*>Open a case/);

  const place = await officer.get('/asb/cases/new?postcode=ls6+1aa');
  assert.equal(place.statusCode, 200);
  assert.match(place.body, new RegExp(`href="/asb/cases/new\\?blockId=${block}">Bronte House`));
  assert.match(place.body, new RegExp(`href="/asb/cases/new\\?homeId=${flat1}">Flat 1`));
  const nowhere = await officer.get('/asb/cases/new?postcode=ZZ99+9ZZ');
  assert.equal(nowhere.statusCode, 400);
  assert.match(nowhere.body, /No homes at ZZ99 9ZZ/);

  const form = await officer.get(`/asb/cases/new?homeId=${flat1}`);
  assert.equal(form.statusCode, 200);
  for (const c of DEFAULT_ASB_SETTINGS.categories) assert.ok(form.body.includes(`value="${c.code}"`), c.code);
  assert.ok(form.body.includes(DEFAULT_ASB_SETTINGS.categories.find((c) => c.hint)!.hint!.replace(/'/g, '&#39;')), 'a category\'s hint is shown');
  assert.match(form.body, /Flat 1/);
});

test('the new-case form\'s errors name the field: a future date, no category, a person reported without their id', async () => {
  const token = await openForm(`homeId=${flat1}`);
  const before = await countCases();
  const res = await officer.post('/asb/cases/new', { ...caseForm({ homeId: flat1 }, { ...dayParts(3), perpetratorPersonId: '' }), categories: '', formToken: token });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /<title>Error: /);
  assert.match(res.body, /href="#occurredOn-day">The date it happened must be today or in the past/);
  assert.match(res.body, /href="#categories">Select what kind of behaviour it is/);
  assert.match(res.body, /href="#perpetratorPersonId">Enter the person id of the person reported/);
  assert.equal(await countCases(), before, 'nothing was opened');
  // A hate incident without what it was about: the service's refusal, named on the field.
  const hate = await officer.post('/asb/cases/new', { ...caseForm({ homeId: flat1 }), categories: 'hate-incident', formToken: token });
  assert.equal(hate.statusCode, 400, hate.body);
  assert.match(hate.body, /href="#protectedCharacteristics">Protected characteristics must name at least one protected characteristic/);
});

test('a first report at a home opens the case and shows it: summary, priority, parties, incident and action plan', async () => {
  const token = await openForm(`homeId=${flat1}`);
  const res = await officer.post('/asb/cases/new', { ...caseForm({ homeId: flat1 }), formToken: token });
  assert.equal(res.statusCode, 303, res.body);
  const id = /^\/asb\/cases\/([0-9a-f-]{36})$/.exec(String(res.headers.location))?.[1];
  assert.ok(id, String(res.headers.location));
  firstCase = id;
  const page = await officer.get(`/asb/cases/${id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Loud music late at night/);
  assert.match(page.body, /Category 3/, 'noise is category 3 in the default settings');
  assert.match(page.body, /Percy Loud/);
  assert.match(page.body, /Carys Jones/, 'the case officer is in the team and sees the complainant');
  assert.match(page.body, /Music until 3am from the flat above/);
  assert.match(page.body, /Interview the complainant/);
  const list = await officer.get('/asb');
  assert.match(list.body, new RegExp(`href="/asb/cases/${id}">ASB-\\d{4}-\\d{6}`));
});

test('a report at the same block shows the open case that may be the same problem; adding it as an incident adds it', async () => {
  assert.ok(firstCase);
  const token = await openForm(`blockId=${block}`);
  const casesBefore = await countCases();
  const step = await officer.post('/asb/cases/new', { ...caseForm({ blockId: block }, { summary: 'Shouting in the stairwell', description: 'Shouting and banging on doors at night', complainantName: 'Dee Neighbour', perpetratorKind: 'unknown', perpetratorPersonId: '' }), formToken: token });
  assert.equal(step.statusCode, 200, step.body);
  assert.match(step.body, /There are open cases that may be the same problem/);
  assert.match(step.body, /same block: Bronte House/);
  assert.match(step.body, new RegExp(`value="add:${firstCase}"`));
  assert.equal(await countCases(), casesBefore, 'nothing opened before the choice');

  // Continue without choosing: the step again, its error naming the choice.
  const fields = Object.fromEntries(hiddenFields(step.body).filter(([n]) => n !== '_csrf'));
  const unchosen = await officer.post('/asb/cases/new', fields);
  assert.equal(unchosen.statusCode, 400);
  assert.match(unchosen.body, /href="#similar">Select what to do with this report/);

  const added = await officer.post('/asb/cases/new', { ...fields, similar: `add:${firstCase}` });
  assert.equal(added.statusCode, 303, added.body);
  assert.equal(added.headers.location, `/asb/cases/${firstCase}#incidents`);
  assert.equal(await countCases(), casesBefore, 'no new case');
  const view = await h.store.withOrg(a.id, (tx) => getCase({ actor: systemActor(a.id), tx }, firstCase));
  assert.deepEqual(view.incidents.map((i) => i.description).sort(), ['Music until 3am from the flat above', 'Shouting and banging on doors at night']);
  // The same form sent again (a double click) writes nothing more.
  const again = await officer.post('/asb/cases/new', { ...fields, similar: `add:${firstCase}` });
  assert.equal(again.statusCode, 303);
  const after = await h.store.withOrg(a.id, (tx) => getCase({ actor: systemActor(a.id), tx }, firstCase));
  assert.equal(after.incidents.length, 2);
});

test('a new linked case opens a case linked both ways to the open ones; an isolated incident opens one unlinked', async () => {
  for (const choice of ['linked', 'isolated'] as const) {
    const token = await openForm(`blockId=${block}`);
    const step = await officer.post('/asb/cases/new', { ...caseForm({ blockId: block }, { summary: `Graffiti (${choice})`, categories: 'vandalism-and-damage', perpetratorKind: 'group', perpetratorPersonId: '', perpetratorName: 'Teenagers on bikes' }), formToken: token });
    assert.equal(step.statusCode, 200, step.body);
    const fields = Object.fromEntries(hiddenFields(step.body).filter(([n]) => n !== '_csrf'));
    const res = await officer.post('/asb/cases/new', { ...fields, similar: choice });
    assert.equal(res.statusCode, 303, res.body);
    const id = /^\/asb\/cases\/([0-9a-f-]{36})$/.exec(String(res.headers.location))?.[1];
    assert.ok(id && id !== firstCase);
    const links = await h.store.withOrg(a.id, (tx) => tx.select().from(asbCaseLinks).where(and(eq(asbCaseLinks.organisationId, a.id), eq(asbCaseLinks.caseId, id))));
    if (choice === 'linked') {
      assert.ok(links.some((l) => l.linkedCaseId === firstCase), 'linked to the open case at the block');
      const back = await h.store.withOrg(a.id, (tx) => tx.select().from(asbCaseLinks).where(and(eq(asbCaseLinks.caseId, firstCase), eq(asbCaseLinks.linkedCaseId, id))));
      assert.equal(back.length, 1, 'and the open case to it');
    } else assert.equal(links.length, 0);
  }
});

test('the case page adds an incident and assesses risk; their errors name the field', async () => {
  const url = `/asb/cases/${firstCase}`;
  let page = await officer.get(url);
  const bad = await officer.post(`${url}/incidents`, { description: '', ...dayParts(5), formToken: officer.field(page.body, 'formToken') });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#description">Enter what happened/);
  assert.match(bad.body, /href="#occurredOn-day">The date it happened must be today or in the past/);

  page = await officer.get(url);
  const tokens = [...page.body.matchAll(/name="formToken" value="([^"]+)"/g)].map((m) => m[1]!);
  const added = await officer.post(`${url}/incidents`, { description: 'Bottles thrown from the balcony', ...dayParts(0), reportedVia: 'phone', formToken: tokens[0]! });
  assert.equal(added.statusCode, 303, added.body);
  page = await officer.get(url);
  // Newest first: today's incident comes before the one two days ago.
  assert.ok(page.body.indexOf('Bottles thrown from the balcony') < page.body.indexOf('Music until 3am'), 'incidents newest first');

  const riskToken = [...page.body.matchAll(/name="formToken" value="([^"]+)"/g)].map((m) => m[1]!)[1]!;
  const none = await officer.post(`${url}/risk`, { formToken: riskToken });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /href="#risk-hurt-or-threatened">Answer at least one question/);
  const assessed = await officer.post(`${url}/risk`, { 'risk-hurt-or-threatened': 'yes', 'risk-sleep-health-work': '2', formToken: riskToken });
  assert.equal(assessed.statusCode, 303, assessed.body);
  page = await officer.get(url);
  assert.match(page.body, /High risk/);
  assert.match(page.body, /name="risk-hurt-or-threatened" type="radio" value="yes" checked/, 'the last answers are shown');
});

test('a repairs planner gets 403 on every ASB page', async () => {
  for (const url of ['/asb', '/asb/cases/new', `/asb/cases/new?homeId=${flat1}`, `/asb/cases/${firstCase}`]) {
    const res = await planner.get(url);
    assert.equal(res.statusCode, 403, url);
  }
});
