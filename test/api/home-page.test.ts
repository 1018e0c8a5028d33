// Each role's home page (issue 13): "Your work" with the sections the installed modules declare for the role, and no
// other role's; the officer's patch limits the sections about homes ("only my patch", or everywhere); roles with no
// sections get the places to start; the repairs planner gets the repairs lists, the operative today's jobs, the ASB officer the ASB lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { MODULES } from '../../src/modules/index.ts';
import { defineModule, installedModules } from '../../src/platform/modules.ts';
import { ROLES, type Role } from '../../src/platform/auth/roles.ts';
import { createPatch } from '../../src/modules/patches/service.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';

// A module of the test's own with a section about homes: it says which homes it was asked about.
const probe = defineModule({
  name: 'home-page-probe',
  worklists: [{
    id: 'probe-homes', title: 'Homes the probe was asked about', roles: ['housing-officer'], position: 1, href: '/search', empty: 'Nothing to probe',
    byPatch: true,
    items: async (ctx, { limit, scope }) => {
      await ctx.tx.execute(sql`select 1`); // the database is still usable after the failing section
      const text = scope.homeIds === null ? 'Asked about every home' : `Asked about ${scope.homeIds.length} homes`;
      return { total: scope.homeIds === null ? 999 : scope.homeIds.length, items: [{ href: '/search', text }].slice(0, limit) };
    },
  }, {
    id: 'probe-failing', title: 'A list that fails', roles: ['housing-officer'], position: 0, href: '/search', empty: 'None',
    // A statement that fails: on PostgreSQL it would abort the page's transaction, were the section not in a savepoint.
    items: async (ctx) => { await ctx.tx.execute(sql`select 1 / 0`); return { total: 0, items: [] }; },
  }],
});

let h: Harness;
let a: Landlord;
const password = 'a long test password 1';
const cookies = {} as Record<Role, string>;
let officerId = '';
const log: string[] = [];

async function signIn(role: Role, who: string = role) {
  const email = `${who}.${a.id.slice(-8)}@example.org`;
  const u = await h.auth.addUser({ organisationId: a.id, email, name: `Test ${who}`, role, password }) as { id: string };
  return { id: u.id, cookie: `hearth_session=${(await h.auth.signIn(email, password))!.token}` };
}
const home = async (cookie: string, url = '/') => {
  const res = await h.app.inject({ method: 'GET', url, headers: { cookie } });
  assert.equal(res.statusCode, 200, res.body);
  return res.body;
};
const headings = (body: string) => [...body.matchAll(/<h3 class="govuk-heading-m[^"]*" id="[^"]+-heading">([^<]+)/g)].map((m) => m[1]!.trim());

before(async () => {
  h = await harness({}, { modules: [...MODULES, probe], logStream: new Writable({ write(chunk, _enc, done) { log.push(String(chunk)); done(); } }) });
  a = await landlord(h);
  for (const role of ROLES) {
    const s = await signIn(role);
    cookies[role] = s.cookie;
    if (role === 'housing-officer') officerId = s.id;
  }
});
after(() => h.close());

test('each role sees the sections declared for it, in position order, and not another role’s', async () => {
  const all = installedModules().flatMap((m) => m.worklists ?? []);
  for (const role of ROLES) {
    const body = await home(cookies[role]);
    const shown = headings(body);
    const mine = all.filter((s) => s.roles.includes(role)).sort((x, y) => x.position - y.position || x.id.localeCompare(y.id));
    assert.deepEqual(shown, mine.map((s) => s.title), role);
    for (const s of all.filter((x) => !x.roles.includes(role))) assert.ok(!shown.includes(s.title), `${role} sees ${s.title}`);
    if (role === 'operative') assert.doesNotMatch(body, /action="\/search"/, 'an operative cannot search records: no search box');
    else assert.match(body, /<form method="get" action="\/search" role="search"/, `${role}: a search box`);
    assert.match(body, /<a class="govuk-service-navigation__link" href="\/" aria-current="true">\s*<strong[^>]*>Home<\/strong>/, `${role}: Home in the navigation, current`);
  }
});

