// Record linkage end to end against the real database: people loaded from a housing system and a CRM are linked
// into real people (nicknames and typos found, household members kept apart), decisions hold across runs, golden
// records name the source of each value, the person API returns the linked records, other landlords see nothing,
// and the export names each source record's person.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { GIVEN, FAMILY, dob, phone, postcode } from '../support/population.ts';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { relinkAll, goldenRecord, linksCsvRows, decide, split, clusterMembers, linkedHomes, linkNew, linkHomesNear } from '../../src/modules/linkage/service.ts';

let h: Harness;
let dir: string;
let L: Landlord;
let other: Landlord;
/** Person ids by "system:source id". */
let ids: Map<string, string>;

const csv = (lines: string[]) => lines.join('\r\n') + '\r\n';
let files = 0;
async function load(org: string, kind: string, sourceSystem: string, lines: string[]) {
  const file = path.join(dir, `file-${++files}.csv`);
  fs.writeFileSync(file, csv(lines));
  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem, kind });
  assert.equal(r.counts.rejected, 0, `${kind} from ${sourceSystem}: nothing rejected (${JSON.stringify(r.problems)})`);
  return r;
}


before(async () => {
  h = await harness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-linkage-'));
  L = await landlord(h, 'Linkage landlord');
  other = await landlord(h, 'Other landlord');
  const org = L.id;
  // Homes in the housing system: P0 is the Morgans' flat.
  await load(org, 'homes', 'northgate-housing', ['Prop Ref,UPRN,Flat,House No,Street,Town,Post Code,Prop Type',
    'P0,100023336900,Flat 12,,Moor Road,Leeds,LS6 1AA,Flat',
    ...GIVEN.map((_g, i) => `P${i + 1},${100023336901 + i},,${i + 3},${['Hill Street', 'Oak Avenue', 'Kirkstall Road'][i % 3]},Leeds,${postcode(i)},House`)]);
  // The housing system: a household of three Morgans, and thirty tenants.
  await load(org, 'people', 'northgate-housing', ['Customer Ref,Title,Forename,Surname,Date of Birth,Mobile,Prop Ref',
    'N001,Mr,Robert,Morgan,02/03/1971,07700 900123,P0',
    'N002,Mrs,Sarah,Morgan,19/07/1974,07700 900124,P0',
    'N003,,Thomas,Morgan,10/01/2005,,P0',
    ...GIVEN.map((g, i) => `N${100 + i},,${g},${FAMILY[i]},${dob(i).split('-').reverse().join('/')},${phone(i)},P${i + 1}`)]);
  // The CRM: Bob Morgen (a nickname and a typo) with an email, and most of the tenants again, some with slips.
  await load(org, 'people', 'civica-crm', ['Contact ID,First Name,Last Name,DOB,Phone,Email,Address 1,Postcode',
    'C-1,Bob,Morgen,1971-03-02,07700900123,bob.morgan@example.com,Flat 12 Moor Road,LS6 1AA',
    ...GIVEN.slice(0, 24).map((g, i) => {
      const given = i === 3 ? 'Dave' : i === 5 ? 'Farhaan' : g;
      const family = i === 7 ? 'Campbel' : FAMILY[i];
      return `C-${100 + i},${given},${family},${dob(i)},${i % 4 === 0 ? '' : phone(i)},${g.toLowerCase()}.${FAMILY[i]!.toLowerCase()}@example.com,${i + 3} ${['Hill Street', 'Oak Avenue', 'Kirkstall Road'][i % 3]},${postcode(i)}`;
    })]);
  const rows = await h.store.withOrg(org, async (tx) => (await tx.execute(sql`select source_system || ':' || source_id as k, record_id as id from source_references where entity_kind = 'person'`)).rows as { k: string; id: string }[]);
  ids = new Map(rows.map((r) => [r.k, r.id]));
});
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

const ctx = <T>(org: string, work: (c: { actor: ReturnType<typeof systemActor>; tx: Parameters<Parameters<Harness['store']['withOrg']>[1]>[0] }) => Promise<T>) =>
  h.store.withOrg(org, (tx) => work({ actor: systemActor(org), tx }));
