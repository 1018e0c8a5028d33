// The demo landlord, checked in the database: counts, identifiers, postcodes, dates, tenancies, blocks, alerts,
// repairs and notes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { isValid as isPostcode } from 'postcode';
import { openStore, type Store } from '../../platform/db/store.ts';
import { formatAddress, PROPERTY_TYPES } from '../homes/index.ts';
import { ALERT_CATEGORIES, CATEGORIES_FOR_HACT_CODE, CONFIDENTIALITY_LEVELS, HACT_ALERT_CODES, type AlertCategory, type HactAlertCode } from '../people/index.ts';
import { TENANCY_TYPES, TENURES } from '../tenancies/index.ts';
import { goldenRecord, pairsToReview } from '../linkage/index.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { loadConfig } from '../../config.ts';
import { buildApp } from '../../app.ts';
import { generateDemo, DEMO_REPAIRS_SYSTEM, DEMO_SOURCE_SYSTEM, type DemoSummary } from './generate.ts';
import '../install-all.ts'; // the kinds of record and permissions, as the app installs them

let store: Store;
let demo: DemoSummary;
const SEED = 20240607;

async function query<T = Record<string, unknown>>(q: ReturnType<typeof sql>): Promise<T[]> {
  return store.system(async (tx) => (await tx.execute(q)).rows as T[]);
}

async function uprns(organisationId: string): Promise<(string | null)[]> {
  const rows = await query<{ uprn: string | null }>(sql`select uprn from homes where organisation_id = ${organisationId} order by reference`);
  return rows.map((r) => r.uprn);
}

before(async () => {
  store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: '' }, { memory: true });
  await store.migrate();
  const progress: [number, number][] = [];
  demo = await generateDemo(store, { homes: 300, seed: SEED, onProgress: (d, t) => progress.push([d, t]) });
  assert.deepEqual(progress.at(-1), [300, 300], 'progress ends at the total');
});

after(async () => {
  await store?.close();
});

test('every reference between records holds (the demo load skips foreign-key checks on PGlite)', async () => {
  // Each query counts rows whose reference points at nothing; all must be zero.
  const orphans = await query<{ what: string; n: number }>(sql`
    select 'home without its block' as what, count(*)::int as n from homes h where h.block_id is not null
      and not exists (select 1 from blocks b where b.organisation_id = h.organisation_id and b.id = h.block_id)
    union all select 'home without its estate', count(*)::int from homes h where h.estate_id is not null
      and not exists (select 1 from estates e where e.organisation_id = h.organisation_id and e.id = h.estate_id)
    union all select 'block without its estate', count(*)::int from blocks b where b.estate_id is not null
      and not exists (select 1 from estates e where e.organisation_id = b.organisation_id and e.id = b.estate_id)
    union all select 'tenancy without its home', count(*)::int from tenancies t
      where not exists (select 1 from homes h where h.organisation_id = t.organisation_id and h.id = t.home_id)
    union all select 'member without tenancy or person', count(*)::int from tenancy_members m
      where not exists (select 1 from tenancies t where t.organisation_id = m.organisation_id and t.id = m.tenancy_id)
         or not exists (select 1 from people p where p.organisation_id = m.organisation_id and p.id = m.person_id)
    union all select 'alert without its person', count(*)::int from person_alerts a
      where not exists (select 1 from people p where p.organisation_id = a.organisation_id and p.id = a.person_id)
    union all select 'repair without its home', count(*)::int from repairs r
      where not exists (select 1 from homes h where h.organisation_id = r.organisation_id and h.id = r.home_id)
    union all select 'note without its subject', count(*)::int from notes n
      where not exists (select 1 from people p where p.organisation_id = n.organisation_id and p.id = n.person_id)
        and not exists (select 1 from homes h where h.organisation_id = n.organisation_id and h.id = n.home_id)
        and not exists (select 1 from tenancies t where t.organisation_id = n.organisation_id and t.id = n.tenancy_id)
    union all select 'row of an unknown organisation', count(*)::int from homes h
      where not exists (select 1 from organisations o where o.id = h.organisation_id)`);
  for (const o of orphans) assert.equal(o.n, 0, o.what);
});

