// Hazard reports (Awaab's Law) against the real database: reports and their clocks across bank holidays, events and
// breaches, idempotent reports, field-named errors, another landlord kept out, who may write, and the pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import { clockLists, hazardReport, hazardsOfHome, hazardSummary, recordEvent, reportHazard } from '../../src/modules/hazards/service.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
let homeA: string;
let homeB: string;

async function addHome(who: Landlord): Promise<string> {
  const r = await api(h, 'POST', '/api/v1/homes', who.as.administrator, sample.home());
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

before(async () => {
  h = await harness();
  a = await landlord(h);
  b = await landlord(h);
  homeA = await addHome(a);
  homeB = await addHome(b);
});
after(() => h.close());

/** Service calls as landlord `who`, in one transaction. */
const as = <T>(who: Landlord, work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(who.id, (tx) => work({ actor: systemActor(who.id, 'Test officer'), tx }));
type Clock = { id: string; status: string; deadline: string | null; rule: string; skipped: { name: string }[] };
const clock = (clocks: readonly object[], id: string) => clocks.find((c) => (c as Clock).id === id) as Clock;
// reportedAt is required (issue 13, defect 1): a fixed past time unless a test gives its own.
const damp = (extra: Record<string, unknown> = {}) => ({ hazard: 'damp-and-mould', severity: 'significant', description: 'Black mould on the bedroom ceiling', reportedBy: 'Tenant, by phone', reportedAt: '2026-01-05T10:00:00Z', ...extra });

test('a significant report on Mon 21 Dec 2026: investigate by Thu 7 Jan 2027, skipping the Christmas bank holidays', async () => {
  const now = new Date('2026-12-22T09:00:00Z');
  const view = await as(a, async (ctx) => {
    const row = await reportHazard(ctx, { homeId: homeA, ...damp(), reportedAt: '2026-12-21T10:00:00Z' }, now);
    return hazardReport(ctx, row.id, now);
  });
  assert.match(view.report.reference, /^HZ-2026-\d{6}$/);
  const inv = clock(view.clocks, 'investigate');
  assert.equal(inv.deadline, '2027-01-07');
  assert.equal(inv.status, 'due');
  // Boxing Day 2026 is a Saturday: its substitute day, Mon 28 Dec, is the working day skipped.
  assert.deepEqual(inv.skipped.map((s) => s.name), ['Christmas Day', 'Boxing Day (substitute day)', "New Year's Day"]);
  assert.deepEqual(view.clocks.slice(1).map((c) => c.status), ['not-started', 'not-started', 'not-started', 'not-started']);
  assert.equal(view.awaab.phase, 1);
  assert.deepEqual(view.events.map((e) => e.kind), ['reported']);

  const later = await as(a, (ctx) => hazardReport(ctx, view.report.id, '2027-01-08T09:00:00Z'));
  assert.equal(clock(later.clocks, 'investigate').status, 'overdue');

  // Investigated on Wed 6 Jan: summary by Mon 11 Jan (3 working days), make safe by Wed 13 Jan (5).
  const done = await as(a, async (ctx) => {
    await recordEvent(ctx, view.report.id, { kind: 'investigated', occurredAt: '2027-01-06T15:00:00Z', outcome: 'confirmed' }, new Date('2027-01-07T09:00:00Z'));
    return hazardReport(ctx, view.report.id, '2027-01-07T09:00:00Z');
  });
  assert.equal(clock(done.clocks, 'investigate').status, 'met');
  assert.equal(clock(done.clocks, 'written-summary').deadline, '2027-01-11');
  assert.equal(clock(done.clocks, 'make-safe').deadline, '2027-01-13');
  assert.equal(done.report.investigationOutcome, 'confirmed');
  assert.equal(done.report.version, 2, 'the milestone updated the report through the record service');
});

test('report over the API with an Idempotency-Key: the same key twice makes one report', async () => {
  const headers = { ...a.as['housing-officer'], 'idempotency-key': 'hazard-report-key-0001' };
  const body = damp({ reportedAt: '2025-12-22T09:30:00Z', location: 'Bedroom' });
  const first = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, headers, body);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.headers.location, `/api/v1/hazard-reports/${first.body.id}`);
  assert.match(first.body.reference, /^HZ-2025-000001$/);
  const again = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, headers, body);
  assert.equal(again.status, 201);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(again.body.id, first.body.id);
  const reused = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, headers, { ...body, location: 'Kitchen' });
  assert.equal(reused.status, 422, 'the same key with another request is refused');
  const onHome = await as(a, (ctx) => hazardsOfHome(ctx, homeA));
  assert.equal(onHome.filter((x) => x.reference.startsWith('HZ-2025-')).length, 1);
  // References count up per year of the report.
  const second = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, a.as['compliance-lead'], damp({ reportedAt: '2025-12-23T09:30:00Z' }));
  assert.equal(second.body.reference, 'HZ-2025-000002');
});