const clusterOf = (id: string) => ctx(L.id, (c) => clusterMembers(c, id));
const same = async (x: string, y: string) => (await clusterOf(ids.get(x)!)).members.includes(ids.get(y)!);

test('relinkAll links the same person across the two systems and keeps household members apart', async () => {
  const s = await relinkAll(h.store, L.id);
  assert.equal(s.records, 3 + 30 + 25);
  assert.ok(await same('northgate-housing:N001', 'civica-crm:C-1'), 'Robert Morgan and Bob Morgen are one person');
  assert.ok(await same('northgate-housing:N103', 'civica-crm:C-103'), 'David and Dave (same date of birth, phone and address)');
  assert.ok(await same('northgate-housing:N100', 'civica-crm:C-100'), 'same name and date of birth, no phone in the CRM');
  assert.ok(!(await same('northgate-housing:N001', 'northgate-housing:N002')), 'Robert and Sarah Morgan are two people');
  assert.ok(!(await same('northgate-housing:N001', 'northgate-housing:N003')), 'father and son are two people');
  assert.ok(!(await same('civica-crm:C-1', 'northgate-housing:N002')), 'Bob is not Sarah');
  const linked = GIVEN.slice(0, 24).filter((_g, i) => ids.get(`civica-crm:C-${100 + i}`) && ids.get(`northgate-housing:N${100 + i}`));
  let found = 0;
  for (let i = 0; i < linked.length; i++) if (await same(`northgate-housing:N${100 + i}`, `civica-crm:C-${100 + i}`)) found++;
  assert.ok(found >= 20, `most CRM contacts are linked to their tenant (${found} of 24)`);
  assert.ok(s.people <= s.records - 20 && s.people >= 33, `people found: ${s.people}`);
  // Idempotent: the same again.
  const again = await relinkAll(h.store, L.id);
  assert.deepEqual({ ...again, millis: 0 }, { ...s, millis: 0 });
});

test('the golden record takes each value from the housing system first, and names its source', async () => {
  const g = await ctx(L.id, (c) => goldenRecord(c, ids.get('civica-crm:C-1')!));
  assert.equal(g.records.length, 2);
  assert.deepEqual(g.fields.givenName, { value: 'Robert', sourceSystem: 'northgate-housing', sourceId: 'N001', personId: ids.get('northgate-housing:N001') });
  assert.equal(g.fields.familyName?.value, 'Morgan');
  assert.deepEqual(g.fields.email, { value: 'bob.morgan@example.com', sourceSystem: 'civica-crm', sourceId: 'C-1', personId: ids.get('civica-crm:C-1') });
  assert.equal(g.sourceRanking[0], 'northgate-housing');
  assert.equal(g.id, [ids.get('northgate-housing:N001')!, ids.get('civica-crm:C-1')!].sort()[0]);
});

test('GET /api/v1/people/{id} returns the golden record and every linked source record', async () => {
  const id = ids.get('civica-crm:C-1')!;
  const r = await api(h, 'GET', `/api/v1/people/${id}`, L.as['housing-officer']);
  assert.equal(r.status, 200);
  assert.equal(r.body.id, id);
  assert.equal(r.body.givenName, 'Bob', 'the record asked for is as it is');
  assert.deepEqual(r.body.linkedRecords.map((x: { sourceSystem: string; sourceId: string }) => `${x.sourceSystem}:${x.sourceId}`).sort(), ['civica-crm:C-1', 'northgate-housing:N001']);
  assert.equal(r.body.linkedRecords.find((x: { sourceId: string }) => x.sourceId === 'N001').values.givenName, 'Robert');
  assert.equal(r.body.golden.fields.givenName.value, 'Robert');
  assert.equal(r.body.golden.fields.givenName.sourceSystem, 'northgate-housing');
  assert.ok(Array.isArray(r.body.tenancies));
  // An unlinked person: itself only.
  const alone = await api(h, 'GET', `/api/v1/people/${ids.get('northgate-housing:N002')}`, L.as.analyst);
  assert.equal(alone.body.linkedRecords.length, 1);
  assert.equal(alone.body.golden.fields.givenName.value, 'Sarah');
});

