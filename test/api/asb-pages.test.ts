// The ASB officer's pages (issue 15) through the real HTTP stack and database: the list, opening a case (the place by
// postcode, the person picker, the one-page form, errors that name the field, the step that shows open cases that may
// be the same problem and each of its choices) and the case page (adding an incident, assessing risk, adding a tool and
// changing its status, raising an alert that repairs show as "Visit in pairs", closing the case); a repairs planner
// gets 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { ukDate } from '../../src/platform/uk-time.ts';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { staffSession, type StaffSession } from '../support/staff.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import { DEFAULT_ASB_SETTINGS } from '../../src/modules/asb/rules/default-settings.ts';
import { asbCaseLinks } from '../../src/modules/asb/schema.ts';
import { getCase, listCases } from '../../src/modules/asb/service.ts';
import { caseTools } from '../../src/modules/asb/case-details.ts';

/** The modules with the ASB pages registered (until the lead adds them to the ASB manifest, which this then keeps). */

let h: Harness;
let a: Landlord;
let officer: StaffSession;
let planner: StaffSession;
let block: string;
let flat1: string;
let person: string;
let percyTwin: string;
let carys: string;
let nia: string;

const DAY = 86_400_000;
const dayParts = (offsetDays: number) => {
  const [year, month, day] = ukDate(new Date(Date.now() + offsetDays * DAY)).split('-');
  return { 'occurredOn-day': String(Number(day)), 'occurredOn-month': String(Number(month)), 'occurredOn-year': year! };
};
const unique = `${process.pid}-${Date.now()}`;
/** A GOV.UK date input's three boxes for a day `offsetDays` from today (UK). */
const dateBoxes = (name: string, offsetDays: number) => {
  const [year, month, day] = ukDate(new Date(Date.now() + offsetDays * DAY)).split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year! };
};
/** The one-time token of the page's form that posts to `action` (the case page has several forms). */
function tokenOf(body: string, action: string): string {
  const form = new RegExp(`<form method="post" action="${action.replace(/[/.]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</form>`).exec(body);
  assert.ok(form, `a form posting to ${action}`);
  const token = /name="formToken" value="([^"]+)"/.exec(form[1]!)?.[1];
  assert.ok(token, `the form posting to ${action} has a token`);
  return token;
}
const asHearth = <T>(work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(a.id, (tx) => work({ actor: systemActor(a.id), tx }));

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
  person = await created('people', sample.person({ givenName: 'Percy', familyName: 'Loud', dateOfBirth: '1980-05-14' }));
  // Someone of the same name, born another day and living elsewhere: the picker's date of birth and postcode tell them apart.
  percyTwin = await created('people', sample.person({ givenName: 'Percy', familyName: 'Loud', dateOfBirth: '1992-11-02', address: { street: 'Elm Road', town: 'Leeds', postcode: 'LS9 9ZZ' } }));
  carys = await created('people', sample.person({ givenName: 'Carys', familyName: 'Jones', dateOfBirth: '1975-01-20' }));
  nia = await created('people', sample.person({ givenName: 'Nia', familyName: 'Noisy', dateOfBirth: '1999-07-07' }));
  // Percy lives at flat 1: a repair there shows the words of his alerts to the operative.
  await created('tenancies', { reference: `T-${unique}`, tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: flat1, members: [{ personId: person, role: 'lead' }] });
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
  assert.match(res.body, /href="#perpetratorPersonId">Find the person reported on our records, or choose a group or someone not known/);
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
  const id = /^\/asb\/cases\/([0-9a-f-]{36})\?done=opened$/.exec(String(res.headers.location))?.[1];
  assert.ok(id, String(res.headers.location));
  firstCase = id;
  const page = await officer.get(String(res.headers.location));
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /govuk-notification-banner--success[\s\S]*Case opened/);
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
  assert.equal(added.headers.location, `/asb/cases/${firstCase}?done=incident#incidents`);
  assert.equal(await countCases(), casesBefore, 'no new case');
  const view = await h.store.withOrg(a.id, (tx) => getCase({ actor: systemActor(a.id), tx }, firstCase));
  assert.deepEqual(view.incidents.map((i) => i.description).sort(), ['Music until 3am from the flat above', 'Shouting and banging on doors at night']);
  // The report's complainant joined the case, and the new incident is theirs.
  const dee = view.parties.find((p) => p.name === 'Dee Neighbour');
  assert.ok(dee && dee.role === 'complainant', JSON.stringify(view.parties));
  assert.equal(view.incidents.find((i) => i.description.startsWith('Shouting'))!.reportedByPartyId, dee.id);
  // The same form sent again (a double click) writes nothing more.
  const again = await officer.post('/asb/cases/new', { ...fields, similar: `add:${firstCase}` });
  assert.equal(again.statusCode, 303);
  const after = await h.store.withOrg(a.id, (tx) => getCase({ actor: systemActor(a.id), tx }, firstCase));
  assert.equal(after.incidents.length, 2);
  assert.equal(after.parties.filter((p) => p.name === 'Dee Neighbour').length, 1, 'nor a second party');
});

