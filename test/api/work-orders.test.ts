// Work orders (issue 14) against the real database: raising one gives a reference and a due time from its priority
// (working days skip bank holidays), the status moves each role may make (refusals name the field), stale versions,
// an operative reaching only the jobs booked to them, follow-ons and first-time fix, the pages and the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { ukDate } from '../../src/platform/uk-time.ts';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { staffSession } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import { Problem } from '../../src/platform/http/problem.ts';
import { appointments, operatives } from '../../src/modules/scheduling/schema.ts';
import { workOrderEvents } from '../../src/modules/repairs/schema.ts';
import { createOperative } from '../../src/modules/scheduling/service.ts';
import {
  bookWorkOrder, changeStatus, myJobs, needsFollowOn, raiseWorkOrder, workOrder, workOrderAvailability, workOrderList, type RaiseWorkOrderInput,
} from '../../src/modules/repairs/work-orders.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
let homeA: string;
let homeB: string;
const users: Record<string, string> = {};

async function addHome(who: Landlord): Promise<string> {
  const r = await api(h, 'POST', '/api/v1/homes', who.as.administrator, sample.home());
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

const actor = (who: Landlord, role: Role, name: string, id = '00000000-0000-7000-8000-000000000000'): Actor => ({ kind: 'user', id, name, organisationId: who.id, role });
const as = <T>(who: Landlord, act: Actor, work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(who.id, (tx) => work({ actor: act, tx }));
const planner = (who: Landlord) => actor(who, 'repairs-planner', 'Pat Planner');
const job = (extra: Partial<RaiseWorkOrderInput> = {}): RaiseWorkOrderInput => ({
  homeId: homeA, sorCode: '0330015', trade: 'plumbing', priorityCode: 'routine', description: 'Kitchen tap drips all day', minutes: 60,
  operativeWords: ['Visit in pairs'], accessNotes: 'Key safe by the back door', ...extra,
});

async function refused(work: Promise<unknown>): Promise<Problem> {
  try {
    await work;
  } catch (err) {
    if (err instanceof Problem) return err;
    throw err;
  }
  assert.fail('expected a refusal');
}

before(async () => {
  h = await harness();
  a = await landlord(h);
  b = await landlord(h);
  homeA = await addHome(a);
  homeB = await addHome(b);
  // Two operatives with staff accounts, working every day, both plumbers.
  for (const name of ['owen', 'olga']) {
    const user = await h.auth.addUser({ organisationId: a.id, email: `${name}-${a.id.slice(0, 8)}@operatives.example`, name: `${name} operative`, role: 'operative', password: 'a long test password 1' });
    users[name] = user.id;
    await as(a, actor(a, 'administrator', 'Ada Admin'), (ctx) => createOperative(ctx, {
      name: `${name} operative`, trades: ['plumbing'], pattern: { days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '18:00' }, userEmail: user.email,
    }));
  }
});
after(() => h.close());

/** Raise a job now, book its first free slot and give the visit to an operative (as a built plan would). */
async function bookedTo(operative: 'owen' | 'olga', extra: Partial<RaiseWorkOrderInput> = {}): Promise<string> {
  return as(a, planner(a), async (ctx) => {
    const wo = await raiseWorkOrder(ctx, job(extra));
    const slots = await workOrderAvailability(ctx, wo.id);
    assert.ok(slots.length > 0, 'a slot is free');
    await bookWorkOrder(ctx, wo.id, { date: slots[0]!.date, slot: slots[0]!.slot });
    const [op] = await ctx.tx.select({ id: operatives.id }).from(operatives).where(and(eq(operatives.organisationId, a.id), eq(operatives.userId, users[operative]!)));
    await ctx.tx.update(appointments).set({ operativeId: op!.id, sequence: 1 }).where(and(eq(appointments.organisationId, a.id), eq(appointments.jobId, wo.id), eq(appointments.status, 'booked')));
    return wo.id;
  });
}

const operativeActor = (name: 'owen' | 'olga') => actor(a, 'operative', `${name} operative`, users[name]);

test('raising: a reference per landlord and year, a due time from the priority, working days skipping the Christmas bank holidays', async () => {
  // Urgent (5 working days) raised on Mon 21 Dec 2026: Tue 22, Wed 23, Thu 24, (Fri 25, Mon 28: bank holidays), Tue 29, Wed 30.
  const raised = new Date('2026-12-21T10:00:00Z');
  const urgent = await as(b, planner(b), (ctx) => raiseWorkOrder(ctx, job({ homeId: homeB, priorityCode: 'urgent' }), raised));
  assert.equal(urgent.jobReference, 'WO-2026-000001');
  assert.equal(urgent.workStatus, 'open');
  assert.equal(urgent.status, 'Open');
  assert.equal(urgent.priority, 'Urgent');
  assert.equal(urgent.dueAt?.toISOString(), '2026-12-30T23:59:59.999Z');
  assert.equal(urgent.targetDate, '2026-12-30');
  assert.equal(urgent.reportedDate, '2026-12-21');
  assert.deepEqual(urgent.operativeWords, ['Visit in pairs']);
  // Emergency: 24 hours, round the clock.
  const emergency = await as(b, planner(b), (ctx) => raiseWorkOrder(ctx, job({ homeId: homeB, priorityCode: 'emergency' }), raised));
  assert.equal(emergency.jobReference, 'WO-2026-000002');
  assert.equal(emergency.dueAt?.toISOString(), '2026-12-22T10:00:00.000Z');
  const view = await as(b, planner(b), (ctx) => workOrder(ctx, urgent.id, new Date('2026-12-30T09:00:00Z')));
  assert.deepEqual(view.events.map((e) => [e.kind, e.toStatus, e.actorName]), [['status', 'open', 'Pat Planner']]);
  assert.equal(view.sla.state, 'due-soon');
  assert.equal((await as(b, planner(b), (ctx) => workOrder(ctx, urgent.id, new Date('2026-12-31T09:00:00Z')))).sla.state, 'overdue');
  // Another landlord's home, an unknown priority: refused naming the field.
  assert.equal((await refused(as(a, planner(a), (ctx) => raiseWorkOrder(ctx, job({ homeId: homeB }))))).errors[0]?.field, '/homeId');
  assert.equal((await refused(as(a, planner(a), (ctx) => raiseWorkOrder(ctx, job({ priorityCode: 'whenever' }))))).errors[0]?.field, '/priorityCode');
  // An analyst reads but cannot raise.
  assert.equal((await refused(as(a, actor(a, 'analyst', 'Ann'), (ctx) => raiseWorkOrder(ctx, job())))).status, 403);
  // Overdue list at a time past the emergency's due time.
  const overdue = await as(b, planner(b), (ctx) => workOrderList(ctx, { due: 'overdue' }, new Date('2026-12-23T09:00:00Z')));
  assert.deepEqual(overdue.items.map((i) => i.workOrder.jobReference), ['WO-2026-000002']);
});

test('status moves: what each role may do, refusals naming the field, a stale version is 412', async () => {
  const id = (await as(a, planner(a), (ctx) => raiseWorkOrder(ctx, job()))).id;
  // open → in progress is not a move at all: 409 naming /status.
  let p = await refused(as(a, planner(a), (ctx) => changeStatus(ctx, id, 1, 'in-progress')));
  assert.equal(p.status, 409);
  assert.equal(p.errors[0]?.field, '/status');
  assert.match(p.message, /open cannot be moved to in progress/);
  // Cancelling needs a reason: 400 naming /reason.
  p = await refused(as(a, planner(a), (ctx) => changeStatus(ctx, id, 1, 'cancelled')));
  assert.equal(p.status, 400);
  assert.equal(p.errors[0]?.field, '/reason');
  // An unknown status names /status.
  assert.equal((await refused(as(a, planner(a), (ctx) => changeStatus(ctx, id, 1, 'finished')))).errors[0]?.field, '/status');
  // A housing officer may not assign (a planner's move) …
  p = await refused(as(a, actor(a, 'housing-officer', 'Olivia'), (ctx) => changeStatus(ctx, id, 1, 'assigned')));
  assert.equal(p.status, 409);
  assert.match(p.message, /housing officer cannot move a job from open to assigned/);
  // … a planner may; then the old version is stale.
  const assigned = await as(a, planner(a), (ctx) => changeStatus(ctx, id, 1, 'assigned'));
  assert.equal(assigned.version, 2);
  assert.equal(assigned.status, 'Assigned');
  p = await refused(as(a, planner(a), (ctx) => changeStatus(ctx, id, 1, 'open')));
  assert.equal(p.status, 412);
  // Scheduled → complete needs what was done.
  await as(a, planner(a), (ctx) => changeStatus(ctx, id, 2, 'scheduled'));
  p = await refused(as(a, planner(a), (ctx) => changeStatus(ctx, id, 3, 'complete')));
  assert.equal(p.errors[0]?.field, '/workDone');
  // A housing officer may cancel, with a reason.
  const cancelled = await as(a, actor(a, 'housing-officer', 'Olivia'), (ctx) => changeStatus(ctx, id, 3, 'cancelled', { reason: 'Resident fixed it' }));
  assert.equal(cancelled.workStatus, 'cancelled');
  const view = await as(a, planner(a), (ctx) => workOrder(ctx, id));
  assert.deepEqual(view.events.map((e) => e.toStatus), ['open', 'assigned', 'scheduled', 'cancelled']);
  assert.equal(view.events[3]?.reason, 'Resident fixed it');
  // Nothing moves a cancelled job.
  assert.equal((await refused(as(a, planner(a), (ctx) => changeStatus(ctx, id, 4, 'open')))).status, 409);
});

test('an operative works only their own jobs; completing marks the visit attended and a first-time fix', async () => {
  const mine = await bookedTo('owen');
  const theirs = await bookedTo('olga');
  const owen = operativeActor('owen');
  // Another operative's job: refused, read or write.
  assert.equal((await refused(as(a, owen, (ctx) => workOrder(ctx, theirs)))).status, 403);
  const version = (await as(a, planner(a), (ctx) => workOrder(ctx, theirs))).workOrder.version;
  assert.equal((await refused(as(a, owen, (ctx) => changeStatus(ctx, theirs, version, 'in-progress')))).status, 403);
  // Their own: booking made it scheduled; start, then complete.
  const sheet = await as(a, owen, (ctx) => workOrder(ctx, mine));
  assert.equal(sheet.workOrder.workStatus, 'scheduled');
  assert.deepEqual(sheet.workOrder.operativeWords, ['Visit in pairs']);
  // An operative may not cancel (the rules' planner move).
  assert.equal((await refused(as(a, owen, (ctx) => changeStatus(ctx, mine, sheet.workOrder.version, 'cancelled', { reason: 'x' })))).status, 409);
  const started = await as(a, owen, (ctx) => changeStatus(ctx, mine, sheet.workOrder.version, 'in-progress'));
  const done = await as(a, owen, (ctx) => changeStatus(ctx, mine, started.version, 'complete', { workDone: 'Replaced the tap washer' }));
  assert.equal(done.workStatus, 'complete');
  assert.equal(done.workDone, 'Replaced the tap washer');
  assert.equal(done.firstTimeFix, true);
  assert.ok(done.completedAt);
  const after = await as(a, owen, (ctx) => workOrder(ctx, mine));
  assert.equal(after.appointment?.status, 'attended');
  assert.equal(after.events.at(-1)?.actorName, 'owen operative');
});

test('no access frees the visit; a later completion is not a first-time fix; a follow-on marks its parent not a first-time fix', async () => {
  const id = await bookedTo('owen');
  const owen = operativeActor('owen');
  const v1 = (await as(a, owen, (ctx) => workOrder(ctx, id))).workOrder.version;
  const noAccess = await as(a, owen, (ctx) => changeStatus(ctx, id, v1, 'no-access', { reason: 'Nobody in; card left' }));
  assert.equal(noAccess.workStatus, 'no-access');
  const freed = await h.store.withOrg(a.id, (tx) => tx.select().from(appointments).where(and(eq(appointments.organisationId, a.id), eq(appointments.jobId, id))));
  assert.deepEqual(freed.map((x) => x.status), ['cancelled']);
  // The planner books again; the second visit completes it, but not first time.
  const again = await as(a, planner(a), async (ctx) => {
    const slots = await workOrderAvailability(ctx, id);
    await bookWorkOrder(ctx, id, { date: slots[0]!.date, slot: slots[0]!.slot });
    return (await workOrder(ctx, id)).workOrder;
  });
  assert.equal(again.workStatus, 'scheduled');
  const done = await as(a, planner(a), (ctx) => changeStatus(ctx, id, again.version, 'complete', { workDone: 'Fixed on the second visit' }));
  assert.equal(done.firstTimeFix, false);

  // Needs a follow-on: a new job for the same home, and this one completed, not first time.
  const other = await bookedTo('owen');
  const v = (await as(a, owen, (ctx) => workOrder(ctx, other))).workOrder.version;
  const { workOrder: parent, followOn } = await as(a, owen, (ctx) => needsFollowOn(ctx, other, v, 'Needs a new sink unit: plumber and carpenter'));
  assert.equal(followOn.parentId, other);
  assert.equal(followOn.homeId, homeA);
  assert.equal(followOn.workStatus, 'open');
  assert.deepEqual(followOn.operativeWords, ['Visit in pairs']);
  assert.equal(parent.workStatus, 'complete');
  assert.equal(parent.firstTimeFix, false);
  const events = await h.store.withOrg(a.id, (tx) => tx.select().from(workOrderEvents).where(and(eq(workOrderEvents.organisationId, a.id), eq(workOrderEvents.repairId, followOn.id))));
  assert.match(events[0]!.reason ?? '', /^Follow-on from WO-/);
  // Olga cannot raise a follow-on of Owen's job.
  const third = await bookedTo('owen');
  const v3 = (await as(a, planner(a), (ctx) => workOrder(ctx, third))).workOrder.version;
  assert.equal((await refused(as(a, operativeActor('olga'), (ctx) => needsFollowOn(ctx, third, v3, 'More work')))).status, 403);
});

test('pages: the job sheet shows the safety words as a warning; the operative sees their day and job, never another\'s', async () => {
  const id = await bookedTo('owen', { operativeWords: ['Call before visiting'], description: 'Bath panel loose' });
  const staff = await staffSession(h, a.id, 'repairs-planner', 'Rory Planner', `rory-${a.id.slice(0, 8)}@example.test`);
  const sheet = await staff.get(`/repairs/work-orders/${id}`);
  assert.equal(sheet.statusCode, 200);
  assert.match(sheet.body, /govuk-warning-text[\s\S]*?Safety: Call before visiting/);
  assert.match(sheet.body, /Key safe by the back door/);
  assert.match(sheet.body, /Operative: owen operative/);
  assert.match(sheet.body, new RegExp(`href="/homes/${homeA}"`));
  // A status change from the page, with its version and one-time token.
  const moved = await staff.post(`/repairs/work-orders/${id}/status`, { status: 'in-progress', version: staff.field(sheet.body, 'version'), formToken: staff.field(sheet.body, 'formToken') });
  assert.equal(moved.statusCode, 303, moved.body.slice(0, 400));
  const refusedMove = await staff.post(`/repairs/work-orders/${id}/status`, { status: 'open', version: staff.field(sheet.body, 'version'), formToken: staff.field((await staff.get(`/repairs/work-orders/${id}`)).body, 'formToken') });
  assert.ok([409, 400].includes(refusedMove.statusCode), String(refusedMove.statusCode));
  assert.match(refusedMove.body, /There is a problem/);
  // Raise one from the page, then book its visit from the slots offered.
  const form = await staff.get(`/repairs/work-orders/new?homeId=${homeA}`);
  assert.equal(form.statusCode, 200);
  const fields = { homeId: homeA, sorCode: '0330015', trade: 'plumbing', priorityCode: 'routine', minutes: '30', formToken: staff.field(form.body, 'formToken') };
  const missing = await staff.post('/repairs/work-orders/new', fields);
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /Enter what is wrong/);
  const raisedPage = await staff.post('/repairs/work-orders/new', { ...fields, description: 'Toilet will not flush' });
  assert.equal(raisedPage.statusCode, 303, raisedPage.body.slice(0, 300));
  const newId = /\/repairs\/work-orders\/([0-9a-f-]{36})$/.exec(String(raisedPage.headers.location))?.[1];
  assert.ok(newId);
  const bookPage = await staff.get(`/repairs/work-orders/${newId}/book`);
  assert.equal(bookPage.statusCode, 200);
  const choice = /name="choice" type="radio" value="([^"]+)"/.exec(bookPage.body)?.[1];
  assert.ok(choice, 'a slot is offered');
  const bookedPage = await staff.post(`/repairs/work-orders/${newId}/book`, { choice: choice!, formToken: staff.field(bookPage.body, 'formToken') });
  assert.equal(bookedPage.statusCode, 303, bookedPage.body.slice(0, 300));
  const bookedSheet = await staff.get(`/repairs/work-orders/${newId}`);
  assert.match(bookedSheet.body, /Booked for/);
  assert.match(bookedSheet.body, /Scheduled/);
  const list = await staff.get('/repairs/work-orders?trade=plumbing');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, new RegExp(`/repairs/work-orders/${id}`));

  // The visit put on today (as a plan for today would have it), so the operative's day shows it.
  const today = ukDate(new Date());
  await h.store.withOrg(a.id, (tx) => tx.update(appointments).set({ date: today }).where(and(eq(appointments.organisationId, a.id), eq(appointments.jobId, id), eq(appointments.status, 'booked'))));
  const mineToday = await as(a, operativeActor('owen'), (ctx) => myJobs(ctx, today));
  assert.ok(mineToday.jobs.some((j) => j.workOrder.id === id));
  assert.ok(!(await as(a, operativeActor('olga'), (ctx) => myJobs(ctx, today))).jobs.some((j) => j.workOrder.id === id));
  const op = await staffSessionFor('owen');
  const day = await op.get('/my-jobs');
  assert.equal(day.statusCode, 200);
  assert.match(day.body, new RegExp(`href="/my-jobs/${id}"`));
  assert.match(day.body, /Safety: Call before visiting/);
  const mineSheet = await op.get(`/my-jobs/${id}`);
  assert.equal(mineSheet.statusCode, 200);
  assert.match(mineSheet.body, /Safety: Call before visiting/);
  assert.match(mineSheet.body, /What did you do\?/);
  const notMine = await bookedTo('olga');
  assert.equal((await op.get(`/my-jobs/${notMine}`)).statusCode, 403);
  assert.equal((await op.get(`/repairs/work-orders`)).statusCode, 403, 'operatives have no records:read');
  // A photo, multipart with the CSRF token first: kept re-encoded, served to planners and to the operative, not to another.
  const png = await sharp({ create: { width: 12, height: 8, channels: 3, background: '#c00' } }).png().toBuffer();
  const photoPost = await op.upload(`/my-jobs/${id}/photos`, 'photo', 'tap.png', 'image/png', png);
  assert.equal(photoPost.statusCode, 303, photoPost.body.slice(0, 300));
  const withPhoto = await as(a, planner(a), (ctx) => workOrder(ctx, id));
  assert.equal(withPhoto.photos.length, 1);
  const photoUrl = `/repairs/work-orders/${id}/photos/${withPhoto.photos[0]!.id}`;
  const served = await staff.get(photoUrl);
  assert.equal(served.statusCode, 200);
  assert.equal(served.headers['content-type'], 'image/png');
  assert.equal((await op.get(photoUrl)).statusCode, 200);
  assert.equal((await (await staffSessionFor('olga')).get(photoUrl)).statusCode, 403);
  const notImage = await op.upload(`/my-jobs/${id}/photos`, 'photo', 'notes.png', 'image/png', Buffer.from('not a picture at all'));
  assert.equal(notImage.statusCode, 400);
  assert.match(notImage.body, /must be a JPG, PNG or WebP/);
  const sheetNow = await op.get(`/my-jobs/${id}`);
  // Completing without saying what was done names the field.
  const empty = await op.post(`/my-jobs/${id}`, { action: 'complete', version: op.field(sheetNow.body, 'version'), formToken: op.field(sheetNow.body, 'formToken') });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Enter what you did/);
  const done = await op.post(`/my-jobs/${id}`, { action: 'complete', workDone: 'Refixed the panel', version: op.field(sheetNow.body, 'version'), formToken: op.field(sheetNow.body, 'formToken') });
  assert.equal(done.statusCode, 303, done.body.slice(0, 300));
  assert.equal((await as(a, planner(a), (ctx) => workOrder(ctx, id))).workOrder.workStatus, 'complete');
});

