// Repairs measures (TSM RP02, end-to-end days, first-time fix) against the real database: hand-made work orders and
// imported history whose figures are worked out by hand below, the period's edges in UK time, jobs outside the period,
// cancelled jobs and another landlord's repairs left out; the insight dashboard's repairs section and its CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import { staffSession } from '../support/staff.ts';
import { repairs, repairSettings } from '../../src/modules/repairs/schema.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
after(() => h.close());

type Row = typeof repairs.$inferInsert;
let n = 0;
const at = (s: string) => new Date(s);
/** A work order raised in Hearth, completed (unless `workStatus` says otherwise). */
const workOrder = (organisationId: string, w: { code: string; raised: string; due: string | null; completed: string | null; ftf?: boolean; version?: number; workStatus?: string }): Row => ({
  organisationId, id: randomUUID(), jobReference: `WO-${++n}`, homeNamed: 'Flat 1, Moor Road', workStatus: w.workStatus ?? 'complete', priorityCode: w.code,
  settingsVersion: w.version ?? 0, raisedAt: at(w.raised), dueAt: w.due ? at(w.due) : null, completedAt: w.completed ? at(w.completed) : null, firstTimeFix: w.ftf ?? null,
});
/** Imported history: dates and the source's own priority words. */
const imported = (organisationId: string, i: { priority: string; reported: string | null; target: string | null; completed: string; status?: string }): Row => ({
  organisationId, id: randomUUID(), jobReference: `J-${++n}`, homeNamed: 'Flat 2, Moor Road', priority: i.priority, status: i.status ?? 'Completed',
  reportedDate: i.reported, targetDate: i.target, completedDate: i.completed,
});

before(async () => {
  h = await harness(); a = await landlord(h); b = await landlord(h);
  const A = a.id;
  // The landlord's own settings, version 1, with a priority of its own marked emergency (the default priorities are version 0).
  await h.store.withOrg(A, (tx) => tx.insert(repairSettings).values({ organisationId: A, version: 1, createdBy: 'test',
    document: { priorities: [{ code: 'p1', label: 'Make safe', target: { amount: 12, unit: 'hours' }, emergency: true, rank: 1 }] } }));
  const rows: Row[] = [
    // Work orders. Default settings: immediate and emergency are emergencies, urgent and routine are not.
    workOrder(A, { code: 'emergency', raised: '2026-04-10T09:00Z', due: '2026-04-11T09:00Z', completed: '2026-04-10T15:00Z', ftf: true }), // W1 emergency, on time, 0 days
    workOrder(A, { code: 'immediate', raised: '2026-05-01T10:00Z', due: '2026-05-01T12:00Z', completed: '2026-05-01T13:30Z', ftf: false }), // W2 emergency, late, 0 days
    workOrder(A, { code: 'routine', raised: '2026-05-05T08:00Z', due: '2026-06-02T17:00Z', completed: '2026-05-20T11:00Z', ftf: true }), // W3 non-emergency, on time, 15 days
    workOrder(A, { code: 'urgent', raised: '2026-06-01T08:00Z', due: '2026-06-08T17:00Z', completed: '2026-06-10T09:00Z', ftf: true }), // W4 non-emergency, late, 9 days
    workOrder(A, { code: 'p1', version: 1, raised: '2026-06-15T08:00Z', due: '2026-06-15T20:00Z', completed: '2026-06-15T19:00Z', ftf: false }), // W5 emergency by version 1, on time, 0 days
    // 23:30 UTC on 30 June is 00:30 on 1 July in the UK: after the period.
    workOrder(A, { code: 'emergency', raised: '2026-06-30T20:00Z', due: '2026-07-01T20:00Z', completed: '2026-06-30T23:30Z', ftf: true }), // W6 outside
    // 23:30 UTC on 31 March is 00:30 on 1 April in the UK: in the period (and in April's figures).
    workOrder(A, { code: 'routine', raised: '2026-03-20T10:00Z', due: '2026-04-17T17:00Z', completed: '2026-03-31T23:30Z', ftf: true }), // W7 non-emergency, on time, 12 days
    workOrder(A, { code: 'routine', raised: '2026-04-20T10:00Z', due: '2026-05-20T17:00Z', completed: null, workStatus: 'cancelled' }), // W8 never completed
    workOrder(A, { code: 'routine', raised: '2026-04-21T10:00Z', due: '2026-05-21T17:00Z', completed: null, workStatus: 'in-progress' }), // W9 not yet completed
    // Imported history: "emergency" or "immediate" in the priority's words is an emergency.
    imported(A, { priority: 'Emergency - 24hr', reported: '2026-04-02', target: '2026-04-03', completed: '2026-04-03' }), // I1 emergency, on time, 1 day
    imported(A, { priority: 'IMMEDIATE', reported: '2026-04-05', target: '2026-04-05', completed: '2026-04-07' }), // I2 emergency, late, 2 days
    imported(A, { priority: 'Routine', reported: '2026-04-01', target: '2026-04-29', completed: '2026-04-28' }), // I3 non-emergency, on time, 27 days
    imported(A, { priority: 'Urgent', reported: '2026-05-10', target: null, completed: '2026-05-12' }), // I4 non-emergency, no target, 2 days
    imported(A, { priority: 'Emergency', reported: null, target: null, completed: '2026-06-01' }), // I5 emergency, no target, no reported date
    imported(A, { priority: 'Routine', reported: '2026-03-01', target: '2026-03-29', completed: '2026-03-31' }), // I6 before the period: March's figures only
    imported(A, { priority: 'Routine', reported: '2026-04-01', target: '2026-04-29', completed: '2026-04-15', status: 'Cancelled' }), // I7 cancelled
  ];
  await h.store.withOrg(A, (tx) => tx.insert(repairs).values(rows));
  // Another landlord's repairs, in the same months: never counted for the first.
  await h.store.withOrg(b.id, (tx) => tx.insert(repairs).values([
    workOrder(b.id, { code: 'emergency', raised: '2026-04-10T09:00Z', due: '2026-04-11T09:00Z', completed: '2026-04-12T15:00Z', ftf: false }),
    imported(b.id, { priority: 'Routine', reported: '2026-04-01', target: '2026-04-02', completed: '2026-04-20' }),
  ]));
});