test('a new linked case opens a case linked both ways to the open ones; an isolated incident opens one unlinked', async () => {
  for (const choice of ['linked', 'isolated'] as const) {
    const token = await openForm(`blockId=${block}`);
    const step = await officer.post('/asb/cases/new', { ...caseForm({ blockId: block }, { summary: `Graffiti (${choice})`, categories: 'vandalism-and-damage', perpetratorKind: 'group', perpetratorPersonId: '', perpetratorName: 'Teenagers on bikes' }), formToken: token });
    assert.equal(step.statusCode, 200, step.body);
    const fields = Object.fromEntries(hiddenFields(step.body).filter(([n]) => n !== '_csrf'));
    const res = await officer.post('/asb/cases/new', { ...fields, similar: choice });
    assert.equal(res.statusCode, 303, res.body);
    const id = /^\/asb\/cases\/([0-9a-f-]{36})\?done=opened$/.exec(String(res.headers.location))?.[1];
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

test('the person picker finds people by name, narrowed by date of birth and postcode; the choice comes back to the form, keeping the place and the other person', async () => {
  const start = await officer.get('/asb/cases/new?place=none');
  assert.equal(start.statusCode, 200);
  const findPerpetrator = /href="([^"]+)">Find the person reported on our records/.exec(start.body)?.[1]?.replace(/&amp;/g, '&');
  assert.equal(findPerpetrator, '/asb/cases/new?place=none&find=perpetrator');
  assert.doesNotMatch(start.body, /name="perpetratorPersonId"/, 'no person id to type');

  const empty = await officer.get('/asb/cases/new?place=none&find=perpetrator&personName=');
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /href="#personName">Enter a name to search for/);

  // By name: both people called Percy Loud, each with what tells them apart.
  const both = await officer.get('/asb/cases/new?place=none&find=perpetrator&personName=percy+loud');
  assert.equal(both.statusCode, 200);
  assert.match(both.body, new RegExp(`name="chosenPersonId" type="radio" value="${person}"`));
  assert.match(both.body, new RegExp(`name="chosenPersonId" type="radio" value="${percyTwin}"`));
  assert.match(both.body, /Born 14 May 1980/);
  assert.doesNotMatch(both.body, new RegExp(`value="${nia}"`));
  // A date of birth narrows it to one; so does a postcode (the twin's own address).
  const byDob = await officer.get('/asb/cases/new?place=none&find=perpetrator&personName=Loud&personDob-day=14&personDob-month=5&personDob-year=1980');
  assert.deepEqual([...byDob.body.matchAll(/name="chosenPersonId" type="radio" value="([^"]+)"/g)].map((m) => m[1]), [person]);
  const byPostcode = await officer.get('/asb/cases/new?place=none&find=perpetrator&personName=Loud&personPostcode=ls99zz');
  assert.deepEqual([...byPostcode.body.matchAll(/name="chosenPersonId" type="radio" value="([^"]+)"/g)].map((m) => m[1]), [percyTwin]);
  const badDob = await officer.get('/asb/cases/new?place=none&find=perpetrator&personName=Loud&personDob-day=31&personDob-month=2&personDob-year=1980');
  assert.equal(badDob.statusCode, 400);
  assert.match(badDob.body, /href="#personDob-day">Date of birth must be a real date/);

  // "Use this person" without choosing: the error names the choice.
  const unchosen = await officer.get('/asb/cases/new?place=none&find=perpetrator&personName=Loud&choose=yes');
  assert.equal(unchosen.statusCode, 400);
  assert.match(unchosen.body, /href="#chosenPersonId">Select the person reported from the results/);

  const chosen = await officer.get(`/asb/cases/new?place=none&find=perpetrator&personName=Nia&choose=yes&chosenPersonId=${nia}`);
  assert.equal(chosen.statusCode, 303);
  assert.equal(chosen.headers.location, `/asb/cases/new?place=none&perpetratorPersonId=${nia}`);
  const form = await officer.get(String(chosen.headers.location));
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Nia Noisy/);
  assert.match(form.body, new RegExp(`<input type="hidden" name="perpetratorPersonId" value="${nia}">`));
  assert.match(form.body, /name="perpetratorKind" type="radio" value="person" checked/);

  // Then the complainant: the search carries the person already chosen, and both come back.
  const findComplainant = /href="([^"]+)">Find the complainant on our records/.exec(form.body)?.[1]?.replace(/&amp;/g, '&');
  assert.equal(findComplainant, `/asb/cases/new?place=none&perpetratorPersonId=${nia}&find=complainant`);
  const results = await officer.get(`${findComplainant}&personName=carys`);
  assert.match(results.body, new RegExp(`<input type="hidden" name="perpetratorPersonId" value="${nia}">`));
  const both2 = await officer.get(`${findComplainant}&personName=carys&choose=yes&chosenPersonId=${carys}`);
  assert.equal(both2.headers.location, `/asb/cases/new?place=none&complainantPersonId=${carys}&perpetratorPersonId=${nia}`);
  const filled = await officer.get(String(both2.headers.location));
  assert.match(filled.body, /Carys Jones/);

  const res = await officer.post('/asb/cases/new', {
    summary: 'Threats on the street', description: 'Shouted threats outside the shop', ...dayParts(-1), categories: 'threats',
    complainantPersonId: officer.field(filled.body, 'complainantPersonId'), perpetratorKind: 'person', perpetratorPersonId: officer.field(filled.body, 'perpetratorPersonId'),
    formToken: officer.field(filled.body, 'formToken'),
  });
  assert.equal(res.statusCode, 303, res.body);
  const id = /^\/asb\/cases\/([0-9a-f-]{36})\?done=opened$/.exec(String(res.headers.location))?.[1];
  assert.ok(id);
  const view = await asHearth((ctx) => getCase(ctx, id));
  assert.deepEqual(view.parties.map((p) => [p.role, p.kind, p.personId]).sort(), [['alleged-perpetrator', 'person', nia], ['complainant', 'person', carys]]);
});

