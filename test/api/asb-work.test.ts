// The ASB officer's work (issue 15) against the real database: the open actions overdue and due soon (a case opened in
// the past has its plan overdue), completing an action (contact with the complainant schedules the next update 10
// working days on; completing again changes nothing), an action of the officer's own (a past date names the field),
// linking two cases (either order, once), the home page's sections counting what their pages list, and the cases as
// CSV: complainants and witnesses named for the case's team only, cells safe in a spreadsheet, every case exported
// audited; a repairs planner gets 403, another landlord's case 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, sql } from 'drizzle-orm';
import { endOfUkDay, ukDate } from '../../src/platform/uk-time.ts';
import { addWorkingDays } from '../../src/modules/hazards/index.ts';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { staffSession, type StaffSession } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import { auditEvents } from '../../src/platform/audit/schema.ts';
import { DEFAULT_ASB_SETTINGS } from '../../src/modules/asb/rules/default-settings.ts';
import { asbActions, asbCaseLinks } from '../../src/modules/asb/schema.ts';
import { assessCaseRisk, getCase, openCase, type OpenCaseInput } from '../../src/modules/asb/service.ts';
import { closeCase } from '../../src/modules/asb/close.ts';
import { actionList, addAction, completeAction, dueSoonUntil, linkCases, UPDATE_COMPLAINANT } from '../../src/modules/asb/work.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
let homeA: string;
let complainant: string;
let witness: string;
let perpetrator: string;
let caseOfB: string;
let officer: StaffSession;
let outsider: StaffSession;
let planner: StaffSession;
const ids = { officer: '', outsider: '' };

