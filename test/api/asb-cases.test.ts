// ASB cases (issue 15; docs/decisions/0025) against the real database: opening a case (reference, priority from its
// categories, hate flag, an action plan due in working days), similar open cases at the same home, block or person,
// bad input naming the field, who may read (403 for other roles, 404 for another landlord), every read audited,
// complainants and witnesses hidden from officers outside the case's team, the ASB Case Review threshold, risk that
// brings actions forward, and the versioned settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { endOfUkDay, ukDate } from '../../src/platform/uk-time.ts';
import { addWorkingDays } from '../../src/modules/hazards/index.ts';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import { DEFAULT_ASB_SETTINGS } from '../../src/modules/asb/rules/default-settings.ts';
import { assessCaseRisk, getCase, openCase, type OpenCaseInput } from '../../src/modules/asb/service.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
let homeA: string;
let complainant: string;
let witness: string;
let perpetrator: string;
let personOfB: string;

const DAY = 86_400_000;
const daysAgo = (n: number) => ukDate(new Date(Date.now() - n * DAY));
const officer = (who: Landlord, id: string): Actor => ({ kind: 'user', id, name: 'Olu Officer', organisationId: who.id, role: 'asb-officer' });
const as = <T>(who: Landlord, act: Actor, work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(who.id, (tx) => work({ actor: act, tx }));

async function created(who: Landlord, path: string, body: unknown): Promise<string> {
  const r = await api(h, 'POST', `/api/v1/${path}`, who.as.administrator, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

/** A case at homeA: a complainant who reported it, a witness known to us, one only described, and the person reported. */
const caseBody = (extra: Record<string, unknown> = {}) => ({
  summary: 'Loud music late at night from the flat above',
  categories: ['noise'],
  parties: [
    { role: 'complainant', kind: 'person', personId: complainant },
    { role: 'witness', kind: 'person', personId: witness },
    { role: 'witness', kind: 'unknown', name: 'Man from the corner shop' },
    { role: 'alleged-perpetrator', kind: 'person', personId: perpetrator },
  ],
  places: [{ homeId: homeA }],
  incident: { occurredOn: daysAgo(2), occurredTime: '23:30', description: 'Music until 3am again', reportedVia: 'phone', reportedByPartyIndex: 0 },
  ...extra,
});

/** PUT a settings document (the shared api helper sends GET, POST and PATCH). */
async function put(headers: Record<string, string>, payload: unknown) {
  const res = await h.app.inject({ method: 'PUT', url: '/api/v1/asb-settings', headers, payload: payload as object });
  return { status: res.statusCode, body: res.json() };
}

async function openAs(who: Landlord, body: unknown, headers: Record<string, string> = {}) {
  return api(h, 'POST', '/api/v1/asb-cases', { ...who.as['asb-officer'], ...headers }, body);
}

async function opened(body: unknown = caseBody()): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await openAs(a, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  h = await harness();
  a = await landlord(h);
  b = await landlord(h);
  homeA = await created(a, 'homes', sample.home());
  complainant = await created(a, 'people', sample.person({ givenName: 'Carys', familyName: 'Complains' }));
  witness = await created(a, 'people', sample.person({ givenName: 'Wendy', familyName: 'Witnessed' }));
  perpetrator = await created(a, 'people', sample.person({ givenName: 'Percy', familyName: 'Loud' }));
  personOfB = await created(b, 'people', sample.person());
});
after(() => h.close());

test('opening a case gives a reference per landlord and year, the priority of its categories, the hate flag and an action plan', async () => {
  const year = ukDate(new Date()).slice(0, 4);
  const first = await opened();
  assert.match(first.reference, new RegExp(`^ASB-${year}-\\d{6}$`));
  const second = await opened(caseBody({ categories: ['noise', 'threats'] }));
  assert.equal(Number(second.reference.slice(-6)), Number(first.reference.slice(-6)) + 1, 'the next number');
  // The most serious category sets the priority: noise alone is category 3; with threats, category 1.
  assert.equal(first.priorityCode, 'category-3');
  assert.equal(second.priorityCode, 'category-1');
  assert.equal(first.hate, false);
  assert.equal(first.status, 'open');
  assert.equal(first.settingsVersion, 0);
  // A hate category is a hate case; so is any case with a protected characteristic recorded.
  assert.equal((await opened(caseBody({ categories: ['hate-incident'], protectedCharacteristics: ['race'] }))).hate, true);
  assert.equal((await opened(caseBody({ protectedCharacteristics: ['religion-or-belief'] }))).hate, true);
  // A hate category with no characteristic is refused: what the hostility was about must be recorded.
  const noWhy = await openAs(a, caseBody({ categories: ['hate-incident'] }));
  assert.equal(noWhy.status, 400);
  assert.equal(noWhy.body.errors[0].field, '/protectedCharacteristics');
  // An officer's override needs a reason, and is kept.
  const raised = await opened(caseBody({ priority: { code: 'category-2', reason: 'The complainant is a carer and cannot sleep' } }));
  assert.equal(raised.priorityCode, 'category-2');
  assert.equal(raised.priorityReason, 'The complainant is a carer and cannot sleep');
  // The plan: one row per action of the settings, due by the priority's working-day target counted from the day it opened.
  assert.deepEqual(first.actions.map((x: { kind: string }) => x.kind).sort(), DEFAULT_ASB_SETTINGS.actions.map((x) => x.code).sort());
  const openedOn = ukDate(new Date(first.openedAt));
  for (const action of first.actions as { kind: string; dueAt: string }[]) {
    const days = DEFAULT_ASB_SETTINGS.actions.find((x) => x.code === action.kind)!.byPriority?.['category-3']?.amount ?? 5;
    assert.equal(action.dueAt, endOfUkDay(addWorkingDays(openedOn, days)).toISOString(), action.kind);
  }
});

test('due dates skip weekends and bank holidays: a category 1 case opened on Christmas Eve 2026 is acknowledged by Tuesday 29 December', async () => {
  const input: OpenCaseInput = {
    summary: 'Threats on the stairs', categories: ['threats'], parties: [{ role: 'complainant', kind: 'person', personId: complainant }], places: [{ homeId: homeA }],
    incident: { occurredOn: '2026-12-23', description: 'Told to move out or else', reportedByPartyIndex: 0 },
  };
  // Friday 25 (Christmas Day), the weekend and Monday 28 (Boxing Day's substitute) are not working days.
  const view = await as(a, officer(a, '00000000-0000-7000-8000-00000000000a'), (ctx) => openCase(ctx, input, new Date('2026-12-24T10:00:00Z')));
  assert.equal(view.case.reference, `ASB-2026-${view.case.reference.slice(-6)}`);
  assert.equal(view.actions.find((x) => x.kind === 'acknowledge')!.dueAt.toISOString(), '2026-12-29T23:59:59.999Z');
  assert.equal(view.case.officerUserId, '00000000-0000-7000-8000-00000000000a', 'the officer who opened it, by default');
});

test('an Idempotency-Key opens one case however often it is sent', async () => {
  const key = crypto.randomUUID();
  const one = await openAs(a, caseBody(), { 'idempotency-key': key });
  const two = await openAs(a, caseBody(), { 'idempotency-key': key });
  assert.equal(one.status, 201);
  assert.equal(two.status, 201);
  assert.equal(two.body.id, one.body.id);
  assert.equal(two.headers['idempotent-replayed'], 'true');
});

test('similar open cases at the same home, the same block (its homes too) and with the same person, each saying why', async () => {
  const block = await created(a, 'blocks', sample.block({ name: 'Bronte House' }));
  const flat1 = await created(a, 'homes', sample.home({ blockId: block, subBuilding: 'Flat 1' }));
  const flat2 = await created(a, 'homes', sample.home({ blockId: block, subBuilding: 'Flat 2' }));
  const elsewhere = await created(a, 'homes', sample.home({ buildingName: null, buildingNumber: '7', street: 'Far Lane' }));
  const loner = await created(a, 'people', sample.person({ givenName: 'Lone', familyName: 'Party' }));
  const incident = { occurredOn: daysAgo(1), description: 'Shouting in the stairwell' };
  const atFlat1 = await opened(caseBody({ places: [{ homeId: flat1 }], parties: [], incident }));
  const atBlock = await opened(caseBody({ places: [{ blockId: block }], parties: [], incident }));
  const withPerson = await opened(caseBody({ places: [{ homeId: elsewhere }], parties: [{ role: 'alleged-perpetrator', kind: 'person', personId: loner }], incident }));
  const similar = async (body: unknown) => {
    const r = await api(h, 'POST', '/api/v1/asb-cases/similar', a.as['asb-officer'], body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return new Map((r.body.items as { id: string; reasons: string[] }[]).map((c) => [c.id, c.reasons]));
  };
  // Flat 2 shares a block with Flat 1's case and with the case about the whole block.
  const nextDoor = await similar({ homeIds: [flat2] });
  assert.deepEqual(nextDoor.get(atFlat1.id), ['same block: Bronte House']);
  assert.deepEqual(nextDoor.get(atBlock.id), ['same block: Bronte House']);
  assert.equal(nextDoor.has(withPerson.id), false);
  // The same home is named as such.
  const sameHome = await similar({ homeIds: [flat1] });
  assert.match(sameHome.get(atFlat1.id)![0]!, /^same home: Flat 1/);
  // Asking about the block finds the cases at its homes.
  assert.deepEqual((await similar({ blockIds: [block] })).get(atFlat1.id), ['same block: Bronte House']);
  // The same person, never named in the reason.
  const byPerson = await similar({ personIds: [loner] });
  assert.deepEqual([...byPerson.keys()], [withPerson.id]);
  assert.equal(byPerson.get(withPerson.id)![0], 'same person, as alleged perpetrator');
  assert.equal((await similar({ homeIds: [elsewhere] })).has(atBlock.id), false, 'another street is not similar');
});

test('bad input names the field: an incident in the future, an unknown category, another landlord\'s person, a home that is not ours', async () => {
  const future = await openAs(a, caseBody({ incident: { occurredOn: ukDate(new Date(Date.now() + 2 * DAY)), description: 'Not yet' } }));
  assert.equal(future.status, 400);
  assert.deepEqual(future.body.errors.map((e: { field: string }) => e.field), ['/incident/occurredOn']);
  const category = await openAs(a, caseBody({ categories: ['karaoke'] }));
  assert.equal(category.status, 400);
  assert.equal(category.body.errors[0].field, '/categories/0');
  const theirs = await openAs(a, caseBody({ parties: [{ role: 'complainant', kind: 'person', personId: personOfB }] }));
  assert.equal(theirs.status, 400);
  assert.equal(theirs.body.errors[0].field, '/parties/0/personId');
  const homeOfB = await created(b, 'homes', sample.home());
  const place = await openAs(a, caseBody({ places: [{ homeId: homeOfB }] }));
  assert.equal(place.status, 400);
  assert.equal(place.body.errors[0].field, '/places/0/homeId');
});

test('only ASB roles read cases: a repairs planner and a housing officer get 403, an administrator may read but not open, another landlord gets 404', async () => {
  const c = await opened();
  for (const role of ['repairs-planner', 'housing-officer'] as const) {
    assert.equal((await api(h, 'GET', `/api/v1/asb-cases/${c.id}`, a.as[role])).status, 403, role);
    assert.equal((await api(h, 'GET', '/api/v1/asb-cases', a.as[role])).status, 403, role);
    assert.equal((await api(h, 'POST', '/api/v1/asb-cases', a.as[role], caseBody())).status, 403, role);
  }
  assert.equal((await api(h, 'GET', `/api/v1/asb-cases/${c.id}`, a.as.administrator)).status, 200);
  assert.equal((await api(h, 'POST', '/api/v1/asb-cases', a.as.administrator, caseBody())).status, 403, 'administrators read and manage cases, they do not work them');
  assert.equal((await api(h, 'GET', `/api/v1/asb-cases/${c.id}`, b.as['asb-officer'])).status, 404);
  const list = await api(h, 'GET', '/api/v1/asb-cases', b.as['asb-officer']);
  assert.equal(list.status, 200);
  assert.equal(list.body.items.some((x: { id: string }) => x.id === c.id), false);
});

test('every read of a case is audited', async () => {
  const c = await opened();
  const reads = async () => {
    const r = await api(h, 'GET', `/api/v1/audit-events?limit=500&action=read-sensitive&entityId=${c.id}`, a.as.administrator);
    assert.equal(r.status, 200);
    return (r.body.items as { entityKind: string }[]).filter((e) => e.entityKind === 'asb-case').length;
  };
  const before = await reads();
  assert.equal((await api(h, 'GET', `/api/v1/asb-cases/${c.id}`, a.as['asb-officer'])).status, 200);
  assert.equal(await reads(), before + 1);
  assert.equal((await api(h, 'GET', `/api/v1/asb-cases/${c.id}`, a.as.administrator)).status, 200);
  assert.equal(await reads(), before + 2);
});

test('an ASB officer outside the case\'s team sees "Witness 1", not who it is; the team and managers see the names', async () => {
  const caseOfficer = await h.auth.addUser({ organisationId: a.id, email: `case-officer-${a.id.slice(0, 8)}@asb.example`, name: 'Cai Officer', role: 'asb-officer', password: 'a long test password 1' });
  const c = await opened(caseBody({ officerUserId: caseOfficer.id }));
  // The API token is an ASB officer, but not the case's officer.
  const outside = await api(h, 'GET', `/api/v1/asb-cases/${c.id}`, a.as['asb-officer']);
  assert.equal(outside.status, 200);
  assert.equal(outside.body.identitiesShown, false);
  assert.deepEqual(outside.body.parties.map((p: { name: string | null }) => p.name), ['Complainant 1', 'Witness 1', 'Witness 2', null]);
  const text = JSON.stringify(outside.body);
  for (const hidden of [complainant, witness, 'corner shop']) assert.equal(text.includes(hidden), false, hidden);
  assert.equal(outside.body.parties[3].personId, perpetrator, 'the person reported is not hidden');
  // A manager (asb:manage) and the case officer see who they are.
  const manager = await api(h, 'GET', `/api/v1/asb-cases/${c.id}`, a.as.administrator);
  assert.deepEqual(manager.body.parties.map((p: { personId: string | null }) => p.personId), [complainant, witness, null, perpetrator]);
  assert.equal(manager.body.parties[2].name, 'Man from the corner shop');
  const mine = await as(a, officer(a, caseOfficer.id), (ctx) => getCase(ctx, c.id));
  assert.equal(mine.identitiesShown, true);
  assert.equal(mine.parties[1]!.personId, witness);
  // Nor does the list name anyone.
  const list = await api(h, 'GET', '/api/v1/asb-cases?status=open&limit=200', a.as['asb-officer']);
  assert.ok(list.body.items.some((x: { id: string }) => x.id === c.id));
  assert.equal(JSON.stringify(list.body).includes(complainant), false);
});

test('three reports within a month of their incidents meet the ASB Case Review threshold and flag the case, once', async () => {
  const c = await opened();
  const add = async (occurredOn: string) => {
    const r = await api(h, 'POST', `/api/v1/asb-cases/${c.id}/incidents`, a.as['asb-officer'],
      { occurredOn, description: 'Music again', reportedByPartyId: c.parties[0].id });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.caseReview;
  };
  const second = await add(daysAgo(1));
  assert.equal(second.met, false);
  assert.equal(second.flaggedAt, null);
  const third = await add(daysAgo(0));
  assert.equal(third.met, true);
  assert.equal(third.newlyFlagged, true);
  assert.equal(third.results[0].qualifying.length, 3);
  const fourth = await add(daysAgo(0));
  assert.equal(fourth.newlyFlagged, false, 'flagged once');
  assert.equal(fourth.flaggedAt, third.flaggedAt);
  const view = await api(h, 'GET', `/api/v1/asb-cases/${c.id}`, a.as['asb-officer']);
  assert.equal(view.body.caseReviewFlaggedAt, third.flaggedAt);
  assert.equal(view.body.caseReviews.length, 1);
  assert.equal(view.body.incidents.length, 4);
});

test('a report made more than a month after its incident does not count towards a case review', async () => {
  const c = await opened(caseBody({ incident: { occurredOn: daysAgo(70), description: 'It started in the summer', reportedByPartyIndex: 0 } }));
  let last;
  for (const n of [1, 0]) {
    const r = await api(h, 'POST', `/api/v1/asb-cases/${c.id}/incidents`, a.as['asb-officer'], { occurredOn: daysAgo(n), description: 'Music again' });
    assert.equal(r.status, 201);
    last = r.body.caseReview;
  }
  assert.equal(last.met, false);
  assert.equal(last.results[0].qualifying.length, 2);
  const future = await api(h, 'POST', `/api/v1/asb-cases/${c.id}/incidents`, a.as['asb-officer'], { occurredOn: ukDate(new Date(Date.now() + 2 * DAY)), description: 'Tomorrow' });
  assert.equal(future.status, 400);
  assert.equal(future.body.errors[0].field, '/occurredOn');
});

test('a complainant assessed at high risk brings the open actions forward to the high-risk targets', async () => {
  const openedAt = new Date('2026-06-01T09:00:00Z');
  const me = officer(a, '00000000-0000-7000-8000-00000000000b');
  const input: OpenCaseInput = {
    summary: 'Noise and shouting', categories: ['noise'], parties: [{ role: 'complainant', kind: 'person', personId: complainant }], places: [{ homeId: homeA }],
    incident: { occurredOn: '2026-05-30', description: 'Shouting at the door', reportedByPartyIndex: 0 },
  };
  const c = await as(a, me, (ctx) => openCase(ctx, input, openedAt));
  const before = new Map(c.actions.map((x) => [x.kind, x.dueAt.getTime()]));
  const outcome = await as(a, me, (ctx) => assessCaseRisk(ctx, c.case.id, { 'hurt-or-threatened': true, 'most-days': true }, null, new Date('2026-06-01T11:00:00Z')));
  assert.equal(outcome.assessment.level, 'high');
  assert.equal(outcome.rescheduled.length, DEFAULT_ASB_SETTINGS.actions.length);
  const view = await api(h, 'GET', `/api/v1/asb-cases/${c.case.id}`, a.as.administrator);
  assert.equal(view.body.riskLevel, 'high');
  assert.equal(view.body.risk.level, 'high');
  for (const action of view.body.actions as { kind: string; dueAt: string }[]) {
    const high = DEFAULT_ASB_SETTINGS.actions.find((x) => x.code === action.kind)!.byRisk!.high!;
    assert.equal(action.dueAt, endOfUkDay(addWorkingDays('2026-06-01', high.amount)).toISOString(), action.kind);
    assert.ok(Date.parse(action.dueAt) < before.get(action.kind)!, `${action.kind} is sooner`);
  }
  // Assessed high again: nothing more to bring forward.
  const again = await as(a, me, (ctx) => assessCaseRisk(ctx, c.case.id, { 'hurt-or-threatened': true }, null, new Date('2026-06-02T11:00:00Z')));
  assert.deepEqual(again.rescheduled, []);
  // An answer that does not fit its question names it.
  const bad = await api(h, 'POST', `/api/v1/asb-cases/${c.case.id}/risk-assessments`, a.as['asb-officer'], { answers: { 'hurt-or-threatened': 2 } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].field, '/answers/hurt-or-threatened');
  const standard = await api(h, 'POST', `/api/v1/asb-cases/${c.case.id}/risk-assessments`, a.as['asb-officer'], { answers: { 'no-support': true } });
  assert.equal(standard.status, 201, JSON.stringify(standard.body));
  assert.equal(standard.body.level, 'standard');
  assert.deepEqual(standard.body.rescheduled, [], 'a lower level never puts actions back');
});

test('the settings: version 0 is the default; a PUT is checked, by administrators only, and each save is a new version cases keep', async () => {
  const c = await landlord(h);
  const got = await api(h, 'GET', '/api/v1/asb-settings', c.as['asb-officer']);
  assert.equal(got.status, 200);
  assert.equal(got.body.version, 0);
  assert.deepEqual(got.body.settings, DEFAULT_ASB_SETTINGS);
  const doc = structuredClone(DEFAULT_ASB_SETTINGS);
  doc.categories.push({ code: 'bonfires', label: 'Bonfires', national: 'environmental', priority: 'category-2' });
  assert.equal((await put(c.as['asb-officer'], doc)).status, 403);
  const broken = structuredClone(doc);
  broken.categories[0]!.priority = 'category-9';
  const refused = await put(c.as.administrator, broken);
  assert.equal(refused.status, 400);
  assert.ok(refused.body.errors.some((e: { field: string }) => e.field === '/categories/0/priority'), JSON.stringify(refused.body.errors));
  assert.equal((await api(h, 'GET', '/api/v1/asb-settings', c.as.administrator)).body.version, 0, 'nothing saved');
  const one = await put(c.as.administrator, doc);
  assert.equal(one.status, 200, JSON.stringify(one.body));
  assert.equal(one.body.version, 1);
  assert.equal((await put(c.as.administrator, doc)).body.version, 2);
  assert.equal((await api(h, 'GET', '/api/v1/asb-settings', c.as['asb-officer'])).body.version, 2);
  // A new category can be used at once, and the case keeps the version it was opened with.
  const home = await created(c, 'homes', sample.home());
  const r = await openAs(c, { summary: 'Bonfire on the green', categories: ['bonfires'], parties: [], places: [{ homeId: home }], incident: { occurredOn: daysAgo(0), description: 'Smoke everywhere' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.settingsVersion, 2);
  assert.equal(r.body.priorityCode, 'category-2');
  // Another landlord still has the default.
  assert.equal((await api(h, 'GET', '/api/v1/asb-settings', b.as['asb-officer'])).body.version, 0);
});
