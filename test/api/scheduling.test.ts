// Scheduling (issue 14): the slots offered respect operatives' trades, working days and hours, capacity, bank holidays
// and the job's due time; booking, rebooking and cancelling; a full slot is a 409 with the slots free now; two bookings
// racing for the last place (on PostgreSQL really at once) give exactly one; the day's plan places every job that fits
// with an operative of its trade, within its slot and their hours; who may build a plan. Dates are fixed in 2027 and
// every call says what "now" is, so the test means the same on any day.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import { staffSession } from '../support/staff.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import {
  availability, appointmentOf, bookAppointment, cancelAppointment, markAttended, operativeDay, operativeOfUser, rebookAppointment, SlotTaken,
  type Slot, type BookingInput,
} from '../../src/modules/scheduling/index.ts';

const SLOTS: Slot[] = [
  { code: 'AM', label: 'Morning, 8am to 1pm', start: '08:00', end: '13:00' },
  { code: 'PM', label: 'Afternoon, 1pm to 6pm', start: '13:00', end: '18:00' },
];
const FRIDAY_NOON = new Date('2027-02-26T12:00:00Z'); // GMT: London noon, Friday 26 February 2027
const FAR = new Date('2027-12-31T00:00:00Z');

let h: Harness;
before(async () => { h = await harness(); });
after(() => h.close());

function as<T>(L: Landlord, role: Role, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  return h.store.withOrg(L.id, (tx) => work({ actor: { kind: 'user', id: randomUUID(), name: `A ${role}`, organisationId: L.id, role }, tx }));
}

