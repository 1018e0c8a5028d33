// Issue 13: staff add a note to a person, a home or a tenancy through a GOV.UK form (one note however often it is
// sent), optionally asking for something to be done by a date; the note is on the person's timeline and the home's
// page with who wrote it; a note to action is on the housing officer's worklist (their patch) until marked as done.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { ukDate } from '../../src/platform/uk-time.ts';
import { personView } from '../../src/modules/single-view/service.ts';
import { notesAbout, notesModule } from '../../src/modules/notes/index.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { staffSession } from '../support/staff.ts';
import type { Db } from '../../src/platform/db/store.ts';

let h: Harness;
let L: Landlord;
let other: Landlord;
let home1: string, home2: string, person1: string, person2: string, tenancy1: string, tenancy2: string, otherPerson: string;

const created = async (who: Landlord, url: string, body: object) => {
  const r = await api(h, 'POST', url, who.as.administrator, body);
  assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
  return r.body.id as string;
};

before(async () => {
  h = await harness();
  L = await landlord(h);
  other = await landlord(h);
  home1 = await created(L, '/api/v1/homes', sample.home({ subBuilding: 'Flat 1' }));
  home2 = await created(L, '/api/v1/homes', sample.home({ subBuilding: 'Flat 2' }));
  person1 = await created(L, '/api/v1/people', sample.person({ givenName: 'Amara', familyName: 'Okafor' }));
  person2 = await created(L, '/api/v1/people', sample.person({ givenName: 'Ben', familyName: 'Hughes' }));
  tenancy1 = await created(L, '/api/v1/tenancies', { reference: 'T-1', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: home1, members: [{ personId: person1, role: 'lead' }] });
  tenancy2 = await created(L, '/api/v1/tenancies', { reference: 'T-2', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: home2, members: [{ personId: person2, role: 'lead' }] });
  otherPerson = await created(other, '/api/v1/people', sample.person());
});
after(() => h.close());

let users = 0;
/** A signed-in member of staff of the landlord, with a way to fetch a form and post it back. */
async function staff(role: Role, name = 'Priya Shah') {
  const s = await staffSession(h, L.id, role, name, `staff${++users}.${L.id.slice(-8)}@example.org`);
  return { ...s, tokenOf: (body: string) => s.field(body, 'formToken') };
}