const PERIOD = '/api/v1/insight/repairs?from=2026-04-01&to=2026-06-30';
const measure = (withinTarget: number, late: number, noTarget: number, percent: number | null) => ({ withinTarget, late, withTarget: withinTarget + late, noTarget, percent });

test('RP02, end-to-end days and first-time fix for repairs completed in the period, worked out by hand', async () => {
  const r = await api(h, 'GET', PERIOD, a.as.analyst);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const m = r.body;
  assert.deepEqual({ from: m.from, to: m.to }, { from: '2026-04-01', to: '2026-06-30' });
  // In the period: W1 W2 W3 W4 W5 W7 (work orders) and I1 I2 I3 I4 I5 (history); not W6 (1 July in the UK), I6 (March), W8/I7 (cancelled), W9 (open).
  assert.deepEqual(m.completed, { total: 11, workOrders: 6, imported: 5 });
  // Emergency: on time W1 W5 I1, late W2 I2, no target I5 → 3 of 5 = 60%.
  assert.deepEqual(m.emergency, measure(3, 2, 1, 60));
  // Non-emergency: on time W3 W7 I3, late W4, no target I4 → 3 of 4 = 75%.
  assert.deepEqual(m.nonEmergency, measure(3, 1, 1, 75));
  // Days: W1 0, W2 0, W3 15, W4 9, W5 0, W7 12, I1 1, I2 2, I3 27, I4 2 → 68 / 10 = 6.8; sorted 0 0 0 1 2 | 2 9 12 15 27 → median 2. I5 has no reported date.
  assert.deepEqual(m.endToEnd, { repairs: 10, meanDays: 6.8, medianDays: 2, noReportedDate: 1 });
  // First-time fix among the six work orders: W1 W3 W4 W7 → 4 of 6 = 66.7%.
  assert.deepEqual(m.firstTimeFix, { workOrders: 6, firstTimeFix: 4, percent: 66.7 });
});

