// Loading person alerts, repair history and notes from files, end to end against the real database: counts add up,
// links are exact, what matches nothing is kept for review (never attached to a guess), re-imports change nothing,
// newer extracts record each change, problems name the column, and free text keeps every word.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { ingestFile, type IngestFileResult } from '../../src/modules/ingest/cli.ts';
import { listIssues } from '../../src/modules/ingest/service.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';

let h: Harness;
let dir: string;
before(async () => {
  h = await harness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-ingest-kinds-'));
});
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

let files = 0;
function write(text: string): string {
  const file = path.join(dir, `file-${++files}.csv`);
  fs.writeFileSync(file, text);
  return file;
}
const csv = (lines: string[]) => lines.join('\r\n') + '\r\n';
/** The same rows as another extract would write them (other line endings): `hearth ingest` of the very same file only says it was loaded. */
const reExported = (text: string) => text.replace(/\r\n/g, '\n');

async function rows<T>(org: string, query: ReturnType<typeof sql>): Promise<T[]> {
  return h.store.withOrg(org, async (tx) => (await tx.execute(query)).rows as T[]);
}
async function issues(org: string, r: IngestFileResult) {
  const list = await h.store.withOrg(org, (tx) => listIssues({ actor: systemActor(org), tx }, r.importId));
  return new Map(list.map((i) => [i.rowNumber, i]));
}
/** The problems of an import by a column's value (row numbers count the lines of a quoted line break). */
async function issuesBy(org: string, r: IngestFileResult, column: string) {
  const list = await h.store.withOrg(org, (tx) => listIssues({ actor: systemActor(org), tx }, r.importId));
  return new Map(list.map((i) => [i.values[column] ?? '', i]));
}
async function load(org: string, kind: string, sourceSystem: string, text: string) {
  const r = await ingestFile(h.store, { organisationId: org, file: write(text), sourceSystem, kind });
  const c = r.counts;
  assert.equal(c.created + c.updated + c.unchanged + c.rejected + c.duplicates, c.rowsRead, 'every row read has one outcome');
  return r;
}
const counts = (r: IngestFileResult) => {
  const c = r.counts;
  return { rowsRead: c.rowsRead, created: c.created, updated: c.updated, unchanged: c.unchanged, rejected: c.rejected, duplicates: c.duplicates, forReview: c.forReview };
};

/** A landlord with homes, people and a tenancy loaded from its housing system ("northgate"). */
async function landlordWithEstate() {
  const org = (await landlord(h)).id;
  await load(org, 'homes', 'northgate', csv([
    'Prop Ref,UPRN,Flat,House No,Street,Town,Post Code,Prop Type',
    'P1,100023336956,Flat 1,,Moor Road,Leeds,LS6 1AA,Flat',
    'P2,100023336957,Flat 2,,Moor Road,Leeds,LS6 1AA,Flat',
    'P5,,,16,Hill Street,Leeds,LS6 2BB,Bungalow',
  ]));
  await load(org, 'people', 'northgate', csv(['Customer Ref,Forename,Surname', 'T1,Robert,Morgan', 'T2,Aisha,Okafor', 'T3,Ann,Lee']));
  const t = await load(org, 'tenancies', 'northgate', csv([
    'Tenancy Ref,Prop Ref,Tenancy Start,Tenancy Type,Tenure,Customer Ref,Role', 'TEN1,P1,2015-06-01,Secure,General Needs,T1,Lead Tenant']));
  assert.equal(t.counts.created, 1);
  const ids = async (q: ReturnType<typeof sql>) => new Map((await rows<{ k: string; id: string }>(org, q)).map((x) => [x.k, x.id]));
  return {
    org,
    homes: await ids(sql`select reference as k, id from homes`),
    people: await ids(sql`select sr.source_id as k, sr.record_id as id from source_references sr where sr.entity_kind = 'person'`),
    tenancies: await ids(sql`select reference as k, id from tenancies`),
  };
}

// Person alerts ------------------------------------------------------------------------------------------------