test('the summary matches what is in the database', async () => {
  const org = demo.organisationId;
  const [c] = await query<Record<string, number>>(sql`select
    (select count(*)::int from organisations where id = ${org}) as organisations,
    (select count(*)::int from estates where organisation_id = ${org}) as estates,
    (select count(*)::int from blocks where organisation_id = ${org}) as blocks,
    (select count(*)::int from blocks where organisation_id = ${org} and height_metres >= 18) as "blocksOver18m",
    (select count(*)::int from homes where organisation_id = ${org}) as homes,
    (select count(*)::int from people where organisation_id = ${org}) as people,
    (select count(*)::int from tenancies where organisation_id = ${org}) as tenancies,
    (select count(*)::int from person_alerts where organisation_id = ${org}) as alerts,
    (select count(*)::int from repairs where organisation_id = ${org}) as repairs,
    (select count(*)::int from notes where organisation_id = ${org}) as notes`);
  assert.equal(c!.organisations, 1);
  assert.equal(demo.homes, 300);
  for (const k of ['estates', 'blocks', 'blocksOver18m', 'homes', 'people', 'tenancies', 'alerts', 'repairs', 'notes'] as const) assert.equal(c![k], demo[k], k);
  assert.ok(demo.estates >= 1 && demo.blocks >= 2);
  assert.ok(demo.people > demo.homes, 'households of more than one person');
  assert.ok(demo.alerts > 0);
});

test('UPRNs are 1 to 12 digits and unique; a few homes have none', async () => {
  const list = await uprns(demo.organisationId);
  const present = list.filter((u): u is string => u !== null);
  for (const u of present) assert.match(u, /^\d{1,12}$/);
  assert.equal(new Set(present).size, present.length, 'no UPRN is used twice');
  assert.ok(present.length >= 270 && present.length <= 300, `about 2% without a UPRN (${300 - present.length})`);
});

test('every postcode is valid and normalised; addresses and search text follow the homes service', async () => {
  const homes = await query<Record<string, string | null>>(sql`select uprn, reference, sub_building, building_name, building_number, street,
    locality, town, postcode, property_type, floor, block_id, search_text from homes where organisation_id = ${demo.organisationId}`);
  const blocks = await query<{ postcode: string }>(sql`select postcode from blocks where organisation_id = ${demo.organisationId}`);
  for (const { postcode } of [...homes, ...blocks]) {
    assert.ok(postcode && isPostcode(postcode), `valid postcode: ${postcode}`);
    assert.match(postcode!, /^[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}$/, 'normalised form');
  }
  for (const h of homes) {
    assert.ok(h.property_type! in PROPERTY_TYPES);
    assert.match(h.reference!, /^PR\d{6}$/);
    const expected = [formatAddress({ subBuilding: h.sub_building, buildingName: h.building_name, buildingNumber: h.building_number, street: h.street, locality: h.locality, town: h.town, postcode: h.postcode }),
      h.uprn, h.reference, h.postcode?.replace(/\s/g, '')].filter(Boolean).join(' ').toLowerCase();
    assert.equal(h.search_text, expected);
    if (h.block_id) assert.match(h.sub_building!, /^Flat /);
    else assert.ok(h.building_number && !h.sub_building, 'houses are numbered on a street');
  }
  const inBlocks = homes.filter((h) => h.block_id).length;
  assert.ok(inBlocks > 60 && inBlocks < 240, `a mix of flats and houses (${inBlocks} of 300 in blocks)`);
});

