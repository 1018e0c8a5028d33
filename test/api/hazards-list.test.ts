// Every hazard report as one list (issue 13, defect 2) against the real database: the dashboard's open figure and the
// list its link opens agree, each filter of /hazards works, another landlord's reports never appear, a report is found
// by its reference, the hazards and insight worklists count what their lists show, and "my patch" limits them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { v7 as uuidv7 } from 'uuid';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { installedModules, type WorklistSection } from '../../src/platform/modules.ts';
import { hazardSummary, recordEvent, reportHazard } from '../../src/modules/hazards/service.ts';
import { countHazardReports, searchHazardReports } from '../../src/modules/hazards/index.ts';
import { patches, patchEstates } from '../../src/modules/patches/schema.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);

/** Service calls as landlord `who`, in one transaction. */
const as = <T>(who: Landlord, work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(who.id, (tx) => work({ actor: systemActor(who.id, 'Test officer'), tx }));

async function post(who: Landlord, url: string, body: Record<string, unknown>): Promise<string> {
  const r = await api(h, 'POST', url, who.as.administrator, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

let userCount = 0;
async function signIn(who: Landlord, role: Role): Promise<{ cookie: string; userId: string }> {
  const email = `${role}.${++userCount}.${who.id.slice(-8)}@example.org`;
  const password = 'a long test password 1';
  const user = await h.auth.addUser({ organisationId: who.id, email, name: `Test ${role}`, role, password });
  return { cookie: `hearth_session=${(await h.auth.signIn(email, password))!.token}`, userId: user.id };
}
const get = (cookie: string, url: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });

const significant = (homeId: string, reportedAt: Date) => ({ homeId, hazard: 'damp-and-mould', severity: 'significant', reportedAt, description: 'Black mould in the bedroom' });
const emergency = (homeId: string, reportedAt: Date) => ({ homeId, hazard: 'electrical-hazards', severity: 'emergency', reportedAt, description: 'Exposed wires by the sink' });

// Landlord A: Moor Estate (homes 1 and 2), Park Estate (home 3), and home 4 on no estate.
let moor: string, park: string;
let home1: string, home2: string, home3: string, home4: string;
const r: Record<'overdueMoor' | 'overduePark' | 'dueSoon' | 'onTime' | 'stoppedOpen' | 'closed' | 'other', { id: string; reference: string }> = {} as never;

before(async () => {
  h = await harness();
  a = await landlord(h);
  b = await landlord(h);
  moor = await post(a, '/api/v1/estates', { name: 'Moor Estate' });
  park = await post(a, '/api/v1/estates', { name: 'Park Estate' });
  home1 = await post(a, '/api/v1/homes', sample.home({ subBuilding: 'Flat 1', estateId: moor }));
  home2 = await post(a, '/api/v1/homes', sample.home({ subBuilding: 'Flat 2', estateId: moor }));
  home3 = await post(a, '/api/v1/homes', sample.home({ subBuilding: 'Flat 3', buildingName: 'Park House', street: 'Park Lane', estateId: park }));
  home4 = await post(a, '/api/v1/homes', sample.home({ subBuilding: undefined, buildingName: undefined, buildingNumber: '4', street: 'Stray Road' }));
  const homeB = await post(b, '/api/v1/homes', sample.home());
  await as(a, async (ctx) => {
    const made = async (input: Parameters<typeof reportHazard>[1]) => {
      const row = await reportHazard(ctx, input);
      return { id: row.id, reference: row.reference };
    };
    r.overdueMoor = await made(significant(home1, ago(30 * DAY))); // 10 working days to investigate: long past
    r.overduePark = await made(significant(home3, ago(31 * DAY)));
    r.dueSoon = await made(emergency(home2, ago(HOUR))); // 24 hours: due soon
    r.onTime = await made(significant(home4, ago(HOUR))); // 10 working days to come
    r.stoppedOpen = await made(emergency(home1, ago(2 * DAY))); // both clocks met: nothing left running, not closed
    await recordEvent(ctx, r.stoppedOpen.id, { kind: 'investigated', occurredAt: ago(2 * DAY - HOUR), outcome: 'confirmed' });
    await recordEvent(ctx, r.stoppedOpen.id, { kind: 'made-safe', occurredAt: ago(2 * DAY - 2 * HOUR) });
    r.closed = await made(significant(home3, ago(60 * DAY)));
    await recordEvent(ctx, r.closed.id, { kind: 'closed', occurredAt: ago(50 * DAY) });
  });
  r.other = await as(b, async (ctx) => {
    const row = await reportHazard(ctx, significant(homeB, ago(30 * DAY)));
    return { id: row.id, reference: row.reference };
  });
});
after(() => h.close());

/** The report ids a /hazards page lists, in order. */
const listed = (body: string) => [...body.matchAll(/<td class="govuk-table__cell"><a class="govuk-link" href="\/hazards\/([0-9a-f-]{36})">/g)].map((m) => m[1]!);
const countLine = (body: string) => /<h2 class="govuk-heading-m" id="count">([^<]*)<\/h2>/.exec(body)?.[1]?.trim();

test('the dashboard’s open figure, its link and the list it opens agree: every open report, not only the overdue and due soon', async () => {
  const lead = await signIn(a, 'compliance-lead');
  const summary = await api(h, 'GET', '/api/v1/insight/summary', a.as.analyst);
  assert.equal(summary.status, 200);
  assert.equal(summary.body.hazards.open, 5, 'overdue 2, due soon 1, on time 1, clocks stopped but open 1');
  assert.equal(await as(a, (ctx) => countHazardReports(ctx, { status: 'open' })), 5);
  assert.equal((await as(a, (ctx) => hazardSummary(ctx))).open, 5);

  const dashboard = await get(lead.cookie, '/insight');
  assert.equal(dashboard.statusCode, 200);
  assert.match(dashboard.body, /<span class="hearth-stat__value">5<\/span>\s*<a class="govuk-link govuk-body" href="\/hazards\?status=open">Open hazard reports<\/a>/);
  assert.match(dashboard.body, /<span class="hearth-stat__value">2<\/span>\s*<a class="govuk-link govuk-body" href="\/hazards\?status=open&amp;clock=overdue">Hazards past a deadline<\/a>/);
  assert.match(dashboard.body, /Hazard reports not yet closed, whatever their deadlines/, 'the figure says what it counts');

  const list = await get(lead.cookie, '/hazards?status=open');
  assert.equal(list.statusCode, 200);
  assert.equal(countLine(list.body), '5 open hazard reports');
  assert.deepEqual(new Set(listed(list.body)), new Set([r.overdueMoor, r.overduePark, r.dueSoon, r.onTime, r.stoppedOpen].map((x) => x.id)));
  // Newest first; the row reads reference, hazard (plain words), home, date (GOV.UK style), status and deadlines as tags.
  assert.deepEqual(listed(list.body).slice(-2), [r.overdueMoor.id, r.overduePark.id]);
  assert.match(list.body, new RegExp(`>${r.overdueMoor.reference}</a></td>\\s*<td class="govuk-table__cell">Damp and mould growth</td>\\s*<td class="govuk-table__cell">Flat 1, Bronte House, Moor Road, Leeds, LS6 1AA</td>\\s*<td class="govuk-table__cell">\\d{1,2} [A-Z][a-z]+ \\d{4}</td>`));
  assert.match(list.body, /<strong class="govuk-tag govuk-tag--red">\s*Overdue\s*<\/strong>/);
  assert.match(list.body, /<div class="hearth-table-scroll" tabindex="0" role="region" aria-label="Hazard reports, newest first">/);
  assert.ok(!/<script(?![^>]*nonce)/.test(list.body));
  // /hazards alone is the same list: open is the default.
  assert.deepEqual(listed((await get(lead.cookie, '/hazards')).body), listed(list.body));
  // Overdue on the dashboard = the overdue list.
  const overdue = await get(lead.cookie, '/hazards?status=open&clock=overdue');
  assert.equal(countLine(overdue.body), '2 open hazard reports past an Awaab’s Law deadline');
});

test('each filter of the list: status, deadlines, estate and reference', async () => {
  const { cookie } = await signIn(a, 'analyst');
  const ids = async (url: string) => {
    const res = await get(cookie, url);
    assert.equal(res.statusCode, 200, url);
    return new Set(listed(res.body));
  };
  const set = (...xs: { id: string }[]) => new Set(xs.map((x) => x.id));
  assert.deepEqual(await ids('/hazards?status=closed'), set(r.closed));
  assert.deepEqual(await ids('/hazards?status=all'), set(r.overdueMoor, r.overduePark, r.dueSoon, r.onTime, r.stoppedOpen, r.closed));
  assert.deepEqual(await ids('/hazards?clock=overdue'), set(r.overdueMoor, r.overduePark));
  assert.deepEqual(await ids('/hazards?clock=due-soon'), set(r.dueSoon));
  assert.deepEqual(await ids('/hazards?clock=on-time'), set(r.onTime));
  assert.deepEqual(await ids('/hazards?clock=stopped'), set(r.stoppedOpen));
  assert.deepEqual(await ids('/hazards?status=all&clock=stopped'), set(r.stoppedOpen, r.closed));
  assert.deepEqual(await ids(`/hazards?estate=${park}`), set(r.overduePark));
  assert.deepEqual(await ids(`/hazards?status=all&estate=${park}`), set(r.overduePark, r.closed));
  assert.deepEqual(await ids(`/hazards?estate=${moor}&clock=overdue`), set(r.overdueMoor));
  // Reference: exact or its start, any case, across open and closed when asked.
  assert.deepEqual(await ids(`/hazards?status=all&q=${r.closed.reference.toLowerCase()}`), set(r.closed));
  assert.deepEqual(await ids(`/hazards?q=${r.closed.reference}`), set(), 'closed is not open');
  assert.equal((await ids(`/hazards?status=all&q=${r.closed.reference.slice(0, 7).toLowerCase()}`)).has(r.closed.id), true);
  assert.deepEqual(await ids('/hazards?status=all&q=nothing-like-it'), set());
  // The filter is a GOV.UK form sent with GET, its choices kept; the count says what it means.
  const page = await get(cookie, `/hazards?status=all&estate=${park}&clock=stopped`);
  assert.match(page.body, /<form method="get" action="\/hazards"/);
  assert.match(page.body, new RegExp(`<option value="${park}" selected>Park Estate</option>`));
  assert.match(page.body, /<option value="stopped" selected>Clocks stopped<\/option>/);
  assert.equal(countLine(page.body), '1 hazard report with no deadline still running (closed, or every step done or not needed), about homes on Park Estate');
  // Odd values are ignored, never an error page.
  assert.equal((await get(cookie, '/hazards?status=maybe&clock=x&estate=nope&page=-3&q=%27%3B')).statusCode, 200);
});

test('another landlord’s reports never appear, on the list, its counts or search', async () => {
  const { cookie } = await signIn(a, 'compliance-lead');
  const all = await get(cookie, '/hazards?status=all');
  assert.ok(!all.body.includes(r.other.id));
  const theirs = await signIn(b, 'compliance-lead');
  const other = await get(theirs.cookie, '/hazards?status=all');
  assert.deepEqual(listed(other.body), [r.other.id]);
  assert.equal(countLine(other.body), '1 hazard report');
  // Their reference (HZ-…-000001) is the same text as one of A's: each sees only their own.
  const found = await as(a, (ctx) => searchHazardReports(ctx, r.other.reference, 10));
  assert.ok(!found.some((x) => x.id === r.other.id));
  assert.ok(!(await get(cookie, `/hazards?status=all&estate=${park}`)).body.includes(r.other.id));
  assert.equal(await as(b, (ctx) => countHazardReports(ctx, { status: 'all', estateId: park })), 0, 'A’s estate holds none of B’s reports');
});

test('searchHazardReports: by reference, exact or its start, any case; plain hazard name; open or closed', async () => {
  const exact = await as(a, (ctx) => searchHazardReports(ctx, r.closed.reference.toLowerCase(), 10));
  assert.equal(exact.length, 1);
  const [hit] = exact;
  assert.deepEqual({ ...hit, reportedAt: undefined }, { id: r.closed.id, reference: r.closed.reference, hazard: 'Damp and mould growth', status: 'closed', reportedAt: undefined, homeId: home3 });
  assert.ok(hit!.reportedAt instanceof Date);
  const open = await as(a, (ctx) => searchHazardReports(ctx, ` ${r.dueSoon.reference} `, 10));
  assert.deepEqual(open.map((x) => [x.id, x.status, x.hazard]), [[r.dueSoon.id, 'open', 'Electrical hazards']]);
  const prefix = await as(a, (ctx) => searchHazardReports(ctx, 'hz-', 100));
  assert.equal(prefix.length, 6);
  assert.deepEqual((await as(a, (ctx) => searchHazardReports(ctx, 'hz-', 2))).length, 2, 'the limit holds');
  assert.deepEqual(await as(a, (ctx) => searchHazardReports(ctx, 'mould', 10)), [], 'a reference, not the words');
  assert.deepEqual(await as(a, (ctx) => searchHazardReports(ctx, '%', 10)), [], 'no wildcard');
  assert.deepEqual(await as(a, (ctx) => searchHazardReports(ctx, '', 10)), []);
});

const section = (id: string) => {
  const s = installedModules().flatMap((m) => m.worklists ?? []).find((w) => w.id === id);
  assert.ok(s, `the worklist section ${id} is installed`);
  return s as WorklistSection;
};

test('worklists: past a deadline and due soon, for the compliance lead, each total what its list shows; the patch limits them', async () => {
  const overdue = section('hazards-overdue');
  const dueSoon = section('hazards-due-soon');
  assert.equal(overdue.title, 'Hazard reports past a deadline');
  assert.ok(overdue.roles.includes('compliance-lead') && dueSoon.roles.includes('compliance-lead'));
  assert.equal(overdue.byPatch, true);
  assert.equal(overdue.href, '/hazards?status=open&clock=overdue');
  assert.equal(dueSoon.href, '/hazards?status=open&clock=due-soon');

  const everywhere = await as(a, (ctx) => overdue.items(ctx, { limit: 1, scope: { homeIds: null } }));
  assert.equal(everywhere.total, 2);
  assert.equal(everywhere.items.length, 1);
  // Most overdue first (the Park report is a day older), linking to the report, its deadline and tag beside it.
  assert.equal(everywhere.items[0]!.href, `/hazards/${r.overduePark.id}`);
  assert.match(everywhere.items[0]!.text, new RegExp(`^${r.overduePark.reference}: Damp and mould growth, Flat 3, Park House`));
  assert.match(everywhere.items[0]!.hint!, /^Investigate: was due by the end of [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}$/);
  assert.deepEqual(everywhere.items[0]!.tag, { text: 'Overdue', colour: 'red' });
  const lead = await signIn(a, 'compliance-lead');
  assert.equal(listed((await get(lead.cookie, overdue.href)).body).length, everywhere.total, 'the total is what the link lists');

  const soon = await as(a, (ctx) => dueSoon.items(ctx, { limit: 5, scope: { homeIds: null } }));
  assert.deepEqual([soon.total, soon.items.map((i) => i.href)], [1, [`/hazards/${r.dueSoon.id}`]]);
  assert.match(soon.items[0]!.hint!, /^Investigate: due by [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4} at /);

  // A patch of Moor Estate only: the Park report is not in it.
  const moorOnly = { homeIds: [home1, home2] };
  const inPatch = await as(a, (ctx) => overdue.items(ctx, { limit: 5, scope: moorOnly }));
  assert.deepEqual([inPatch.total, inPatch.items.map((i) => i.href)], [1, [`/hazards/${r.overdueMoor.id}`]]);
  assert.equal((await as(a, (ctx) => dueSoon.items(ctx, { limit: 5, scope: { homeIds: [home3] } }))).total, 0);
  assert.deepEqual(await as(a, (ctx) => overdue.items(ctx, { limit: 5, scope: { homeIds: [] } })), { total: 0, items: [] }, 'an empty patch has nothing');
  // Never another landlord's.
  assert.equal((await as(b, (ctx) => overdue.items(ctx, { limit: 5, scope: { homeIds: null } }))).total, 1);
  assert.equal((await as(b, (ctx) => overdue.items(ctx, { limit: 5, scope: moorOnly }))).total, 0);
});

test('“my patch” on the list: an officer with a patch sees only its homes when they tick it', async () => {
  const officer = await signIn(a, 'housing-officer');
  await h.store.withOrg(a.id, async (tx) => {
    const patchId = uuidv7();
    await tx.insert(patches).values({ organisationId: a.id, id: patchId, name: 'Moor patch', officerUserId: officer.userId });
    await tx.insert(patchEstates).values({ organisationId: a.id, patchId, estateId: moor });
  });
  const all = await get(officer.cookie, '/hazards');
  assert.match(all.body, /name="mine" type="checkbox" value="yes"/);
  assert.equal(listed(all.body).length, 5);
  const mine = await get(officer.cookie, '/hazards?mine=yes');
  assert.deepEqual(new Set(listed(mine.body)), new Set([r.overdueMoor.id, r.dueSoon.id, r.stoppedOpen.id]));
  assert.equal(countLine(mine.body), '3 open hazard reports in your patch');
  assert.match(mine.body, /name="mine" type="checkbox" value="yes" checked/);
  // Someone without a patch is told the box cannot narrow anything, and sees everything.
  const lead = await signIn(a, 'compliance-lead');
  const noPatch = await get(lead.cookie, '/hazards?mine=yes');
  assert.equal(listed(noPatch.body).length, 5);
  assert.match(noPatch.body, /You do not have a patch/);
  assert.ok(!noPatch.body.includes('name="mine"'));
});

test('blocks to measure: the compliance lead’s worklist counts what the dashboard counts, by the register’s rule', async () => {
  const c = await landlord(h);
  const tower = await post(c, '/api/v1/blocks', sample.block({ name: 'Moor Tower' }));
  const unmeasured = await post(c, '/api/v1/blocks', sample.block({ name: 'Unmeasured House', storeys: undefined, heightMetres: undefined, heightMethod: undefined, heightSource: undefined, residentialUnits: 6 }));
  await post(c, '/api/v1/blocks', sample.block({ name: 'Low House', storeys: 3, heightMetres: 9, residentialUnits: 6 }));
  const blocks = section('insight-blocks-to-measure');
  assert.deepEqual([blocks.title, blocks.roles, blocks.href], ['Blocks to measure', ['compliance-lead'], '/insight/higher-risk-buildings#data-needed']);
  const got = await as(c, (ctx) => blocks.items(ctx, { limit: 10, scope: { homeIds: null } }));
  assert.equal(got.total, 1);
  assert.deepEqual(got.items.map((i) => [i.href, i.text]), [[`/blocks/${unmeasured}`, 'Unmeasured House']]);
  assert.match(got.items[0]!.hint!, /^Neither height nor storeys is recorded: measure the building\.$/);
  assert.ok(!got.items.some((i) => i.href.endsWith(tower)));
  const summary = await api(h, 'GET', '/api/v1/insight/summary', c.as.analyst);
  assert.equal(summary.body.higherRiskBuildings.dataNeeded, got.total);
  assert.equal((await as(a, (ctx) => blocks.items(ctx, { limit: 10, scope: { homeIds: null } }))).total, 0, 'another landlord’s blocks are not counted');
});

test('the list pages 50 at a time, newest first, keeping the filter', async () => {
  const c = await landlord(h);
  const homeC = await post(c, '/api/v1/homes', sample.home());
  await as(c, async (ctx) => {
    for (let i = 0; i < 51; i++) await reportHazard(ctx, significant(homeC, ago((i + 1) * HOUR)));
  });
  const { cookie } = await signIn(c, 'compliance-lead');
  const first = await get(cookie, '/hazards?status=open');
  assert.equal(countLine(first.body), '51 open hazard reports');
  assert.equal(listed(first.body).length, 50);
  assert.match(first.body, /Showing 1 to 50 of 51\./);
  assert.match(first.body, /<nav class="govuk-pagination"/);
  assert.match(first.body, /href="\/hazards\?status=open&amp;page=2"/);
  const second = await get(cookie, '/hazards?status=open&page=2');
  assert.equal(listed(second.body).length, 1);
  const newest = (await as(c, (ctx) => searchHazardReports(ctx, 'HZ-', 100))).sort((x, y) => y.reportedAt.getTime() - x.reportedAt.getTime());
  assert.equal(listed(first.body)[0], newest[0]!.id);
  assert.equal(listed(second.body)[0], newest[50]!.id);
});

test('a role that cannot log a hazard is told who can', async () => {
  const { cookie } = await signIn(a, 'analyst');
  const res = await get(cookie, `/homes/${home1}/hazards/new`);
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /<h1 class="govuk-heading-l">You cannot log hazard reports<\/h1>/);
  assert.match(res.body, /Ask a housing officer or compliance lead to do it for you/);
  const { homeId: _home, ...body } = significant(home1, ago(HOUR));
  const viaApi = await api(h, 'POST', `/api/v1/homes/${home1}/hazard-reports`, a.as.analyst, body);
  assert.equal(viaApi.status, 403);
  assert.match(viaApi.body.detail, /Ask a housing officer or compliance lead/);
});