const ALERTS = [
  'Warning Ref,Customer Ref,Warning,Alert Code,Alert Category,Details,Sensitivity,Date Raised,Next Review,Raised By',
  'W1,T1,DNVA,,,"Threatened an operative, 2019; police aware.",Restricted,14/03/2019,14/03/2025,J Smith', // row 2
  'W2,T2,Wheelchair user,,,Uses a powered chair,,02/05/2021,,', // 3: category from the code, confidential by default
  'W3,T2,,20-10,COMM,BSL interpreter for visits,No,20/06/2022,,A Khan', // 4: HACT code given
  'W4,T9,Elderly,,,Secret detail XYZZY,,01/01/2020,,', // 5: no such person: rejected
  'W5,T1,Juggler,,,Private detail PLUGH,,13/01/2020,,', // 6: type matches no code: rejected
  'W6,T3,Elderly,,PREG,Private detail QUUX,,15/02/2020,,', // 7: category contradicts the code: rejected
  'W7,T3,Safeguarding,,,Private detail FROBOZZ,yes,,,', // 8: no start date: rejected
  'W1,T1,DNVA,,,"Threatened an operative, 2019; police aware.",Restricted,14/03/2019,14/03/2025,J Smith', // 9: duplicate of row 2
  'W8,T3,english not first language,,,Speaks Polish,,21/07/2023,20/07/2023,', // 10: review date before start: for review
  ',T3,Female operative only,,,,,16/08/2023,,', // 11: no alert reference: a key from person, type and start
];

test('person alerts: linked to people from the same source, types translated, problems named without the description', async () => {
  const { org, people } = await landlordWithEstate();
  const r = await load(org, 'alerts', 'northgate', csv(ALERTS));
  assert.deepEqual(counts(r), { rowsRead: 10, created: 5, updated: 0, unchanged: 0, rejected: 4, duplicates: 1, forReview: 1 });

  const alerts = await rows<{ person_id: string; hact_code: string; category: string; description: string | null; confidentiality: string; start_date: string; review_date: string | null; recorded_by: string }>(org,
    sql`select person_id, hact_code, category, description, confidentiality, start_date::text, review_date::text, recorded_by from person_alerts order by start_date`);
  assert.deepEqual(alerts.map((a) => [a.person_id, a.hact_code, a.category, a.confidentiality, a.start_date, a.review_date, a.recorded_by]), [
    [people.get('T1'), '10', 'RISK', 'highly-confidential', '2019-03-14', '2025-03-14', 'J Smith'],
    [people.get('T2'), '20-50', 'MED', 'confidential', '2021-05-02', null, 'northgate import'],
    [people.get('T2'), '20-10', 'COMM', 'standard', '2022-06-20', null, 'A Khan'],
    [people.get('T3'), '40', 'COMM', 'confidential', '2023-07-21', '2023-07-20', 'northgate import'],
    [people.get('T3'), '50', 'SAF', 'confidential', '2023-08-16', null, 'northgate import'],
  ]);
  assert.equal(alerts[0]!.description, 'Threatened an operative, 2019; police aware.');
  const keys = await rows<{ source_id: string }>(org, sql`select source_id from source_references where entity_kind = 'person-alert' order by source_id`);
  assert.deepEqual(keys.map((k) => k.source_id), ['T3|female operative only|2023-08-16', 'W1', 'W2', 'W3', 'W8']);

  const byRow = await issues(org, r);
  assert.deepEqual([...byRow.keys()].sort((x, y) => x - y), [5, 6, 7, 8, 9, 10]);
  const problem = (row: number) => byRow.get(row)!.problems[0]!;
  assert.deepEqual([problem(5).rule, problem(5).column, problem(5).value], ['person-not-matched', 'Customer Ref', 'T9']);
  assert.deepEqual([problem(6).rule, problem(6).column, problem(6).value], ['code-unknown', 'Warning', 'Juggler']);
  assert.deepEqual([problem(7).rule, problem(7).column], ['code-conflict', 'Alert Category']);
  assert.match(problem(7).message, /^Alert Category: category PREG .* HACT 20-60 \(Elderly\), which is AGE/);
  assert.deepEqual([problem(8).rule, problem(8).column], ['required-missing', 'Date Raised']);
  assert.equal(byRow.get(9)!.outcome, 'duplicate');
  assert.deepEqual([byRow.get(10)!.outcome, problem(10).rule, problem(10).column], ['review', 'value-out-of-range', 'Next Review']);
  // Alerts are sensitive: no problem repeats what the alert says.
  for (const i of byRow.values()) {
    for (const p of i.problems) assert.doesNotMatch(`${p.message} ${p.value ?? ''}`, /XYZZY|PLUGH|QUUX|FROBOZZ|Polish|operative,/);
  }

  // The same rows again (a new extract: the very same file is not loaded twice) change nothing.
  const again = await load(org, 'alerts', 'northgate', reExported(csv(ALERTS)));
  assert.deepEqual(counts(again), { rowsRead: 10, created: 0, updated: 0, unchanged: 5, rejected: 4, duplicates: 1, forReview: 1 });
  assert.equal((await rows(org, sql`select 1 from record_changes where entity_kind = 'person-alert'`)).length, 0);

  // A newer extract: W2 is now restricted; only that changes, and the change is recorded.
  const newer = await load(org, 'alerts', 'northgate', csv(ALERTS.map((l) => (l.startsWith('W2,') ? l.replace('Uses a powered chair,,', 'Uses a powered chair,High,') : l))));
  assert.deepEqual([newer.counts.created, newer.counts.updated, newer.counts.unchanged], [0, 1, 4]);
  const changes = await rows<{ field: string; old_value: string; new_value: string; import_id: string }>(org,
    sql`select field, old_value, new_value, import_id from record_changes where entity_kind = 'person-alert'`);
  assert.deepEqual(changes.map((c) => [c.field, c.old_value, c.new_value, c.import_id]), [['confidentiality', 'confidential', 'highly-confidential', newer.importId]]);

  // A file that leaves out sensitivity and author keeps what the alerts have.
  const fewer = await load(org, 'alerts', 'northgate', csv(['Warning Ref,Customer Ref,Warning,Details,Date Raised',
    'W1,T1,DNVA,"Threatened an operative, 2019; police aware.",14/03/2019', 'W2,T2,Wheelchair user,Uses a powered chair,02/05/2021']));
  assert.deepEqual([fewer.counts.updated, fewer.counts.unchanged], [0, 2]);
  assert.deepEqual(await rows(org, sql`select confidentiality, recorded_by from person_alerts where start_date < '2022-01-01' order by start_date`),
    [{ confidentiality: 'highly-confidential', recorded_by: 'J Smith' }, { confidentiality: 'highly-confidential', recorded_by: 'northgate import' }]);

  // People are matched only among those loaded from the same source: another system's T1 is not this T1.
  const other = await load(org, 'alerts', 'civica', csv(['Customer Ref,Warning,Date Raised', 'T1,Deaf,2024-01-05']));
  assert.deepEqual([other.counts.created, other.counts.rejected], [0, 1]);
  assert.equal((await issues(org, other)).get(2)!.problems[0]!.rule, 'person-not-matched');
});