test('blocks: residential units match their homes; heights include 18 m and over, and 7+ storeys with no height', async () => {
  const org = demo.organisationId;
  const mismatched = await query(sql`select b.id from blocks b left join homes h on h.organisation_id = b.organisation_id and h.block_id = b.id
    where b.organisation_id = ${org} group by b.id, b.residential_units having count(h.id) <> b.residential_units`);
  assert.deepEqual(mismatched, []);
  const [b] = await query<Record<string, number>>(sql`select
    count(*) filter (where height_metres >= 18)::int as tall,
    count(*) filter (where storeys >= 7 and height_metres is null)::int as "unknownHeight",
    count(*) filter (where height_metres is not null and (height_method is null or height_source is null))::int as "unsourced",
    count(*) filter (where storeys not between 2 and 25)::int as "badStoreys",
    count(*) filter (where year_built not between 1890 and 2020)::int as "badYear"
    from blocks where organisation_id = ${org}`);
  assert.ok(b!.tall >= 1, 'a block of 18 m or more');
  assert.ok(b!.unknownHeight >= 1, 'a block of 7 or more storeys whose height is not recorded');
  assert.equal(b!.unsourced, 0);
  assert.equal(b!.badStoreys, 0);
  assert.equal(b!.badYear, 0);
});

test('people: no date of birth in the future; contact points are drama-range phones and example emails', async () => {
  const org = demo.organisationId;
  const [future] = await query<{ n: number }>(sql`select count(*)::int as n from people where organisation_id = ${org} and date_of_birth > current_date`);
  assert.equal(future!.n, 0);
  const people = await query<{ given_name: string; middle_names: string | null; family_name: string; preferred_name: string | null; contact_points: { system: string; value: string }[]; search_text: string }>(
    sql`select given_name, middle_names, family_name, preferred_name, contact_points, search_text from people where organisation_id = ${org}`);
  for (const p of people) {
    for (const c of p.contact_points) {
      if (c.system === 'phone') assert.match(c.value, /^\+44(7700900\d{3}|1\d{2}49[68]0\d{3}|207946\d{4})$/, 'Ofcom drama-range number');
      else assert.match(c.value, /^[a-z0-9._]+@example\.(com|org|net)$/);
    }
    const expected = [p.given_name, p.middle_names, p.family_name, p.preferred_name, ...p.contact_points.map((c) => c.value)].filter(Boolean).join(' ').toLowerCase();
    assert.equal(p.search_text, expected);
  }
  // Tenants are adults: no lead or joint tenant was under 18 when they became one.
  const [minors] = await query<{ n: number }>(sql`select count(*)::int as n from tenancy_members m
    join tenancies t on t.organisation_id = m.organisation_id and t.id = m.tenancy_id
    join people p on p.organisation_id = m.organisation_id and p.id = m.person_id
    where m.organisation_id = ${org} and m.role in ('lead', 'joint') and p.date_of_birth > coalesce(m.start_date, t.start_date) - interval '18 years'`);
  assert.equal(minors!.n, 0);
});

test('tenancies: one current tenancy per occupied home, with exactly one lead; history ended before it', async () => {
  const org = demo.organisationId;
  const current = await query<{ home_id: string; n: number }>(sql`select home_id, count(*)::int as n from tenancies
    where organisation_id = ${org} and end_date is null group by home_id`);
  assert.ok(current.every((r) => r.n === 1), 'at most one current tenancy per home');
  assert.ok(current.length >= 240 && current.length <= 295, `about 90% occupied (${current.length})`);
  const leads = await query<{ id: string; leads: number }>(sql`select t.id, count(m.person_id) filter (where m.role = 'lead')::int as leads
    from tenancies t left join tenancy_members m on m.organisation_id = t.organisation_id and m.tenancy_id = t.id
    where t.organisation_id = ${org} and t.end_date is null group by t.id`);
  assert.ok(leads.every((r) => r.leads === 1), 'exactly one lead tenant');
  const rows = await query<{ tenancy_type: string; tenure: string; reference: string; start_date: string; end_date: string | null }>(
    sql`select tenancy_type, tenure, reference, start_date::text, end_date::text from tenancies where organisation_id = ${org}`);
  for (const t of rows) {
    assert.ok(t.tenancy_type in TENANCY_TYPES && t.tenure in TENURES, `${t.tenancy_type} / ${t.tenure}`);
    assert.match(t.reference, /^TEN\d{7}$/);
    assert.ok(t.start_date <= new Date().toISOString().slice(0, 10));
    if (t.end_date) assert.ok(t.end_date >= t.start_date);
  }
  assert.ok(rows.some((t) => t.end_date), 'some ended tenancies');
  const [overlap] = await query<{ n: number }>(sql`select count(*)::int as n from tenancies a join tenancies b
    on b.organisation_id = a.organisation_id and b.home_id = a.home_id and b.id <> a.id
    where a.organisation_id = ${org} and a.end_date is not null and b.end_date is null and a.end_date >= b.start_date`);
  assert.equal(overlap!.n, 0, 'an earlier tenancy ended before the current one began');
  const roles = await query<{ role: string }>(sql`select distinct role from tenancy_members where organisation_id = ${org}`);
  assert.deepEqual(roles.map((r) => r.role).sort(), ['household-member', 'joint', 'lead']);
});

