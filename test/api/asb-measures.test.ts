// ASB measures (TSM NM01, cases by month, open cases by category and risk, overdue actions, case reviews) against the
// real database: cases opened through the cases' service and API, figures worked out by hand below; the reporting
// year's edges in UK time; another landlord's cases left out; the API's schema and permission, the CSV and the
// dashboard's section.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Value from 'typebox/value';
import { and, eq } from 'drizzle-orm';
import { ukDate } from '../../src/platform/uk-time.ts';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { staffSession } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import { DEFAULT_ASB_SETTINGS } from '../../src/modules/asb/rules/default-settings.ts';
import { assessCaseRisk, openCase, type OpenCaseInput } from '../../src/modules/asb/service.ts';
import { closeCase } from '../../src/modules/asb/close.ts';
import { asbMeasures } from '../../src/modules/asb/measures.ts';
import { asbActions, asbCaseReviews } from '../../src/modules/asb/schema.ts';
import { AsbMeasuresSchema } from '../../src/modules/insight/asb-dashboard.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
before(async () => { h = await harness(); a = await landlord(h); b = await landlord(h); });
after(() => h.close());

const DAY = 86_400_000;
const actor = (who: Landlord, role: Role): Actor => ({ kind: 'user', id: randomUUID(), name: `Test ${role}`, organisationId: who.id, role });
const as = <T>(who: Landlord, role: Role, work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(who.id, (tx) => work({ actor: actor(who, role), tx }));

async function homes(who: Landlord, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) {
    const r = await api(h, 'POST', '/api/v1/homes', who.as.administrator, sample.home({ subBuilding: `Flat ${i}` }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  return ids;
}

/** A case at a home, reported by a complainant not (yet) matched to one of the landlord's people, opened at `at`. */
const caseInput = (homeId: string, at: Date, extra: Partial<OpenCaseInput> = {}): OpenCaseInput => ({
  summary: 'Loud music late at night', categories: ['noise'], parties: [{ role: 'complainant', kind: 'unknown', name: 'A neighbour' }],
  places: [{ homeId }], incident: { occurredOn: ukDate(new Date(at.getTime() - DAY)), description: 'Music until 3am', reportedByPartyIndex: 0 }, ...extra,
});
const openAt = (who: Landlord, homeId: string, at: Date, extra: Partial<OpenCaseInput> = {}) =>
  as(who, 'asb-officer', (ctx) => openCase(ctx, caseInput(homeId, at, extra), at));

const measuresOf = async (who: Landlord, query = '') => {
  const r = await api(h, 'GET', `/api/v1/insight/asb${query}`, who.as.analyst);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};

test('NM01 counts each case once when it is opened: an incident added to an open case is not a new case; hate cases are counted apart too', async () => {
  const [home] = await homes(a, 3);
  const today = ukDate(new Date());
  const year = Number(today.slice(0, 4)) - (today.slice(5, 7) < '04' ? 1 : 0);
  const before = await measuresOf(a);
  assert.ok(Value.Check(AsbMeasuresSchema, before), JSON.stringify([...Value.Errors(AsbMeasuresSchema, before)].slice(0, 3)));
  assert.deepEqual(before.nm01, { from: `${year}-04-01`, to: `${year + 1}-03-31`, homes: 3, cases: 0, hateCases: 0, casesPer1000: 0, hateCasesPer1000: 0 });
  assert.equal(before.year, year);
  assert.equal(before.byMonth.length, 12);
  assert.equal(before.byMonth.at(-1)!.month, today.slice(0, 7), 'the 12 months end this month');

  const body = { ...caseInput(home!, new Date()), incident: { occurredOn: today, description: 'Music until 3am', reportedByPartyIndex: 0 } };
  const opened = await api(h, 'POST', '/api/v1/asb-cases', a.as['asb-officer'], body);
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const one = await measuresOf(a);
  // 1 case in 3 homes: 333.33 per 1,000.
  assert.deepEqual(one.nm01, { ...before.nm01, cases: 1, casesPer1000: 333.33 });
  assert.deepEqual(one.byMonth.at(-1), { month: today.slice(0, 7), cases: 1, hateCases: 0 });

  // Another report while the case is open is an incident of it, not a new case.
  const incident = await api(h, 'POST', `/api/v1/asb-cases/${opened.body.id}/incidents`, a.as['asb-officer'], { occurredOn: today, description: 'Music again' });
  assert.equal(incident.status, 201, JSON.stringify(incident.body));
  const still = await measuresOf(a);
  assert.deepEqual(still.nm01, one.nm01);
  assert.deepEqual(still.byMonth, one.byMonth);

  const hate = await api(h, 'POST', '/api/v1/asb-cases', a.as['asb-officer'], { ...body, categories: ['hate-incident'], protectedCharacteristics: ['race'] });
  assert.equal(hate.status, 201, JSON.stringify(hate.body));
  const two = await measuresOf(a);
  // 2 cases in 3 homes: 666.67 (666.666… rounded); the hate case is 1 of them, 333.33.
  assert.deepEqual(two.nm01, { ...before.nm01, cases: 2, hateCases: 1, casesPer1000: 666.67, hateCasesPer1000: 333.33 });
  assert.deepEqual(two.byMonth.at(-1), { month: today.slice(0, 7), cases: 2, hateCases: 1 });
  assert.equal(two.byMonth.slice(0, -1).reduce((n: number, m: { cases: number }) => n + m.cases, 0), 0, 'no other month has them');
});

test('the reporting year runs from 1 April to 31 March in UK time; its months, the chart’s 12, and years that have ended', async () => {
  const c = await landlord(h);
  const hs = await homes(c, 8);
  // 31 March 2025 22:30 UTC is 23:30 in the UK (BST): reporting year 2024. 23:30 UTC is 00:30 on 1 April: 2025.
  await openAt(c, hs[0]!, new Date('2025-03-31T22:30:00Z'));
  await openAt(c, hs[1]!, new Date('2025-03-31T23:30:00Z'), { categories: ['hate-incident'], protectedCharacteristics: ['disability'] });
  await openAt(c, hs[2]!, new Date('2025-11-15T12:00:00Z'));
  // 31 March 2026 22:59 UTC is 23:59 in the UK: still 2025. 23:00 UTC is midnight, 1 April 2026: reporting year 2026.
  await openAt(c, hs[3]!, new Date('2026-03-31T22:59:00Z'));
  await openAt(c, hs[4]!, new Date('2026-03-31T23:00:00Z'));
  const now = new Date('2026-05-15T12:00:00Z');
  const of = (year?: number) => as(c, 'analyst', (ctx) => asbMeasures(ctx, { year, now }));
  const months = (m: { byMonth: { month: string; cases: number; hateCases: number }[] }) => Object.fromEntries(m.byMonth.filter((x) => x.cases).map((x) => [x.month, [x.cases, x.hateCases]]));

  const y2025 = await of(2025);
  // 3 cases in 8 homes: 375 per 1,000; the hate case 125.
  assert.deepEqual(y2025.nm01, { from: '2025-04-01', to: '2026-03-31', homes: 8, cases: 3, hateCases: 1, casesPer1000: 375, hateCasesPer1000: 125 });
  // A year that has ended: its own 12 months.
  assert.deepEqual(y2025.byMonth.map((x) => x.month), ['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
  assert.deepEqual(months(y2025), { '2025-04': [1, 1], '2025-11': [1, 0], '2026-03': [1, 0] });

  const y2024 = await of(2024);
  assert.deepEqual([y2024.nm01.cases, y2024.nm01.hateCases, y2024.nm01.casesPer1000], [1, 0, 125]);
  assert.deepEqual(months(y2024), { '2025-03': [1, 0] });

  // By default the year containing `now` (15 May 2026: 2026), and the 12 months ending with May 2026.
  const current = await of();
  assert.equal(current.year, 2026);
  assert.deepEqual([current.nm01.cases, current.nm01.from], [1, '2026-04-01']);
  assert.deepEqual([current.byMonth[0]!.month, current.byMonth.at(-1)!.month], ['2025-06', '2026-05']);
  assert.deepEqual(months(current), { '2025-11': [1, 0], '2026-03': [1, 0], '2026-04': [1, 0] });

  // A year not yet begun is refused, naming the field.
  await assert.rejects(of(2027), (e: { status: number; errors: { field: string }[] }) => e.status === 400 && e.errors[0]!.field === '/year');
});

test('open cases by category and risk: the latest assessment, cases of two categories in each row, closed cases left out, the landlord’s labels', async () => {
  const d = await landlord(h);
  const [home] = await homes(d, 1);
  const at = new Date();
  const noiseHigh = await openAt(d, home!, at);
  await as(d, 'asb-officer', (ctx) => assessCaseRisk(ctx, noiseHigh.case.id, { 'hurt-or-threatened': true, 'most-days': true }, null, at));
  await openAt(d, home!, at, { categories: ['noise', 'threats'] });
  const vehiclesStandard = await openAt(d, home!, at, { categories: ['vehicles'] });
  await as(d, 'asb-officer', (ctx) => assessCaseRisk(ctx, vehiclesStandard.case.id, { 'no-support': true }, null, at));
  const closed = await openAt(d, home!, at, { categories: ['vehicles'] });
  await as(d, 'asb-officer', (ctx) => closeCase(ctx, closed.case.id, { reason: 'resolved' }, at));

  const m = await measuresOf(d);
  const row = (code: string) => m.open.byCategory.find((x: { code: string }) => x.code === code);
  const counts = (standard: number, medium: number, high: number, notAssessed: number) => ({ standard, medium, high, notAssessed, total: standard + medium + high + notAssessed });
  assert.deepEqual(m.open.all, counts(1, 0, 1, 1), 'three open cases, each once');
  assert.deepEqual(row('noise'), { code: 'noise', label: 'Noise', ...counts(0, 0, 1, 1) });
  assert.deepEqual(row('threats'), { code: 'threats', label: 'Threats of violence', ...counts(0, 0, 0, 1) });
  assert.deepEqual(row('vehicles'), { code: 'vehicles', label: 'Vehicles', ...counts(1, 0, 0, 0) });
  // Every category of the settings, in their order, those with none included.
  assert.deepEqual(m.open.byCategory.map((x: { code: string }) => x.code), DEFAULT_ASB_SETTINGS.categories.map((x) => x.code));
  assert.deepEqual(row('drugs'), { code: 'drugs', label: 'Drug dealing or drug use', ...counts(0, 0, 0, 0) });
  // NM01 counts the closed case too: it was opened this year.
  assert.equal(m.nm01.cases, 4);

  // The landlord's own words for a category, from its current settings.
  const settings = structuredClone(DEFAULT_ASB_SETTINGS);
  settings.categories.find((x) => x.code === 'noise')!.label = 'Noise nuisance';
  const saved = await h.app.inject({ method: 'PUT', url: '/api/v1/asb-settings', headers: d.as.administrator, payload: settings as unknown as object });
  assert.equal(saved.statusCode, 200, saved.body);
  assert.equal((await measuresOf(d)).open.byCategory.find((x: { code: string }) => x.code === 'noise').label, 'Noise nuisance');
});

test('overdue actions: open cases’ actions not done and due before now, by kind; done actions and closed cases’ are not', async () => {
  const e = await landlord(h);
  const [home] = await homes(e, 1);
  const longAgo = new Date(Date.now() - 90 * DAY);
  const late = await openAt(e, home!, longAgo);
  const lateButClosed = await openAt(e, home!, longAgo);
  await as(e, 'asb-officer', (ctx) => closeCase(ctx, lateButClosed.case.id, { reason: 'no-further-action' }));
  await openAt(e, home!, new Date()); // its plan is due in the days to come
  const plan = DEFAULT_ASB_SETTINGS.actions;
  assert.equal(late.actions.length, plan.length);

  const m = await measuresOf(e);
  assert.deepEqual({ actions: m.overdueActions.actions, cases: m.overdueActions.cases }, { actions: plan.length, cases: 1 });
  const byKind = (x: { byKind: { kind: string }[] }) => [...x.byKind].sort((p, q) => p.kind.localeCompare(q.kind));
  assert.deepEqual(byKind(m.overdueActions), plan.map((x) => ({ kind: x.code, label: x.label, actions: 1, cases: 1 })).sort((p, q) => p.kind.localeCompare(q.kind)));

  // The review done (late, but done): no longer overdue.
  const review = late.actions.find((x) => x.kind === 'review')!;
  await h.store.withOrg(e.id, (tx) => tx.update(asbActions).set({ doneAt: new Date(), doneBy: 'Test' }).where(and(eq(asbActions.organisationId, e.id), eq(asbActions.id, review.id))));
  const after = await measuresOf(e);
  assert.equal(after.overdueActions.actions, plan.length - 1);
  assert.equal(after.overdueActions.byKind.some((x: { kind: string }) => x.kind === 'review'), false);
  assert.equal(after.open.all.total, 2);
});

test('case reviews triggered in the year, and those with an outcome recorded', async () => {
  const f = await landlord(h);
  const [home] = await homes(f, 2);
  const today = ukDate(new Date());
  const opened = await api(h, 'POST', '/api/v1/asb-cases', f.as['asb-officer'], { ...caseInput(home!, new Date()), incident: { occurredOn: today, description: 'Music', reportedByPartyIndex: 0 } });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const complainant = opened.body.parties[0].id;
  assert.deepEqual((await measuresOf(f)).caseReviews, { triggered: 0, outcomeRecorded: 0 });
  for (const n of [1, 2]) {
    const r = await api(h, 'POST', `/api/v1/asb-cases/${opened.body.id}/incidents`, f.as['asb-officer'], { occurredOn: today, description: `Music again (${n})`, reportedByPartyId: complainant });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.caseReview.newlyFlagged, n === 2, 'the third report meets the threshold');
  }
  const m = await measuresOf(f);
  assert.deepEqual(m.caseReviews, { triggered: 1, outcomeRecorded: 0 });
  assert.equal(m.nm01.cases, 1, 'three reports, one case');
  await h.store.withOrg(f.id, (tx) => tx.update(asbCaseReviews).set({ reviewOn: today, outcome: 'Action plan agreed with the police' }).where(eq(asbCaseReviews.organisationId, f.id)));
  assert.deepEqual((await measuresOf(f)).caseReviews, { triggered: 1, outcomeRecorded: 1 });
});

test('another landlord’s cases never count; with no homes the rates are none, not a division by zero', async () => {
  const aBefore = await measuresOf(a);
  const opened = await api(h, 'POST', '/api/v1/asb-cases', b.as['asb-officer'], {
    summary: 'Shouting in the car park', categories: ['verbal-abuse'], parties: [{ role: 'complainant', kind: 'unknown', name: 'A resident' }], places: [],
    incident: { occurredOn: ukDate(new Date()), description: 'Shouting', reportedByPartyIndex: 0 },
  });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const other = await measuresOf(b);
  assert.deepEqual({ ...other.nm01, from: undefined, to: undefined }, { from: undefined, to: undefined, homes: 0, cases: 1, hateCases: 0, casesPer1000: null, hateCasesPer1000: null });
  assert.equal(other.open.all.total, 1);
  assert.equal(other.overdueActions.actions, 0);
  const aAfter = await measuresOf(a);
  assert.deepEqual({ ...aAfter, asOf: null }, { ...aBefore, asOf: null });
});

test('who may see the measures: every role that reads records, not an operative; a year that is not one is a 400 naming it', async () => {
  for (const role of ['analyst', 'housing-officer', 'compliance-lead', 'asb-officer', 'administrator'] as const) {
    assert.equal((await api(h, 'GET', '/api/v1/insight/asb', a.as[role])).status, 200, role);
  }
  assert.equal((await api(h, 'GET', '/api/v1/insight/asb', a.as.operative)).status, 403);
  assert.equal((await api(h, 'GET', '/api/v1/insight/asb', {})).status, 401);
  for (const year of ['1999', 'last']) {
    const r = await api(h, 'GET', `/api/v1/insight/asb?year=${year}`, a.as.analyst);
    assert.equal(r.status, 400, year);
    assert.equal(r.body.errors[0].field, 'querystring:/year', year);
  }
  const next = (await measuresOf(a)).year + 1;
  const future = await api(h, 'GET', `/api/v1/insight/asb?year=${next}`, a.as.analyst);
  assert.equal(future.status, 400);
  assert.equal(future.body.errors[0].field, '/year');
  const past = await measuresOf(a, '?year=2024');
  assert.deepEqual([past.year, past.nm01.from, past.byMonth.at(-1).month], [2024, '2024-04-01', '2025-03']);
});

test('the dashboard shows the ASB section: a chart of cases by month beside a table of the same figures, open cases by category and risk; the CSV has each month', async () => {
  const m = await measuresOf(a);
  const staff = await staffSession(h, a.id, 'analyst', 'Test analyst', `analyst.${a.id.slice(-8)}@example.org`);
  const page = await staff.get('/insight');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h2[^>]*id="asb"[^>]*>Anti-social behaviour<\/h2>/);
  assert.match(page.body, /<svg class="hearth-chart"[^>]*role="img" aria-labelledby="chart-asb-month-title chart-asb-month-desc" font-family="Arial, Helvetica, sans-serif"/);
  assert.match(page.body, /<desc id="chart-asb-month-desc">2 ASB cases were opened from [^<]*, 1 of them hate-incident cases/);
  const months = /<table class="govuk-table" id="table-asb-month">([\s\S]*?)<\/table>/.exec(page.body)?.[1] ?? '';
  assert.equal([...months.matchAll(/<th scope="row"/g)].length, 12, 'a row a month');
  const open = /<table class="govuk-table" id="table-asb-open">([\s\S]*?)<\/table>/.exec(page.body)?.[1] ?? '';
  // Noise: high, medium, standard, not assessed, open cases — the first case, not assessed.
  assert.match(open, /<th scope="row" class="govuk-table__header">Noise<\/th>\s*(<td[^>]*>0<\/td>\s*){3}<td[^>]*>1<\/td>\s*<td[^>]*>1<\/td>/);
  assert.match(open, /<th scope="row" class="govuk-table__header">Hate incident<\/th>\s*(<td[^>]*>0<\/td>\s*){3}<td[^>]*>1<\/td>\s*<td[^>]*>1<\/td>/);
  assert.match(page.body, /<table class="govuk-table" id="table-asb-overdue">/);
  assert.match(page.body, /<table class="govuk-table" id="table-asb-case-reviews">/);
  assert.match(page.body, /href="\/insight\/asb.csv"/);
  assert.equal(/A neighbour|Music until 3am/.test(page.body), false, 'counts only: no party, no incident');

  const csv = await staff.get('/insight/asb.csv');
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  assert.equal(lines.length, 13, 'header and 12 months');
  assert.equal(lines[0], 'month,ASB cases opened,hate-incident cases opened');
  assert.deepEqual(lines.slice(1), m.byMonth.map((x: { month: string; cases: number; hateCases: number }) => `${x.month},${x.cases},${x.hateCases}`));
  assert.equal(lines.at(-1), `${ukDate(new Date()).slice(0, 7)},2,1`);
  const y2024 = await staff.get('/insight/asb.csv?year=2024');
  assert.equal(y2024.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n').at(-1), '2025-03,0,0');
  // An operative (no insight) gets the forbidden page, not the figures.
  const operative = await staffSession(h, a.id, 'operative', 'Test operative', `operative.${a.id.slice(-8)}@example.org`);
  assert.equal((await operative.get('/insight/asb.csv')).statusCode, 403);
});