// Repairs --------------------------------------------------------------------------------------------------------

const DESCRIPTION = 'Black mould on bedroom wall, behind the wardrobe;  tenant says "it keeps coming back".\nAsked for a damp survey, ref "DS/22".';
const REPAIRS = [
  'Works Order No,Prop Ref,UPRN,Date Logged,Priority,Job Status,Job Description,Room,Target Date,Date Completed,SOR Code,Trade',
  `WO1001,P1,,14/01/2024,P2 - Urgent,Complete,"${DESCRIPTION.replace(/"/g, '""')}","Bedroom 1, rear",21/01/2024,19/01/2024,603011,Plasterer`, // 2
  'WO1002,,100023336957,15/01/2024,EMG,Open,Leak from ceiling,Kitchen,16/01/2024,,,Plumber', // 3: home by UPRN
  'WO1003,P99,,16/01/2024,Routine,Open,Door sticks,Hall,,,,Joiner', // 4: home unknown: kept, for review
  'WO1004,,,17/01/2024,Routine,Open,No home named,,,,,', // 5: rejected
  'WO1005,P5,,20/02/2024,Routine,Complete,Fence panel,Garden,10/02/2024,18/02/2024,,', // 6: dates before reported: for review
  `WO1001,P1,,14/01/2024,P2 - Urgent,Complete,"${DESCRIPTION.replace(/"/g, '""')}",Bedroom 1,21/01/2024,19/01/2024,603011,Plasterer`, // 7: duplicate
  ',P1,,13/02/2024,Routine,Open,No job number,,,,,', // 8: rejected
];