async function operative(L: Landlord, body: Record<string, unknown>) {
  const res = await api(h, 'POST', '/api/v1/operatives', L.as['repairs-planner'], {
    pattern: { days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' }, ...body,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; version: number };
}

const job = (extra: Partial<BookingInput> = {}): BookingInput => {
  const id = randomUUID();
  return {
    jobKind: 'repair', jobId: id, jobReference: `RJ-${id.slice(0, 6)}`, href: `/repairs/work-orders/${id}`, label: 'Leaking tap · 1 Test Road',
    homeId: null, latitude: null, longitude: null, trade: 'plumbing', minutes: 60, date: '2027-03-01', slot: 'AM', slots: SLOTS, notAfter: FAR, ...extra,
  };
};
const book = (L: Landlord, input: BookingInput) => as(L, 'housing-officer', (ctx) => bookAppointment(ctx, input, FRIDAY_NOON));
const offered = (L: Landlord, trade: string, extra: { minutes?: number; notAfter?: Date; from?: Date; days?: number } = {}) =>
  as(L, 'housing-officer', (ctx) => availability(ctx, { trade, minutes: extra.minutes ?? 60, from: extra.from ?? FRIDAY_NOON, notAfter: extra.notAfter ?? FAR, slots: SLOTS, days: extra.days ?? 7 }))
    .then((list) => list.map((s) => `${s.date} ${s.slot}`));

describe('availability', () => {
  let L: Landlord;
  before(async () => {
    L = await landlord(h);
    await operative(L, { name: 'Pat Plumber', trades: ['plumbing'] });
    await operative(L, { name: 'Eve Sparks', trades: ['electrical'], pattern: { days: [1, 3], start: '08:00', end: '12:00' } });
  });

  test('only the trade’s operatives’ working days and hours; no weekends when no one works them; slots not yet started', async () => {
    assert.deepEqual(await offered(L, 'plumbing', { days: 4 }), ['2027-02-26 PM', '2027-03-01 AM', '2027-03-01 PM']);
    assert.deepEqual(await offered(L, 'electrical'), ['2027-03-01 AM', '2027-03-03 AM']);
    assert.deepEqual(await offered(L, 'roofing'), []);
  });

  test('a slot must end by the job’s due time (notAfter)', async () => {
    assert.deepEqual(await offered(L, 'plumbing', { notAfter: new Date('2027-03-01T13:00:00Z') }), ['2027-02-26 PM', '2027-03-01 AM']);
    assert.deepEqual(await offered(L, 'plumbing', { notAfter: new Date('2027-02-26T17:59:00Z') }), []);
  });

  test('a bank holiday offers nothing (Monday 3 May 2027)', async () => {
    const list = await offered(L, 'plumbing', { from: new Date('2027-04-30T10:00:00Z'), days: 5 });
    assert.deepEqual(list, ['2027-04-30 PM', '2027-05-04 AM', '2027-05-04 PM']);
  });

  test('windows are London time: 08:00 is 07:00 UTC in summer', async () => {
    const [first] = await as(L, 'housing-officer', (ctx) => availability(ctx, { trade: 'plumbing', minutes: 60, from: new Date('2027-06-01T00:00:00Z'), notAfter: FAR, slots: SLOTS, days: 1 }));
    assert.equal(first?.windowStart.toISOString(), '2027-06-01T07:00:00.000Z');
    assert.equal(first?.windowEnd.toISOString(), '2027-06-01T12:00:00.000Z');
  });

  test('capacity: minutes booked use the slot up; a full slot is a 409 with the slots free now', async () => {
    // Eve works 08:00–12:00 on Mondays: 240 minutes of the morning slot, 180 once travel is allowed for.
    await book(L, job({ trade: 'electrical', minutes: 120 }));
    assert.deepEqual(await offered(L, 'electrical', { minutes: 90 }), ['2027-03-03 AM']);
    assert.deepEqual(await offered(L, 'electrical', { minutes: 60 }), ['2027-03-01 AM', '2027-03-03 AM']);
    await assert.rejects(book(L, job({ trade: 'electrical', minutes: 90 })), (err: unknown) => {
      assert.ok(err instanceof SlotTaken);
      assert.equal(err.status, 409);
      // Eve's next Mondays and Wednesdays (two weeks ahead), but not this Monday's morning.
      assert.deepEqual(err.freshSlots.map((s) => `${s.date} ${s.slot}`), ['2027-03-03 AM', '2027-03-08 AM', '2027-03-10 AM']);
      assert.deepEqual(err.errors.map((e) => `${e.field} ${e.message}`), ['/slot 2027-03-03 AM', '/slot 2027-03-08 AM', '/slot 2027-03-10 AM']);
      return true;
    });
    await book(L, job({ trade: 'electrical', minutes: 60 }));
    assert.deepEqual(await offered(L, 'electrical', { minutes: 1 }), ['2027-03-03 AM']);
  });
});

describe('bookings', () => {
  let L: Landlord;
  before(async () => {
    L = await landlord(h);
    await operative(L, { name: 'Pat Plumber', trades: ['plumbing'] });
  });

  test('book, rebook (also by booking again), cancel', async () => {
    const input = job({ slot: 'PM' });
    const first = await book(L, input);
    assert.equal(first.status, 'booked');
    assert.equal(first.windowStart.toISOString(), '2027-03-01T13:00:00.000Z');
    assert.equal(first.windowEnd.toISOString(), '2027-03-01T18:00:00.000Z');

    const moved = await as(L, 'housing-officer', (ctx) => rebookAppointment(ctx, 'repair', input.jobId, { date: '2027-03-02', slot: 'AM', slots: SLOTS, notAfter: FAR }, FRIDAY_NOON));
    assert.equal(moved.date, '2027-03-02');
    assert.equal(moved.slot, 'AM');
    assert.equal(moved.jobReference, input.jobReference);
    const again = await book(L, { ...input, date: '2027-03-03', slot: 'PM' });
    const now = await as(L, 'housing-officer', (ctx) => appointmentOf(ctx, 'repair', input.jobId));
    assert.equal(now?.id, again.id);
    const list = await api(h, 'GET', '/api/v1/appointments?date=2027-03-02', L.as['repairs-planner']);
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 0, 'the moved appointment is no longer booked on 2 March');

    const cancelled = await as(L, 'housing-officer', (ctx) => cancelAppointment(ctx, 'repair', input.jobId));
    assert.equal(cancelled?.status, 'cancelled');
    assert.equal(await as(L, 'housing-officer', (ctx) => appointmentOf(ctx, 'repair', input.jobId)), null);
    assert.equal(await as(L, 'housing-officer', (ctx) => cancelAppointment(ctx, 'repair', input.jobId)), null, 'nothing more to cancel');
  });

  test('a slot that has started, or ends after the due time, is refused with the free slots', async () => {
    await assert.rejects(book(L, job({ date: '2027-02-26', slot: 'AM' })), (err: unknown) => err instanceof SlotTaken && err.freshSlots[0]?.date === '2027-02-26' && err.freshSlots[0]?.slot === 'PM');
    await assert.rejects(book(L, job({ date: '2027-03-02', notAfter: new Date('2027-03-01T18:00:00Z') })), SlotTaken);
  });

  test('a slot the landlord does not have is a 400 naming the field', async () => {
    await assert.rejects(book(L, job({ slot: 'EVE' })), (err: unknown) => (err as { status?: number; errors?: { field: string }[] }).status === 400
      && (err as { errors: { field: string }[] }).errors[0]?.field === '/slot');
  });

  test('two bookings racing for the last place: exactly one succeeds', async () => {
    // Tess works Thursdays 08:00–10:00: 120 minutes, 90 after travel: room for one 60-minute job, not two.
    await operative(L, { name: 'Tess Glazier', trades: ['glazing'], pattern: { days: [4], start: '08:00', end: '10:00' } });
    const results = await Promise.allSettled([1, 2].map(() => book(L, job({ trade: 'glazing', date: '2027-03-04', slot: 'AM' }))));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1, results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'booked')).join('; '));
    assert.ok(lost[0]!.reason instanceof SlotTaken, String(lost[0]!.reason));
    const day = await api(h, 'GET', '/api/v1/appointments?date=2027-03-04', L.as['repairs-planner']);
    assert.equal(day.body.items.filter((a: { trade: string }) => a.trade === 'glazing').length, 1);
  });
});