test('the data lead and administrator see the checks that got worse; the housing officer does not', async () => {
  for (const role of ['data-lead', 'administrator'] as const) assert.ok(headings(await home(cookies[role])).includes('Data quality checks that got worse'), role);
  assert.ok(!headings(await home(cookies['housing-officer'])).includes('Data quality checks that got worse'));
});

test('the repairs planner gets the repairs lists (empty, saying so); the ASB officer the ASB lists', async () => {
  const repairs = await home(cookies['repairs-planner']);
  assert.deepEqual(headings(repairs).filter((t) => /^Repairs/.test(t)), ['Repairs past their target', 'Repairs due soon', 'Repairs to schedule']);
  assert.match(repairs, /Every open repair has a visit booked/);
  assert.doesNotMatch(repairs, /Coming soon/);
  assert.ok(!headings(repairs).some((t) => /ASB/.test(t)), 'no ASB list for the repairs planner');
  const operative = await home(cookies.operative);
  assert.ok(headings(operative).includes('Your jobs today'));
  assert.match(operative, /No jobs are planned for you today/);
  assert.match(operative, /href="\/my-jobs"/, 'My jobs in the navigation');
  const asb = await home(cookies['asb-officer']);
  assert.deepEqual(headings(asb).filter((t) => /ASB/.test(t)), ['ASB actions overdue', 'ASB actions due soon', 'New ASB reports to acknowledge']);
  assert.ok(!headings(asb).includes('Repairs to schedule'));
});

test('signed out, the home page sends the visitor to sign in', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/' });
  assert.equal(res.statusCode, 302);
  assert.match(String(res.headers.location), /^\/sign-in\?next=%2F/);
});

test('a role with no sections gets the places to start', async () => {
  const body = await home(cookies.analyst);
  assert.doesNotMatch(body, /Your work/);
  assert.match(body, /Where to start/);
  for (const href of ['/insight', '/search', '/overview']) assert.match(body, new RegExp(`<a class="govuk-link" href="${href}">`));
});

test('the officer’s patch: said which it is, sections about homes limited to it unless asked for everywhere', async () => {
  // Without a patch: no patch line, no toggle, every home.
  let body = await home(cookies['housing-officer']);
  assert.doesNotMatch(body, /Your patch:/);
  assert.doesNotMatch(body, /Only my patch/);
  assert.match(body, /Asked about every home/);

  const estate = (await api(h, 'POST', '/api/v1/estates', a.as.administrator, { name: 'Woodberry Down' })).body.id as string;
  const other = (await api(h, 'POST', '/api/v1/estates', a.as.administrator, { name: 'Elsewhere' })).body.id as string;
  for (let i = 0; i < 3; i++) await api(h, 'POST', '/api/v1/homes', a.as.administrator, sample.home({ estateId: estate }));
  await api(h, 'POST', '/api/v1/homes', a.as.administrator, sample.home({ estateId: other }));
  await h.store.withOrg(a.id, (tx) => createPatch({ actor: systemActor(a.id), tx }, { name: 'Woodberry Down estate', officerUserId: officerId, estateIds: [estate] }));

  body = await home(cookies['housing-officer']);
  assert.match(body, /Your patch: <strong>Woodberry Down estate<\/strong> \(3 homes\)/);
  assert.match(body, /Asked about 3 homes/);
  assert.match(body, /value="mine" checked/);
  assert.match(body, /On your patch/);
  body = await home(cookies['housing-officer'], '/?patch=all');
  assert.match(body, /Asked about every home/);
  assert.match(body, /value="all" checked/);
  assert.match(body, /See all 999/);
  // Another officer of the organisation has no patch: everything.
  assert.match(await home((await signIn('housing-officer', 'second-officer')).cookie), /Asked about every home/);
});

test('a section that fails is said to, and the rest of the page still shows', async () => {
  const body = await home(cookies['housing-officer']);
  assert.match(body, /A list that fails<\/h3>[\s\S]*?This list could not be shown just now/);
  // The sections after it still read the database.
  assert.match(body, /Homes the probe was asked about/);
  assert.match(body, /Data quality checks that got worse|Your work/);
  assert.ok(log.some((l) => /"section":"probe-failing"/.test(l) && /division by zero/.test(l)), 'the error is in the log');
});