test('repairs from a contractor system: homes matched exactly, unmatched kept for review, every word of a description kept', async () => {
  const { org, homes } = await landlordWithEstate();
  const r = await load(org, 'repairs', 'contractor', csv(REPAIRS));
  assert.deepEqual(counts(r), { rowsRead: 7, created: 4, updated: 0, unchanged: 0, rejected: 2, duplicates: 1, forReview: 2 });

  type Row = { job_reference: string; home_id: string | null; home_named: string | null; reported_date: string; priority: string; status: string; description: string; location: string | null; target_date: string | null; completed_date: string | null; sor_code: string | null; trade: string | null };
  const got = await rows<Row>(org, sql`select job_reference, home_id, home_named, reported_date::text, priority, status, description, location,
    target_date::text, completed_date::text, sor_code, trade from repairs order by job_reference`);
  assert.deepEqual(got.map((x) => [x.job_reference, x.home_id, x.home_named]), [
    ['WO1001', homes.get('P1'), null], ['WO1002', homes.get('P2'), null], ['WO1003', null, 'property reference P99'], ['WO1005', homes.get('P5'), null]]);
  const wo1001 = got[0]!;
  assert.equal(wo1001.description, DESCRIPTION);
  for (const word of DESCRIPTION.split(/\s+/)) assert.ok(wo1001.description.includes(word), word);
  assert.deepEqual([wo1001.location, wo1001.priority, wo1001.status, wo1001.reported_date, wo1001.target_date, wo1001.completed_date, wo1001.sor_code, wo1001.trade],
    ['Bedroom 1, rear', 'P2 - Urgent', 'Complete', '2024-01-14', '2024-01-21', '2024-01-19', '603011', 'Plasterer']);
  assert.equal(got[1]!.priority, 'EMG');

  const byJob = await issuesBy(org, r, 'Works Order No');
  assert.equal(byJob.size, 5);
  assert.deepEqual([byJob.get('WO1003')!.outcome, byJob.get('WO1003')!.problems[0]!.rule, byJob.get('WO1003')!.problems[0]!.column], ['review', 'home-not-matched', 'Prop Ref']);
  assert.match(byJob.get('WO1003')!.problems[0]!.message, /P99/);
  assert.deepEqual([byJob.get('WO1004')!.outcome, byJob.get('WO1004')!.problems[0]!.rule, byJob.get('WO1004')!.problems[0]!.column], ['rejected', 'required-missing', 'Prop Ref']);
  assert.match(byJob.get('WO1004')!.problems[0]!.message, /^Prop Ref and UPRN:/);
  assert.equal(byJob.get('WO1005')!.outcome, 'review');
  assert.deepEqual(byJob.get('WO1005')!.problems.map((p) => [p.rule, p.column]), [['value-out-of-range', 'Target Date'], ['value-out-of-range', 'Date Completed']]);
  assert.equal(byJob.get('WO1001')!.outcome, 'duplicate');
  assert.deepEqual([byJob.get('')!.outcome, byJob.get('')!.problems[0]!.rule, byJob.get('')!.problems[0]!.column], ['rejected', 'required-missing', 'Works Order No']);

  const again = await load(org, 'repairs', 'contractor', reExported(csv(REPAIRS)));
  assert.deepEqual([again.counts.created, again.counts.updated, again.counts.unchanged], [0, 0, 4]);
  assert.equal((await rows(org, sql`select 1 from record_changes where entity_kind = 'repair'`)).length, 0);

  // The home P99 arrives, and a newer extract says WO1003 is complete: the job is linked, and each change recorded.
  await load(org, 'homes', 'northgate', csv(['Prop Ref,House No,Street,Town,Post Code,Prop Type', 'P99,20,Hill Street,Leeds,LS6 2BB,House']));
  const p99 = (await rows<{ id: string }>(org, sql`select id from homes where reference = 'P99'`))[0]!.id;
  const newer = await load(org, 'repairs', 'contractor', csv(REPAIRS.map((l) => (l.startsWith('WO1003,') ? l.replace(',Open,', ',Complete,') : l))));
  assert.deepEqual([newer.counts.created, newer.counts.updated, newer.counts.unchanged, newer.counts.forReview], [0, 1, 3, 1]);
  const changes = await rows<{ field: string; old_value: string | null; new_value: string | null }>(org,
    sql`select field, old_value, new_value from record_changes where entity_kind = 'repair' order by field`);
  assert.deepEqual(changes.map((c) => [c.field, c.old_value, c.new_value]), [
    ['homeId', null, p99], ['homeNamed', 'property reference P99', null], ['status', 'Open', 'Complete']]);
});

// Notes ----------------------------------------------------------------------------------------------------------