const DAY = 86_400_000;
const unique = `${process.pid}-${Date.now()}`;
const as = <T>(who: Landlord, act: Actor, work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(who.id, (tx) => work({ actor: act, tx }));
const officerActor = (): Actor => ({ kind: 'user', id: ids.officer, name: 'Olu Officer', organisationId: a.id, role: 'asb-officer' });
const outsiderActor = (): Actor => ({ kind: 'user', id: ids.outsider, name: 'Oona Outside', organisationId: a.id, role: 'asb-officer' });
const asOfficer = <T>(work: (ctx: Ctx) => Promise<T>) => as(a, officerActor(), work);

async function created(who: Landlord, path: string, body: unknown): Promise<string> {
  const r = await api(h, 'POST', `/api/v1/${path}`, who.as.administrator, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

async function userId(email: string): Promise<string> {
  const result = await h.store.system((tx) => tx.execute(sql`select id from users where email = ${email}`)) as unknown as { rows?: { id: string }[] } | { id: string }[];
  const rows = Array.isArray(result) ? result : (result.rows ?? []);
  assert.ok(rows[0], email);
  return rows[0].id;
}

/** A case at homeA with a complainant, a witness on our records, one only described and the person reported. */
const caseInput = (at: Date, extra: Partial<OpenCaseInput> = {}): OpenCaseInput => ({
  summary: 'Loud music late at night from the flat above',
  categories: ['noise'],
  parties: [
    { role: 'complainant', kind: 'person', personId: complainant },
    { role: 'witness', kind: 'person', personId: witness },
    { role: 'witness', kind: 'unknown', name: 'Man from the corner shop' },
    { role: 'alleged-perpetrator', kind: 'person', personId: perpetrator },
  ],
  places: [{ homeId: homeA }],
  incident: { occurredOn: ukDate(new Date(at.getTime() - DAY)), description: 'Music until 3am again', reportedByPartyIndex: 0 },
  ...extra,
});

const auditCount = (where: { action: string; entityId?: string; actorId?: string; export?: boolean }) => h.store.withOrg(a.id, async (tx) => {
  const [r] = await tx.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(and(
    eq(auditEvents.organisationId, a.id), eq(auditEvents.action, where.action),
    where.entityId ? eq(auditEvents.entityId, where.entityId) : undefined, where.actorId ? eq(auditEvents.actorId, where.actorId) : undefined,
    where.export ? sql`${auditEvents.detail}->>'export' = 'true'` : undefined));
  return r!.n;
});

const actionsOf = (caseId: string) => h.store.withOrg(a.id, (tx) => tx.select().from(asbActions).where(and(eq(asbActions.organisationId, a.id), eq(asbActions.caseId, caseId))));

/** A CSV document's rows (quoted fields with doubled quotes, CRLF lines, a byte order mark first). */
function parseCsv(text: string): string[][] {
  assert.equal(text.charCodeAt(0), 0xfeff, 'a byte order mark');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
  }
  return rows;
}

async function csvOf(session: StaffSession, query = 'status=all'): Promise<Map<string, Record<string, string>>> {
  const res = await session.get(`/asb/cases.csv?${query}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^text\/csv/);
  const [header, ...rows] = parseCsv(res.body);
  return new Map(rows.map((r) => [r[0]!, Object.fromEntries(header!.map((name, i) => [name, r[i] ?? '']))]));
}

let pastCase = '';
let newCase = '';

before(async () => {
  h = await harness();
  a = await landlord(h);
  b = await landlord(h);
  homeA = await created(a, 'homes', sample.home({ subBuilding: 'Flat 3', buildingName: 'Bronte House' }));
  complainant = await created(a, 'people', sample.person({ givenName: 'Carys', familyName: 'Complains' }));
  witness = await created(a, 'people', sample.person({ givenName: 'Wendy', familyName: 'Witnessed' }));
  perpetrator = await created(a, 'people', sample.person({ givenName: 'Percy', familyName: 'Loud' }));
  officer = await staffSession(h, a.id, 'asb-officer', 'Olu Officer', `asb-officer-${unique}@work.example`);
  outsider = await staffSession(h, a.id, 'asb-officer', 'Oona Outside', `asb-outsider-${unique}@work.example`);
  planner = await staffSession(h, a.id, 'repairs-planner', 'Pat Planner', `planner-${unique}@work.example`);
  ids.officer = await userId(officer.email);
  ids.outsider = await userId(outsider.email);
  const homeB = await created(b, 'homes', sample.home());
  const officerOfB: Actor = { kind: 'user', id: '00000000-0000-7000-8000-0000000000bb', name: 'Bea Officer', organisationId: b.id, role: 'asb-officer' };
  caseOfB = (await as(b, officerOfB, (ctx) => openCase(ctx, {
    summary: 'Fly-tipping by the bins', categories: ['litter-and-fly-tipping'], parties: [], places: [{ homeId: homeB }],
    incident: { occurredOn: ukDate(new Date()), description: 'Mattresses again' },
  }))).case.id;
});
after(() => h.close());

test('a case opened weeks ago has its early actions overdue; a category 1 case opened now is to be acknowledged by the next working day', async () => {
  const now = new Date();
  const weeksAgo = new Date(now.getTime() - 30 * DAY);
  const past = await asOfficer((ctx) => openCase(ctx, caseInput(weeksAgo), weeksAgo));
  pastCase = past.case.id;
  const fresh = await asOfficer((ctx) => openCase(ctx, caseInput(now, { summary: 'Threats on the stairs', categories: ['threats'] }), now));
  newCase = fresh.case.id;

  // Overdue: exactly the actions of the old case whose due time has passed (its case review, 30 working days on, is not).
  const expectOverdue = past.actions.filter((x) => x.dueAt.getTime() < now.getTime()).map((x) => x.id).sort();
  assert.ok(expectOverdue.length >= 3, 'acknowledging, interviewing and visiting were due within 15 working days');
  assert.ok(expectOverdue.length < past.actions.length, 'the case review is not yet due');
  const overdue = await asOfficer((ctx) => actionList(ctx, { due: 'overdue', limit: 200 }, now));
  assert.deepEqual(overdue.items.filter((i) => i.case.id === pastCase).map((i) => i.action.id).sort(), expectOverdue);
  assert.equal(overdue.items.some((i) => i.case.id === newCase), false);
  assert.equal(overdue.total, overdue.items.length);
  for (const i of overdue.items) {
    assert.equal(i.state, 'overdue');
    assert.match(i.words, /^Due by the end of \d{1,2} [A-Z][a-z]+ \d{4}$/);
  }
  const dues = overdue.items.map((i) => i.action.dueAt.getTime());
  assert.deepEqual(dues, [...dues].sort((x, y) => x - y), 'the soonest due first');
  assert.equal(overdue.items.find((i) => i.case.id === pastCase)!.case.reference, past.case.reference);

  // Due soon: the new case's acknowledgement (1 working day for category 1), not its interview (3).
  const soon = await asOfficer((ctx) => actionList(ctx, { due: 'due-soon', limit: 200 }, now));
  const acknowledge = fresh.actions.find((x) => x.kind === 'acknowledge')!;
  assert.equal(acknowledge.dueAt.getTime(), endOfUkDay(addWorkingDays(ukDate(now), 1)).getTime());
  assert.ok(soon.items.some((i) => i.action.id === acknowledge.id), 'the acknowledgement is due soon');
  assert.equal(soon.items.some((i) => i.action.id === fresh.actions.find((x) => x.kind === 'interview')!.id), false);
  for (const i of soon.items) assert.ok(i.action.dueAt >= now && i.action.dueAt <= dueSoonUntil(now), i.words);

  // Mine: the officer's cases; another officer's list has none of them. The list walks page by page with its cursor.
  const mine = await asOfficer((ctx) => actionList(ctx, { due: 'all-open', mine: true, limit: 200 }, now));
  assert.equal(mine.total, past.actions.length + fresh.actions.length);
  const theirs = await as(a, outsiderActor(), (ctx) => actionList(ctx, { due: 'all-open', mine: true, limit: 200 }, now));
  assert.equal(theirs.total, 0);
  const walked: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await asOfficer((ctx) => actionList(ctx, { due: 'all-open', mine: true, limit: 3, cursor }, now));
    assert.equal(page.total, mine.total);
    walked.push(...page.items.map((i) => i.action.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  assert.deepEqual(walked, mine.items.map((i) => i.action.id));
  // Each case listed is audited as read.
  assert.ok(await auditCount({ action: 'read-sensitive', entityId: pastCase, actorId: ids.officer }) >= 1);
  // Another landlord's list has none of them; a bad cursor is named.
  const ofB = await as(b, { ...officerActor(), organisationId: b.id }, (ctx) => actionList(ctx, { limit: 200 }, now));
  assert.ok(ofB.items.every((i) => i.case.id === caseOfB));
  await assert.rejects(asOfficer((ctx) => actionList(ctx, { limit: 5, cursor: 'not-a-cursor' })), (e: { status: number; errors: { field: string }[] }) => e.status === 400 && e.errors[0]!.field === '/cursor');
});

test('completing the acknowledgement schedules the complainant\'s next update 10 working days on, and completing that the next', async () => {
  assert.equal(DEFAULT_ASB_SETTINGS.complainantUpdates.workingDays, 10);
  const now = new Date();
  const acknowledge = (await actionsOf(newCase)).find((x) => x.kind === 'acknowledge')!;
  const first = await asOfficer((ctx) => completeAction(ctx, newCase, acknowledge.id, { note: 'Rang Carys, explained what happens next', version: acknowledge.version }, now));
  assert.equal(first.alreadyDone, false);
  assert.equal(first.action.doneAt?.getTime(), now.getTime());
  assert.equal(first.action.doneBy, 'Olu Officer');
  assert.equal(first.action.note, 'Rang Carys, explained what happens next');
  assert.equal(first.nextUpdate?.kind, UPDATE_COMPLAINANT.kind);
  assert.equal(first.nextUpdate.dueAt.getTime(), endOfUkDay(addWorkingDays(ukDate(now), 10)).getTime());

  // The update done three days later: the next is due 10 working days after it; one update is open at a time.
  const later = new Date(now.getTime() + 3 * DAY);
  const second = await asOfficer((ctx) => completeAction(ctx, newCase, first.nextUpdate!.id, {}, later));
  assert.equal(second.action.id, first.nextUpdate.id);
  assert.equal(second.nextUpdate!.dueAt.getTime(), endOfUkDay(addWorkingDays(ukDate(later), 10)).getTime());
  const updates = (await actionsOf(newCase)).filter((x) => x.kind === UPDATE_COMPLAINANT.kind);
  assert.equal(updates.length, 2);
  assert.equal(updates.filter((x) => x.doneAt === null).length, 1);

  // Completing it again changes nothing: not done twice, no further update.
  const again = await asOfficer((ctx) => completeAction(ctx, newCase, first.nextUpdate!.id, { note: 'a second click' }, new Date(later.getTime() + DAY)));
  assert.equal(again.alreadyDone, true);
  assert.equal(again.action.doneAt?.getTime(), later.getTime());
  assert.equal(again.action.note, null);
  assert.equal(again.nextUpdate, null);
  assert.equal((await actionsOf(newCase)).filter((x) => x.kind === UPDATE_COMPLAINANT.kind).length, 2);
  assert.equal(await auditCount({ action: 'asb-action-done', entityId: newCase }), 2);

  // An action that is not the complainant's schedules nothing; a stale version is refused.
  const interview = (await actionsOf(newCase)).find((x) => x.kind === 'interview')!;
  await assert.rejects(asOfficer((ctx) => completeAction(ctx, newCase, interview.id, { version: interview.version + 1 })), { status: 412 });
  assert.equal((await asOfficer((ctx) => completeAction(ctx, newCase, interview.id))).nextUpdate, null);
  // The action of another case, another landlord's case, a planner, a closed case.
  await assert.rejects(asOfficer((ctx) => completeAction(ctx, pastCase, interview.id)), { status: 404 });
  await assert.rejects(asOfficer((ctx) => completeAction(ctx, caseOfB, interview.id)), { status: 404 });
  await assert.rejects(as(a, { ...officerActor(), role: 'repairs-planner' }, (ctx) => completeAction(ctx, newCase, interview.id)), { status: 403 });
  const closing = await asOfficer((ctx) => openCase(ctx, caseInput(now), now));
  await asOfficer((ctx) => closeCase(ctx, closing.case.id, { reason: 'resolved' }));
  await assert.rejects(asOfficer((ctx) => completeAction(ctx, closing.case.id, closing.actions[0]!.id)), { status: 409 });
});

test('high risk brings the complainant\'s next update forward to 5 working days after the last contact; lower risk never pushes it back', async () => {
  assert.equal(DEFAULT_ASB_SETTINGS.complainantUpdates.byRisk?.high, 5);
  const now = new Date();
  const opened = await asOfficer((ctx) => openCase(ctx, caseInput(now), now));
  const acknowledge = opened.actions.find((x) => x.kind === 'acknowledge')!;
  const done = await asOfficer((ctx) => completeAction(ctx, opened.case.id, acknowledge.id, {}, now));
  assert.equal(done.nextUpdate!.dueAt.getTime(), endOfUkDay(addWorkingDays(ukDate(now), 10)).getTime());
  const high = { 'hurt-or-threatened': true, 'unsafe-at-home': true, 'sleep-health-work': 3 };
  const outcome = await asOfficer((ctx) => assessCaseRisk(ctx, opened.case.id, high, null, now));
  assert.equal(outcome.assessment.level, 'high');
  const update = outcome.rescheduled.find((r) => r.kind === UPDATE_COMPLAINANT.kind);
  assert.ok(update, 'the update is among the actions brought forward');
  assert.equal(update.to.getTime(), endOfUkDay(addWorkingDays(ukDate(now), 5)).getTime());
  const open = (await actionsOf(opened.case.id)).filter((x) => x.kind === UPDATE_COMPLAINANT.kind && x.doneAt === null);
  assert.equal(open.length, 1);
  assert.equal(open[0]!.dueAt.getTime(), update.to.getTime());
  // Assessed again as standard: nothing moves back.
  const lower = await asOfficer((ctx) => assessCaseRisk(ctx, opened.case.id, {}, null, now));
  assert.equal(lower.rescheduled.length, 0);
  assert.equal((await actionsOf(opened.case.id)).find((x) => x.id === open[0]!.id)!.dueAt.getTime(), update.to.getTime());
});

test('marking an action done from the list page: with the CSRF token, back to the same list, saying when the next update is due', async () => {
  const list = await officer.get('/asb/actions?due=overdue&mine=1');
  assert.equal(list.statusCode, 200, list.body);
  const acknowledge = (await actionsOf(pastCase)).find((x) => x.kind === 'acknowledge')!;
  const action = `/asb/cases/${pastCase}/actions/${acknowledge.id}/done`;
  assert.ok(list.body.includes(`action="${action}"`), 'a button for the overdue acknowledgement');
  const forged = await officer.post(action, { _csrf: 'forged', back: '/asb/actions' });
  assert.equal(forged.statusCode, 403, 'not without the CSRF token');
  assert.equal((await actionsOf(pastCase)).find((x) => x.id === acknowledge.id)!.doneAt, null);
  const res = await officer.post(action, { back: '/asb/actions?due=overdue&mine=1' });
  assert.equal(res.statusCode, 303, res.body);
  const next = endOfUkDay(addWorkingDays(ukDate(new Date()), 10));
  assert.equal(res.headers.location, `/asb/actions?due=overdue&mine=1&done=1&next=${ukDate(next)}`);
  const after = await officer.get(String(res.headers.location));
  assert.match(after.body, /The action was marked as done/);
  assert.ok(!after.body.includes(`action="${action}"`), 'it left the list');
  assert.equal((await actionsOf(pastCase)).find((x) => x.id === acknowledge.id)!.doneBy, 'Olu Officer');
  // Another site as "back" is not followed; a planner may not.
  const interview = (await actionsOf(pastCase)).find((x) => x.kind === 'interview')!;
  const offsite = await officer.post(`/asb/cases/${pastCase}/actions/${interview.id}/done`, { back: 'https://evil.example/asb/actions' });
  assert.equal(offsite.headers.location, '/asb/actions?done=1');
  await planner.get('/');
  assert.equal((await planner.post(`/asb/cases/${pastCase}/actions/${interview.id}/done`, {})).statusCode, 403);
});

test('an action of the officer\'s own: a past date or no words name the field; today is due by the end of the day', async () => {
  const today = ukDate(new Date());
  const yesterday = ukDate(new Date(Date.now() - DAY));
  await assert.rejects(asOfficer((ctx) => addAction(ctx, newCase, { label: 'Ring the police liaison officer', dueOn: yesterday })),
    (e: { status: number; errors: { field: string; message: string }[] }) => e.status === 400 && e.errors.length === 1 && e.errors[0]!.field === '/dueOn' && /today or later/.test(e.errors[0]!.message));
  await assert.rejects(asOfficer((ctx) => addAction(ctx, newCase, { label: '  ', dueOn: '2026-02-30' })),
    (e: { errors: { field: string }[] }) => e.errors.map((x) => x.field).join() === '/label,/dueOn');
  const own = await asOfficer((ctx) => addAction(ctx, newCase, { label: 'Ring the police liaison officer', dueOn: today }));
  assert.equal(own.kind, 'own');
  assert.equal(own.dueAt.getTime(), endOfUkDay(today).getTime());
  const soon = await asOfficer((ctx) => actionList(ctx, { due: 'due-soon', limit: 200 }));
  assert.ok(soon.items.some((i) => i.action.id === own.id));
  await assert.rejects(asOfficer((ctx) => addAction(ctx, caseOfB, { label: 'Not ours', dueOn: today })), { status: 404 });

  // The page: the same refusal, in an error summary linked to the date.
  const form = await officer.get(`/asb/cases/${newCase}/actions/new`);
  assert.equal(form.statusCode, 200, form.body);
  const [y, m, d] = yesterday.split('-');
  const bad = await officer.post(`/asb/cases/${newCase}/actions`, {
    formToken: officer.field(form.body, 'formToken'), label: 'Check the CCTV', 'dueOn-day': String(Number(d)), 'dueOn-month': String(Number(m)), 'dueOn-year': y!,
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#dueOn-day">The date it is due must be today or later/);
  const [ty, tm, td] = today.split('-');
  const good = await officer.post(`/asb/cases/${newCase}/actions`, {
    formToken: officer.field(bad.body, 'formToken'), label: 'Check the CCTV', 'dueOn-day': String(Number(td)), 'dueOn-month': String(Number(tm)), 'dueOn-year': ty!,
  });
  assert.equal(good.statusCode, 303, good.body);
  assert.ok((await actionsOf(newCase)).some((x) => x.label === 'Check the CCTV' && x.kind === 'own'));
});

test('linking two cases: both ways round, once whichever order; not to itself; another landlord\'s case is 404', async () => {
  const links = () => h.store.withOrg(a.id, (tx) => tx.select().from(asbCaseLinks).where(and(eq(asbCaseLinks.organisationId, a.id),
    sql`${asbCaseLinks.caseId} = any(${sql.param([pastCase, newCase])}::uuid[])`)));
  assert.deepEqual(await asOfficer((ctx) => linkCases(ctx, pastCase, newCase, 'The same flat, two neighbours')), { linked: true });
  assert.deepEqual((await links()).map((l) => `${l.caseId}>${l.linkedCaseId}`).sort(), [`${newCase}>${pastCase}`, `${pastCase}>${newCase}`].sort());
  assert.deepEqual(await asOfficer((ctx) => linkCases(ctx, newCase, pastCase, 'Again, the other way')), { linked: false });
  assert.deepEqual(await asOfficer((ctx) => linkCases(ctx, pastCase, newCase)), { linked: false });
  assert.equal((await links()).length, 2);
  assert.equal(await auditCount({ action: 'asb-cases-linked', entityId: pastCase }), 1);
  await assert.rejects(asOfficer((ctx) => linkCases(ctx, pastCase, pastCase)), (e: { status: number; errors: { field: string }[] }) => e.status === 400 && e.errors[0]!.field === '/linkedCaseId');
  await assert.rejects(asOfficer((ctx) => linkCases(ctx, pastCase, caseOfB)), { status: 404 });
  await assert.rejects(asOfficer((ctx) => linkCases(ctx, caseOfB, pastCase)), { status: 404 });
  await assert.rejects(as(a, { ...officerActor(), role: 'administrator' }, (ctx) => linkCases(ctx, pastCase, newCase)), { status: 403 });
});

test('the home page\'s ASB sections count what the pages they link to list', async () => {
  // A category 1 case opened now: something due soon and to acknowledge, whatever the tests before did.
  await asOfficer((ctx) => openCase(ctx, caseInput(new Date(), { summary: 'Violence at the door', categories: ['violence'] })));
  // Another officer's cases, overdue and new: on neither this officer's sections nor the pages they link to.
  // (About the same person, with no complainant or witness: the export's test below counts on the outsider seeing no names.)
  const theirs = (at: Date, extra: Partial<OpenCaseInput>) => caseInput(at, {
    parties: [{ role: 'alleged-perpetrator', kind: 'person', personId: perpetrator }],
    incident: { occurredOn: ukDate(new Date(at.getTime() - DAY)), description: 'Shouting in the street' }, ...extra,
  });
  const monthAgo = new Date(Date.now() - 30 * DAY);
  await as(a, outsiderActor(), (ctx) => openCase(ctx, theirs(monthAgo, { summary: 'Someone else\'s case' }), monthAgo));
  await as(a, outsiderActor(), (ctx) => openCase(ctx, theirs(new Date(), { summary: 'Someone else\'s new case', categories: ['violence'] })));
  const home = await officer.get('/');
  assert.equal(home.statusCode, 200);
  const sections = [...home.body.matchAll(/<h3 class="govuk-heading-m[^"]*" id="[^"]+-heading">([^<]+)<span class="hearth-meta">\((\d[\d,]*)\)<\/span>/g)]
    .map((m) => ({ title: m[1]!.trim(), total: Number(m[2]!.replace(/,/g, '')) }));
  const hrefs: Record<string, string> = {
    'ASB actions overdue': '/asb/actions?due=overdue&mine=1', 'ASB actions due soon': '/asb/actions?due=due-soon&mine=1',
    'New ASB reports to acknowledge': '/asb/actions?due=all&kind=acknowledge&mine=1',
  };
  for (const [title, href] of Object.entries(hrefs)) {
    const s = sections.find((x) => x.title === title);
    assert.ok(s, `${title} on the home page`);
    assert.ok(s.total > 0, `${title}: something to do`);
    assert.ok(home.body.includes(`href="${href.replace(/&/g, '&amp;')}"`), `${title} links to ${href}`);
    const page = await officer.get(href);
    assert.equal(page.statusCode, 200, page.body);
    const listed = Number(/id="count">([\d,]+) action/.exec(page.body)?.[1]?.replace(/,/g, ''));
    assert.equal(listed, s.total, title);
  }
  // Every case's list has more than the officer's own.
  const everyone = await officer.get('/asb/actions?due=overdue');
  const overdueMine = sections.find((x) => x.title === 'ASB actions overdue')!.total;
  assert.ok(Number(/id="count">([\d,]+) action/.exec(everyone.body)?.[1]?.replace(/,/g, '')) > overdueMine);
});

test('the cases as CSV: the case\'s officer sees who complained and witnessed, another officer "Complainant 1" and "Witness 1"; every case exported is audited', async () => {
  const formula = await asOfficer((ctx) => openCase(ctx, caseInput(new Date(), { summary: '=HYPERLINK("http://evil.example","Click")' })));
  const pastRef = (await asOfficer((ctx) => getCase(ctx, pastCase))).case.reference;

  const team = await csvOf(officer);
  const row = team.get(pastRef)!;
  assert.ok(row, 'the case is exported');
  assert.equal(row.status, 'Open');
  assert.equal(row.categories, 'Noise');
  assert.equal(row.priority, 'Category 3');
  assert.equal(row.risk, 'Not assessed');
  assert.equal(row['hate incident'], 'No');
  assert.match(row.places!, /^Flat 3, Bronte House/);
  assert.equal(row.complainants, 'Carys Complains');
  assert.equal(row.witnesses, 'Wendy Witnessed; Man from the corner shop');
  assert.equal(row['alleged perpetrators'], 'Percy Loud');
  assert.equal(team.get(formula.case.reference)!.summary, '\'=HYPERLINK("http://evil.example","Click")', 'a formula is shown as text');

  const auditedBefore = await auditCount({ action: 'read-sensitive', actorId: ids.outsider, export: true });
  const other = await csvOf(outsider);
  const hidden = other.get(pastRef)!;
  assert.equal(hidden.complainants, 'Complainant 1');
  assert.equal(hidden.witnesses, 'Witness 1; Witness 2');
  assert.equal(hidden['alleged perpetrators'], 'Percy Loud', 'whom the case is about stays named');
  const whole = [...other.values()].map((r) => Object.values(r).join(',')).join('\n');
  for (const name of ['Carys', 'Wendy', 'corner shop']) assert.ok(!whole.includes(name), `${name} is not in the outsider's export`);
  // The same words as the case page gives that reader.
  const view = await as(a, outsiderActor(), (ctx) => getCase(ctx, pastCase));
  assert.deepEqual(view.parties.filter((p) => p.role !== 'alleged-perpetrator').map((p) => p.name), ['Complainant 1', 'Witness 1', 'Witness 2']);
  // Every case exported is audited as read, once per export.
  assert.equal(await auditCount({ action: 'read-sensitive', actorId: ids.outsider, export: true }) - auditedBefore, other.size);
  assert.equal(await auditCount({ action: 'export', actorId: ids.outsider }), 1);

  // The open ones only by default, as /asb lists them; another landlord's are not there; a planner gets 403.
  const open = await csvOf(officer, '');
  assert.ok([...open.values()].every((r) => r.status === 'Open'));
  assert.ok(open.size < team.size, 'the closed case is left out');
  assert.ok(![...team.keys()].some((ref) => ref === ''), 'every row has its reference');
  const ofB = await as(b, { ...officerActor(), organisationId: b.id }, (ctx) => getCase(ctx, caseOfB));
  assert.equal([...team.values()].some((r) => r.summary === ofB.case.summary), false);
  await planner.get('/');
  assert.equal((await planner.get('/asb/cases.csv')).statusCode, 403);
  assert.equal((await planner.get('/asb/actions')).statusCode, 403);
});

test('the same work through the API: the overdue list with its total, completing an action, an own action, linking; a planner is refused', async () => {
  const token = a.as['asb-officer'];
  const listed = await api(h, 'GET', '/api/v1/asb-actions?due=overdue&limit=2', token);
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  const all = await asOfficer((ctx) => actionList(ctx, { due: 'overdue', limit: 200 }));
  assert.equal(listed.body.total, all.total, 'the API counts what the service lists');
  assert.ok(listed.body.items.length <= 2 && listed.body.items.every((i: { state: string }) => i.state === 'overdue'));
  assert.equal(listed.body.nextCursor !== null, all.total > 2);

  const opened = await asOfficer((ctx) => openCase(ctx, caseInput(new Date())));
  const acknowledge = opened.actions.find((x) => x.kind === 'acknowledge')!;
  const done = await api(h, 'POST', `/api/v1/asb-cases/${opened.case.id}/actions/${acknowledge.id}/done`, token, { note: 'Rang them' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.alreadyDone, false);
  assert.equal(done.body.action.note, 'Rang them');
  assert.equal(done.body.nextUpdate.kind, UPDATE_COMPLAINANT.kind);
  const again = await api(h, 'POST', `/api/v1/asb-cases/${opened.case.id}/actions/${acknowledge.id}/done`, token, {});
  assert.equal(again.body.alreadyDone, true);

  const past = await api(h, 'POST', `/api/v1/asb-cases/${opened.case.id}/actions`, token, { label: 'Ring the police SPOC', dueOn: '2020-01-01' });
  assert.equal(past.status, 400);
  assert.match(JSON.stringify(past.body), /dueOn/);
  const own = await api(h, 'POST', `/api/v1/asb-cases/${opened.case.id}/actions`, token, { label: 'Ring the police SPOC', dueOn: ukDate(new Date()) });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  assert.equal(own.body.label, 'Ring the police SPOC');

  const link = await api(h, 'POST', `/api/v1/asb-cases/${opened.case.id}/links`, token, { linkedCaseId: newCase, reason: 'The same flat' });
  assert.deepEqual([link.status, link.body.linked], [200, true]);
  const twice = await api(h, 'POST', `/api/v1/asb-cases/${newCase}/links`, token, { linkedCaseId: opened.case.id });
  assert.deepEqual([twice.status, twice.body.linked], [200, false]);
  assert.equal((await api(h, 'POST', `/api/v1/asb-cases/${opened.case.id}/links`, token, { linkedCaseId: caseOfB })).status, 404);
  assert.equal((await api(h, 'GET', '/api/v1/asb-actions', a.as['repairs-planner'])).status, 403);
});

test('at once (on PostgreSQL truly in parallel): five cases opened take five references; one action completed five times is done once, with one next update', async () => {
  const now = new Date();
  const opened = await Promise.all(Array.from({ length: 5 }, () => asOfficer((ctx) => openCase(ctx, caseInput(now), now))));
  assert.equal(new Set(opened.map((o) => o.case.reference)).size, 5, opened.map((o) => o.case.reference).join(', '));
  const c = opened[0]!;
  const acknowledge = c.actions.find((x) => x.kind === 'acknowledge')!;
  const done = await Promise.all(Array.from({ length: 5 }, () => asOfficer((ctx) => completeAction(ctx, c.case.id, acknowledge.id, {}, now))));
  assert.equal(done.filter((d) => !d.alreadyDone).length, 1, 'done once');
  const updates = (await actionsOf(c.case.id)).filter((x) => x.kind === UPDATE_COMPLAINANT.kind);
  assert.equal(updates.length, 1, 'one next update');
  const links = await Promise.all([linkCases, linkCases].map((link, i) => asOfficer((ctx) => (i ? link(ctx, opened[2]!.case.id, opened[1]!.case.id) : link(ctx, opened[1]!.case.id, opened[2]!.case.id)))));
  assert.equal(links.filter((l) => l.linked).length, 1, 'linked once, whichever way round');
});
