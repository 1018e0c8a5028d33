// The Person page's view (single-view personView) reads in a fixed number of statements, however many source records
// are linked into the person and however many events they have: a person with one record and a person with six
// (each with a home, repairs, notes, a change from an import and an alert) take the same count. The timeline is the
// same as it was built record by record, and alert reads are still audited. The timeline also has each edit staff or
// an API token made (here: the alerts added through the API) and who left each tenancy, with who recorded it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import type { Db } from '../../src/platform/db/store.ts';
import { decide, clusterMembers } from '../../src/modules/linkage/service.ts';
import { personView } from '../../src/modules/single-view/service.ts';
import { endMember, tenancyService } from '../../src/modules/tenancies/index.ts';
import { csvFiles } from '../support/csv-files.ts';

const csv = csvFiles('hearth-timeline-');

let h: Harness;
let L: Landlord;
/** Person ids by "system:source id"; home ids by reference. */
let people: Map<string, string>;
let homes: Map<string, string>;

const SYSTEMS = ['northgate-housing', 'civica-crm', 'repairs-system', 'asb-cases', 'rent-system', 'contact-centre'];
async function load(kind: string, sourceSystem: string, lines: string[]) {
  const file = csv.write(lines);
  const r = await ingestFile(h.store, { organisationId: L.id, file, sourceSystem, kind });
  assert.equal(r.counts.rejected, 0, `${kind} from ${sourceSystem}: nothing rejected (${JSON.stringify(r.problems)})`);
}

/** Run work in one organisation transaction, counting every statement sent to the database driver. */
async function counted<T>(work: (ctx: { actor: ReturnType<typeof systemActor>; tx: Db }) => Promise<T>): Promise<{ result: T; statements: string[] }> {
  return h.store.withOrg(L.id, async (tx) => {
    // Both drizzle drivers (PGlite, node-postgres) send every statement of the transaction through its client's query.
    const client = (tx as unknown as { session: { client: { query: (...args: unknown[]) => unknown } } }).session.client;
    const own = Object.hasOwn(client, 'query');
    const original = client.query;
    const statements: string[] = [];
    client.query = function (this: unknown, ...args: unknown[]) {
      const q = args[0] as string | { text: string };
      statements.push(typeof q === 'string' ? q : q.text);
      return original.apply(this, args);
    };
    try {
      return { result: await work({ actor: systemActor(L.id), tx }), statements };
    } finally {
      if (own) client.query = original; else delete (client as { query?: unknown }).query;
    }
  });
}