const NOTES = [
  'Note ID,Linked To,Linked Ref,Created On,Created By,Note Type,Note Text',
  'N1,Customer,T1,03/04/2024,jbloggs,Contact,"Called about damp in the bedroom.\nWill visit Tuesday, 10am."', // 2: person
  'N2,Property,P2,05/04/2024,jbloggs,Inspection,Inspected; mould in bathroom', // 3: home by reference
  'N3,Tenancy,TEN1,06/04/2024,akhan,Rent,Arrears letter sent', // 4: tenancy by its id in this source
  'N4,Customer,T99,07/04/2024,akhan,Contact,Asked about a transfer', // 5: person unknown: kept, for review
  'N5,Property,100023336956,08/04/2024,akhan,Inspection,Gas safety check done', // 6: home by UPRN
  'N6,Vehicle,V1,09/04/2024,akhan,Other,Van parked on the green', // 7: no such kind of subject: rejected
  'N7,Tenancy,TEN404,10/04/2024,akhan,Rent,Payment received', // 8: tenancy unknown: kept, for review
  'N8,Customer,T2,13/04/2024,akhan,Contact,', // 9: no text: rejected
];

test('notes: about exactly one person, home or tenancy; unmatched kept unattached for review; every word kept', async () => {
  const { org, homes, people, tenancies } = await landlordWithEstate();
  const r = await load(org, 'notes', 'northgate', csv(NOTES));
  assert.deepEqual(counts(r), { rowsRead: 8, created: 6, updated: 0, unchanged: 0, rejected: 2, duplicates: 0, forReview: 2 });

  type Row = { source_id: string; subject_kind: string; person_id: string | null; home_id: string | null; tenancy_id: string | null; subject_named: string | null; note_type: string; author: string; noted_at: string; text: string };
  const got = await rows<Row>(org, sql`select sr.source_id, n.subject_kind, n.person_id, n.home_id, n.tenancy_id, n.subject_named, n.note_type, n.author,
    to_char(n.noted_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as noted_at, n.text
    from notes n join source_references sr on sr.organisation_id = n.organisation_id and sr.record_id = n.id and sr.entity_kind = 'note' order by sr.source_id`);
  assert.deepEqual(got.map((n) => [n.source_id, n.subject_kind, n.person_id, n.home_id, n.tenancy_id, n.subject_named]), [
    ['N1', 'person', people.get('T1'), null, null, null],
    ['N2', 'home', null, homes.get('P2'), null, null],
    ['N3', 'tenancy', null, null, tenancies.get('TEN1'), null],
    ['N4', 'person', null, null, null, 'person reference T99'],
    ['N5', 'home', null, homes.get('P1'), null, null],
    ['N7', 'tenancy', null, null, null, 'tenancy reference TEN404'],
  ]);
  assert.deepEqual([got[0]!.text, got[0]!.noted_at, got[0]!.author, got[0]!.note_type],
    ['Called about damp in the bedroom.\nWill visit Tuesday, 10am.', '2024-04-03 00:00', 'jbloggs', 'Contact']);

  const byNote = await issuesBy(org, r, 'Note ID');
  assert.equal(byNote.size, 4);
  assert.deepEqual([byNote.get('N4')!.outcome, byNote.get('N4')!.problems[0]!.rule, byNote.get('N4')!.problems[0]!.column], ['review', 'person-not-matched', 'Linked Ref']);
  assert.deepEqual([byNote.get('N6')!.outcome, byNote.get('N6')!.problems[0]!.rule, byNote.get('N6')!.problems[0]!.column], ['rejected', 'code-unknown', 'Linked To']);
  assert.match(byNote.get('N6')!.problems[0]!.message, /Vehicle/);
  assert.deepEqual([byNote.get('N7')!.outcome, byNote.get('N7')!.problems[0]!.rule, byNote.get('N7')!.problems[0]!.column], ['review', 'tenancy-not-matched', 'Linked Ref']);
  assert.deepEqual([byNote.get('N8')!.outcome, byNote.get('N8')!.problems[0]!.rule, byNote.get('N8')!.problems[0]!.column], ['rejected', 'required-missing', 'Note Text']);

  const again = await load(org, 'notes', 'northgate', reExported(csv(NOTES)));
  assert.deepEqual([again.counts.created, again.counts.updated, again.counts.unchanged], [0, 0, 6]);
  assert.equal((await rows(org, sql`select 1 from record_changes where entity_kind = 'note'`)).length, 0);

  const newer = await load(org, 'notes', 'northgate', csv(NOTES.map((l) => (l.startsWith('N2,') ? 'N2,Property,P2,05/04/2024,jbloggs,Survey,Inspected; mould in bathroom and hall' : l))));
  assert.deepEqual([newer.counts.created, newer.counts.updated, newer.counts.unchanged], [0, 1, 5]);
  const changes = await rows<{ field: string; old_value: string; new_value: string; import_id: string }>(org,
    sql`select field, old_value, new_value, import_id from record_changes where entity_kind = 'note' order by field`);
  assert.deepEqual(changes.map((c) => [c.field, c.old_value, c.new_value, c.import_id]), [
    ['noteType', 'Inspection', 'Survey', newer.importId], ['text', 'Inspected; mould in bathroom', 'Inspected; mould in bathroom and hall', newer.importId]]);
});

