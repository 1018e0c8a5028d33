// The damp and mould register against the real database: repairs, notes and hazard reports written through the API
// and through imports (hearth ingest and the import API) keep their signals, with the sentences that show damp word
// for word; negations and other meanings make none; an edited record loses its signal; a re-import writes nothing;
// households at greater risk from damp come first for a role that may see alerts (each alert read audited), never
// for an analyst; another landlord's homes never appear; the page and the CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { drained } from '../support/events.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { rescanDampSignals } from '../../src/modules/insight/damp-signals.ts';
import { dampMouldByLandlord, dampMouldCounts, dampMouldHomeCount, lastTwelveMonths } from '../../src/modules/insight/damp-register.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
let dir: string;
before(async () => {
  h = await harness();
  a = await landlord(h, 'Damp landlord A');
  b = await landlord(h, 'Damp landlord B');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-damp-'));
});
after(async () => { await h?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

interface SignalRow { id: string; home_id: string; source_kind: string; source_id: string; basis: string; kinds: string; evidence: string; observed_on: string | null; detected_at: string }

async function signals(l: Landlord | string): Promise<SignalRow[]> {
  const org = typeof l === 'string' ? l : l.id;
  await drained(h); // the signals follow the records through the outbox's subscriber
  return h.store.withOrg(org, async (tx) => (await tx.execute(sql`select id, home_id, source_kind, source_id, basis, kinds, evidence, observed_on::text,
    detected_at::text from damp_mould_signals order by source_kind, source_id`)).rows as unknown as SignalRow[]);
}
const signalOf = async (l: Landlord | string, sourceId: string) => (await signals(l)).find((s) => s.source_id === sourceId);

async function post(l: Landlord, url: string, body: Record<string, unknown>, role: keyof Landlord['as'] = 'administrator') {
  const r = await api(h, 'POST', url, l.as[role], body);
  assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
  await drained(h);
  return r.body as { id: string; version: number };
}
async function patch(l: Landlord, url: string, body: Record<string, unknown>) {
  const got = await api(h, 'GET', url, l.as.administrator);
  const r = await api(h, 'PATCH', url, { ...l.as.administrator, 'if-match': got.headers.etag as string }, body);
  assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`);
  await drained(h);
}
const home = async (l: Landlord, extra: Record<string, unknown> = {}) => (await post(l, '/api/v1/homes', sample.home(extra))).id;
const person = async (l: Landlord, extra: Record<string, unknown> = {}) => (await post(l, '/api/v1/people', sample.person(extra))).id;
const tenancy = async (l: Landlord, homeId: string, members: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
  (await post(l, '/api/v1/tenancies', { reference: `T-${crypto.randomUUID().slice(0, 8)}`, tenancyType: 'secure', tenure: 'social-rent', startDate: '2019-04-01', homeId, members, ...extra })).id;
const repair = async (l: Landlord, homeId: string | null, extra: Record<string, unknown> = {}) =>
  (await post(l, '/api/v1/repairs', { jobReference: `JOB-${crypto.randomUUID().slice(0, 8)}`, ...(homeId ? { homeId } : { homeNamed: 'Flat 9, Nowhere House' }), reportedDate: '2025-01-10', priority: 'Routine', ...extra })).id;
const note = async (l: Landlord, extra: Record<string, unknown>) => (await post(l, '/api/v1/notes', extra)).id;

// ---- written through the API

const A = { home: '', otherHome: '', person: '', tenancy: '', mouldRepair: '', codeRepair: '', personNote: '', tenancyNote: '', homeNote: '' };

test('repairs and notes written through the API: one signal each, with the sentences that show damp, word for word', async () => {
  A.home = await home(a);
  A.otherHome = await home(a, { subBuilding: 'Flat 14' });
  A.person = await person(a);
  A.tenancy = await tenancy(a, A.home, [{ personId: A.person, role: 'lead' }]);

  A.mouldRepair = await repair(a, A.home, { description: 'Leak from the bath fixed.\nTenant reports black mould on the bedroom ceiling. Extractor fan not working.', trade: 'Plumber', sorCode: '603105' });
  let s = await signalOf(a, A.mouldRepair);
  assert.ok(s, 'the repair has a signal');
  assert.deepEqual([s.home_id, s.source_kind, s.basis, s.kinds, s.evidence, s.observed_on],
    [A.home, 'repair', 'text', 'mould', 'Tenant reports black mould on the bedroom ceiling.', '2025-01-10']);

  // A damp and mould job by its code alone.
  A.codeRepair = await repair(a, A.otherHome, { description: 'Job raised from a phone call.', sorCode: '626020', trade: 'Damp and mould', reportedDate: '2025-02-01' });
  s = await signalOf(a, A.codeRepair);
  assert.deepEqual([s?.home_id, s?.basis, s?.evidence], [A.otherHome, 'code', 'SOR code: 626020 (Damp and mould)']);

  // A note about a person: the home of their current tenancy; its date is the UK day it was written.
  A.personNote = await note(a, { subjectKind: 'person', personId: A.person, text: 'Called about damp in the bedroom. Visit booked for Tuesday.', notedAt: '2025-06-03T23:30:00Z' });
  s = await signalOf(a, A.personNote);
  assert.deepEqual([s?.home_id, s?.source_kind, s?.evidence, s?.observed_on], [A.home, 'note', 'Called about damp in the bedroom.', '2025-06-04']);
  A.tenancyNote = await note(a, { subjectKind: 'tenancy', tenancyId: A.tenancy, text: 'Tenancy visit, all fine. Condensation on all the windows every morning.' });
  assert.equal((await signalOf(a, A.tenancyNote))?.evidence, 'Condensation on all the windows every morning.');
  assert.equal((await signalOf(a, A.tenancyNote))?.home_id, A.home);
  A.homeNote = await note(a, { subjectKind: 'home', homeId: A.otherHome, text: 'Inspected; mould in bathroom' });
  assert.deepEqual([(await signalOf(a, A.homeNote))?.home_id, (await signalOf(a, A.homeNote))?.evidence], [A.otherHome, 'Inspected; mould in bathroom']);

  // A job whose home matched nothing keeps its sign, with no home ("not yet linked to a home"), until the home
  // arrives; a note whose person lives nowhere Hearth knows has none.
  const homeless = await repair(a, null, { description: 'Black mould everywhere.' });
  const nobody = await person(a, { givenName: 'Nomad' });
  const nowhereNote = await note(a, { subjectKind: 'person', personId: nobody, text: 'Says the mould is bad.' });
  assert.deepEqual([(await signalOf(a, homeless))?.home_id, (await signalOf(a, homeless))?.evidence], [null, 'Black mould everywhere.']);
  assert.equal(await signalOf(a, nowhereNote), undefined);
});

test('negations and other meanings make no signal', async () => {
  const ids = [
    await repair(a, A.home, { description: 'Leak under sink repaired. No sign of mould or damp to the walls.', trade: 'Plumber', sorCode: '603201' }),
    await repair(a, A.home, { description: 'Replaced the coving and mouldings in the lounge.', trade: 'Plasterer', sorCode: '625110' }),
    await repair(a, A.home, { description: 'Damp check carried out: no issues found.', trade: 'Surveyor', sorCode: '626900' }), // a survey: its words decide
    await repair(a, A.home, { description: 'Damp proof course injected along the front elevation.', trade: 'Damp and mould', sorCode: '626400' }), // prevention
    await note(a, { subjectKind: 'home', homeId: A.home, text: 'Visited: no sign of mould. Wiped the sill with a damp cloth.' }),
  ];
  for (const id of ids) assert.equal(await signalOf(a, id), undefined, id);
});

test('a record edited to no longer show damp loses its signal; edited back, it has it again', async () => {
  const before = await signalOf(a, A.mouldRepair);
  await patch(a, `/api/v1/repairs/${A.mouldRepair}`, { description: 'Leak from the bath fixed.' });
  assert.equal(await signalOf(a, A.mouldRepair), undefined);
  await patch(a, `/api/v1/repairs/${A.mouldRepair}`, { description: 'Leak from the bath fixed. Mould on the bathroom ceiling washed down.' });
  const again = await signalOf(a, A.mouldRepair);
  assert.equal(again?.evidence, 'Mould on the bathroom ceiling washed down.');
  assert.notEqual(again?.id, before?.id);
  // A change that leaves the damp alone rewrites nothing.
  await patch(a, `/api/v1/repairs/${A.mouldRepair}`, { status: 'Completed' });
  assert.deepEqual(await signalOf(a, A.mouldRepair), again);
  await patch(a, `/api/v1/notes/${A.homeNote}`, { text: 'Inspected; all fine.' });
  assert.equal(await signalOf(a, A.homeNote), undefined);
});

// ---- written by imports

const csv = (lines: string[]) => lines.join('\r\n') + '\r\n';
let files = 0;
const write = (text: string) => {
  const file = path.join(dir, `file-${++files}.csv`);
  fs.writeFileSync(file, text);
  return file;
};
async function load(org: string, kind: string, text: string) {
  const r = await ingestFile(h.store, { organisationId: org, file: write(text), sourceSystem: 'northgate', kind });
  assert.equal(r.counts.rejected, 0, JSON.stringify(r.problems));
  return r;
}

const REPAIRS = [
  'Works Order No,Prop Ref,UPRN,Date Logged,Priority,Job Status,Job Description,Room,Target Date,Date Completed,SOR Code,Trade',
  'WO1,P1,,14/01/2024,Urgent,Complete,"Black mould on bedroom wall, behind the wardrobe;  tenant says ""it keeps coming back"".\nAsked for a survey.",Bedroom 1,21/01/2024,19/01/2024,603011,Plasterer',
  'WO2,P2,,15/01/2024,Routine,Open,Door sticks,Hall,,,,Joiner',
  'WO3,P2,,16/01/2024,Routine,Open,No sign of mould or damp to the walls after the leak.,Kitchen,,,,Plumber',
  'WO4,P2,,17/01/2024,Routine,Open,Damp patch treatment,Bedroom,,,626020,Damp and mould',
];
const NOTES = [
  'Note ID,Linked To,Linked Ref,Created On,Created By,Note Type,Note Text',
  'N1,Customer,C1,13/04/2024,jbloggs,Contact,"Called about damp in the bedroom.\nWill visit Tuesday, 10am."',
  'N2,Property,P2,15/04/2024,jbloggs,Inspection,Inspected; mould in bathroom',
  'N3,Tenancy,TEN1,16/04/2024,akhan,Rent,Arrears letter sent',
];

test('hearth ingest: imported repairs and notes get their signals; a re-import writes nothing; a newer extract updates them', async () => {
  const c = await landlord(h);
  await load(c.id, 'homes', csv(['Prop Ref,UPRN,Flat,House No,Street,Town,Post Code,Prop Type',
    'P1,100023336956,Flat 1,,Moor Road,Leeds,LS6 1AA,Flat', 'P2,100023336957,Flat 2,,Moor Road,Leeds,LS6 1AA,Flat']));
  await load(c.id, 'people', csv(['Customer Ref,Forename,Surname', 'C1,Robert,Morgan']));
  await load(c.id, 'tenancies', csv(['Tenancy Ref,Prop Ref,Tenancy Start,Tenancy Type,Tenure,Customer Ref,Role', 'TEN1,P1,2015-06-01,Secure,General Needs,C1,Lead Tenant']));
  const ids = async (kind: string) => new Map((await h.store.withOrg(c.id, async (tx) => (await tx.execute(sql`select source_id, record_id from source_references
    where entity_kind = ${kind}`)).rows as { source_id: string; record_id: string }[])).map((r) => [r.source_id, r.record_id]));
  const homes = await ids('home');

  await load(c.id, 'repairs', csv(REPAIRS));
  await load(c.id, 'notes', csv(NOTES));
  const repairs = await ids('repair');
  const notes = await ids('note');
  const first = await signals(c.id);
  const by = new Map(first.map((s) => [s.source_id, s]));
  assert.deepEqual(first.map((s) => s.source_id).sort(), [repairs.get('WO1'), repairs.get('WO4'), notes.get('N1'), notes.get('N2')].sort());
  assert.deepEqual([by.get(repairs.get('WO1')!)!.home_id, by.get(repairs.get('WO1')!)!.evidence, by.get(repairs.get('WO1')!)!.observed_on],
    [homes.get('P1'), 'Black mould on bedroom wall, behind the wardrobe;  tenant says "it keeps coming back".', '2024-01-14'], 'the sentence word for word, spaces and quotes kept');
  assert.deepEqual([by.get(repairs.get('WO4')!)!.basis, by.get(repairs.get('WO4')!)!.evidence], ['text,code', 'Damp patch treatment\nSOR code: 626020 (Damp and mould)']);
  assert.deepEqual([by.get(notes.get('N1')!)!.home_id, by.get(notes.get('N1')!)!.evidence], [homes.get('P1'), 'Called about damp in the bedroom.']);
  assert.equal(by.get(notes.get('N2')!)!.home_id, homes.get('P2'));

  // The same rows again (as another extract writes them, other line endings): nothing new is written, not even a timestamp.
  const again = await load(c.id, 'repairs', csv(REPAIRS).replace(/\r\n/g, '\n'));
  assert.equal(again.counts.unchanged, 4);
  await load(c.id, 'notes', csv(NOTES).replace(/\r\n/g, '\n'));
  assert.deepEqual(await signals(c.id), first);
  // And a full rescan agrees with what the subscriber wrote, row for row.
  await h.store.withOrg(c.id, (tx) => rescanDampSignals({ actor: systemActor(c.id), tx }));
  assert.deepEqual(await signals(c.id), first);

  // A newer extract: WO1 no longer mentions damp, WO2 now does.
  const newer = await load(c.id, 'repairs', csv(REPAIRS.map((l) => l.startsWith('WO1,') ? 'WO1,P1,,14/01/2024,Urgent,Complete,"Wardrobe moved, wall made good.",Bedroom 1,21/01/2024,19/01/2024,603011,Plasterer'
    : l.startsWith('WO2,') ? 'WO2,P2,,15/01/2024,Routine,Open,Door sticks. Mould on the hall ceiling.,Hall,,,,Joiner' : l)));
  assert.equal(newer.counts.updated, 2);
  const now = await signals(c.id);
  assert.equal(now.find((s) => s.source_id === repairs.get('WO1')), undefined);
  assert.equal(now.find((s) => s.source_id === repairs.get('WO2'))?.evidence, 'Mould on the hall ceiling.');
});

test('the import API: a file uploaded and loaded by the job queue gets its signals', async () => {
  const c = await landlord(h);
  await load(c.id, 'homes', csv(['Prop Ref,UPRN,Flat,House No,Street,Town,Post Code,Prop Type', 'P7,100023336999,Flat 7,,Moor Road,Leeds,LS6 1AA,Flat']));
  const form = new FormData();
  form.append('sourceSystem', 'northgate');
  form.append('kind', 'repairs');
  form.append('file', new Blob([csv([REPAIRS[0]!, 'WO9,P7,,14/02/2024,Urgent,Open,Condensation running down the inside of the windows in the lounge.,Lounge,,,,Glazier'])], { type: 'text/csv' }), 'repairs.csv');
  const request = new Request('http://hearth.test/', { method: 'POST', body: form });
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...c.as['data-lead'], 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()) });
  assert.equal(res.statusCode, 202, res.body);
  const id = res.json().id as string;
  let status = '';
  for (let i = 0; i < 600 && status !== 'completed' && status !== 'failed'; i++) {
    status = (await api(h, 'GET', `/api/v1/imports/${id}`, c.as['data-lead'])).body.status;
    if (status !== 'completed') await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(status, 'completed');
  const [s] = await signals(c.id);
  assert.deepEqual([s?.source_kind, s?.basis, s?.evidence, s?.observed_on], ['repair', 'text', 'Condensation running down the inside of the windows in the lounge.', '2024-02-14']);
});

// ---- hazard reports

test('a hazard report for the HHSRS damp and mould hazard is a signal; another hazard is one when its words show damp', async () => {
  const r = await api(h, 'POST', `/api/v1/homes/${A.otherHome}/hazard-reports`, a.as['housing-officer'],
    { hazard: 'damp-and-mould', severity: 'significant', description: 'Tenant reports the flat is cold.', reportedAt: '2025-03-01T10:00:00Z' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const s = await signalOf(a, r.body.report?.id ?? r.body.id);
  assert.deepEqual([s?.source_kind, s?.basis, s?.home_id, s?.observed_on], ['hazard-report', 'hazard', A.otherHome, '2025-03-01']);
  assert.match(s!.evidence, /^HHSRS hazard: damp and mould growth \(significant\)$/);
  const cold = await api(h, 'POST', `/api/v1/homes/${A.otherHome}/hazard-reports`, a.as['housing-officer'],
    { hazard: 'excess-cold', severity: 'significant', description: 'No heating since Friday. Black mould spreading on the bedroom wall.', reportedAt: new Date().toISOString() });
  assert.equal(cold.status, 201, JSON.stringify(cold.body));
  const t = await signalOf(a, cold.body.report?.id ?? cold.body.id);
  assert.deepEqual([t?.basis, t?.evidence], ['text', 'Black mould spreading on the bedroom wall.']);

  const reg = await api(h, 'GET', '/api/v1/insight/damp-and-mould', a.as.analyst);
  const entry = reg.body.items.find((e: { homeId: string }) => e.homeId === A.otherHome);
  const hz = entry.signals.find((x: { sourceKind: string; basis: string[] }) => x.sourceKind === 'hazard-report' && x.basis.includes('hazard'));
  assert.equal(hz.link, `/hazards/${s!.source_id}`);
  assert.deepEqual(hz.evidence, [{ text: 'HHSRS hazard: damp and mould growth (significant)', quote: false }]);
  assert.match(entry.why, /1 HHSRS damp and mould hazard report/);
});

// ---- the register: priority, alerts audited, isolation, estates, pages

const V = { estate: '', none: '', med: '', child: '', old: '', preg: '', medAlert: '' };
const isoYearsAgo = (years: number) => { const d = new Date(); d.setUTCFullYear(d.getUTCFullYear() - years); return d.toISOString().slice(0, 10); };
const auditCount = async (l: Landlord, action: string, kind: string) => h.store.withOrg(l.id, async (tx) =>
  Number(((await tx.execute(sql`select count(*)::int as n from audit_events where action = ${action} and entity_kind = ${kind}`)).rows[0] as { n: number }).n));

test('households at greater risk from damp come first for a role that sees alerts, each alert read audited; an analyst sees no reasons', async () => {
  V.estate = (await post(b, '/api/v1/estates', { name: 'Moor Estate' })).id;
  const damp = async (homeId: string, reportedDate: string) => repair(b, homeId, { description: 'Black mould on the bedroom wall.', reportedDate });
  // Nobody at added risk, the newest evidence; a "do not visit alone" alert there is not read.
  V.none = await home(b);
  const lodger = await person(b, { givenName: 'Lee' });
  await tenancy(b, V.none, [{ personId: lodger, role: 'lead' }]);
  await post(b, '/api/v1/alerts', { personId: lodger, hactCode: '10', category: 'RISK', confidentiality: 'standard', startDate: '2020-01-01' });
  await damp(V.none, '2025-06-01');
  // A health condition (HACT 20-30, MED).
  V.med = await home(b, { estateId: V.estate });
  const ill = await person(b, { givenName: 'Ivy' });
  await tenancy(b, V.med, [{ personId: ill, role: 'lead' }]);
  V.medAlert = (await post(b, '/api/v1/alerts', { personId: ill, hactCode: '20-30', category: 'MED', confidentiality: 'standard', startDate: '2020-01-01' })).id;
  await damp(V.med, '2024-01-01');
  // A child under 5 in the household.
  V.child = await home(b, { estateId: V.estate });
  const [mum, baby] = [await person(b, { givenName: 'Mia' }), await person(b, { givenName: 'Bo', dateOfBirth: isoYearsAgo(3) })];
  await tenancy(b, V.child, [{ personId: mum, role: 'lead' }, { personId: baby, role: 'household-member', relationship: 'daughter' }]);
  await damp(V.child, '2024-02-01');
  // Someone aged 80 whose home (from a source system) is this one, with no tenancy in Hearth.
  V.old = await home(b);
  const elder = await person(b, { givenName: 'Olive', dateOfBirth: isoYearsAgo(80) });
  await h.store.withOrg(b.id, (tx) => tx.execute(sql`update people set home_id = ${V.old} where id = ${elder}`));
  await damp(V.old, '2023-01-01');
  // A pregnancy alert that has ended: no longer a reason.
  V.preg = await home(b);
  const was = await person(b, { givenName: 'Pam' });
  await tenancy(b, V.preg, [{ personId: was, role: 'lead' }]);
  await post(b, '/api/v1/alerts', { personId: was, hactCode: '20', category: 'PREG', confidentiality: 'standard', startDate: '2022-01-01', endDate: '2022-09-01' });
  await damp(V.preg, '2025-05-01');

  const readsBefore = await auditCount(b, 'read-sensitive', 'person-alert');
  const r = await api(h, 'GET', '/api/v1/insight/damp-and-mould', b.as['compliance-lead']);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.order, 'priority');
  assert.equal(r.body.orderNote, null);
  assert.deepEqual(r.body.items.map((e: { homeId: string }) => e.homeId), [V.child, V.med, V.old, V.none, V.preg], 'at greater risk first, then the rest; each group newest evidence first');
  assert.deepEqual(r.body.items.map((e: { priority: { reasons: string[] } }) => e.priority.reasons), [['Child under 5'], ['Health condition'], ['Aged 75 or over'], [], []]);
  assert.deepEqual(r.body.items.map((e: { priority: { atGreaterRisk: boolean } }) => e.priority.atGreaterRisk), [true, true, true, false, false]);
  const reads = await h.store.withOrg(b.id, async (tx) => (await tx.execute(sql`select entity_id, actor_name from audit_events
    where action = 'read-sensitive' and entity_kind = 'person-alert' order by at desc limit 5`)).rows as { entity_id: string; actor_name: string }[]);
  assert.equal(await auditCount(b, 'read-sensitive', 'person-alert'), readsBefore + 1, 'only the alert that matters is read, and that read is audited');
  assert.equal(reads[0]!.entity_id, V.medAlert);
  assert.match(reads[0]!.actor_name, /compliance-lead test token/);

  const analyst = await api(h, 'GET', '/api/v1/insight/damp-and-mould', b.as.analyst);
  assert.equal(analyst.body.order, 'latest-evidence');
  assert.match(analyst.body.orderNote, /only for roles that can see person alerts/);
  assert.deepEqual(analyst.body.items.map((e: { homeId: string }) => e.homeId), [V.none, V.preg, V.child, V.med, V.old], 'newest evidence first');
  assert.ok(analyst.body.items.every((e: { priority: unknown }) => e.priority === null), 'no priority and no reasons for an analyst');
  assert.equal(await auditCount(b, 'read-sensitive', 'person-alert'), readsBefore + 1, 'an analyst reads no alert');
});

test('another landlord’s homes never appear; the estate filter and pages; a bad cursor is 400', async () => {
  const ofA = await api(h, 'GET', '/api/v1/insight/damp-and-mould?limit=200', a.as.analyst);
  const ofB = await api(h, 'GET', '/api/v1/insight/damp-and-mould?limit=200', b.as.analyst);
  const aHomes = ofA.body.items.map((e: { homeId: string }) => e.homeId) as string[];
  const bHomes = ofB.body.items.map((e: { homeId: string }) => e.homeId) as string[];
  assert.ok(aHomes.includes(A.home) && aHomes.includes(A.otherHome));
  assert.deepEqual(bHomes.sort(), [V.none, V.med, V.child, V.old, V.preg].sort());
  assert.ok(!aHomes.some((id) => bHomes.includes(id)));
  const aEntry = ofA.body.items.find((e: { homeId: string }) => e.homeId === A.home);
  assert.equal(aEntry.self, `/homes/${A.home}`);
  assert.ok(aEntry.signals.every((s: { link: string; sourceKind: string }) => s.sourceKind === 'hazard-report' || s.link === `/homes/${A.home}`));
  assert.match(aEntry.why, /^Damp or mould in the words of \d repairs? and \d notes?/);

  const estate = await api(h, 'GET', `/api/v1/insight/damp-and-mould?estate=${V.estate}`, b.as.analyst);
  assert.deepEqual(estate.body.items.map((e: { homeId: string }) => e.homeId).sort(), [V.med, V.child].sort());
  assert.deepEqual(estate.body.estates.map((e: { estateName: string; homes: number }) => [e.estateName, e.homes]), [['Not on an estate', 3], ['Moor Estate', 2]]);
  const none = await api(h, 'GET', '/api/v1/insight/damp-and-mould?estate=none', b.as.analyst);
  assert.equal(none.body.homes, 3);

  const seen: string[] = [];
  let url = '/api/v1/insight/damp-and-mould?limit=2';
  for (let page = 1; ; page++) {
    const r = await api(h, 'GET', url, b.as.analyst);
    assert.equal(r.status, 200);
    assert.equal(r.body.page, page);
    assert.equal(r.body.pages, 3);
    seen.push(...r.body.items.map((e: { homeId: string }) => e.homeId));
    if (!r.body.nextCursor) break;
    url = `/api/v1/insight/damp-and-mould?limit=2&cursor=${r.body.nextCursor}`;
  }
  assert.deepEqual(seen, [V.none, V.preg, V.child, V.med, V.old]);
  assert.equal((await api(h, 'GET', '/api/v1/insight/damp-and-mould?cursor=nonsense', b.as.analyst)).status, 400);
  assert.equal((await api(h, 'GET', '/api/v1/insight/damp-and-mould', {})).status, 401);
});

test('counts: homes, signals, by basis, by month and by estate; the home count', async () => {
  const ctx = (tx: Parameters<Parameters<Harness['store']['withOrg']>[1]>[0]) => ({ actor: { ...systemActor(b.id), role: 'analyst' as const }, tx });
  const c = await h.store.withOrg(b.id, (tx) => dampMouldCounts(ctx(tx)));
  assert.equal(c.homes, 5);
  assert.equal(c.signals, 5);
  assert.deepEqual(c.byBasis, { text: 5, code: 0, hazard: 0 });
  assert.deepEqual(c.byMonth.map((m) => m.month), lastTwelveMonths());
  const months = lastTwelveMonths();
  const inWindow = ['2025-06', '2025-05', '2024-02', '2024-01', '2023-01'].filter((m) => m >= months[0]!).length;
  assert.equal(c.byMonth.reduce((n, m) => n + m.signals, 0), inWindow);
  assert.deepEqual(c.byEstate.map((e) => [e.estateName, e.homes, e.signals]), [['Not on an estate', 3, 3], ['Moor Estate', 2, 2]]);
  assert.equal(await h.store.withOrg(b.id, (tx) => dampMouldHomeCount(ctx(tx))), 5);
  assert.equal(await h.store.withOrg(a.id, (tx) => dampMouldHomeCount({ actor: systemActor(a.id), tx })), 2);
});

test('the national view: each landlord’s figures, kept as its signals are written, agree with counting the signals', async () => {
  const byLandlord = async () => new Map((await h.store.system((tx) => dampMouldByLandlord(tx))).map((r) => [r.organisationId, r]));
  const count = (l: Landlord) => h.store.withOrg(l.id, (tx) => dampMouldHomeCount({ actor: systemActor(l.id), tx }));
  for (const l of [a, b]) {
    assert.equal((await byLandlord()).get(l.id)?.homes, await count(l));
    assert.equal((await byLandlord()).get(l.id)?.signals, (await signals(l)).length);
  }
  // A new damp home, then the repair edited to show no damp: the landlord's row follows each write.
  const before = (await byLandlord()).get(a.id)!;
  const fresh = await home(a);
  const job = await repair(a, fresh, { description: 'Musty smell and mildew behind the wardrobe.' });
  assert.deepEqual({ ...(await byLandlord()).get(a.id)! }, { ...before, homes: before.homes + 1, signals: before.signals + 1 });
  await patch(a, `/api/v1/repairs/${job}`, { description: 'Wardrobe door rehung.' });
  assert.deepEqual((await byLandlord()).get(a.id), before);
});

test('a rescan rebuilds the signals from the records, and changes nothing when they are right', async () => {
  const before = await signals(a);
  await h.store.withOrg(a.id, (tx) => tx.execute(sql`delete from damp_mould_signals`));
  await h.store.withOrg(a.id, async (tx) => tx.execute(sql`insert into damp_mould_signals (organisation_id, id, home_id, source_kind, source_id, basis, kinds, evidence)
    values (${a.id}, gen_random_uuid(), ${A.home}, 'repair', gen_random_uuid(), 'text', 'mould', 'A repair that no longer exists')`));
  const result = await h.store.withOrg(a.id, (tx) => rescanDampSignals({ actor: systemActor(a.id), tx }));
  assert.equal(result.signals, before.length);
  const strip = (rows: SignalRow[]) => rows.map(({ id: _id, detected_at: _at, ...rest }) => rest);
  const after1 = await signals(a);
  assert.deepEqual(strip(after1), strip(before));
  await h.store.withOrg(a.id, (tx) => rescanDampSignals({ actor: systemActor(a.id), tx }));
  assert.deepEqual(await signals(a), after1, 'a second rescan writes nothing');
  await assert.rejects(h.store.withOrg(a.id, (tx) => rescanDampSignals({ actor: { ...systemActor(a.id), role: 'analyst' }, tx })), /does not allow/);
});

test('the page and the CSV: quotes, sources and dates; priority for the officer, the reason why not for the analyst; downloads audited', async () => {
  const cookieFor = async (role: 'housing-officer' | 'analyst') => {
    const email = `${role}.${b.id.slice(-8)}@example.org`;
    const password = 'a long test password 1';
    await h.auth.addUser({ organisationId: b.id, email, name: `Test ${role}`, role, password });
    return `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
  };
  const officer = await cookieFor('housing-officer');
  const page = await h.app.inject({ method: 'GET', url: '/insight/damp-and-mould', headers: { cookie: officer } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h1[^>]*>Damp and mould<\/h1>/);
  assert.match(page.body, new RegExp(`href="/homes/${V.child}"`));
  assert.match(page.body, /<q class="hearth-evidence__quote">Black mould on the bedroom wall\.<\/q>/);
  assert.match(page.body, /Greater risk from damp/);
  assert.match(page.body, /Child under 5/);
  assert.match(page.body, /10 January 2025|1 June 2025/);
  assert.doesNotMatch(page.body, /style="|<script(?![^>]*nonce)/, 'no inline styles, scripts only with the nonce');
  const filtered = await h.app.inject({ method: 'GET', url: `/insight/damp-and-mould?estate=${V.estate}`, headers: { cookie: officer } });
  assert.equal(filtered.statusCode, 200);
  assert.doesNotMatch(filtered.body, new RegExp(`href="/homes/${V.none}"`));
  assert.match(filtered.body, new RegExp(`<option value="${V.estate}" selected`));

  const analyst = await cookieFor('analyst');
  const plain = await h.app.inject({ method: 'GET', url: '/insight/damp-and-mould', headers: { cookie: analyst } });
  assert.equal(plain.statusCode, 200);
  assert.match(plain.body, /only for roles that can see person alerts/);
  assert.doesNotMatch(plain.body, /Greater risk from damp|Child under 5|Health condition/);

  const exportsBefore = await auditCount(b, 'export', 'damp-and-mould-register');
  const res = await h.app.inject({ method: 'GET', url: '/insight/damp-and-mould.csv', headers: { cookie: officer } });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /^text\/csv/);
  assert.match(res.headers['content-disposition'] as string, /^attachment; filename="damp-and-mould-.*\.csv"$/);
  const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  assert.equal(lines[0], 'home id,property reference,address,postcode,estate,greater risk from damp,why,first observed,latest observed,signs in the home,source,source id,source reference,observed on,found by,seen,evidence,link');
  assert.equal(lines.length, 6);
  assert.ok(lines[1]!.startsWith(`${V.child},`));
  assert.match(lines[1]!, /,yes,Child under 5,2024-02-01,2024-02-01,1,Repair,[0-9a-f-]{36},JOB-[0-9a-f]{8},2024-02-01,text,mould,Black mould on the bedroom wall\.,\/homes\//);
  assert.equal(await auditCount(b, 'export', 'damp-and-mould-register'), exportsBefore + 1);
  const analystCsv = await h.app.inject({ method: 'GET', url: '/insight/damp-and-mould.csv', headers: { cookie: analyst } });
  assert.doesNotMatch(analystCsv.body, /greater risk|Child under 5/);
  assert.ok(!analystCsv.body.includes(A.home), 'another landlord’s homes are never in the CSV');
});