test('events move the clocks; a milestone is recorded once; breaches are counted per clock', async () => {
  const who = a.as['repairs-planner'];
  const made = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, who, damp({ reportedAt: '2025-12-29T11:00:00Z' }));
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.id as string;
  // Mon 29 Dec 2025: 10 working days, skipping New Year's Day, is Tue 13 Jan 2026. Long past: overdue.
  const inv = clock(made.body.clocks, 'investigate');
  assert.deepEqual([inv.deadline, inv.status, inv.rule], ['2026-01-13', 'overdue', inv.rule]);
  assert.match(String(inv.rule), /10 working days/);
  assert.deepEqual(inv.skipped.map((s) => s.name), ["New Year's Day"]);

  const post = (event: Record<string, unknown>) => api(h, 'POST', `/api/v1/hazard-reports/${id}/events`, who, event);
  const early = await post({ kind: 'summary-sent', occurredAt: '2026-01-05T10:00:00Z' });
  assert.equal(early.status, 409);
  assert.match(early.body.detail, /investigation/);
  assert.equal(early.body.errors[0].field, '/kind');

  const investigated = await post({ kind: 'investigated', occurredAt: '2026-01-14T10:00:00Z', outcome: 'confirmed' });
  assert.equal(investigated.status, 201, JSON.stringify(investigated.body));
  assert.equal(clock(investigated.body.clocks, 'investigate').status, 'breached');
  const same = await post({ kind: 'investigated', occurredAt: '2026-01-14T10:00:00+00:00', outcome: 'confirmed' });
  assert.equal(same.status, 200, 'the same milestone at the same time is a no-op');
  assert.equal(same.body.events.length, 2);
  const other = await post({ kind: 'investigated', occurredAt: '2026-01-15T10:00:00Z', outcome: 'confirmed' });
  assert.equal(other.status, 409);
  assert.match(other.body.detail, /already recorded .*Wednesday 14 January 2026 at 10am/);

  const safe = await post({ kind: 'made-safe', occurredAt: '2026-01-16T16:00:00Z' });
  assert.equal(safe.status, 201);
  assert.equal(clock(safe.body.clocks, 'make-safe').status, 'met');
  const note = await post({ kind: 'note', occurredAt: '2026-01-16T16:05:00Z', note: 'Tenant asked for a call back' });
  assert.equal(note.status, 201);
  assert.equal((await post({ kind: 'note', occurredAt: '2026-01-16T16:05:00Z', note: 'Tenant asked for a call back' })).status, 200, 'the same note twice is one note');

  const read = await api(h, 'GET', `/api/v1/hazard-reports/${id}`, a.as.analyst);
  assert.equal(read.status, 200);
  assert.equal(read.headers.etag, `"${read.body.version}"`);
  assert.deepEqual(read.body.events.map((e: { kind: string }) => e.kind), ['reported', 'investigated', 'made-safe', 'note']);
  assert.deepEqual(read.body.clocks.map((c: { id: string; status: string }) => [c.id, c.status]), [
    ['investigate', 'breached'], ['written-summary', 'overdue'], ['make-safe', 'met'], ['further-works', 'overdue'], ['further-works-12-weeks', 'overdue'],
  ]);

  const lists = await api(h, 'GET', '/api/v1/insight/hazard-clocks', a.as.analyst);
  assert.equal(lists.status, 200, JSON.stringify(lists.body));
  const entry = lists.body.overdue.find((e: { id: string }) => e.id === id);
  assert.ok(entry, 'the report is overdue');
  assert.deepEqual(entry.clocks.map((c: { id: string }) => c.id), ['written-summary', 'further-works', 'further-works-12-weeks']);
  assert.ok(entry.homeAddress.includes('Moor Road'));
  const service = await as(a, (ctx) => clockLists(ctx, new Date(lists.body.asOf)));
  assert.deepEqual(lists.body.breaches, service.breaches);
  assert.ok(lists.body.breaches.byClock.investigate >= 1);
  assert.equal(lists.body.breaches.total, Object.values(lists.body.breaches.byClock as Record<string, number>).reduce((x, y) => x + y, 0));

  // Closed: off the overdue list, its missed deadlines still counted.
  const closed = await post({ kind: 'closed', occurredAt: '2026-02-01T10:00:00Z' });
  assert.equal(closed.body.status, 'closed');
  const after = await api(h, 'GET', '/api/v1/insight/hazard-clocks', a.as.analyst);
  assert.ok(!after.body.overdue.some((e: { id: string }) => e.id === id));
  assert.equal(after.body.breaches.total, lists.body.breaches.total);
});