test('alerts use HACT codes and UKHDS categories that agree, with confidentiality from the code list', async () => {
  const rows = await query<{ hact_code: string; category: string; confidentiality: string; start_date: string; review_date: string | null; recorded_by: string }>(
    sql`select hact_code, category, confidentiality, start_date::text, review_date::text, recorded_by from person_alerts where organisation_id = ${demo.organisationId}`);
  for (const a of rows) {
    assert.ok(a.hact_code in HACT_ALERT_CODES, a.hact_code);
    assert.ok(a.category in ALERT_CATEGORIES, a.category);
    assert.ok(a.confidentiality in CONFIDENTIALITY_LEVELS, a.confidentiality);
    assert.ok(CATEGORIES_FOR_HACT_CODE[a.hact_code as HactAlertCode].includes(a.category as AlertCategory), `${a.hact_code} → ${a.category}`);
    assert.ok(a.start_date <= new Date().toISOString().slice(0, 10));
    if (a.review_date) assert.ok(a.review_date >= a.start_date);
    assert.ok(a.recorded_by.includes(' '));
  }
  const share = demo.alerts / demo.people;
  assert.ok(share > 0.03 && share < 0.16, `about 8% of people have an alert (${(share * 100).toFixed(1)}%)`);
});

test('repairs: three years of jobs, dates in order, damp, mould, condensation and leaks among them', async () => {
  const rows = await query<{ job_reference: string; reported_date: string; target_date: string; completed_date: string | null; priority: string; status: string; description: string; trade: string; location: string }>(
    sql`select job_reference, reported_date::text, target_date::text, completed_date::text, priority, status, description, trade, location
      from repairs where organisation_id = ${demo.organisationId}`);
  const today = new Date().toISOString().slice(0, 10);
  const threeYearsAgo = new Date(Date.now() - 3 * 365 * 86_400_000 - 86_400_000).toISOString().slice(0, 10);
  for (const r of rows) {
    assert.match(r.job_reference, /^JOB\d{7}$/);
    assert.ok(r.reported_date >= threeYearsAgo && r.reported_date <= today, `reported ${r.reported_date}`);
    assert.ok(r.target_date >= r.reported_date);
    assert.ok(['Emergency', 'Urgent', 'Routine', 'Planned'].includes(r.priority), r.priority);
    if (r.completed_date) {
      assert.equal(r.status, 'Completed');
      assert.ok(r.completed_date >= r.reported_date && r.completed_date <= today, `completed ${r.completed_date}`);
    } else assert.notEqual(r.status, 'Completed');
    assert.ok(r.description && r.trade && r.location);
  }
  assert.equal(new Set(rows.map((r) => r.job_reference)).size, rows.length, 'job references are unique');
  const share = rows.length / demo.homes;
  assert.ok(share > 0.25 && share < 0.8, `about one job for every two homes (${share.toFixed(2)})`);
  for (const word of ['damp', 'mould', 'condensation', 'leak']) {
    assert.ok(rows.some((r) => r.description.toLowerCase().includes(word)), `some descriptions mention ${word}`);
  }
  assert.ok(rows.some((r) => r.description.includes('\n')), 'some descriptions run to a second line (kept word for word)');
  assert.ok(rows.some((r) => r.status !== 'Completed'), 'some jobs are open or cancelled');
  const [perHome] = await query<{ most: number }>(sql`select max(n)::int as most from (select count(*) as n from repairs where organisation_id = ${demo.organisationId} group by home_id) x`);
  assert.ok(perHome!.most <= 4, 'at most four jobs per home');
});