test('the monthly figures: the 12 months ending with the month of `to`, each month by its UK completion date', async () => {
  const m = (await api(h, 'GET', PERIOD, a.as.analyst)).body;
  assert.deepEqual(m.byMonth.map((x: { month: string }) => x.month), ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
  const month = (k: string) => m.byMonth.find((x: { month: string }) => x.month === k);
  // March: only I6 (late); W7 falls in April in the UK.
  assert.deepEqual(month('2026-03'), { month: '2026-03', emergency: measure(0, 0, 0, null), nonEmergency: measure(0, 1, 0, 0) });
  // April: emergency W1 I1 on time, I2 late → 66.7%; non-emergency W7 I3 on time → 100%.
  assert.deepEqual(month('2026-04'), { month: '2026-04', emergency: measure(2, 1, 0, 66.7), nonEmergency: measure(2, 0, 0, 100) });
  // May: emergency W2 late → 0%; non-emergency W3 on time, I4 no target → 100%.
  assert.deepEqual(month('2026-05'), { month: '2026-05', emergency: measure(0, 1, 0, 0), nonEmergency: measure(1, 0, 1, 100) });
  // June: emergency W5 on time, I5 no target → 100%; non-emergency W4 late → 0%.
  assert.deepEqual(month('2026-06'), { month: '2026-06', emergency: measure(1, 0, 1, 100), nonEmergency: measure(0, 1, 0, 0) });
  assert.deepEqual(month('2025-07'), { month: '2025-07', emergency: measure(0, 0, 0, null), nonEmergency: measure(0, 0, 0, null) });
});

test('a shorter period leaves out what was completed outside it; another landlord sees only its own', async () => {
  const april = (await api(h, 'GET', '/api/v1/insight/repairs?from=2026-04-01&to=2026-04-30', a.as.analyst)).body;
  assert.deepEqual(april.completed, { total: 5, workOrders: 2, imported: 3 }); // W1 W7, I1 I2 I3
  assert.deepEqual(april.emergency, measure(2, 1, 0, 66.7));
  // The month of `to` counts only up to `to`.
  assert.equal(april.byMonth.at(-1).month, '2026-04');
  const other = (await api(h, 'GET', PERIOD, b.as.analyst)).body;
  assert.deepEqual(other.completed, { total: 2, workOrders: 1, imported: 1 });
  assert.deepEqual(other.emergency, measure(0, 1, 0, 0));
  assert.deepEqual(other.nonEmergency, measure(0, 1, 0, 0));
  assert.deepEqual(other.firstTimeFix, { workOrders: 1, firstTimeFix: 0, percent: 0 });
});

test('a period that ends before it starts or is not a date is a 400; an operative may not see the measures', async () => {
  assert.equal((await api(h, 'GET', '/api/v1/insight/repairs?from=2026-06-01&to=2026-05-01', a.as.analyst)).status, 400);
  assert.equal((await api(h, 'GET', '/api/v1/insight/repairs?from=2026-02-30&to=2026-05-01', a.as.analyst)).status, 400);
  assert.equal((await api(h, 'GET', PERIOD, a.as.operative)).status, 403);
  assert.equal((await api(h, 'GET', PERIOD, {})).status, 401);
  // Without dates: the last 12 months, ending today.
  const d = (await api(h, 'GET', '/api/v1/insight/repairs', a.as.analyst)).body;
  assert.equal(d.byMonth.length, 12);
  assert.equal(d.from, `${d.byMonth[0].month}-01`);
});

test('the dashboard draws RP02 by month beside a table of the same figures, and the CSV has each month', async () => {
  const staff = await staffSession(h, a.id, 'compliance-lead', 'Test compliance lead', `compliance.${a.id.slice(-8)}@example.org`);
  const page = await staff.get('/insight');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h2[^>]*id="repairs"[^>]*>Repairs<\/h2>/);
  assert.match(page.body, /<svg class="hearth-chart"[^>]*role="img" aria-labelledby="chart-repairs-month-title chart-repairs-month-desc" font-family="Arial, Helvetica, sans-serif"/);
  const table = /<table class="govuk-table" id="table-repairs-month">([\s\S]*?)<\/table>/.exec(page.body)?.[1] ?? '';
  assert.equal([...table.matchAll(/<th scope="row"/g)].length, 12, 'a row a month');
  assert.match(page.body, /<table class="govuk-table" id="table-repairs-period">/);
  assert.match(page.body, /href="\/insight\/repairs.csv"/);

  const csv = await staff.get('/insight/repairs.csv?from=2026-04-01&to=2026-06-30');
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  assert.equal(lines.length, 13, 'header and 12 months');
  assert.match(lines[0]!, /^month,emergency completed with a target,emergency within target,/);
  // month, emergency: with a target, within, late, %, no target; non-emergency: the same.
  assert.equal(lines.find((l) => l.startsWith('2026-04,')), '2026-04,3,2,1,66.7,0,2,2,0,100,0');
  assert.equal(lines.find((l) => l.startsWith('2026-05,')), '2026-05,1,0,1,0,0,1,1,0,100,1');
  assert.equal(lines.find((l) => l.startsWith('2025-07,')), '2025-07,0,0,0,,0,0,0,0,,0');
});
