// Downstream of an import: repairs whose home could not be matched still count — their signs of damp and mould are kept
// "not yet linked to a home", counted and listed (with the job number and the address the repair named) on the
// register, its API and CSV, and linked as soon as their home arrives. Every register row carries the landlord's own
// references (job number, property reference, block reference) beside Hearth's ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { qualityReport } from '../../src/modules/data-quality/service.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { csvFiles } from '../support/csv-files.ts';

const csv = csvFiles('hearth-damp-unlinked-');

let h: Harness;
let L: Landlord;
before(async () => { h = await harness(); L = await landlord(h); });
after(async () => { await h.close(); csv.remove(); });

async function load(kind: string, lines: string[]) {
  const file = csv.write(lines);
  const r = await ingestFile(h.store, { organisationId: L.id, file, sourceSystem: kind === 'homes' ? 'housing' : `${kind}-system`, kind });
  assert.equal(r.counts.rejected, 0, JSON.stringify(r.counts));
  return r;
}
const HOMES = 'Prop Ref,UPRN,Flat,Block Ref,Block,Street,Town,Post Code,Storeys,Height';

test('signs of damp in repairs whose home is unknown are kept, counted and listed, then linked when the home arrives; rows carry the landlord’s references', async () => {
  await load('homes', [HOMES, 'P1,100023336956,Flat 1,B01,Attlee House,Moor Road,Leeds,LS6 1AA,12,36']);
  const loaded = await load('repairs', ['Job No,Prop Ref,Reported,Description',
    'J1,P1,2025-01-10,Black mould on the bathroom ceiling.',
    'J2,P9,2025-02-01,Condensation streaming down the bedroom windows every morning.',
    'J3,P9,2025-02-02,Kitchen tap dripping.']);
  assert.match(loaded.summary, /2 repairs not linked to a home/, loaded.summary);
  // A note about the same unknown home.
  await load('notes', ['Note ID,Linked To,Linked Ref,Created On,Created By,Note Type,Note Text',
    'N1,Property,P9,2025-02-03,jbloggs,Inspection,Black mould behind the wardrobe.']);

  const reg = await api(h, 'GET', '/api/v1/insight/damp-and-mould', L.as.analyst);
  assert.equal(reg.status, 200, JSON.stringify(reg.body));
  assert.equal(reg.body.homes, 1);
  assert.equal(reg.body.items[0].homeReference, 'P1', 'the property reference beside the home id');
  assert.equal(reg.body.items[0].signals[0].reference, 'J1', 'the job number beside the repair id');
  assert.equal(reg.body.unlinked.count, 2, 'two signs not yet linked to a home');
  assert.deepEqual(reg.body.unlinked.items.map((x: { reference: string; named: string; sourceKind: string }) => [x.sourceKind, x.reference]), [['note', null], ['repair', 'J2']]);
  assert.ok(reg.body.unlinked.items.every((x: { named: string }) => /P9/.test(x.named)), 'with what each named its home by');
  assert.match(reg.body.unlinked.items[1].evidence[0].text, /Condensation streaming/);

  // The data quality report counts the repairs not linked to a home, whether or not they show damp.
  const notLinked = async () => (await h.store.withOrg(L.id, (tx) => qualityReport({ actor: systemActor(L.id), tx }))).checks.find((c) => c.id === 'repairs.home-not-linked');
  const q = await notLinked();
  assert.deepEqual([q?.count, q?.total, q?.examples.map((e) => e.label).sort()], [2, 3, ['Job J2', 'Job J3']]);
  assert.match(q!.examples[0]!.detail!, /P9/);

  // The page and the CSV say so too.
  const email = `officer.${L.id.slice(-8)}@example.org`;
  await h.auth.addUser({ organisationId: L.id, email, name: 'Officer', role: 'housing-officer', password: 'a long test password 1' });
  const cookie = `hearth_session=${(await h.auth.signIn(email, 'a long test password 1'))!.token}`;
  const page = await h.app.inject({ method: 'GET', url: '/insight/damp-and-mould', headers: { cookie } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /2 signs not yet linked to a home/);
  assert.match(page.body, />J2</);
  const leadEmail = `lead.${L.id.slice(-8)}@example.org`;
  await h.auth.addUser({ organisationId: L.id, email: leadEmail, name: 'Lead', role: 'data-lead', password: 'a long test password 1' });
  const importPage = await h.app.inject({ method: 'GET', url: `/imports/${loaded.importId}`,
    headers: { cookie: `hearth_session=${(await h.auth.signIn(leadEmail, 'a long test password 1'))!.token}` } });
  assert.equal(importPage.statusCode, 200);
  assert.match(importPage.body, /2 repairs not linked to a home/);
  const csv = await h.app.inject({ method: 'GET', url: '/insight/damp-and-mould-unlinked.csv', headers: { cookie } });
  assert.equal(csv.statusCode, 200);
  const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  assert.equal(lines.length, 3);
  assert.match(lines[2]!, /^Repair,[0-9a-f-]{36},J2,.*P9.*,2025-02-01,/);
  const full = await h.app.inject({ method: 'GET', url: '/insight/damp-and-mould.csv', headers: { cookie } });
  assert.match(full.body.split('\r\n')[1]!, /^[0-9a-f-]{36},P1,.*,Repair,[0-9a-f-]{36},J1,/);

  // The home arrives: the repair is linked to it, and its sign with it.
  await load('homes', [HOMES, 'P9,100023336999,Flat 9,B01,Attlee House,Moor Road,Leeds,LS6 1AA,12,36']);
  const after = await api(h, 'GET', '/api/v1/insight/damp-and-mould', L.as.analyst);
  assert.equal(after.body.unlinked.count, 0);
  assert.equal((await notLinked())?.count, 0);
  assert.equal(after.body.homes, 2);
  const p9 = after.body.items.find((x: { homeReference: string }) => x.homeReference === 'P9');
  assert.deepEqual(p9.signals.map((x: { sourceKind: string; reference: string | null }) => [x.sourceKind, x.reference]), [['note', null], ['repair', 'J2']], 'the note and the repair moved onto the register');
  const repairs = await api(h, 'GET', '/api/v1/repairs?limit=10', L.as.analyst);
  const j2 = repairs.body.items.find((r: { jobReference: string }) => r.jobReference === 'J2');
  const j3 = repairs.body.items.find((r: { jobReference: string }) => r.jobReference === 'J3');
  assert.ok(j2.homeId && j2.homeId === j3.homeId, 'both repairs of the home are linked to it');
  assert.equal(j2.homeNamed ?? null, null);

  // The higher-risk register names the block by the landlord's reference.
  const hrb = await api(h, 'GET', '/api/v1/insight/higher-risk-buildings', L.as.analyst);
  assert.equal(hrb.body.higherRisk[0].reference, 'B01');
  const hrbCsv = await h.app.inject({ method: 'GET', url: '/insight/higher-risk-buildings.csv', headers: { cookie } });
  assert.match(hrbCsv.body.split('\r\n')[1]!, /^[0-9a-f-]{36},B01,Attlee House,/);
});