test('notes: each about exactly the subject its kind names, dated, with an author', async () => {
  const rows = await query<{ subject_kind: string; person_id: string | null; home_id: string | null; tenancy_id: string | null; noted_at: string; author: string; text: string }>(
    sql`select subject_kind, person_id, home_id, tenancy_id, noted_at::text, author, text from notes where organisation_id = ${demo.organisationId}`);
  assert.ok(rows.length > 0);
  for (const n of rows) {
    const ids = { person: n.person_id, home: n.home_id, tenancy: n.tenancy_id };
    assert.ok(ids[n.subject_kind as keyof typeof ids], `a ${n.subject_kind} note names its ${n.subject_kind}`);
    assert.equal(Object.values(ids).filter(Boolean).length, 1);
    assert.ok(Date.parse(n.noted_at) <= Date.now());
    assert.ok(n.author.includes(' ') && n.text.length > 10);
  }
  assert.deepEqual([...new Set(rows.map((n) => n.subject_kind))].sort(), ['home', 'person', 'tenancy']);
  assert.ok(rows.some((n) => /mould/i.test(n.text)), 'some notes are about damp and mould');
});

test('provenance: every record has a reference from the demo housing system', async () => {
  const rows = await query<{ entity_kind: string; n: number }>(sql`select entity_kind, count(*)::int as n from source_references
    where organisation_id = ${demo.organisationId} and source_system = ${DEMO_SOURCE_SYSTEM} group by entity_kind`);
  const n = Object.fromEntries(rows.map((r) => [r.entity_kind, r.n]));
  assert.deepEqual(n, {
    estate: demo.estates, block: demo.blocks, home: demo.homes, person: demo.people - demo.repairsContacts, tenancy: demo.tenancies, 'person-alert': demo.alerts,
    repair: demo.repairs, note: demo.notes,
  });
  const [orphans] = await query<{ n: number }>(sql`select count(*)::int as n from source_references r
    where r.organisation_id = ${demo.organisationId} and r.entity_kind = 'home'
    and not exists (select 1 from homes h where h.organisation_id = r.organisation_id and h.id = r.record_id)`);
  assert.equal(orphans!.n, 0);
});

test('the same seed gives the same landlord; another seed a different one', async () => {
  const again = await generateDemo(store, { homes: 300, seed: SEED });
  assert.notEqual(again.organisationId, demo.organisationId);
  assert.deepEqual(await uprns(again.organisationId), await uprns(demo.organisationId));
  const names = async (org: string) => (await query<{ n: string }>(sql`select given_name || ' ' || family_name as n from people where organisation_id = ${org} order by id`)).map((r) => r.n);
  assert.deepEqual(await names(again.organisationId), await names(demo.organisationId));
  assert.deepEqual({ ...again, organisationId: '', millis: 0 }, { ...demo, organisationId: '', millis: 0 });
  const other = await generateDemo(store, { homes: 300, seed: SEED + 1 });
  assert.notDeepEqual(await uprns(other.organisationId), await uprns(demo.organisationId));
});