/** A signed-in page session for an operative whose account already exists (made in before()). */
async function staffSessionFor(name: 'owen' | 'olga') {
  const email = `${name}-${a.id.slice(0, 8)}@operatives.example`;
  const session = `hearth_session=${(await h.auth.signIn(email, 'a long test password 1'))!.token}`;
  let cookie = session;
  let csrf = '';
  return {
    async get(url: string) {
      const r = await h.app.inject({ method: 'GET', url, headers: { cookie } });
      if (r.cookies.length) cookie = `${session}; ${r.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`;
      csrf = /name="_csrf" value="([^"]+)"/.exec(r.body)?.[1] ?? csrf;
      return r;
    },
    post: (url: string, fields: Record<string, string>) => h.app.inject({
      method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    }),
    field: (body: string, field: string) => new RegExp(`name="${field}" value="([^"]*)"`).exec(body)?.[1] ?? '',
    /** A multipart form with the CSRF token first, then one file. */
    upload(url: string, name: string, fileName: string, type: string, bytes: Buffer) {
      const boundary = '----hearth-test-boundary';
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`),
        bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return h.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    },
  };
}

test('API: raise, read with its ETag, move with If-Match (stale 412, not permitted 409 naming /status), list, availability and booking', async () => {
  const headers = a.as['repairs-planner'];
  const raised = await api(h, 'POST', '/api/v1/work-orders', headers, { homeId: homeA, sorCode: '0330015', trade: 'plumbing', priorityCode: 'urgent', description: 'No hot water in the bathroom', minutes: 45, operativeWords: ['Visit in pairs'] });
  assert.equal(raised.status, 201, JSON.stringify(raised.body));
  assert.match(raised.body.jobReference, /^WO-\d{4}-\d{6}$/);
  assert.equal(raised.headers.location, `/api/v1/work-orders/${raised.body.id}`);
  assert.equal(raised.body.sla, 'on-time');
  const id = raised.body.id as string;
  const got = await api(h, 'GET', `/api/v1/work-orders/${id}`, headers);
  assert.equal(got.status, 200);
  assert.equal(got.headers.etag, '"1"');
  assert.deepEqual(got.body.events.map((e: { toStatus: string }) => e.toStatus), ['open']);
  const move = (status: string, etag: string, extra = {}) => h.app.inject({ method: 'POST', url: `/api/v1/work-orders/${id}/status`, headers: { ...headers, 'if-match': etag }, payload: { status, ...extra } });
  const bad = await move('complete', '"1"');
  assert.equal(bad.statusCode, 409);
  assert.equal(bad.json().errors[0].field, '/status');
  const ok = await move('assigned', '"1"');
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.headers.etag, '"2"');
  assert.equal((await move('open', '"1"')).statusCode, 412);
  assert.equal((await h.app.inject({ method: 'POST', url: `/api/v1/work-orders/${id}/status`, headers, payload: { status: 'open' } })).statusCode, 428);
  // An analyst reads the job, visit and all, but cannot move it.
  const read = await api(h, 'GET', `/api/v1/work-orders/${id}`, a.as.analyst);
  assert.equal(read.status, 200, JSON.stringify(read.body));
  assert.equal((await h.app.inject({ method: 'POST', url: `/api/v1/work-orders/${id}/status`, headers: { ...a.as.analyst, 'if-match': '"2"' }, payload: { status: 'open' } })).statusCode, 403);
  // Operatives and analysts cannot raise over the API.
  assert.equal((await api(h, 'POST', '/api/v1/work-orders', a.as.analyst, { homeId: homeA, sorCode: 'X1', trade: 'plumbing', priorityCode: 'urgent', description: 'x', minutes: 30 })).status, 403);
  // The list, filtered by status.
  const list = await api(h, 'GET', '/api/v1/work-orders?status=assigned', headers);
  assert.equal(list.status, 200);
  assert.ok(list.body.items.some((i: { id: string }) => i.id === id));
  assert.ok(list.body.items.every((i: { workStatus: string }) => i.workStatus === 'assigned'));
  // Availability, then booking; the booking moves it to scheduled; cancelling frees it.
  const slots = await api(h, 'GET', `/api/v1/work-orders/${id}/availability`, headers);
  assert.equal(slots.status, 200);
  assert.ok(slots.body.slots.length > 0);
  const booked = await api(h, 'POST', `/api/v1/work-orders/${id}/appointment`, headers, { date: slots.body.slots[0].date, slot: slots.body.slots[0].slot });
  assert.equal(booked.status, 200, JSON.stringify(booked.body));
  assert.equal(booked.body.workStatus, 'scheduled');
  assert.equal(booked.body.appointment.date, slots.body.slots[0].date);
  // A slot the job cannot have (past its due time): 409 with fresh slots.
  const late = await api(h, 'POST', `/api/v1/work-orders/${id}/appointment`, headers, { date: '2099-01-05', slot: 'AM' });
  assert.equal(late.status, 409, JSON.stringify(late.body));
  assert.ok(Array.isArray(late.body.freshSlots) && late.body.freshSlots.length > 0);
  const cancelled = await h.app.inject({ method: 'DELETE', url: `/api/v1/work-orders/${id}/appointment`, headers });
  assert.equal(cancelled.statusCode, 204);
  const after = await api(h, 'GET', `/api/v1/work-orders/${id}`, headers);
  assert.equal(after.body.appointment, null);
  assert.equal(after.body.workStatus, 'assigned');
});

test('worklists: the planner\'s repairs to schedule leave out booked jobs; the operative\'s day lists their own visits', async () => {
  const { repairWorklists } = await import('../../src/modules/repairs/worklists.ts');
  const section = (id: string) => repairWorklists.find((s) => s.id === id)!;
  const unbooked = await as(a, planner(a), (ctx) => raiseWorkOrder(ctx, job({ description: 'Gutter overflowing' })));
  const booked = await bookedTo('olga', { description: 'Radiator valve leaking' });
  const toSchedule = await as(a, planner(a), (ctx) => section('repairs-to-schedule').items(ctx, { limit: 1000, scope: { homeIds: null } }));
  const hrefs = toSchedule.items.map((i) => i.href);
  assert.ok(hrefs.includes(`/repairs/work-orders/${unbooked.id}`));
  assert.ok(!hrefs.includes(`/repairs/work-orders/${booked}`));
  assert.equal(toSchedule.total, toSchedule.items.length);
  assert.deepEqual(section('repairs-to-schedule').roles, ['repairs-planner']);
  // Olga's visit, moved to today as a plan would have it, is on her list and not on Owen's.
  await h.store.withOrg(a.id, (tx) => tx.update(appointments).set({ date: ukDate(new Date()) }).where(and(eq(appointments.organisationId, a.id), eq(appointments.jobId, booked))));
  const olgas = await as(a, operativeActor('olga'), (ctx) => section('operative-jobs-today').items(ctx, { limit: 5, scope: { homeIds: null } }));
  assert.ok(olgas.items.some((i) => i.href === `/my-jobs/${booked}`));
  const owens = await as(a, operativeActor('owen'), (ctx) => section('operative-jobs-today').items(ctx, { limit: 50, scope: { homeIds: null } }));
  assert.ok(!owens.items.some((i) => i.href === `/my-jobs/${booked}`));
});