test('a rejected pair is split and stays apart after relinkAll; accepting links it again', async () => {
  const a = ids.get('northgate-housing:N001')!;
  const b = ids.get('civica-crm:C-1')!;
  const denied = await api(h, 'POST', `/api/v1/link-reviews/${a}/${b}/decision`, L.as['housing-officer'], { decision: 'rejected' });
  assert.equal(denied.status, 403, 'deciding needs links:decide');
  const r = await api(h, 'POST', `/api/v1/link-reviews/${b}/${a}/decision`, L.as['data-lead'], { decision: 'rejected' });
  assert.equal(r.status, 200);
  assert.ok(!(await same('northgate-housing:N001', 'civica-crm:C-1')));
  await relinkAll(h.store, L.id);
  assert.ok(!(await same('northgate-housing:N001', 'civica-crm:C-1')), 'a rejected pair is never linked again');
  const decided = await api(h, 'GET', '/api/v1/link-reviews?status=rejected', L.as.analyst);
  assert.equal(decided.status, 200);
  assert.ok(decided.body.items.some((x: { a: string; b: string }) => x.a === [a, b].sort()[0] && x.b === [a, b].sort()[1]));
  const audit = await h.store.withOrg(L.id, async (tx) => (await tx.execute(sql`select action from audit_events where action like 'link-%'`)).rows);
  assert.ok(audit.length >= 1);
  const back = await api(h, 'POST', `/api/v1/link-reviews/${a}/${b}/decision`, L.as.administrator, { decision: 'accepted' });
  assert.equal(back.status, 200);
  assert.ok(await same('northgate-housing:N001', 'civica-crm:C-1'));
  await relinkAll(h.store, L.id);
  assert.ok(await same('northgate-housing:N001', 'civica-crm:C-1'), 'an accepted pair stays linked');
});

test('split takes a record out of its cluster; accepting undoes it', async () => {
  const x = ids.get('northgate-housing:N103')!;
  const y = ids.get('civica-crm:C-103')!;
  assert.ok(await same('northgate-housing:N103', 'civica-crm:C-103'));
  await ctx(L.id, (c) => split(c, y));
  assert.ok(!(await same('northgate-housing:N103', 'civica-crm:C-103')));
  await ctx(L.id, (c) => decide(c, x, y, 'accepted'));
  assert.ok(await same('northgate-housing:N103', 'civica-crm:C-103'));
});

test('the review page’s explanation names the two records in the order its table shows them', async () => {
  // Farhan and Farhaan Walsh are one person; taking out the record with the later id scores the pair from that side.
  const [lo, hi] = [ids.get('northgate-housing:N105')!, ids.get('civica-crm:C-105')!].sort() as [string, string];
  assert.ok(await same('northgate-housing:N105', 'civica-crm:C-105'));
  await ctx(L.id, (c) => split(c, hi));
  const email = `lead.${L.id.slice(-8)}@example.org`;
  await h.auth.addUser({ organisationId: L.id, email, name: 'Lead', role: 'data-lead', password: 'a long test password 1' });
  const cookie = `hearth_session=${(await h.auth.signIn(email, 'a long test password 1'))!.token}`;
  const page = await h.app.inject({ method: 'GET', url: `/linkage/reviews/${hi}/${lo}`, headers: { cookie } });
  assert.equal(page.statusCode, 200);
  const heads = [...page.body.matchAll(/<a class="govuk-link" href="\/people\/([0-9a-f-]{36})">/g)].map((m) => m[1]);
  assert.deepEqual(heads, [lo, hi], 'the table shows the records in id order');
  const names = page.body.match(/>Name<\/th>\s*<td class="govuk-table__cell">([^<]*)<\/td>\s*<td class="govuk-table__cell">([^<]*)<\/td>/)!;
  const given = [names[1]!, names[2]!].map((n) => n.split(' ')[0]!);
  assert.deepEqual(given.slice().sort(), ['Farhaan', 'Farhan'], 'names as recorded');
  assert.ok(page.body.includes('Given names are spelt almost the same'), 'the page says it in plain words');
  // The engine's explanation (over the API) names the table's first record first.
  const reviews = await api(h, 'GET', '/api/v1/link-reviews?status=rejected&limit=500', L.as.analyst);
  const label = reviews.body.items.find((r: { a: string; b: string }) => r.a === lo && r.b === hi)
    .comparisons.find((c: { field: string; label: string }) => c.field === 'name' && c.label.startsWith('Given names')).label as string;
  assert.equal(label, `Given names “${given[0]!.toLowerCase()}” and “${given[1]!.toLowerCase()}” are very similar (a typo?)`,
    `the explanation names ${given[0]} (the table’s first record) first`);
  await ctx(L.id, (c) => decide(c, lo, hi, 'accepted'));
});