before(async () => {
  h = await harness();
 
  L = await landlord(h, 'Timeline landlord');
  const A = L.as.administrator;
  // Seven homes: one for each of the six records of Maya Okonjo, and one for Sam Pryce (one record).
  await load('homes', 'northgate-housing', ['Prop Ref,UPRN,House No,Street,Town,Post Code,Prop Type',
    ...[1, 2, 3, 4, 5, 6, 7].map((i) => `H${i},${100023337000 + i},${i},${['Hill Street', 'Oak Avenue', 'Kirkstall Road'][i % 3]},Leeds,LS${6 + (i % 3)} ${i}AB,House`)]);
  // Each system holds Maya once (at its own home); the housing system also holds Sam and two household members.
  // Each is loaded twice, the second time with a new mobile number: one change from an import per record.
  for (const round of [1, 2]) {
    for (const [i, system] of SYSTEMS.entries()) {
      await load('people', system, ['Customer Ref,Forename,Surname,Date of Birth,Mobile,Prop Ref',
        `M-${i + 1},Maya,Okonjo,14/02/1980,07700 9001${round}${i},H${i + 1}`,
        ...(i === 0 ? [`S-1,Sam,Pryce,03/09/1962,07700 9002${round}0,H7`, 'K-1,Kofi,Okonjo,01/06/2010,,H1', 'K-2,Ruth,Pryce,11/11/1964,,H7'] : [])]);
    }
  }
  const org = L.id;
  const refs = await h.store.withOrg(org, async (tx) => (await tx.execute(sql`select entity_kind, source_system || ':' || source_id as k, record_id as id
    from source_references where entity_kind in ('person', 'home')`)).rows as { entity_kind: string; k: string; id: string }[]);
  people = new Map(refs.filter((r) => r.entity_kind === 'person').map((r) => [r.k, r.id]));
  homes = new Map(refs.filter((r) => r.entity_kind === 'home').map((r) => [r.k.split(':')[1]!, r.id]));
  const maya = SYSTEMS.map((s, i) => people.get(`${s}:M-${i + 1}`)!);
  const sam = people.get('northgate-housing:S-1')!;
  // Maya's six records are one person (a data lead's decisions, so it does not depend on the model).
  await h.store.withOrg(org, async (tx) => {
    for (const other of maya.slice(1)) await decide({ actor: systemActor(org), tx }, maya[0]!, other, 'accepted');
  });
  assert.equal((await h.store.withOrg(org, (tx) => clusterMembers({ actor: systemActor(org), tx }, maya[0]!))).members.length, 6);
  assert.equal((await h.store.withOrg(org, (tx) => clusterMembers({ actor: systemActor(org), tx }, sam))).members.length, 1);
  // A current tenancy each, with a household member; an alert, a note and a repair for every record and home.
  const post = async (url: string, body: object) => {
    const r = await api(h, 'POST', url, A, body);
    assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
    return r.body as { id: string };
  };
  const tm = await post('/api/v1/tenancies', { reference: 'T-M', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: homes.get('H1'),
    members: [{ personId: maya[0], role: 'lead' }, { personId: people.get('northgate-housing:K-1'), role: 'household-member', relationship: 'child' }] });
  const ts = await post('/api/v1/tenancies', { reference: 'T-S', tenancyType: 'secure', tenure: 'social-rent', startDate: '2021-01-01', homeId: homes.get('H7'),
    members: [{ personId: sam, role: 'lead' }, { personId: people.get('northgate-housing:K-2'), role: 'joint' }] });
  for (const [i, id] of [...maya, sam].entries()) {
    await post('/api/v1/alerts', { personId: id, hactCode: '10', category: 'RISK', confidentiality: 'standard', startDate: '2020-01-01', description: `Alert ${i + 1}` });
    await post('/api/v1/notes', { subjectKind: 'person', personId: id, noteType: 'Phone call', text: `Note ${i + 1}`, notedAt: `2024-0${1 + (i % 9)}-10T09:00:00Z` });
  }
  // The other member of each tenancy leaves, as a housing officer records it.
  const officer = { kind: 'user' as const, id: '01900000-0000-7000-8000-000000000001', name: 'Priya Shah', organisationId: org, role: 'housing-officer' as const };
  await h.store.withOrg(org, async (tx) => {
    for (const [t, who] of [[tm.id, 'K-1'], [ts.id, 'K-2']] as const) {
      const { version } = await tenancyService.get({ actor: officer, tx }, t);
      await endMember({ actor: officer, tx }, t, version, people.get(`northgate-housing:${who}`)!, '2024-06-30');
    }
  });
  for (let i = 1; i <= 7; i++) {
    await post('/api/v1/repairs', { jobReference: `J-${i}`, homeId: homes.get(`H${i}`), reportedDate: `2023-0${i}-01`, completedDate: `2023-0${i}-15`,
      status: 'Completed', description: `Repair ${i}` });
  }
});
after(async () => { await h.close(); csv.remove(); });