test('hazard reports in every state a compliance lead meets, made through the hazards service with their events', async () => {
  const { hazardClocks } = await import('../hazards/index.ts');
  const reports = await query<Record<string, unknown>>(sql`select * from hazard_reports where organisation_id = ${demo.organisationId}`);
  assert.equal(reports.length, demo.hazardReports);
  assert.ok(demo.hazardReports >= 6, `${demo.hazardReports} reports`);
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  const worst = reports.map((r) => hazardClocks({
    reportedAt: at(r.reported_at)!, severity: r.severity as 'emergency' | 'significant', investigatedAt: at(r.investigated_at),
    investigationOutcome: r.investigation_outcome as string | null, summarySentAt: at(r.summary_sent_at), madeSafeAt: at(r.made_safe_at),
    furtherWorksStartedAt: at(r.further_works_started_at),
  }, new Date()).worst);
  for (const status of ['overdue', 'met', 'breached']) assert.ok(worst.includes(status as never), `a report whose worst clock is ${status}: ${worst.join(', ')}`);
  assert.ok(reports.some((r) => r.status === 'closed') && reports.some((r) => r.status === 'open'));
  const [events] = await query<{ n: number }>(sql`select count(*)::int as n from hazard_events where organisation_id = ${demo.organisationId} and kind = 'reported'`);
  assert.equal(events!.n, reports.length, 'each report has its reported event');
});

test('every record the demo loads has exactly one "created" event in the outbox, as any other write has', async () => {
  for (const [table, kind] of [['estates', 'estate'], ['blocks', 'block'], ['homes', 'home'], ['people', 'person'], ['person_alerts', 'person-alert'],
    ['tenancies', 'tenancy'], ['repairs', 'repair'], ['notes', 'note']] as const) {
    const [row] = await query<{ records: number; wrong: number }>(sql`select count(*)::int as records,
      count(*) filter (where (select count(*) from events e where e.organisation_id = t.organisation_id and e.subject = t.id
        and e.type = ${`uk.hearth.${kind}.created`}) <> 1)::int as wrong
      from ${sql.identifier(table)} t where t.organisation_id = ${demo.organisationId}`);
    assert.ok(row!.records > 0, table);
    assert.equal(row!.wrong, 0, `${table}: records without exactly one created event`);
  }
});

// ---- record linkage: a second source system of people, linked at the end of the demo ----

/** The source system of each person record of the demo. */
async function personSystems(org: string): Promise<Map<string, string>> {
  const rows = await query<{ id: string; system: string }>(sql`select record_id as id, source_system as system from source_references
    where organisation_id = ${org} and entity_kind = 'person'`);
  return new Map(rows.map((r) => [r.id, r.system]));
}

test('people come from two source systems: the housing system, and the repairs contractor\'s contact list', async () => {
  const rows = await query<{ system: string; n: number }>(sql`select source_system as system, count(*)::int as n from source_references
    where organisation_id = ${demo.organisationId} and entity_kind = 'person' group by 1 order by 1`);
  assert.deepEqual(rows, [{ system: DEMO_SOURCE_SYSTEM, n: demo.people - demo.repairsContacts }, { system: DEMO_REPAIRS_SYSTEM, n: demo.repairsContacts }]);
  // About one current tenant in twenty (and the namesakes' parents), as the contractor holds them: no title or middle names, the home's address.
  assert.ok(demo.repairsContacts >= 5 && demo.repairsContacts <= 40, `${demo.repairsContacts} contacts`);
  const contacts = await query<{ title: string | null; middle_names: string | null; home_id: string | null; address: { postcode?: string } | null }>(sql`select p.title, p.middle_names, p.home_id, p.address
    from people p join source_references r on r.organisation_id = p.organisation_id and r.record_id = p.id and r.entity_kind = 'person'
    where p.organisation_id = ${demo.organisationId} and r.source_system = ${DEMO_REPAIRS_SYSTEM}`);
  for (const c of contacts) {
    assert.equal(c.title, null);
    assert.equal(c.middle_names, null);
    assert.ok(c.home_id && c.address?.postcode && isPostcode(c.address.postcode), 'the address of the home the contractor visits');
  }
});