test('pending reviews list the most doubtful first; a new person from the API is linked at once', async () => {
  const list = await api(h, 'GET', '/api/v1/link-reviews', L.as.analyst);
  assert.equal(list.status, 200);
  const doubt = list.body.items.map((r: { probability: number }) => Math.abs(r.probability - 0.5));
  assert.deepEqual(doubt, [...doubt].sort((p: number, q: number) => p - q));
  const made = await api(h, 'POST', '/api/v1/people', L.as['housing-officer'], {
    givenName: 'Robert', familyName: 'Morgan', dateOfBirth: '1971-03-02', contactPoints: [{ system: 'phone', value: '+447700900123' }],
    sourceReferences: [{ system: 'rent-account', id: 'R-77' }],
  });
  assert.equal(made.status, 201);
  const c = await clusterOf(made.body.id);
  assert.ok(c.members.length >= 1, 'the new person has a cluster');
  assert.ok(c.members.includes(ids.get('northgate-housing:N001')!), `joins Robert Morgan (${JSON.stringify(c)})`);
});

test('linked one at a time, a household is kept apart as a full run keeps it; decisions still win', async () => {
  // Father and son of one flat (one phone, one email), then a record that could be either ("J Kowalski", no date of
  // birth), each made through the API and linked at once (the incremental path). The bare record may join one of them,
  // never chain the two together: its merge with the other is refused and waits for a data lead.
  const home = { familyName: 'Kowalski', address: { buildingNumber: '22', street: 'Kirkgate', postcode: 'LS2 7EW' },
    contactPoints: [{ system: 'phone', value: '+447700900555' }, { system: 'email', value: 'kowalski.home@example.com' }] };
  let n = 0;
  const person = async (extra: Record<string, unknown>) => {
    const r = await api(h, 'POST', '/api/v1/people', L.as['housing-officer'], { ...home, ...extra, sourceReferences: [{ system: 'repairs-system', id: `K-${++n}` }] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const together = async (x: string, y: string) => (await clusterOf(x)).members.includes(y);
  const john = await person({ givenName: 'John', dateOfBirth: '1962-04-11' });
  const james = await person({ givenName: 'James', dateOfBirth: '1991-08-23' });
  assert.ok(!(await together(john, james)), 'father and son are two people');
  const j = await person({ givenName: 'J' });
  const withJohn = await together(j, john);
  const withJames = await together(j, james);
  assert.ok(withJohn !== withJames, `J Kowalski joins one of them (John ${withJohn}, James ${withJames})`);
  assert.ok(!(await together(john, james)), 'not chained through J Kowalski');
  const other = withJohn ? james : john;
  const pending = await api(h, 'GET', '/api/v1/link-reviews?limit=500', L.as.analyst);
  assert.ok(pending.body.items.some((x: { a: string; b: string }) => x.a === [j, other].sort()[0] && x.b === [j, other].sort()[1]),
    'the refused merge waits for a data lead');
  // What the incremental path kept apart, a full run keeps apart.
  await relinkAll(h.store, L.id);
  assert.ok(!(await together(john, james)));
  const partner = (await together(j, john)) ? john : james;

  // Rejected: J Kowalski is not its partner; another copy of the same record links with J, never back to the partner.
  await ctx(L.id, (c) => decide(c, j, partner, 'rejected'));
  assert.ok(!(await together(j, partner)));
  const again = await person({ givenName: 'J' });
  assert.ok(await together(again, j), 'the copy links with J Kowalski');
  assert.ok(!(await together(j, partner)), 'a rejected pair is not linked again through a new record');
  assert.ok(!(await together(john, james)));
  // Accepted: the data lead says J Kowalski is its partner after all; new records linked later keep that.
  await ctx(L.id, (c) => decide(c, j, partner, 'accepted'));
  assert.ok(await together(j, partner));
  const third = await person({ givenName: 'J' });
  assert.ok(await together(third, j));
  assert.ok(await together(j, partner), 'an accepted pair stays linked when new records arrive');
});

test('linking takes a context: a role that may not change records may not link; it may read a cluster', async () => {
  const someone = ids.get('northgate-housing:N001')!;
  const as = (role: 'analyst' | 'data-lead') => <T>(work: (c: { actor: ReturnType<typeof systemActor>; tx: Parameters<Parameters<Harness['store']['withOrg']>[1]>[0] }) => Promise<T>) =>
    h.store.withOrg(L.id, (tx) => work({ actor: { kind: 'user', id: `${role}-1`, name: role, organisationId: L.id, role }, tx }));
  await assert.rejects(as('analyst')((c) => linkNew(c, [someone])), { status: 403 });
  await assert.rejects(as('analyst')((c) => linkHomesNear(c, [])), { status: 403 });
  assert.ok((await as('analyst')((c) => clusterMembers(c, someone))).members.includes(someone));
  assert.deepEqual(await as('data-lead')((c) => linkNew(c, [])), { linked: 0, forReview: 0 });
});

test('another landlord sees none of it', async () => {
  const id = ids.get('northgate-housing:N001')!;
  assert.equal((await api(h, 'GET', `/api/v1/people/${id}`, other.as.administrator)).status, 404);
  const list = await api(h, 'GET', '/api/v1/link-reviews?status=rejected', other.as.administrator);
  assert.deepEqual(list.body.items, []);
  const r = await api(h, 'POST', `/api/v1/link-reviews/${id}/${ids.get('civica-crm:C-1')}/decision`, other.as.administrator, { decision: 'rejected' });
  assert.equal(r.status, 404);
  const s = await relinkAll(h.store, other.id);
  assert.equal(s.records, 0);
  const seen = await h.store.withOrg(other.id, async (tx) => (await tx.execute(sql`select count(*)::int as n from person_clusters`)).rows[0] as { n: number });
  assert.equal(seen.n, 0);
});

test('the export names each source record’s person', async () => {
  const rows: string[][] = [];
  for await (const r of linksCsvRows(h.store, L.id)) rows.push(r);
  assert.ok(rows.length >= 58);
  const of = (sys: string, sid: string) => rows.find((r) => r[0] === sys && r[1] === sid)![2];
  assert.equal(of('northgate-housing', 'N001'), of('civica-crm', 'C-1'));
  assert.notEqual(of('northgate-housing', 'N001'), of('northgate-housing', 'N002'));
  assert.equal(of('northgate-housing', 'N002'), ids.get('northgate-housing:N002'));
});

test('homes from two systems: the same UPRN, or the same address within a postcode, is one home; never two UPRNs, never a guess', async () => {
  // The repairs system has no UPRNs, and writes addresses its own way.
  await load(L.id, 'homes', 'repairs-system', ['Asset ID,Address 1,Address 2,Postcode',
    'R-0,Flat 12,Moor Rd,LS6 1AA', // P0 (Flat 12, Moor Road), abbreviated
    `R-1,3 HILL ST.,,${postcode(0)}`, // P1 (3 Hill Street)
    `R-2,4 Oak Avenue,,LS1 1AA`, // P2's address (4 Oak Avenue) in another postcode: not the same home
    'R-3,7 Dock Street,,LS9 9ZZ', // an address two homes with different UPRNs share: ambiguous
  ]);
  // The asset register has UPRNs: one the housing system has too (written differently), and two homes at one address.
  await load(L.id, 'homes', 'asset-register', ['Asset ID,UPRN,Address 1,Postcode',
    `A-1,100023336902,Four Oak Av,${postcode(1)}`, // P2 by UPRN, whatever the address says
    'A-2,200000000001,7 Dock Street,LS9 9ZZ',
  ]);
  await load(L.id, 'homes', 'northgate-housing', ['Prop Ref,UPRN,House No,Street,Town,Post Code,Prop Type', 'P900,200000000002,7,Dock Street,Leeds,LS9 9ZZ,House']);
  const homeIds = async () => new Map((await h.store.withOrg(L.id, async (tx) => (await tx.execute(sql`select source_system || ':' || source_id as k, record_id as id
    from source_references where entity_kind = 'home'`)).rows as { k: string; id: string }[])).map((r) => [r.k, r.id]));
  const hid = await homeIds();
  const clusters = async () => new Map((await h.store.withOrg(L.id, async (tx) => (await tx.execute(sql`select home_id, cluster_id, how from home_clusters`)).rows as { home_id: string; cluster_id: string; how: string }[]))
    .map((r) => [r.home_id, r]));
  const check = async (when: string) => {
    const c = await clusters();
    const sameHome = (x: string, y: string) => c.get(hid.get(x)!)?.cluster_id === c.get(hid.get(y)!)?.cluster_id;
    assert.equal(c.size, hid.size, `${when}: every home has a cluster`);
    assert.ok(sameHome('northgate-housing:P0', 'repairs-system:R-0'), `${when}: Flat 12 Moor Rd is Flat 12 Moor Road in LS6 1AA`);
    assert.equal(c.get(hid.get('repairs-system:R-0')!)!.how, 'address');
    assert.ok(sameHome('northgate-housing:P1', 'repairs-system:R-1'), `${when}: 3 HILL ST. is 3 Hill Street`);
    assert.ok(sameHome('northgate-housing:P2', 'asset-register:A-1'), `${when}: the same UPRN is the same home`);
    assert.equal(c.get(hid.get('asset-register:A-1')!)!.how, 'uprn');
    assert.ok(!sameHome('northgate-housing:P2', 'repairs-system:R-2'), `${when}: the same words in another postcode are another home`);
    assert.equal(c.get(hid.get('repairs-system:R-2')!)!.how, 'alone');
    assert.ok(!sameHome('asset-register:A-2', 'northgate-housing:P900'), `${when}: two UPRNs at one address are two homes`);
    assert.ok(!sameHome('repairs-system:R-3', 'asset-register:A-2') && !sameHome('repairs-system:R-3', 'northgate-housing:P900'), `${when}: which of the two it is would be a guess`);
  };
  await check('linked as each batch loaded');
  const s = await relinkAll(h.store, L.id);
  await check('linked afresh');
  assert.equal(s.homeRecords, hid.size);
  assert.equal(s.linkedHomes, 3);
  assert.equal(s.homes, hid.size - 3);

  // What the Home page shows: the same home in the other system (the browser test opens the page).
  const view = await ctx(L.id, (c) => linkedHomes(c, hid.get('northgate-housing:P0')!));
  assert.deepEqual(view.map((v) => [v.sourceSystem, v.sourceId, v.id]), [['repairs-system', 'R-0', hid.get('repairs-system:R-0')]]);
  // Another landlord sees none of it.
  const seen = await h.store.withOrg(other.id, async (tx) => (await tx.execute(sql`select count(*)::int as n from home_clusters`)).rows[0] as { n: number });
  assert.equal(seen.n, 0);
});