test('notes without their own ids: a stable key from subject, date and text; the subject named first wins', async () => {
  const { org, homes, people, tenancies } = await landlordWithEstate();
  const NO_IDS = [
    'Customer Ref,Tenancy Ref,Prop Ref,Date Entered,Officer,Comments',
    'T1,,,14/04/2024,jbloggs,Asked for a callback', // 2: person
    ',TEN1,,15/04/2024,akhan,Payment plan agreed', // 3: tenancy
    ',,P5,16/04/2024,akhan,Gate broken', // 4: home
    'T2,,P1,17/04/2024,akhan,"Mentioned the boiler, again"', // 5: person and home named: the person
    'T1,,,14/04/2024,jbloggs,Asked for a callback', // 6: the same note as row 2
    ',,,18/04/2024,akhan,About nothing at all', // 7: names nothing: rejected
  ];
  const r = await load(org, 'notes', 'northgate', csv(NO_IDS));
  assert.deepEqual(counts(r), { rowsRead: 6, created: 4, updated: 0, unchanged: 0, rejected: 1, duplicates: 1, forReview: 0 });
  const got = await rows<{ source_id: string; person_id: string | null; home_id: string | null; tenancy_id: string | null; text: string }>(org,
    sql`select sr.source_id, n.person_id, n.home_id, n.tenancy_id, n.text from notes n join source_references sr
      on sr.organisation_id = n.organisation_id and sr.record_id = n.id and sr.entity_kind = 'note' order by n.noted_at`);
  assert.deepEqual(got.map((n) => [n.person_id, n.home_id, n.tenancy_id, n.text]), [
    [people.get('T1'), null, null, 'Asked for a callback'],
    [null, null, tenancies.get('TEN1'), 'Payment plan agreed'],
    [null, homes.get('P5'), null, 'Gate broken'],
    [people.get('T2'), null, null, 'Mentioned the boiler, again'],
  ]);
  for (const n of got) assert.match(n.source_id, /^[0-9a-f]{24}$/);
  const byRow = await issues(org, r);
  assert.equal(byRow.get(6)!.outcome, 'duplicate');
  assert.deepEqual([byRow.get(7)!.outcome, byRow.get(7)!.problems[0]!.rule, byRow.get(7)!.problems[0]!.column], ['rejected', 'required-missing', 'Customer Ref']);
  assert.match(byRow.get(7)!.problems[0]!.message, /^Customer Ref, Tenancy Ref, Prop Ref: the note names nothing/);

  const again = await load(org, 'notes', 'northgate', reExported(csv(NO_IDS)));
  assert.deepEqual([again.counts.created, again.counts.updated, again.counts.unchanged], [0, 0, 4]);

  // From another system: its tenancy reference finds the tenancy; its person references are not this source's people.
  const other = await load(org, 'notes', 'civica', csv(['Customer Ref,Tenancy Ref,Date Entered,Comments', ',TEN1,2024-05-01,Rent review', 'T1,,2024-05-02,Called in']));
  assert.deepEqual([other.counts.created, other.counts.forReview], [2, 1]);
  assert.deepEqual(await rows(org, sql`select subject_kind, tenancy_id, person_id, subject_named from notes where noted_at >= '2024-05-01' order by noted_at`), [
    { subject_kind: 'tenancy', tenancy_id: tenancies.get('TEN1'), person_id: null, subject_named: null },
    { subject_kind: 'person', tenancy_id: null, person_id: null, subject_named: 'person reference T1' },
  ]);
});