const ctx = <T>(work: (tx: Db) => Promise<T>) => h.store.withOrg(L.id, work);
const actor = () => systemActor(L.id, 'Test');
const summary = (body: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(body)?.[0] ?? body.slice(0, 800);
/** The date input's boxes for the UK date `offsetDays` from today. */
const ukParts = (offsetDays: number) => {
  const d = new Date(Date.parse(`${ukDate(new Date())}T00:00:00Z`) + offsetDays * 86_400_000);
  return { 'actionDue-day': String(d.getUTCDate()), 'actionDue-month': String(d.getUTCMonth() + 1), 'actionDue-year': String(d.getUTCFullYear()) };
};

test('a note added to a person, a home and a tenancy: back to its page, with the author, on the timeline and the home page', async () => {
  const officer = await staff('housing-officer', 'Priya Shah');
  for (const [url, back, text] of [
    [`/people/${person1}/notes/new`, `/people/${person1}`, 'Rang about the boiler'],
    [`/homes/${home1}/notes/new`, `/homes/${home1}`, 'Communal door sticks'],
    [`/tenancies/${tenancy1}/notes/new`, `/homes/${home1}`, 'Tenancy visit done'],
  ] as const) {
    const form = await officer.get(url);
    assert.equal(form.statusCode, 200, url);
    assert.match(form.body, /Does something need to be done\?/);
    assert.match(form.body, /govuk-character-count/);
    const r = await officer.post(url, { formToken: officer.tokenOf(form.body), noteType: 'Phone call', text });
    assert.equal(r.statusCode, 303, summary(r.body));
    assert.equal(r.headers.location, back);
  }
  const view = await ctx((tx) => personView({ actor: actor(), tx }, person1));
  const onTimeline = view.timeline.find((e) => e.kind === 'note' && e.detail === 'Rang about the boiler');
  assert.ok(onTimeline, 'the note is on the person’s timeline');
  assert.equal(onTimeline.title, 'Note (Phone call) by Priya Shah');
  assert.ok(Date.now() - Date.parse(onTimeline.at) < 60_000, 'dated when it was written');
  const notes = await ctx((tx) => notesAbout({ actor: actor(), tx }, { homeId: home1, tenancyId: tenancy1 }));
  assert.deepEqual(notes.map((n) => [n.subjectKind, n.text, n.author]).sort(),
    [['home', 'Communal door sticks', 'Priya Shah'], ['tenancy', 'Tenancy visit done', 'Priya Shah']]);
  const page = await officer.get(`/homes/${home1}`);
  assert.match(page.body, /Communal door sticks/);
  assert.match(page.body, /Tenancy visit done/);
  assert.match(page.body, /Priya Shah/);
});

test('errors: no type or text, a date in the past, a date without saying something needs doing; nothing saved', async () => {
  const officer = await staff('housing-officer');
  const url = `/homes/${home2}/notes/new`;
  const form = await officer.get(url);
  const before = (await ctx((tx) => notesAbout({ actor: actor(), tx }, { homeId: home2 }))).length;
  const empty = await officer.post(url, { formToken: officer.tokenOf(form.body), noteType: '', text: '' });
  assert.equal(empty.statusCode, 400);
  assert.match(summary(empty.body), /Select the type of note/);
  assert.match(summary(empty.body), /Enter the note/);
  const past = await officer.post(url, { formToken: officer.tokenOf(form.body), noteType: 'Visit', text: 'x', needsAction: 'yes', ...ukParts(-3) });
  assert.equal(past.statusCode, 400);
  assert.match(summary(past.body), /href="#actionDue-day">The date it needs doing by must be today or in the future/);
  const noDate = await officer.post(url, { formToken: officer.tokenOf(form.body), noteType: 'Visit', text: 'x', needsAction: 'yes' });
  assert.equal(noDate.statusCode, 400);
  assert.match(summary(noDate.body), /Enter the date it needs doing by/);
  assert.equal((await ctx((tx) => notesAbout({ actor: actor(), tx }, { homeId: home2 }))).length, before);
});

test('a double submit writes one note', async () => {
  const officer = await staff('housing-officer');
  const url = `/people/${person2}/notes/new`;
  const form = await officer.get(url);
  const fields = { formToken: officer.tokenOf(form.body), noteType: 'Email', text: 'Sent the tenancy agreement, once' };
  const [a, b] = await Promise.all([officer.post(url, fields), officer.post(url, fields)]);
  const c = await officer.post(url, fields);
  for (const r of [a, b, c]) { assert.equal(r.statusCode, 303); assert.equal(r.headers.location, `/people/${person2}`); }
  const notes = await ctx((tx) => notesAbout({ actor: actor(), tx }, { personId: person2 }));
  assert.equal(notes.filter((n) => n.text === 'Sent the tenancy agreement, once').length, 1);
});

test('a role without records:write gets 403; another organisation’s person is 404', async () => {
  const analyst = await staff('analyst');
  assert.equal((await analyst.get(`/homes/${home1}/notes/new`)).statusCode, 403);
  const officer = await staff('housing-officer');
  await officer.get(`/homes/${home1}/notes/new`);
  const refused = await analyst.post(`/homes/${home1}/notes/new`, { noteType: 'Visit', text: 'Not allowed' });
  assert.equal(refused.statusCode, 403);
  assert.equal((await officer.get(`/people/${otherPerson}/notes/new`)).statusCode, 404);
  const form = await officer.get(`/people/${person1}/notes/new`);
  const r = await officer.post(`/people/${otherPerson}/notes/new`, { formToken: officer.tokenOf(form.body), noteType: 'Visit', text: 'Wrong landlord' });
  assert.equal(r.statusCode, 404);
  const mine = await ctx((tx) => notesAbout({ actor: actor(), tx }, { homeId: home1 }));
  assert.ok(!mine.some((n) => n.text === 'Not allowed' || n.text === 'Wrong landlord'));
});

test('a note to action is on the worklist (patch scoped, overdue tagged) until marked as done; marking is versioned and idempotent', async () => {
  const officer = await staff('housing-officer', 'Sam Pryce');
  const section = notesModule.worklists!.find((s) => s.id === 'notes-to-action')!;
  assert.deepEqual(section.roles, ['housing-officer']);
  assert.equal(section.byPatch, true);
  const items = (homeIds: string[] | null) => ctx((tx) => section.items({ actor: actor(), tx }, { limit: 10, scope: { homeIds } }));

  // Due in 5 days, about a person at home 2 and about the tenancy of home 2; and one about home 1.
  for (const [url, text, days] of [[`/people/${person2}/notes/new`, 'Chase the gas safety check', 5], [`/tenancies/${tenancy2}/notes/new`, 'Review the tenancy', 2],
    [`/homes/${home1}/notes/new`, 'Check the fence', 9]] as const) {
    const form = await officer.get(url);
    const r = await officer.post(url, { formToken: officer.tokenOf(form.body), noteType: 'Visit', text, needsAction: 'yes', ...ukParts(days) });
    assert.equal(r.statusCode, 303, summary(r.body));
  }
  // One overdue (written through the service: the form refuses a past date).
  const overdue = (await api(h, 'POST', '/api/v1/notes', L.as.administrator, { subjectKind: 'home', homeId: home2, noteType: 'Visit', text: 'Overdue visit' })).body.id as string;
  await ctx(async (tx) => { await tx.execute(sql`update notes set action_due = current_date - 4 where id = ${overdue}`); });

  const patch2 = await items([home2]);
  assert.equal(patch2.total, 3);
  assert.deepEqual(patch2.items.map((i) => i.hint!.replace(/^Due [^.]+\. /, '')), ['Overdue visit', 'Review the tenancy', 'Chase the gas safety check'], 'soonest first');
  assert.match(patch2.items[2]!.text, /^Ben Hughes: Visit$/);
  assert.equal(patch2.items[0]!.tag?.text, 'Overdue', 'the overdue note first, tagged');
  assert.match(patch2.items[0]!.hint!, /^Due \d{1,2} [A-Z][a-z]+ \d{4}\. Overdue visit$/);
  assert.equal(patch2.items[1]!.href, `/homes/${home2}`, 'a tenancy’s note links to its home');
  assert.equal(patch2.items[1]!.tag, undefined);
  assert.equal(patch2.items[2]!.href, `/people/${person2}`);
  assert.ok(!patch2.items.some((i) => /Check the fence/.test(i.hint!)), 'home 1 is not in the patch');
  assert.equal((await items([home1])).total, 1);
  assert.equal((await items(null)).total, 4);

  // The full list, and marking one done from it.
  const list = await officer.get('/notes/to-action?scope=all');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Chase the gas safety check/);
  const note = (await ctx((tx) => notesAbout({ actor: actor(), tx }, { personId: person2 }))).find((n) => n.text === 'Chase the gas safety check')!;
  const stale = await officer.post(`/notes/${note.id}/actioned`, { version: String(note.version + 1) });
  assert.equal(stale.statusCode, 409, 'a stale version is refused');
  const done = await officer.post(`/notes/${note.id}/actioned`, { version: String(note.version), returnTo: '/notes/to-action?scope=all' });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, '/notes/to-action?scope=all');
  const again = await officer.post(`/notes/${note.id}/actioned`, { version: String(note.version) });
  assert.equal(again.statusCode, 303, 'a second click is the same');
  assert.equal(again.headers.location, `/people/${person2}`);
  const after = (await ctx((tx) => notesAbout({ actor: actor(), tx }, { personId: person2 }))).find((n) => n.id === note.id)!;
  assert.equal(after.actionedBy, 'Sam Pryce');
  assert.ok(after.actionedAt);
  assert.equal(after.version, note.version + 1, 'marked once');
  assert.equal((await items([home2])).total, 2);
  assert.ok(!(await items([home2])).items.some((i) => i.href === `/people/${person2}`));
  const outside = await officer.post('/notes/' + note.id + '/actioned', { version: String(after.version), returnTo: '//evil.example/' });
  assert.equal(outside.headers.location, `/people/${person2}`, 'never sent to another site');
});