test('after the demo, people found in both systems are linked: one person, their records from both', async () => {
  const org = demo.organisationId;
  const systems = await personSystems(org);
  const clusters = await query<{ cluster_id: string; members: string[] }>(sql`select cluster_id, array_agg(person_id::text order by person_id) as members
    from person_clusters where organisation_id = ${org} group by cluster_id having count(*) > 1`);
  const across = clusters.filter((c) => new Set(c.members.map((m) => systems.get(m))).size === 2).sort((x, y) => x.members.length - y.members.length);
  assert.ok(across.length >= demo.repairsContacts / 3, `${across.length} people linked across the two systems of ${demo.repairsContacts} contacts`);
  assert.ok(demo.linkedPeople >= across.length, 'the summary counts the linked people');
  // The person's records, from both systems (the golden record), and their page, signed in as a data lead.
  const golden = await store.readOrg(org, (tx) => goldenRecord({ actor: systemActor(org), tx }, across[0]!.members[0]!));
  assert.deepEqual(new Set(golden.records.map((r) => r.sourceSystem)), new Set([DEMO_SOURCE_SYSTEM, DEMO_REPAIRS_SYSTEM]));
  const config = { ...loadConfig({ ...process.env, HEARTH_DATA_DIR: '.cache/test-data' }), signInPerMinute: 1000, jobsSchema: `pgboss_demo_${process.pid}` };
  const { app, auth } = await buildApp(config, store);
  try {
    await app.ready();
    const email = `data-lead+${org.slice(-6)}@demo-test.example`;
    await auth.addUser({ organisationId: org, role: 'data-lead', email, password: 'a long password for the demo test', name: 'Demo data lead' });
    const cookie = `hearth_session=${(await auth.signIn(email, 'a long password for the demo test'))!.token}`;
    const res = await app.inject({ method: 'GET', url: `/people/${across[0]!.members[1]}`, headers: { cookie } });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /One person in 2 source records/);
    assert.ok(res.body.includes(DEMO_SOURCE_SYSTEM) && res.body.includes(DEMO_REPAIRS_SYSTEM), 'the page names both systems');
  } finally {
    await app.close();
  }
});

test('after the demo, doubtful pairs wait for a data lead: the home page\'s "Pairs to review"', async () => {
  const org = demo.organisationId;
  const list = await store.readOrg(org, (tx) => pairsToReview.items({ actor: { ...systemActor(org), role: 'data-lead' }, tx }, { limit: 10, scope: { homeIds: null } }));
  assert.ok(list.total >= 1, 'pairs to review');
  assert.equal(list.total, demo.pairsForReview);
  const pending = await query<{ a: string; b: string; p: number }>(sql`select a_id as a, b_id as b, probability as p from link_reviews
    where organisation_id = ${org} and status = 'pending'`);
  const systems = await personSystems(org);
  assert.ok(pending.some((r) => systems.get(r.a) !== systems.get(r.b)), 'a pair of a tenant and the contractor\'s record of them');
  for (const r of pending) assert.ok(r.p >= 0.5 && r.p < 0.99, `probability ${r.p}`);
});

test('a parent and their grown-up child of the same name, in one household, are not linked', async () => {
  const org = demo.organisationId;
  const pairs = await query<{ parent: string; child: string; name: string; parent_cluster: string; child_cluster: string }>(sql`
    select p.id as parent, c.id as child, p.given_name || ' ' || p.family_name as name,
      (select cluster_id from person_clusters where organisation_id = ${org} and person_id = p.id) as parent_cluster,
      (select cluster_id from person_clusters where organisation_id = ${org} and person_id = c.id) as child_cluster
    from tenancy_members mp join tenancy_members mc on mc.organisation_id = mp.organisation_id and mc.tenancy_id = mp.tenancy_id
      and mc.relationship in ('son', 'daughter') and mc.end_date is null
    join people p on p.organisation_id = mp.organisation_id and p.id = mp.person_id
    join people c on c.organisation_id = mc.organisation_id and c.id = mc.person_id
    where mp.organisation_id = ${org} and mp.role = 'lead' and mp.end_date is null
      and c.given_name = p.given_name and c.family_name = p.family_name and c.date_of_birth > p.date_of_birth + interval '18 years'`);
  assert.ok(pairs.length >= 2, `${pairs.length} households with a parent and child of one name`);
  for (const x of pairs) {
    assert.ok(x.parent_cluster && x.child_cluster, `${x.name}: both linked (alone or not)`);
    assert.notEqual(x.parent_cluster, x.child_cluster, `${x.name}: parent and child are two people`);
  }
});