let toolId = '';

test('the case page adds a tool (its errors name the field), shows it with the party it is against, and changes its status', async () => {
  const url = `/asb/cases/${firstCase}`;
  let page = await officer.get(url);
  assert.match(page.body, /<h2 class="govuk-heading-m" id="tools">Tools and outcomes<\/h2>/);
  assert.match(page.body, /No tools or outcomes yet/);
  const bad = await officer.post(`${url}/tools`, { toolStatus: 'proposed', ...dateBoxes('toolStartedOn', 0), ...dateBoxes('toolEndsOn', -10), formToken: tokenOf(page.body, `${url}/tools`) });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#toolKind">Select the tool or outcome/);
  assert.match(bad.body, /href="#toolEndsOn-day">The date it ends must be the same as or after the date it started/);
  assert.equal((await asHearth((ctx) => caseTools(ctx, firstCase))).length, 0, 'nothing added');

  const view = await asHearth((ctx) => getCase(ctx, firstCase));
  const perpetrator = view.parties.find((p) => p.role === 'alleged-perpetrator')!;
  assert.match(page.body, new RegExp(`<option value="${perpetrator.id}">Percy Loud \\(alleged perpetrator\\)</option>`));
  page = await officer.get(url);
  const added = await officer.post(`${url}/tools`, {
    toolKind: 'acceptable-behaviour-contract', toolStatus: 'proposed', toolAgainst: perpetrator.id, ...dateBoxes('toolNextDateOn', 14),
    toolNotes: 'Offered at the interview', formToken: tokenOf(page.body, `${url}/tools`),
  });
  assert.equal(added.statusCode, 303, added.body);
  assert.equal(added.headers.location, `${url}?done=tool#tools`);
  const [tool] = await asHearth((ctx) => caseTools(ctx, firstCase));
  assert.ok(tool);
  toolId = tool.id;
  assert.deepEqual([tool.kind, tool.status, tool.againstPartyId, tool.nextDateOn, tool.notes], ['acceptable-behaviour-contract', 'proposed', perpetrator.id, ukDate(new Date(Date.now() + 14 * DAY)), 'Offered at the interview']);
  page = await officer.get(String(added.headers.location));
  assert.match(page.body, /govuk-notification-banner--success[\s\S]*Tool added/);
  assert.match(page.body, /Acceptable behaviour contract/);
  assert.match(page.body, /<td class="govuk-table__cell">Percy Loud \(alleged perpetrator\)<\/td>/);
  assert.match(page.body, /govuk-tag--blue">\s*Proposed/);

  // Its status: in place (from a date in the past), then a move it cannot make, named on the choice.
  const toolUrl = `${url}/tools/${toolId}`;
  assert.match(page.body, new RegExp(`href="${toolUrl}">Change status`));
  let toolPage = await officer.get(toolUrl);
  assert.equal(toolPage.statusCode, 200);
  const future = await officer.post(`${toolUrl}/status`, { status: 'in-place', ...dateBoxes('on', 3), formToken: tokenOf(toolPage.body, `${toolUrl}/status`) });
  assert.equal(future.statusCode, 400);
  assert.match(future.body, /href="#on-day">The date it changed must be today or in the past/);
  const inPlace = await officer.post(`${toolUrl}/status`, { status: 'in-place', ...dateBoxes('on', -2), formToken: tokenOf(toolPage.body, `${toolUrl}/status`) });
  assert.equal(inPlace.statusCode, 303, inPlace.body);
  assert.equal(inPlace.headers.location, `${url}?done=tool-status#tools`);
  let [now] = await asHearth((ctx) => caseTools(ctx, firstCase));
  assert.deepEqual([now!.status, now!.startedOn], ['in-place', ukDate(new Date(Date.now() - 2 * DAY))]);
  page = await officer.get(String(inPlace.headers.location));
  assert.match(page.body, /Tool’s status changed/);
  assert.match(page.body, /govuk-tag--green">\s*In place/);

  toolPage = await officer.get(toolUrl);
  assert.deepEqual([...toolPage.body.matchAll(/name="status" type="radio" value="([a-z-]+)"/g)].map((m) => m[1]), ['breached', 'ended'], 'only the moves it may make');
  const ended = await officer.post(`${toolUrl}/status`, { status: 'ended', notes: 'Kept to it for six months', formToken: tokenOf(toolPage.body, `${toolUrl}/status`) });
  assert.equal(ended.statusCode, 303, ended.body);
  // Ended is final: the tool's page offers no move, and the case page no "Change status" for it.
  toolPage = await officer.get(toolUrl);
  assert.equal(toolPage.statusCode, 200);
  assert.doesNotMatch(toolPage.body, new RegExp(`action="${toolUrl}/status"`));
  assert.match(toolPage.body, /Its status is final/);
  assert.doesNotMatch((await officer.get(url)).body, new RegExp(`href="${toolUrl}">Change status`));
  [now] = await asHearth((ctx) => caseTools(ctx, firstCase));
  assert.deepEqual([now!.status, now!.endsOn, now!.notes], ['ended', ukDate(new Date()), 'Offered at the interview\n\nKept to it for six months']);
});

/** A repair reported at a home: its work order as repairs give it to the planner (with the operative's words). */
async function workOrderAt(homeId: string) {
  const r = await api(h, 'POST', '/api/v1/repair-requests', a.as['housing-officer'], {
    homeId, triagePath: ['bedroom', 'window', 'window-will-not-open'], description: 'The bedroom window will not open', contactName: 'Resident', contactBy: 'phone', contactPhone: '07700 900982',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const wo = await api(h, 'GET', `/api/v1/work-orders/${r.body.workOrder.id}`, a.as['repairs-planner']);
  assert.equal(wo.status, 200, JSON.stringify(wo.body));
  return wo.body;
}

let alertId = '';

test('raising an alert: a review date not in the future names the field; a proper one is on the person in safe words, and repairs show "Visit in pairs"', async () => {
  const url = `/asb/cases/${firstCase}`;
  assert.deepEqual((await workOrderAt(flat1)).operativeWords, [], 'no words before the alert');
  let page = await officer.get(url);
  assert.match(page.body, /Raise an alert for other services/);
  assert.match(page.body, /Only these words are shown to others, never the case/);
  assert.match(page.body, new RegExp(`name="alertPersonId" type="radio" value="${person}"`));
  assert.doesNotMatch(page.body, /name="alertPersonId" type="radio" value=""/, 'the complainant, not on our records, cannot carry one');

  const today = await officer.post(`${url}/alerts`, { alertPersonId: person, alertWords: 'do-not-visit-alone', ...dateBoxes('alertReviewOn', 0), formToken: tokenOf(page.body, `${url}/alerts`) });
  assert.equal(today.statusCode, 400);
  assert.match(today.body, /href="#alertReviewOn-day">The review date must be in the future/);
  const nothing = await api(h, 'GET', `/api/v1/alerts?personId=${person}`, a.as.administrator);
  assert.deepEqual(nothing.body.items, [], 'nothing written for a refused alert');

  page = await officer.get(url);
  const raised = await officer.post(`${url}/alerts`, { alertPersonId: person, alertWords: 'do-not-visit-alone', ...dateBoxes('alertReviewOn', 90), formToken: tokenOf(page.body, `${url}/alerts`) });
  assert.equal(raised.statusCode, 303, raised.body);
  assert.equal(raised.headers.location, `${url}?done=alert#alerts`);
  page = await officer.get(String(raised.headers.location));
  assert.match(page.body, /Alert raised: other services see only its words/);
  assert.match(page.body, /<td class="govuk-table__cell">Percy Loud<\/td>\s*<td class="govuk-table__cell">Do not visit alone/);

  // On the person, in the safe words only; a repair at their home tells the operative "Visit in pairs".
  const alerts = await api(h, 'GET', `/api/v1/alerts?personId=${person}`, a.as['repairs-planner']);
  assert.equal(alerts.status, 200);
  assert.deepEqual(alerts.body.items.map((x: { hactCode: string; description: string; reviewDate: string }) => [x.hactCode, x.description, x.reviewDate]),
    [['10', 'Do not visit alone', ukDate(new Date(Date.now() + 90 * DAY))]]);
  alertId = alerts.body.items[0].id;
  const workOrder = await workOrderAt(flat1);
  assert.deepEqual(workOrder.operativeWords, ['Visit in pairs']);
  const said = JSON.stringify(workOrder).toLowerCase();
  for (const leak of ['asb', 'loud music', 'complain', 'perpetrator']) assert.equal(said.includes(leak), false, leak);
});

test('closing the case: its errors name the field; closed, it shows how it closed, its actions done and alert ended, and no work forms', async () => {
  const url = `/asb/cases/${firstCase}`;
  let page = await officer.get(url);
  assert.match(page.body, new RegExp(`href="${url}/close"[^>]*>\\s*Close the case`));
  let closePage = await officer.get(`${url}/close`);
  assert.equal(closePage.statusCode, 200);
  assert.match(closePage.body, /marks its open actions done and ends the alerts it raised/);
  assert.match(closePage.body, /and 1 alert in force/);

  const bad = await officer.post(`${url}/close`, { rating: '4', formToken: tokenOf(closePage.body, `${url}/close`) });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#closingReason">Select why the case is closing/);
  assert.match(bad.body, /href="#satisfied">Select whether the complainant was satisfied/);
  assert.equal((await asHearth((ctx) => getCase(ctx, firstCase))).case.status, 'open', 'still open');

  closePage = await officer.get(`${url}/close`);
  const closed = await officer.post(`${url}/close`, {
    closingReason: 'resolved', satisfied: 'yes', rating: '4', surveyComment: 'Quiet since the contract', formToken: tokenOf(closePage.body, `${url}/close`),
  });
  assert.equal(closed.statusCode, 303, closed.body);
  assert.equal(closed.headers.location, `${url}?done=closed#closed`);
  const view = await asHearth((ctx) => getCase(ctx, firstCase));
  assert.deepEqual([view.case.status, view.case.closingReason, view.case.satisfaction], ['closed', 'resolved', { satisfiedWithHandling: true, rating: 4, comment: 'Quiet since the contract' }]);
  assert.ok(view.actions.length && view.actions.every((x) => x.doneAt), 'every action done');
  const alert = await api(h, 'GET', `/api/v1/alerts/${alertId}`, a.as.administrator);
  assert.equal(alert.status, 200);
  assert.ok(alert.body.endDate, 'the alert it raised has ended');

  page = await officer.get(String(closed.headers.location));
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Case closed/);
  assert.match(page.body, /How the case closed/);
  assert.match(page.body, /Resolved/);
  assert.match(page.body, /Satisfied with how the case was handled; overall 4 out of 5 \(satisfied\)/);
  assert.match(page.body, /Quiet since the contract/, 'the case officer is in the team and sees the complainant’s words');
  assert.match(page.body, /Closed with the case/);
  // No work forms on a closed case; only its ASB Case Review may still be recorded (one may be asked for after closing).
  const forms = [...page.body.matchAll(/<form method="post" action="(\/asb[^"]*)"/g)].map((m) => m[1]);
  assert.ok(forms.every((f) => /\/case-reviews\//.test(f!)), `no work forms on a closed case: ${forms.join(', ')}`);
  assert.doesNotMatch(page.body, /Change status/);
  // The close page of a closed case goes back to the case.
  const again = await officer.get(`${url}/close`);
  assert.equal(again.statusCode, 303);
  assert.equal(again.headers.location, `${url}#closed`);
});

test('a repairs planner gets 403 on every ASB page', async () => {
  for (const url of ['/asb', '/asb/cases/new', `/asb/cases/new?homeId=${flat1}`, '/asb/cases/new?place=none&find=complainant&personName=Loud', `/asb/cases/${firstCase}`,
    `/asb/cases/${firstCase}/close`, `/asb/cases/${firstCase}/tools/${toolId}`]) {
    const res = await planner.get(url);
    assert.equal(res.statusCode, 403, url);
  }
});
