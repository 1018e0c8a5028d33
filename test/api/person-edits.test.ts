// Issue 13: everyday edits to a person through GOV.UK forms — contact details, correspondence address, preferred name,
// communication needs; person alerts added, reviewed and ended — each with the version the form was drawn from
// (If-Match), so two officers never overwrite each other; each edit in the person's timeline with who and when; and
// the housing officer's "Alerts to review" worklist (patch scope, audited reads, only roles that may see alerts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { ukDate } from '../../src/platform/uk-time.ts';
import { peopleModule, editsOfPeople, type Person, type PersonAlert } from '../../src/modules/people/index.ts';

let h: Harness;
let L: Landlord;
let M: Landlord;
let homes: string[];
let robert: string;
let ann: string;
const users = new Map<string, { cookie: string; actor: Actor }>();
const today = ukDate(new Date());
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const longDate = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const parts = (prefix: string, iso: string) => ({ [`${prefix}-day`]: String(Number(iso.slice(8))), [`${prefix}-month`]: String(Number(iso.slice(5, 7))), [`${prefix}-year`]: iso.slice(0, 4) });

async function signIn(org: Landlord, role: Role, name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${org.id.slice(-6)}@example.org`;
  const password = 'a long test password 1';
  const user = await h.auth.addUser({ organisationId: org.id, email, name, role, password });
  const s = (await h.auth.signIn(email, password))!;
  users.set(name, { cookie: `hearth_session=${s.token}`, actor: { kind: 'user', id: user.id, name, organisationId: org.id, role } });
}

/** Open a page as a user; `post` sends a form from it with its CSRF token (and the form token it was drawn with). */
async function open(name: string, url: string) {
  const session = users.get(name)!.cookie;
  const page = await h.app.inject({ method: 'GET', url, headers: { cookie: session } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const cookie = `${session}; ${page.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`;
  const tokens = [...page.body.matchAll(/name="formToken" value="([^"]+)"/g)].map((m) => m[1]!);
  const post = (action: string, fields: Record<string, string>, formToken = tokens[0] ?? '') => h.app.inject({
    method: 'POST', url: action, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, formToken, ...fields }).toString(),
  });
  return { page, post, tokens, version: /name="version" value="([^"]*)"/.exec(page.body)?.[1] ?? '' };
}

const personRow = async (id: string) => h.store.withOrg(L.id, async (tx) =>
  (await tx.execute(sql`select version, contact_points, address, preferred_name, communication_needs from people where id = ${id}`)).rows[0] as
    { version: number; contact_points: Person['contactPoints']; address: Person['address']; preferred_name: string | null; communication_needs: string | null });
const alertRow = async (id: string) => h.store.withOrg(L.id, async (tx) =>
  (await tx.execute(sql`select version, review_date::text, end_date::text, description from person_alerts where id = ${id}`)).rows[0] as
    { version: number; review_date: string | null; end_date: string | null; description: string | null });
const alertReads = async () => Number((await h.store.withOrg(L.id, async (tx) => (await tx.execute(sql`select count(*)::int as n from audit_events
  where action = 'read-sensitive' and entity_kind = 'person-alert'`)).rows[0] as { n: number })).n);
const errorSummary = (body: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '';

before(async () => {
  h = await harness();
  L = await landlord(h, 'Edits landlord');
  M = await landlord(h, 'Another landlord');
  homes = [];
  for (const i of [1, 2]) {
    const r = await api(h, 'POST', '/api/v1/homes', L.as.administrator, sample.home({ subBuilding: `Flat ${i}` }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    homes.push(r.body.id);
  }
  // Where a person lives comes from imports (not the API): set directly.
  const person = async ({ homeId, ...extra }: { homeId: string } & Record<string, unknown>) => {
    const r = await api(h, 'POST', '/api/v1/people', L.as.administrator, sample.person(extra));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const id = r.body.id as string;
    await h.store.withOrg(L.id, (tx) => tx.execute(sql`update people set home_id = ${homeId} where id = ${id}`));
    return id;
  };
  robert = await person({ contactPoints: [{ system: 'phone', value: '+441632960001', use: 'home' }, { system: 'phone', value: '+447700900999' }], homeId: homes[0]! });
  ann = await person({ givenName: 'Ann', familyName: 'Hughes', contactPoints: [], homeId: homes[1]! });
  await signIn(L, 'housing-officer', 'Olivia Officer');
  await signIn(L, 'housing-officer', 'Sam Second');
  await signIn(L, 'analyst', 'Andrew Analyst');
  await signIn(L, 'repairs-planner', 'Priya Planner');
  await signIn(M, 'housing-officer', 'Other Officer');
});
after(() => h.close());

test('an officer changes contact details: the phone number typed as people write it is stored in E.164 and shown in UK format', async () => {
  const form = await open('Olivia Officer', `/people/${robert}/contact-details`);
  assert.equal(form.page.statusCode, 200);
  assert.equal(form.version, '1');
  assert.match(form.page.body, /name="homePhone"[^>]*value="01632 960001"/, 'the stored home number shown as UK people write it');
  const r = await form.post(`/people/${robert}/contact-details`, {
    version: form.version, homePhone: '01632 960001', mobilePhone: '07700 900 123', workPhone: '', email: 'robert@example.org',
    addressLine1: '12 Hill Street', addressLine2: '', town: 'Leeds', postcode: 'ls6 1aa', preferredName: 'Bob',
    communicationNeeds: 'Large print letters',
  });
  assert.equal(r.statusCode, 303, errorSummary(r.body) || r.body.slice(0, 300));
  assert.equal(r.headers.location, `/people/${robert}?updated=contact-details`);
  const row = await personRow(robert);
  assert.equal(row.version, 2);
  assert.deepEqual(row.contact_points, [
    { system: 'phone', value: '+441632960001', use: 'home' }, { system: 'phone', value: '+447700900123', use: 'mobile' },
    { system: 'email', value: 'robert@example.org' },
    { system: 'phone', value: '+447700900999' }, // a number the form does not edit (no use given) is kept
  ]);
  assert.deepEqual(row.address, { lines: ['12 Hill Street'], town: 'Leeds', postcode: 'LS6 1AA' });
  assert.equal(row.preferred_name, 'Bob');
  assert.equal(row.communication_needs, 'Large print letters');
  const again = await open('Olivia Officer', `/people/${robert}/contact-details`);
  assert.match(again.page.body, /name="mobilePhone"[^>]*value="07700 900123"/);
  assert.equal(again.version, '2');
  // The same form sent again (a double click) changes nothing more.
  const twice = await form.post(`/people/${robert}/contact-details`, { version: form.version, mobilePhone: '07700 900 555', homePhone: '', email: '' });
  assert.equal(twice.statusCode, 303);
  assert.equal((await personRow(robert)).version, 2);
});

test('a wrong phone number or postcode is a GOV.UK error and nothing is written', async () => {
  const form = await open('Olivia Officer', `/people/${ann}/contact-details`);
  const r = await form.post(`/people/${ann}/contact-details`, { version: form.version, mobilePhone: '12', addressLine1: '1 Oak Avenue', town: 'Leeds', postcode: 'NOT A CODE' });
  assert.equal(r.statusCode, 400);
  assert.match(errorSummary(r.body), /Enter a mobile phone number, like 07700 900 982/);
  assert.match(errorSummary(r.body), /Enter a full UK postcode/);
  assert.equal((await personRow(ann)).version, 1);
});

test('a stale version is refused: the form comes back saying who changed what, and nothing is overwritten', async () => {
  const first = await open('Olivia Officer', `/people/${ann}/contact-details`);
  const second = await open('Sam Second', `/people/${ann}/contact-details`);
  assert.equal(first.version, second.version);
  const ok = await first.post(`/people/${ann}/contact-details`, { version: first.version, mobilePhone: '07700 900 321' });
  assert.equal(ok.statusCode, 303);
  const stale = await second.post(`/people/${ann}/contact-details`, { version: second.version, mobilePhone: '07700 900 654', preferredName: 'Annie' });
  assert.equal(stale.statusCode, 409);
  assert.match(errorSummary(stale.body), /Someone else changed these details since you opened this page/);
  assert.match(stale.body, /Olivia Officer changed the phone numbers or email/);
  assert.match(stale.body, /name="mobilePhone"[^>]*value="07700 900 654"/, 'what they typed is kept on the form');
  assert.match(stale.body, new RegExp(`name="version" value="${second.version}"`), 'still the old version: sending it again is refused again');
  const row = await personRow(ann);
  assert.deepEqual(row.contact_points, [{ system: 'phone', value: '+447700900321', use: 'mobile' }]);
  assert.equal(row.preferred_name, null);
});

test('a role without records:write gets 403; another organisation\'s person is 404', async () => {
  const before = await personRow(ann);
  const analyst = await open('Andrew Analyst', `/people/${ann}/contact-details`);
  assert.equal(analyst.page.statusCode, 403);
  const asAnalyst = await analyst.post(`/people/${ann}/contact-details`, { version: String(before.version), mobilePhone: '07700 900 111' });
  assert.equal(asAnalyst.statusCode, 403);
  assert.deepEqual(await personRow(ann), before);
  // Another landlord's officer: the person is not found, for reading the form and for sending one.
  const other = await open('Other Officer', `/people/${ann}/contact-details`);
  assert.equal(other.page.statusCode, 404);
  const otherAlert = await open('Other Officer', `/people/${ann}/alerts/new`);
  assert.equal(otherAlert.page.statusCode, 404);
  const own = await open('Other Officer', `/people/${uuidv7()}/contact-details`);
  assert.equal(own.page.statusCode, 404);
  const sent = await own.post(`/people/${ann}/contact-details`, { version: String(before.version), mobilePhone: '07700 900 111' });
  assert.equal(sent.statusCode, 404);
  assert.deepEqual(await personRow(ann), before);
});

test('alerts: an officer adds, reviews and ends one; an analyst can neither see nor add; a repairs planner sees but cannot change', async () => {
  // The analyst may not see the form, the alert or the list.
  assert.equal((await open('Andrew Analyst', `/people/${robert}/alerts/new`)).page.statusCode, 403);
  assert.equal((await open('Andrew Analyst', '/people/alerts/to-review')).page.statusCode, 403);

  const form = await open('Olivia Officer', `/people/${robert}/alerts/new`);
  assert.equal(form.page.statusCode, 200);
  // A category that does not fit the type of alert is a GOV.UK error.
  const wrong = await form.post(`/people/${robert}/alerts/new`, { hactCode: '20-60', category: 'PREG', confidentiality: 'standard', ...parts('startDate', today) });
  assert.equal(wrong.statusCode, 400);
  assert.match(errorSummary(wrong.body), /Pregnancy does not fit ‘Elderly’/);
  const reviewBy = addDays(today, 30);
  const added = await form.post(`/people/${robert}/alerts/new`, { hactCode: '10', category: 'RISK', confidentiality: 'standard',
    description: 'Dog on the premises', ...parts('startDate', today), ...parts('reviewDate', reviewBy) });
  assert.equal(added.statusCode, 303, errorSummary(added.body));
  const alertUrl = added.headers.location!.replace(/\?.*/, '');
  const alertId = alertUrl.split('/').pop()!;
  assert.equal(alertUrl, `/people/${robert}/alerts/${alertId}`);

  // Reading it is audited; the analyst is refused; the planner reads it without the forms.
  const reads = await alertReads();
  const page = await open('Olivia Officer', alertUrl);
  assert.equal(page.page.statusCode, 200);
  assert.match(page.page.body, /Dog on the premises/);
  assert.ok(await alertReads() > reads, 'the read is audited');
  assert.equal((await open('Andrew Analyst', alertUrl)).page.statusCode, 403);
  const planner = await open('Priya Planner', alertUrl);
  assert.equal(planner.page.statusCode, 200);
  assert.doesNotMatch(planner.page.body, /Save the review|End the alert/);
  const plannerPost = await planner.post(alertUrl, { action: 'review', version: '1', ...parts('reviewDate', addDays(today, 60)) });
  assert.equal(plannerPost.statusCode, 403);
  // Another person's id with this alert is not found.
  assert.equal((await open('Olivia Officer', `/people/${ann}/alerts/${alertId}`)).page.statusCode, 404);
  assert.equal((await open('Other Officer', alertUrl)).page.statusCode, 404);

  // Review: a new review date and description.
  const [reviewToken, endToken] = page.tokens;
  const nextReview = addDays(today, 90);
  const reviewed = await page.post(alertUrl, { action: 'review', version: page.version, description: 'Dog on the premises: ask them to shut it away',
    ...parts('reviewDate', nextReview) }, reviewToken);
  assert.equal(reviewed.statusCode, 303, errorSummary(reviewed.body));
  assert.deepEqual(await alertRow(alertId), { version: 2, review_date: nextReview, end_date: null, description: 'Dog on the premises: ask them to shut it away' });
  // The end form of the same page still has the old version: refused, nothing changed.
  const stale = await page.post(alertUrl, { action: 'end', version: page.version, ...parts('endDate', today) }, endToken);
  assert.equal(stale.statusCode, 409);
  assert.match(errorSummary(stale.body), /Someone else changed this alert since you opened this page/);
  assert.equal((await alertRow(alertId)).end_date, null);
  // An end date in the future is refused.
  const fresh = await open('Olivia Officer', alertUrl);
  const future = await fresh.post(alertUrl, { action: 'end', version: fresh.version, ...parts('endDate', addDays(today, 5)) }, fresh.tokens[1]);
  assert.equal(future.statusCode, 400);
  assert.match(errorSummary(future.body), /today or in the past/);
  const ended = await fresh.post(alertUrl, { action: 'end', version: fresh.version, ...parts('endDate', today) }, fresh.tokens[1]);
  assert.equal(ended.statusCode, 303, errorSummary(ended.body));
  assert.equal((await alertRow(alertId)).end_date, today);
  assert.equal((await alertRow(alertId)).version, 3);
});

test('each edit is in the person\'s timeline with who made it and when; alert edits only for roles that may see alerts', async () => {
  const officer = users.get('Olivia Officer')!.actor;
  const edits = await h.store.withOrg(L.id, (tx) => editsOfPeople({ actor: officer, tx }, [robert]));
  const titles = edits.map((e) => e.title);
  assert.ok(titles.includes('Olivia Officer changed the phone numbers or email, correspondence address, preferred name and communication needs'), titles.join('\n'));
  for (const what of ['added an alert', 'reviewed an alert', 'ended an alert']) assert.ok(titles.includes(`Olivia Officer ${what}`), `${what}: ${titles.join('\n')}`);
  assert.ok(edits.every((e) => e.by === 'Olivia Officer' && !Number.isNaN(Date.parse(e.at))));
  assert.deepEqual(edits.map((e) => e.at), [...edits.map((e) => e.at)].sort().reverse(), 'newest first');
  assert.ok(edits.filter((e) => e.href).every((e) => e.href!.startsWith(`/people/${robert}/alerts/`)));
  // The analyst sees the contact details change but nothing of alerts, and reads no alert.
  const reads = await alertReads();
  const analyst = await h.store.withOrg(L.id, (tx) => editsOfPeople({ actor: users.get('Andrew Analyst')!.actor, tx }, [robert]));
  assert.deepEqual(analyst.map((e) => e.title), ['Olivia Officer changed the phone numbers or email, correspondence address, preferred name and communication needs']);
  assert.equal(await alertReads(), reads);
  // Ann's: the other officer's change, not the refused one.
  const annEdits = await h.store.withOrg(L.id, (tx) => editsOfPeople({ actor: officer, tx }, [ann]));
  assert.deepEqual(annEdits.map((e) => e.title), ['Olivia Officer changed the phone numbers or email']);
});

test('the "Alerts to review" worklist: due, today and overdue alerts, by patch, audited, only for roles that may see alerts', async () => {
  const post = async (personId: string, extra: object) => {
    const r = await api(h, 'POST', '/api/v1/alerts', L.as.administrator, { personId, hactCode: '20-60', category: 'AGE', confidentiality: 'standard', startDate: '2020-01-01', ...extra });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as PersonAlert;
  };
  const overdue = await post(robert, { reviewDate: addDays(today, -3) });
  const dueToday = await post(ann, { reviewDate: today, hactCode: '40', category: 'COMM' });
  const soon = await post(ann, { reviewDate: addDays(today, 14) });
  await post(robert, { reviewDate: addDays(today, 15) }); // not yet
  await post(robert, { reviewDate: addDays(today, -10), endDate: addDays(today, -1) }); // ended
  await post(ann, {}); // no review date

  const section = peopleModule.worklists!.find((s) => s.id === 'people-alerts-to-review')!;
  assert.deepEqual(section.roles, ['housing-officer', 'asb-officer']);
  assert.equal(section.byPatch, true);
  assert.equal(section.href, '/people/alerts/to-review');
  const officer = users.get('Olivia Officer')!.actor;
  const reads = await alertReads();
  const all = await h.store.withOrg(L.id, (tx) => section.items({ actor: officer, tx }, { limit: 10, scope: { homeIds: null } }));
  assert.equal(all.total, 3);
  assert.deepEqual(all.items, [
    { href: `/people/${robert}/alerts/${overdue.id}`, text: 'Robert Morgan — Age (young child or older person)', hint: `Review due ${longDate(addDays(today, -3))}`, tag: { text: 'Overdue', colour: 'red' } },
    { href: `/people/${ann}/alerts/${dueToday.id}`, text: 'Ann Hughes — Communication needs', hint: `Review due ${longDate(today)}` },
    { href: `/people/${ann}/alerts/${soon.id}`, text: 'Ann Hughes — Age (young child or older person)', hint: `Review due ${longDate(addDays(today, 14))}` },
  ]);
  assert.equal(await alertReads(), reads + 3, 'each alert listed is audited as read');
  const first = await h.store.withOrg(L.id, (tx) => section.items({ actor: officer, tx }, { limit: 1, scope: { homeIds: null } }));
  assert.equal(first.total, 3);
  assert.equal(first.items.length, 1);
  // A patch: only people whose home is in it.
  const patch = await h.store.withOrg(L.id, (tx) => section.items({ actor: officer, tx }, { limit: 10, scope: { homeIds: [homes[1]!] } }));
  assert.equal(patch.total, 2);
  assert.deepEqual(patch.items.map((i) => i.text), ['Ann Hughes — Communication needs', 'Ann Hughes — Age (young child or older person)']);
  const none = await h.store.withOrg(L.id, (tx) => section.items({ actor: officer, tx }, { limit: 10, scope: { homeIds: [] } }));
  assert.deepEqual(none, { total: 0, items: [] });
  // A role without alerts:read reads nothing and audits nothing; another landlord sees none of these.
  const beforeAnalyst = await alertReads();
  const analyst = await h.store.withOrg(L.id, (tx) => section.items({ actor: users.get('Andrew Analyst')!.actor, tx }, { limit: 10, scope: { homeIds: null } }));
  assert.deepEqual(analyst, { total: 0, items: [] });
  assert.equal(await alertReads(), beforeAnalyst);
  const other = await h.store.withOrg(M.id, (tx) => section.items({ actor: users.get('Other Officer')!.actor, tx }, { limit: 10, scope: { homeIds: null } }));
  assert.deepEqual(other, { total: 0, items: [] });

  // The list page: everyone's, then the officer's patch (Ann's home) once one is assigned.
  const list = await open('Olivia Officer', '/people/alerts/to-review');
  assert.equal(list.page.statusCode, 200);
  assert.match(list.page.body, /3 alerts to review/);
  assert.match(list.page.body, /Robert Morgan/);
  assert.match(list.page.body, /govuk-tag--red">\s*Overdue/);
  await h.store.withOrg(L.id, async (tx) => {
    const patchId = uuidv7();
    await tx.execute(sql`insert into patches (organisation_id, id, version, name, officer_user_id) values (${L.id}, ${patchId}, 1, 'Hill Street', ${officer.id})`);
    await tx.execute(sql`insert into patch_homes (organisation_id, patch_id, home_id) values (${L.id}, ${patchId}, ${homes[1]})`);
  });
  const mine = await open('Olivia Officer', '/people/alerts/to-review');
  assert.match(mine.page.body, /2 alerts to review/);
  assert.match(mine.page.body, /your patch, Hill Street/);
  assert.doesNotMatch(mine.page.body, /Robert Morgan/);
  const everyone = await open('Olivia Officer', '/people/alerts/to-review?all=yes');
  assert.match(everyone.page.body, /3 alerts to review/);

  // 50 a page: 53 alerts are two pages, the second with the last 3.
  for (let i = 0; i < 50; i++) await post(robert, { reviewDate: addDays(today, 1 + (i % 10)) });
  const page1 = await open('Olivia Officer', '/people/alerts/to-review?all=yes');
  assert.match(page1.page.body, /53 alerts to review/);
  assert.equal([...page1.page.body.matchAll(/<tr class="govuk-table__row">/g)].length, 51, 'a header row and 50 alerts');
  assert.match(page1.page.body, /href="\/people\/alerts\/to-review\?all=yes&amp;page=2"/);
  const page2 = await open('Olivia Officer', '/people/alerts/to-review?all=yes&page=2');
  assert.equal([...page2.page.body.matchAll(/<tr class="govuk-table__row">/g)].length, 4);
  assert.match(page2.page.body, /Ann Hughes/, 'the latest review dates last');
});