test('a fresh emergency report is due soon; an investigation finding no hazard stops the later clocks', async () => {
  const emergency = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, a.as.administrator,
    { hazard: 'electrical-hazards', severity: 'emergency', description: 'Exposed wires by the sink', reportedAt: new Date().toISOString() });
  assert.equal(emergency.status, 201, JSON.stringify(emergency.body));
  assert.deepEqual(emergency.body.clocks.map((c: { id: string; status: string; deadlineKind: string }) => [c.id, c.status, c.deadlineKind]),
    [['investigate', 'due-soon', 'instant'], ['make-safe', 'due-soon', 'instant']]);
  assert.equal(new Date(emergency.body.clocks[0].deadline).getTime() - new Date(emergency.body.reportedAt).getTime(), 24 * 3600_000);
  const lists = await api(h, 'GET', '/api/v1/insight/hazard-clocks', a.as.analyst);
  assert.ok(lists.body.dueSoon.some((e: { id: string }) => e.id === emergency.body.id));

  const found = await api(h, 'POST', `/api/v1/hazard-reports/${emergency.body.id}/events`, a.as.administrator,
    { kind: 'investigated', occurredAt: emergency.body.reportedAt, outcome: 'not-confirmed' });
  assert.equal(found.status, 201, JSON.stringify(found.body));
  assert.deepEqual(found.body.clocks.map((c: { status: string }) => c.status), ['met', 'not-applicable']);

  const summary = await as(a, (ctx) => hazardSummary(ctx));
  assert.equal(summary.byMonth.length, 12);
  assert.equal(summary.byMonth[11]!.month, new Date().toISOString().slice(0, 7));
  assert.ok(summary.byMonth[11]!.reported >= 1);
  assert.ok(summary.open >= 1 && summary.overdue >= 1);
});

test('errors name the fields at fault', async () => {
  const who = a.as['housing-officer'];
  const bad = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, who, { hazard: 'mould', severity: 'significant' });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ['/hazard', '/reportedAt'], JSON.stringify(bad.body)); // the first missing field (reportedAt) is named
  const severity = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, who, damp({ severity: 'minor' }));
  assert.deepEqual(severity.body.errors, [{ field: '/severity', message: 'must be one of: emergency, significant' }]);

  const future = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, who, damp({ reportedAt: '2099-01-01T10:00:00Z' }));
  assert.equal(future.status, 400);
  assert.deepEqual(future.body.errors, [{ field: '/reportedAt', message: 'must not be in the future' }]);
  const noZone = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, who, damp({ reportedAt: '2026-01-01T10:00:00' }));
  assert.equal(noZone.status, 400);
  assert.equal(noZone.body.errors[0].field, '/reportedAt');
  const extra = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, who, damp({ colour: 'black' }));
  assert.equal(extra.body.errors[0].field, '/colour');
  const nowhere = await api(h, 'POST', '/api/v1/homes/00000000-0000-7000-8000-000000000000/hazard-reports', who, damp());
  assert.equal(nowhere.status, 404);

  const made = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, who, damp({ reportedAt: '2026-03-02T10:00:00Z' }));
  const post = (event: Record<string, unknown>) => api(h, 'POST', `/api/v1/hazard-reports/${made.body.id}/events`, who, event);
  const cases: [Record<string, unknown>, string][] = [
    [{ kind: 'investigated', occurredAt: '2026-03-03T10:00:00Z' }, '/outcome'],
    [{ kind: 'made-safe', occurredAt: '2026-03-03T10:00:00Z', outcome: 'confirmed' }, '/outcome'],
    [{ kind: 'investigated', occurredAt: '2026-03-01T10:00:00Z', outcome: 'confirmed' }, '/occurredAt'],
    [{ kind: 'investigated', occurredAt: '2099-03-01T10:00:00Z', outcome: 'confirmed' }, '/occurredAt'],
    [{ kind: 'note', occurredAt: '2026-03-03T10:00:00Z' }, '/note'],
    [{ kind: 'reported', occurredAt: '2026-03-03T10:00:00Z' }, '/kind'],
    [{ kind: 'note', occurredAt: 'yesterday', note: 'x' }, '/occurredAt'],
  ];
  for (const [event, field] of cases) {
    const r = await post(event);
    assert.equal(r.status, 400, JSON.stringify(event));
    assert.equal(r.body.errors[0].field, field, JSON.stringify(r.body));
  }
  const before = await post({ kind: 'investigated', occurredAt: '2026-03-01T10:00:00Z', outcome: 'confirmed' });
  assert.match(before.body.detail, /before the hazard was reported \(Monday 2 March 2026 at 10am\)/);
});