describe('the day’s plan', () => {
  let L: Landlord;
  const DATE = '2027-03-08'; // a Monday
  const near = (km: number, bearing: number) => ({ latitude: 53.8 + (km * Math.sin(bearing)) / 111.2, longitude: -1.55 + (km * Math.cos(bearing)) / 66 });
  let roofer: { id: string; version: number };
  before(async () => {
    L = await landlord(h);
    const base = near(0, 0);
    await operative(L, { name: 'Pat Plumber', trades: ['plumbing'], baseLatitude: base.latitude, baseLongitude: base.longitude });
    await operative(L, { name: 'Gus General', trades: ['general', 'plumbing'], baseLatitude: base.latitude, baseLongitude: base.longitude });
    await operative(L, { name: 'Eve Sparks', trades: ['electrical'], pattern: { days: [1], start: '12:00', end: '17:00' } }); // no base: 15 minutes each way
    roofer = await operative(L, { name: 'Rory Roofer', trades: ['roofing'] });
    const jobs: Partial<BookingInput>[] = [];
    for (let i = 0; i < 6; i++) jobs.push({ trade: 'plumbing', minutes: 45, slot: i % 2 ? 'PM' : 'AM', ...near(1 + i, i) });
    for (let i = 0; i < 3; i++) jobs.push({ trade: 'general', minutes: 60, slot: 'AM', ...near(2, i * 2) });
    jobs.push({ trade: 'electrical', minutes: 30, slot: 'PM' }); // no coordinates
    jobs.push({ trade: 'roofing', minutes: 60, slot: 'AM', ...near(3, 1) });
    for (const j of jobs) await book(L, job({ date: DATE, ...j }));
    // The roofer leaves: their job can no longer be placed.
    const left = await api(h, 'PATCH', `/api/v1/operatives/${roofer.id}`, { ...L.as['repairs-planner'], 'if-match': `"${roofer.version}"` }, { active: false });
    assert.equal(left.status, 200);
  });

  test('an analyst cannot build a plan, nor see appointments; an operative can see them', async () => {
    assert.equal((await api(h, 'POST', `/api/v1/plans/${DATE}`, L.as.analyst)).status, 403);
    assert.equal((await api(h, 'GET', `/api/v1/appointments?date=${DATE}`, L.as.analyst)).status, 403);
    assert.equal((await api(h, 'GET', `/api/v1/appointments?date=${DATE}`, L.as.operative)).status, 200);
    assert.equal((await api(h, 'POST', `/api/v1/plans/${DATE}`, L.as.operative)).status, 403);
    assert.equal((await api(h, 'POST', '/api/v1/operatives', L.as['housing-officer'], { name: 'X', trades: ['plumbing'], pattern: { days: [1], start: '08:00', end: '17:00' } })).status, 403);
  });

  test('every job that fits is placed, with an operative of its trade, within its slot and their hours, in order', async () => {
    const built = await api(h, 'POST', `/api/v1/plans/${DATE}`, L.as['repairs-planner']);
    assert.equal(built.status, 200, JSON.stringify(built.body));
    assert.equal(built.body.plan.jobs, 11);
    assert.equal(built.body.plan.unassigned, 1);
    assert.deepEqual(built.body.notPlaced.map((n: { reason: string }) => n.reason), ['No operative with the trade roofing works on this day']);

    const ops = (await api(h, 'GET', '/api/v1/operatives', L.as['repairs-planner'])).body.items as { id: string; name: string; trades: string[]; pattern: { start: string; end: string } }[];
    const byId = new Map(ops.map((o) => [o.id, o]));
    const items = (await api(h, 'GET', `/api/v1/appointments?date=${DATE}`, L.as['repairs-planner'])).body.items as
      { id: string; trade: string; minutes: number; operativeId: string | null; sequence: number | null; plannedStart: string | null; windowStart: string; windowEnd: string }[];
    const placed = items.filter((a) => a.operativeId);
    assert.equal(placed.length, 10);
    const london = (iso: string) => new Date(iso).toISOString().slice(11, 16); // March: London is on GMT
    for (const a of placed) {
      const op = byId.get(a.operativeId!)!;
      assert.ok(op.trades.includes(a.trade), `${a.trade} job given to ${op.name}`);
      assert.ok(a.plannedStart! >= a.windowStart && a.plannedStart! <= a.windowEnd, `${a.plannedStart} in ${a.windowStart}–${a.windowEnd}`);
      assert.ok(london(a.plannedStart!) >= op.pattern.start, `${op.name} starts at ${op.pattern.start}`);
      const done = new Date(Date.parse(a.plannedStart!) + a.minutes * 60_000).toISOString();
      assert.ok(london(done) <= op.pattern.end, `${op.name} finishes by ${op.pattern.end}`);
    }
    // Each operative's visits: 1, 2, 3… in time order, none overlapping.
    for (const route of built.body.routes as { visits: { sequence: number; plannedStart: string; appointmentId: string }[] }[]) {
      assert.deepEqual(route.visits.map((v) => v.sequence), route.visits.map((_, i) => i + 1));
      for (let i = 1; i < route.visits.length; i++) {
        const prev = items.find((a) => a.id === route.visits[i - 1]!.appointmentId)!;
        assert.ok(Date.parse(route.visits[i]!.plannedStart) >= Date.parse(prev.plannedStart!) + prev.minutes * 60_000, 'the next visit starts after the last one ends');
      }
    }
    const electrical = placed.find((a) => a.trade === 'electrical')!;
    assert.equal(byId.get(electrical.operativeId!)?.name, 'Eve Sparks');
    assert.ok(london(electrical.plannedStart!) >= '13:00');

    const again = await api(h, 'GET', `/api/v1/plans/${DATE}`, L.as['housing-officer']);
    assert.equal(again.status, 200);
    assert.equal(again.body.plan.jobs, 11);
    assert.equal(again.body.routes.reduce((n: number, r: { visits: unknown[] }) => n + r.visits.length, 0), 10);
  });

  test('the planner’s page builds the plan once per form and lists each operative’s visits', async () => {
    const planner = await staffSession(h, L.id, 'repairs-planner', 'Jo Planner', `jo.${L.id.slice(-8)}@example.org`);
    const page = await planner.get(`/scheduling?date=${DATE}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Build the plan/);
    const token = planner.field(page.body, 'formToken');
    const built = await planner.post('/scheduling/plan', { date: DATE, formToken: token });
    assert.equal(built.statusCode, 303);
    assert.equal(built.headers.location, `/scheduling?date=${DATE}#plan`);
    const shown = await planner.get(`/scheduling?date=${DATE}`);
    assert.match(shown.body, /Pat Plumber|Gus General/);
    assert.match(shown.body, /No operative with the trade roofing works on this day/);
    const analyst = await staffSession(h, L.id, 'analyst', 'Robin Analyst', `robin.${L.id.slice(-8)}@example.org`);
    assert.equal((await analyst.get(`/scheduling?date=${DATE}`)).statusCode, 403);
  });

  test('the operatives page adds an operative from the form, and refuses a bad one naming the field', async () => {
    const planner = await staffSession(h, L.id, 'repairs-planner', 'Mo Planner', `mo.${L.id.slice(-8)}@example.org`);
    const form = await planner.get('/scheduling/operatives/new');
    assert.equal(form.statusCode, 200);
    const bad = await planner.post('/scheduling/operatives/new', { name: 'Ada Fixit', start: '17:00', end: '08:00', formToken: planner.field(form.body, 'formToken') });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#trades"/);
    assert.match(bad.body, /The time they finish must be after the time they start/);
    const saved = await planner.post('/scheduling/operatives/new', { name: 'Ada Fixit', trades: 'carpentry', days: '2', start: '8am', end: '4pm', basePostcode: 'ls6 1aa', formToken: planner.field(bad.body, 'formToken') });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    const ops = (await api(h, 'GET', '/api/v1/operatives?limit=200', L.as['repairs-planner'])).body.items as { name: string; trades: string[]; pattern: unknown; basePostcode: string }[];
    const ada = ops.find((o) => o.name === 'Ada Fixit');
    assert.deepEqual(ada && { trades: ada.trades, pattern: ada.pattern, basePostcode: ada.basePostcode },
      { trades: ['carpentry'], pattern: { days: [2], start: '08:00', end: '16:00' }, basePostcode: 'LS6 1AA' });
  });

  test('an operative’s staff account: their own day in order; they may mark their own visits attended, not another’s', async () => {
    const email = `pat.${L.id.slice(-8)}@example.org`;
    await h.auth.addUser({ organisationId: L.id, email, name: 'Pat Plumber', role: 'operative', password: 'a long test password 1' });
    const ops = (await api(h, 'GET', '/api/v1/operatives', L.as['repairs-planner'])).body.items as { id: string; name: string; version: number }[];
    const pat = ops.find((o) => o.name === 'Pat Plumber')!;
    const linked = await api(h, 'PATCH', `/api/v1/operatives/${pat.id}`, { ...L.as['repairs-planner'], 'if-match': `"${pat.version}"` }, { userEmail: email.toUpperCase() });
    assert.equal(linked.status, 200, JSON.stringify(linked.body));
    const nobody = await api(h, 'PATCH', `/api/v1/operatives/${pat.id}`, { ...L.as['repairs-planner'], 'if-match': `"${linked.body.version}"` }, { userEmail: 'nobody@example.org' });
    assert.equal(nobody.status, 400);
    assert.equal(nobody.body.errors[0].field, '/userEmail');
    const userId = linked.body.userId as string;
    const asPat = <T>(work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(L.id, (tx) => work({ actor: { kind: 'user', id: userId, name: 'Pat Plumber', organisationId: L.id, role: 'operative' }, tx }));
    assert.equal((await asPat((ctx) => operativeOfUser(ctx, userId)))?.id, pat.id);
    const day = await asPat((ctx) => operativeDay(ctx, pat.id, DATE));
    assert.ok(day.length > 0, 'Pat has visits in the plan');
    assert.deepEqual(day.map((a) => a.sequence), day.map((_, i) => i + 1));
    const attended = await asPat((ctx) => markAttended(ctx, day[0]!.id));
    assert.equal(attended.status, 'attended');
    const others = (await api(h, 'GET', `/api/v1/appointments?date=${DATE}`, L.as['repairs-planner'])).body.items as { id: string; operativeId: string | null }[];
    const notMine = others.find((a) => a.operativeId && a.operativeId !== pat.id)!;
    await assert.rejects(asPat((ctx) => markAttended(ctx, notMine.id)), (err: unknown) => (err as { status?: number }).status === 403);
  });
});
