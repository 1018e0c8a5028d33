// Issue 13: staff record that someone joins or leaves a tenancy through GOV.UK forms, at the tenancy's version (a change
// someone else made meanwhile is refused and nothing is overwritten); the lead tenant cannot be removed this way; each
// change is audited with who made it, and listed for the timelines; the housing officer's worklist of tenancies starting
// or ending, scoped to their patch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { ukDate } from '../../src/platform/uk-time.ts';
import { memberChanges, tenanciesModule, tenancyService } from '../../src/modules/tenancies/index.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { staffSession } from '../support/staff.ts';

let h: Harness;
let L: Landlord;
let other: Landlord;
let home1: string, home2: string, lead: string, joiner: string, tenancy: string, otherTenancy: string;

const created = async (who: Landlord, url: string, body: object) => {
  const r = await api(h, 'POST', url, who.as.administrator, body);
  assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
  return r.body.id as string;
};
/** The UK date `days` from today. */
const iso = (days: number) => new Date(Date.parse(`${ukDate(new Date())}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  h = await harness();
  L = await landlord(h);
  other = await landlord(h);
  home1 = await created(L, '/api/v1/homes', sample.home({ subBuilding: 'Flat 1' }));
  home2 = await created(L, '/api/v1/homes', sample.home({ subBuilding: 'Flat 2' }));
  lead = await created(L, '/api/v1/people', sample.person({ givenName: 'Amara', familyName: 'Okafor' }));
  joiner = await created(L, '/api/v1/people', sample.person({ givenName: 'Kofi', familyName: 'Mensah', dateOfBirth: '1990-05-01' }));
  tenancy = await created(L, '/api/v1/tenancies', { reference: 'T-1', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: home1, members: [{ personId: lead, role: 'lead' }] });
  const otherHome = await created(other, '/api/v1/homes', sample.home());
  const otherLead = await created(other, '/api/v1/people', sample.person());
  otherTenancy = await created(other, '/api/v1/tenancies', { reference: 'O-1', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: otherHome, members: [{ personId: otherLead, role: 'lead' }] });
});
after(() => h.close());

let users = 0;
const staff = (role: Role, name = 'Priya Shah') => staffSession(h, L.id, role, name, `staff${++users}.${L.id.slice(-8)}@example.org`);

const ctx = <T>(work: (c: { actor: ReturnType<typeof systemActor>; tx: Parameters<Parameters<typeof h.store.withOrg>[1]>[0] }) => Promise<T>) =>
  h.store.withOrg(L.id, (tx) => work({ actor: systemActor(L.id, 'Test'), tx }));
const summary = (body: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(body)?.[0] ?? body.slice(0, 800);
const dateFields = (prefix: string, date: string) => ({ [`${prefix}-day`]: String(Number(date.slice(8))), [`${prefix}-month`]: String(Number(date.slice(5, 7))), [`${prefix}-year`]: date.slice(0, 4) });

test('someone joins (found by name) and leaves; a stale version is refused and nothing overwritten; audited with who', async () => {
  const officer = await staff('housing-officer', 'Priya Shah');
  const url = `/tenancies/${tenancy}/members/new`;
  const found = await officer.get(`${url}?q=kofi`);
  assert.equal(found.statusCode, 200);
  assert.match(found.body, /Kofi Mensah/);
  assert.match(found.body, new RegExp(`name="personId" type="radio" value="${joiner}"`));
  assert.doesNotMatch(found.body, new RegExp(`value="${lead}"`), 'the lead, already in the tenancy, is not offered');
  const version = officer.field(found.body, 'version');
  const fields = { formToken: officer.field(found.body, 'formToken'), version, personId: joiner, role: 'household-member', relationship: 'Son', ...dateFields('startDate', '2024-03-01') };

  // Meanwhile someone else changes the tenancy: the form's version is stale.
  const current = await ctx((c) => tenancyService.get(c, tenancy));
  await ctx((c) => tenancyService.update(c, tenancy, current.version, { tenure: 'affordable-rent' }));
  const stale = await officer.post(url, fields);
  assert.equal(stale.statusCode, 400);
  assert.match(summary(stale.body), /Someone else changed this tenancy while you were working on it\. Nothing has been saved/);
  assert.equal((await ctx((c) => tenancyService.get(c, tenancy))).members.length, 1, 'nothing written');
  assert.equal((await ctx((c) => tenancyService.get(c, tenancy))).tenure, 'affordable-rent', 'the other change kept');

  // Sent again from the page as it is now: they join.
  const joined = await officer.post(url, { ...fields, version: officer.field(stale.body, 'version') });
  assert.equal(joined.statusCode, 303, summary(joined.body));
  assert.equal(joined.headers.location, `/homes/${home1}`);
  let t = await ctx((c) => tenancyService.get(c, tenancy));
  assert.deepEqual(t.members.find((m) => m.personId === joiner), { personId: joiner, role: 'household-member', relationship: 'Son', startDate: '2024-03-01', endDate: null });

  // Leaves: not before they joined; a confirmation; then done.
  const leaveUrl = `/tenancies/${tenancy}/members/${joiner}/end`;
  const leave = await officer.get(leaveUrl);
  assert.equal(leave.statusCode, 200);
  assert.match(leave.body, /Kofi Mensah is leaving the tenancy/);
  const base = { formToken: officer.field(leave.body, 'formToken'), version: officer.field(leave.body, 'version') };
  const early = await officer.post(leaveUrl, { ...base, confirm: 'yes', ...dateFields('endDate', '2024-02-01') });
  assert.equal(early.statusCode, 400);
  assert.match(summary(early.body), /href="#endDate-day">The date they left must be on or after the day they joined the tenancy/);
  const unconfirmed = await officer.post(leaveUrl, { ...base, ...dateFields('endDate', '2025-06-30') });
  assert.equal(unconfirmed.statusCode, 400);
  assert.match(summary(unconfirmed.body), /Confirm that they have left the tenancy/);
  const left = await officer.post(leaveUrl, { ...base, confirm: 'yes', ...dateFields('endDate', '2025-06-30') });
  assert.equal(left.statusCode, 303, summary(left.body));
  t = await ctx((c) => tenancyService.get(c, tenancy));
  assert.equal(t.members.find((m) => m.personId === joiner)?.endDate, '2025-06-30');

  // Who and when, for the timelines of the person and the home.
  const changes = await ctx((c) => memberChanges(c, { personIds: [joiner] }));
  assert.deepEqual(changes.map((x) => [x.change, x.date, x.by, x.tenancyId]), [['left', '2025-06-30', 'Priya Shah', tenancy], ['joined', '2024-03-01', 'Priya Shah', tenancy]]);
  assert.equal((await ctx((c) => memberChanges(c, { tenancyIds: [tenancy] }))).length, 2);
});

test('the lead tenant cannot be removed here; another organisation’s tenancy is 404; a role without records:write is 403', async () => {
  const officer = await staff('housing-officer');
  const url = `/tenancies/${tenancy}/members/${lead}/end`;
  const page = await officer.get(url);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /The lead tenant cannot be removed from the tenancy here/);
  assert.doesNotMatch(page.body, /Record that they have left/);
  // Posted anyway: refused, nothing changed.
  const version = String((await ctx((c) => tenancyService.get(c, tenancy))).version);
  const r = await officer.post(url, { version, confirm: 'yes', formToken: officer.field((await officer.get(`/tenancies/${tenancy}/members/new`)).body, 'formToken'), ...dateFields('endDate', '2026-01-01') });
  assert.equal(r.statusCode, 400);
  assert.match(summary(r.body), /The lead tenant cannot be removed from the tenancy here/);
  assert.equal((await ctx((c) => tenancyService.get(c, tenancy))).members.find((m) => m.personId === lead)?.endDate, null);

  assert.equal((await officer.get(`/tenancies/${otherTenancy}/members/new`)).statusCode, 404);
  assert.equal((await officer.get(`/tenancies/${otherTenancy}/members/${lead}/end`)).statusCode, 404);
  const analyst = await staff('analyst');
  assert.equal((await analyst.get(`/tenancies/${tenancy}/members/new`)).statusCode, 403);
});

test('tenancies starting or ending: the next 28 days and the last 7, soonest first, scoped to the patch', async () => {
  const section = tenanciesModule.worklists!.find((s) => s.id === 'tenancies-starting-or-ending')!;
  assert.deepEqual(section.roles, ['housing-officer']);
  assert.equal(section.byPatch, true);
  const t = (ref: string, homeId: string, startDate: string, endDate?: string) => created(L, '/api/v1/tenancies',
    { reference: ref, tenancyType: 'secure', tenure: 'social-rent', startDate, ...(endDate ? { endDate } : {}), homeId, members: [{ personId: lead, role: 'lead' }] });
  await t('S-SOON', home2, iso(10));
  await t('E-RECENT', home2, '2019-01-01', iso(-3));
  await t('S-FAR', home2, iso(40));
  await t('E-OLD', home2, '2018-01-01', iso(-20));
  await t('S-HOME1', home1, iso(1), iso(300));
  const items = (homeIds: string[] | null) => ctx((c) => section.items(c, { limit: 10, scope: { homeIds } }));
  const patch2 = await items([home2]);
  assert.equal(patch2.total, 2);
  assert.deepEqual(patch2.items.map((i) => /\(tenancy ([^)]+)\)/.exec(i.text)![1]), ['E-RECENT', 'S-SOON']);
  assert.match(patch2.items[0]!.hint!, /^Ends \d{1,2} [A-Z][a-z]+ \d{4}$/);
  assert.match(patch2.items[1]!.hint!, /^Starts \d{1,2} [A-Z][a-z]+ \d{4}$/);
  assert.equal(patch2.items[1]!.href, `/homes/${home2}`);
  assert.equal((await items([home1])).total, 1);
  assert.equal((await items(null)).total, 3);
  const officer = await staff('housing-officer');
  const list = await officer.get('/tenancies/starting-or-ending');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /S-SOON/);
  assert.doesNotMatch(list.body, /S-FAR/);
});