test('another landlord cannot see a report, post events on it, or report on its home', async () => {
  const made = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, a.as.administrator, damp({ reportedAt: '2026-02-02T10:00:00Z' }));
  const id = made.body.id as string;
  assert.equal((await api(h, 'GET', `/api/v1/hazard-reports/${id}`, b.as.administrator)).status, 404);
  const event = await api(h, 'POST', `/api/v1/hazard-reports/${id}/events`, b.as.administrator, { kind: 'note', occurredAt: '2026-02-03T10:00:00Z', note: 'x' });
  assert.equal(event.status, 404);
  assert.equal((await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, b.as.administrator, damp())).status, 404);
  const lists = await api(h, 'GET', '/api/v1/insight/hazard-clocks', b.as.administrator);
  assert.deepEqual([lists.body.overdue, lists.body.dueSoon, lists.body.breaches.total], [[], [], 0]);
  // B's own report numbering starts at 1.
  const own = await api(h, 'POST', `/api/v1/homes/${homeB}/hazard-reports`, b.as.administrator, damp({ reportedAt: '2026-02-02T10:00:00Z' }));
  assert.equal(own.body.reference, 'HZ-2026-000001');
  assert.equal((await api(h, 'GET', `/api/v1/hazard-reports/${own.body.id}`, a.as.administrator)).status, 404);
});

test('an analyst can read but not write; a data lead without hazards:write cannot write either', async () => {
  const made = await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, a.as['asb-officer'], damp({ reportedAt: '2026-02-09T10:00:00Z' }));
  assert.equal(made.status, 201);
  assert.equal((await api(h, 'GET', `/api/v1/hazard-reports/${made.body.id}`, a.as.analyst)).status, 200);
  assert.equal((await api(h, 'GET', '/api/v1/insight/hazard-clocks', a.as.analyst)).status, 200);
  for (const role of ['analyst', 'data-lead'] as const) {
    assert.equal((await api(h, 'POST', `/api/v1/homes/${homeA}/hazard-reports`, a.as[role], damp())).status, 403, role);
    const event = await api(h, 'POST', `/api/v1/hazard-reports/${made.body.id}/events`, a.as[role], { kind: 'note', occurredAt: '2026-02-10T10:00:00Z', note: 'x' });
    assert.equal(event.status, 403, role);
  }
  assert.equal((await api(h, 'GET', '/api/v1/insight/hazard-clocks', {})).status, 401);
});