test('the Person page reads a person with six linked records in the same number of statements as a person with one', async (t) => {
  const maya = people.get('northgate-housing:M-1')!;
  const sam = people.get('northgate-housing:S-1')!;
  const one = await counted((ctx) => personView(ctx, sam));
  const six = await counted((ctx) => personView(ctx, maya));
  t.diagnostic(`statements: 1 linked record ${one.statements.length}, 6 linked records ${six.statements.length}`);
  assert.equal(one.result.linkedRecords.length, 1);
  assert.equal(six.result.linkedRecords.length, 6);
  assert.equal(six.statements.length, one.statements.length,
    `the same count whatever the number of linked records:\n1: ${one.statements.join('\n   ')}\n6: ${six.statements.join('\n   ')}`);

  // What the timeline shows for six records: each record's arrival and its change, the notes about each, the repairs to each home.
  const kinds = (tl: { kind: string }[]) => tl.reduce<Record<string, number>>((o, e) => ({ ...o, [e.kind]: (o[e.kind] ?? 0) + 1 }), {});
  // Edits: each alert added through the API (by the token), one per record; imports are not edits (they are changes).
  assert.deepEqual(kinds(six.result.timeline), { record: 6, change: 6, note: 6, repair: 6, edit: 6, tenancy: 1 });
  assert.deepEqual(kinds(one.result.timeline), { record: 1, change: 1, note: 1, repair: 1, edit: 1, tenancy: 1 });
  assert.ok(six.result.timeline.filter((e) => e.kind === 'edit').every((e) => /^.+ added an alert$/.test(e.title) && e.by && e.href?.startsWith('/people/')));
  assert.deepEqual(six.result.timeline.filter((e) => e.kind === 'tenancy').map((e) => [e.title, e.href]),
    [['Kofi Okonjo left tenancy T-M on 30 June 2024 — recorded by Priya Shah', `/homes/${homes.get('H1')}`]]);
  assert.deepEqual(one.result.timeline.filter((e) => e.kind === 'tenancy').map((e) => e.title),
    ['Ruth Pryce left tenancy T-S on 30 June 2024 — recorded by Priya Shah']);
  const tl = six.result.timeline;
  assert.deepEqual(tl.map((e) => e.at), [...tl.map((e) => e.at)].sort().reverse(), 'newest first');
  assert.deepEqual(tl.filter((e) => e.kind === 'repair').map((e) => [e.title, e.detail, e.at]),
    [6, 5, 4, 3, 2, 1].map((i) => [`Repair J-${i} (Completed)`, `Repair ${i}`, `2023-0${i}-15`]));
  assert.deepEqual(tl.filter((e) => e.kind === 'repair').map((e) => e.href), [6, 5, 4, 3, 2, 1].map((i) => `/homes/${homes.get(`H${i}`)}`));
  assert.deepEqual(tl.filter((e) => e.kind === 'note').map((e) => e.detail).sort(), ['Note 1', 'Note 2', 'Note 3', 'Note 4', 'Note 5', 'Note 6']);
  assert.deepEqual(tl.filter((e) => e.kind === 'record').map((e) => e.title).sort(), SYSTEMS.map((s, i) => `Record ${s} M-${i + 1} added`).sort());
  for (const [i, s] of SYSTEMS.entries()) {
    const change = tl.find((e) => e.kind === 'change' && e.title.startsWith(`An import from ${s} changed`));
    assert.ok(change, `the change to ${s} M-${i + 1}`);
    assert.match(change.detail!, new RegExp(`9001${1}${i}.* → .*9001${2}${i}`));
  }
  // The rest of the page: alerts of every record, the tenancy and its household, notes about the person.
  assert.equal(six.result.alerts?.length, 6);
  assert.equal(six.result.tenancies.length, 1);
  assert.deepEqual(six.result.household.map((m) => m.person.givenName), ['Kofi']);
  // Notes about every record linked as the person (the page is the same whichever record it is opened from).
  assert.deepEqual(six.result.notes.map((n) => n.text).sort(), ['Note 1', 'Note 2', 'Note 3', 'Note 4', 'Note 5', 'Note 6']);
});

test('each alert the Person page reads is audited, in the same statement whatever the number of records', async () => {
  const maya = people.get('northgate-housing:M-1')!;
  const audited = async () => (await h.store.withOrg(L.id, async (tx) => (await tx.execute(sql`select entity_id from audit_events
    where action = 'read-sensitive' and entity_kind = 'person-alert' order by id`)).rows as { entity_id: string }[])).map((r) => r.entity_id);
  const beforeRead = await audited();
  const { result } = await counted((ctx) => personView(ctx, maya));
  const read = (await audited()).slice(beforeRead.length);
  // Each alert shown (and each named on the timeline: the same alerts, as they were added) is audited as read.
  assert.deepEqual([...new Set(read)].sort(), result.alerts!.map((a) => a.id).sort());
  // A role that may not read alerts reads none and audits none.
  const analyst = { ...systemActor(L.id), role: 'analyst' as const };
  const view = await h.store.withOrg(L.id, (tx) => personView({ actor: analyst, tx }, maya));
  assert.equal(view.alerts, undefined);
  assert.equal((await audited()).length, beforeRead.length + read.length);
});
