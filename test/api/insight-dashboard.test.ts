// The insight dashboard against the real database: its figures come from the registers and the hazard clocks as
// records arrive, the page draws each chart with a table of the same figures, and another landlord's data never counts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { drained } from '../support/events.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
before(async () => { h = await harness(); a = await landlord(h); b = await landlord(h); });
after(() => h.close());

const thisMonth = () => new Date().toISOString().slice(0, 7);

test('the summary counts higher-risk blocks, homes with damp and mould by estate, and missed Awaab’s Law deadlines', async () => {
  const A = a.as.administrator;
  const estate = (await api(h, 'POST', '/api/v1/estates', A, { name: 'Moor Estate' })).body.id as string;
  const tower = (await api(h, 'POST', '/api/v1/blocks', A, sample.block({ name: 'Moor Tower', storeys: 12, heightMetres: 36, residentialUnits: 48, estateId: estate }))).body.id as string;
  await api(h, 'POST', '/api/v1/blocks', A, sample.block({ name: 'Unmeasured', storeys: undefined, heightMetres: undefined, heightMethod: undefined, heightSource: undefined, residentialUnits: 6 }));
  const home = async (flat: string, extra: Record<string, unknown> = {}) => {
    const r = await api(h, 'POST', '/api/v1/homes', A, sample.home({ subBuilding: flat, ...extra }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const damp1 = await home('Flat 1', { blockId: tower, estateId: estate });
  const damp2 = await home('Flat 2', { blockId: tower, estateId: estate });
  const dry = await home('Flat 3', { blockId: tower, estateId: estate });
  const today = new Date().toISOString().slice(0, 10);
  const repair = async (homeId: string, jobReference: string, description: string) => {
    const r = await api(h, 'POST', '/api/v1/repairs', A, { homeId, jobReference, description, reportedDate: today });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };
  await repair(damp1, 'J1', 'Black mould on the bedroom ceiling, comes back after cleaning');
  await repair(damp2, 'J2', 'Tenant reports condensation and a musty smell in the back bedroom');
  await repair(dry, 'J3', 'Replace coving and mouldings in the lounge; no sign of mould');
  // A significant hazard reported 30 days ago and never investigated: the 10-working-day investigation deadline is missed.
  const reportedAt = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const hz = await api(h, 'POST', `/api/v1/homes/${dry}/hazard-reports`, A, { hazard: 'excess-cold', severity: 'significant', reportedAt, description: 'No heating in the bedroom' });
  assert.equal(hz.status, 201, JSON.stringify(hz.body));
  await api(h, 'POST', '/api/v1/blocks', b.as.administrator, sample.block({ name: 'Other landlord tower', storeys: 20, heightMetres: 60, residentialUnits: 80 }));
  await drained(h); // the damp and mould signals follow the repairs through the outbox's subscriber

  const r = await api(h, 'GET', '/api/v1/insight/summary', a.as.analyst);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const s = r.body;
  assert.deepEqual(s.higherRiskBuildings, { blocks: 2, higherRisk: 1, dataNeeded: 1 });
  assert.equal(s.dampAndMould.homes, 2, 'the two damp homes; the negated note does not count');
  assert.deepEqual(s.dampAndMould.byEstate, [{ estateName: 'Moor Estate', homes: 2 }]);
  assert.equal(s.dampAndMould.byMonth.length, 12);
  assert.equal(s.dampAndMould.byMonth.at(-1).month, thisMonth());
  assert.equal(s.dampAndMould.byMonth.at(-1).signals, 2);
  assert.equal(s.hazards.open, 1);
  assert.equal(s.hazards.overdue, 1);
  assert.equal(s.hazards.byMonth.reduce((n: number, m: { reported: number }) => n + m.reported, 0), 1);
  assert.deepEqual(s.hazards.breachesByClock.find((c: { clock: string }) => c.clock === 'investigate').breaches, 1);

  const other = (await api(h, 'GET', '/api/v1/insight/summary', b.as.analyst)).body;
  assert.deepEqual(other.higherRiskBuildings, { blocks: 1, higherRisk: 1, dataNeeded: 0 });
  assert.equal(other.dampAndMould.homes, 0);
  assert.equal(other.hazards.open, 0);
  assert.equal((await api(h, 'GET', '/api/v1/insight/summary', {})).status, 401);
});

test('the dashboard page draws each chart as an image with a title, beside a table of the same figures', async () => {
  const email = `compliance.${a.id.slice(-8)}@example.org`;
  const password = 'a long test password 1';
  await h.auth.addUser({ organisationId: a.id, email, name: 'Test compliance lead', role: 'compliance-lead', password });
  const cookie = `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
  const page = await h.app.inject({ method: 'GET', url: '/insight', headers: { cookie } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h1[^>]*>Insight<\/h1>/);
  const svgs = [...page.body.matchAll(/<svg class="hearth-chart"[^>]*role="img" aria-labelledby="([^"]+)"/g)];
  assert.equal(svgs.length, 6);
  for (const id of ['table-damp-month', 'table-damp-estate', 'table-hazards-month', 'table-breaches', 'table-repairs-month', 'table-asb-month', 'table-asb-open']) assert.match(page.body, new RegExp(`<table class="govuk-table" id="${id}"`));
  // The ASB section (NM01): its chart beside its table, with no ASB case in this landlord's record yet.
  assert.match(page.body, /<h2[^>]*id="asb"[^>]*>Anti-social behaviour<\/h2>/);
  assert.match(page.body, /<desc id="chart-asb-month-desc">No ASB cases were opened from /);
  assert.match(page.body, /<th scope="row" class="govuk-table__header">Moor Estate<\/th>\s*<td[^>]*>2<\/td>/);
  assert.ok(!/<script(?![^>]*nonce)/.test(page.body), 'no script without the CSP nonce');
});