test('pages: report a hazard (a double-clicked form makes one report), see its deadlines, record an event', async () => {
  const password = 'a long test password 1';
  const signIn = async (role: 'housing-officer' | 'analyst') => {
    const email = `${role}.${a.id.slice(-8)}@example.org`;
    await h.auth.addUser({ organisationId: a.id, email, name: `Test ${role}`, role, password });
    return `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
  };
  const officer = await signIn('housing-officer');
  const home = await h.app.inject({ method: 'GET', url: `/homes/${homeA}`, headers: { cookie: officer } });
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /<h2 class="govuk-heading-m" id="hazards">Hazards<\/h2>/);
  assert.match(home.body, new RegExp(`href="/homes/${homeA}/hazards/new"[^>]*>Report a hazard`));
  assert.match(home.body, /HZ-2025-000001/);

  const form = await h.app.inject({ method: 'GET', url: `/homes/${homeA}/hazards/new`, headers: { cookie: officer } });
  assert.equal(form.statusCode, 200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const formToken = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  const cookie = `${officer}; ${form.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`;
  assert.ok(form.body.indexOf('value="damp-and-mould"') < form.body.indexOf('value="excess-cold"'), 'damp and mould first');
  const post = (url: string, fields: Record<string, string>) => h.app.inject({
    method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });

  const empty = await post(`/homes/${homeA}/hazards/new`, { formToken, 'reportedAt-day': '', 'reportedAt-month': '', 'reportedAt-year': '', reportedAtTime: '' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /<title>Error: Report a hazard/);
  for (const href of ['#hazard', '#severity', '#reportedAt-day', '#reportedAtTime', '#description']) assert.ok(empty.body.includes(`href="${href}"`), href);

  const fields = { formToken, hazard: 'damp-and-mould', severity: 'significant', 'reportedAt-day': '22', 'reportedAt-month': '12', 'reportedAt-year': '2025',
    reportedAtTime: '9:30am', reportedBy: 'Tenant, by phone', location: 'Bathroom', description: 'Mould behind the bath' };
  const [one, two] = await Promise.all([post(`/homes/${homeA}/hazards/new`, fields), post(`/homes/${homeA}/hazards/new`, fields)]);
  assert.equal(one.statusCode, 303);
  assert.equal(two.statusCode, 303);
  assert.equal(one.headers.location, two.headers.location, 'both posts lead to the one report');
  const three = await post(`/homes/${homeA}/hazards/new`, fields);
  assert.equal(three.headers.location, one.headers.location);
  const id = String(one.headers.location).split('/').pop()!;
  assert.equal((await as(a, (ctx) => hazardsOfHome(ctx, homeA))).filter((x) => x.location === 'Bathroom').length, 1);

  const report = await h.app.inject({ method: 'GET', url: `/hazards/${id}`, headers: { cookie: officer } });
  assert.equal(report.statusCode, 200);
  assert.match(report.body, /By the end of Thursday 8 January 2026/);
  assert.match(report.body, /Skips Christmas Day, Boxing Day and New Year&#39;s Day\./);
  assert.match(report.body, /Monday 22 December 2025 at 9:30am/);

  const when = { 'occurredAt-day': '7', 'occurredAt-month': '1', 'occurredAt-year': '2026', occurredAtTime: '14:00' };
  const noOutcome = await post(`/hazards/${id}/events`, { kind: 'investigated', ...when });
  assert.equal(noOutcome.statusCode, 400);
  assert.ok(noOutcome.body.includes('href="#outcome"'));
  const recorded = await post(`/hazards/${id}/events`, { kind: 'investigated', outcome: 'confirmed', ...when });
  assert.equal(recorded.statusCode, 303);
  const again = await post(`/hazards/${id}/events`, { kind: 'investigated', outcome: 'confirmed', ...when, occurredAtTime: '15:00' });
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /Investigation ended is already recorded/);
  const afterEvent = await h.app.inject({ method: 'GET', url: `/hazards/${id}`, headers: { cookie: officer } });
  assert.match(afterEvent.body, /Wednesday 7 January 2026 at 2pm/);

  const clocks = await h.app.inject({ method: 'GET', url: '/insight/hazards', headers: { cookie: officer } });
  assert.equal(clocks.statusCode, 200);
  assert.match(clocks.body, /Awaab’s Law deadlines/);
  assert.ok(clocks.body.includes(`href="/hazards/${id}"`));

  const analyst = await signIn('analyst');
  const analystHome = await h.app.inject({ method: 'GET', url: `/homes/${homeA}`, headers: { cookie: analyst } });
  assert.ok(!analystHome.body.includes('Report a hazard'));
  assert.equal((await h.app.inject({ method: 'GET', url: `/homes/${homeA}/hazards/new`, headers: { cookie: analyst } })).statusCode, 403);
  const analystReport = await h.app.inject({ method: 'GET', url: `/hazards/${id}`, headers: { cookie: analyst } });
  assert.equal(analystReport.statusCode, 200);
  assert.ok(!analystReport.body.includes('Record what happened next'));
});
