// Loading a standalone ASB system's cases, incidents and parties from files (issue 15), end to end against the real
// database: a CSV with title rows and dd/mm/yyyy dates, a JSON export that wraps its records; the old system's words
// become the landlord's codes; cases are readable through getCase; re-imports change nothing and a changed row updates;
// a future incident date or an unknown case rejects only its row, naming the column; parties link to the landlord's
// people by tenant number, or by name with date of birth or address, never by a name alone, and never to another
// landlord's person.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness, type Landlord } from '../support/harness.ts';
import { ingestFile, type IngestFileResult } from '../../src/modules/ingest/cli.ts';
import { listIssues } from '../../src/modules/ingest/service.ts';
import { systemActor, type Actor } from '../../src/platform/auth/actor.ts';
import { ukDate } from '../../src/platform/uk-time.ts';
import { getCase, type CaseView } from '../../src/modules/asb/service.ts';
import { decide } from '../../src/modules/linkage/service.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'asb');
const SOURCE = 'sentinel';

let h: Harness;
let a: Landlord;
let b: Landlord;
let dir: string;
let olu: Actor;
/** Landlord A's people by their tenant number in the housing system, and landlord B's Zoe Baker. */
const people = new Map<string, string>();
let zoeOfB = '';

let files = 0;
function write(name: string, text: string): string {
  const file = path.join(dir, `${++files}-${name}`);
  fs.writeFileSync(file, text);
  return file;
}
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const csv = (lines: string[]) => lines.join('\r\n') + '\r\n';

async function load(org: string, kind: string, file: string, sourceSystem = SOURCE): Promise<IngestFileResult> {
  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem, kind });
  const c = r.counts;
  assert.equal(c.created + c.updated + c.unchanged + c.rejected + c.duplicates, c.rowsRead, 'every row read has one outcome');
  return r;
}
const counts = (r: IngestFileResult) => {
  const c = r.counts;
  return { rowsRead: c.rowsRead, created: c.created, updated: c.updated, unchanged: c.unchanged, rejected: c.rejected, forReview: c.forReview };
};
async function issuesBy(org: string, r: IngestFileResult, column: string) {
  const list = await h.store.withOrg(org, (tx) => listIssues({ actor: systemActor(org), tx }, r.importId, { limit: 1000 }));
  return new Map(list.map((i) => [i.values[column] ?? '', i]));
}
async function rows<T>(org: string, query: ReturnType<typeof sql>): Promise<T[]> {
  return h.store.withOrg(org, async (tx) => (await tx.execute(query)).rows as T[]);
}
async function caseId(reference: string): Promise<string> {
  const [row] = await rows<{ id: string }>(a.id, sql`select id from asb_cases where reference = ${reference}`);
  assert.ok(row, `case ${reference} is loaded`);
  return row.id;
}
/** The case as Olu, an ASB officer, reads it (or another reader): a case's own officer sees every party's identity. */
const read = async (reference: string, actor: Actor = olu): Promise<CaseView> => {
  const id = await caseId(reference);
  return h.store.withOrg(a.id, (tx) => getCase({ actor, tx }, id));
};

before(async () => {
  h = await harness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-asb-import-'));
  a = await landlord(h, 'ASB import landlord A');
  b = await landlord(h, 'ASB import landlord B');
  await load(a.id, 'homes', write('homes.csv', csv([
    'Prop Ref,UPRN,Flat,House No,Street,Town,Post Code,Prop Type',
    'P1,100023336956,Flat 1,,Moor Road,Leeds,LS6 1AA,Flat',
    'P2,100023336957,Flat 2,,Moor Road,Leeds,LS6 1AA,Flat',
    'P5,,,16,Hill Street,Leeds,LS6 2BB,House',
  ])), 'northgate');
  // Two John Smiths: the same name, told apart only by their date of birth.
  await load(a.id, 'people', write('people.csv', csv([
    'Customer Ref,Forename,Surname,Date of Birth,Prop Ref',
    'T1,Robert,Morgan,1970-03-12,P1',
    'T2,Aisha,Okafor,1985-07-01,P2',
    'T3,John,Smith,1960-01-01,P5',
    'T4,John,Smith,1992-05-05,',
    'T5,Grace,Lee,1990-02-02,P5',
  ])), 'northgate');
  for (const r of await rows<{ k: string; id: string }>(a.id, sql`select source_id as k, record_id as id from source_references where entity_kind = 'person'`)) people.set(r.k, r.id);
  await load(b.id, 'people', write('people-b.csv', csv(['Customer Ref,Forename,Surname,Date of Birth', 'B-77,Zoe,Baker,1979-09-09'])), 'northgate');
  zoeOfB = (await rows<{ id: string }>(b.id, sql`select record_id as id from source_references where entity_kind = 'person'`))[0]!.id;
  const user = await h.auth.addUser({ organisationId: a.id, email: 'olu.officer@asb-import.example', name: 'Olu Officer', role: 'asb-officer', password: 'a long test password 1' });
  olu = { kind: 'user', id: user.id, name: 'Olu Officer', organisationId: a.id, role: 'asb-officer' };
});
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

test('cases from a CSV with title rows: kept under their own references, the old words as the landlord\'s codes, a future opening date rejected naming its row and column', async () => {
  const r = await load(a.id, 'asb-cases', path.join(FIXTURES, 'cases.csv'));
  assert.equal(r.headerRow, 3);
  assert.deepEqual(counts(r), { rowsRead: 4, created: 3, updated: 0, unchanged: 0, rejected: 1, forReview: 1 });
  const issues = await issuesBy(a.id, r, 'Case Ref');
  const future = issues.get('ASB/2099/0001')!;
  assert.equal(future.rowNumber, 7, 'the spreadsheet\'s row: two title rows, the header, then the fourth case');
  assert.equal(future.outcome, 'rejected');
  assert.deepEqual(future.problems.map((p) => [p.column, p.rule]), [['Date Opened', 'date-in-future']]);
  assert.match(future.problems[0]!.message, /^Date Opened: 2099-01-01 is after today/);
  // The problem rows keep the file's values (what happened, who): reading them is audited as reading sensitive data.
  const audited = await rows<{ n: number }>(a.id, sql`select count(*)::int as n from audit_events
    where action = 'read-sensitive' and entity_kind = 'import' and entity_id = ${r.importId}`);
  assert.ok(audited[0]!.n >= 1, 'reading an ASB import\'s problem rows is audited');
  // A word the landlord has no category for: the case loads as "Something else", the words kept, for review.
  const feud = issues.get('ASB/2024/0120')!;
  assert.equal(feud.outcome, 'review');
  assert.deepEqual(feud.problems.map((p) => [p.column, p.rule]), [['Case Type', 'category-unknown']]);
  assert.match(feud.problems[0]!.message, /"Neighbour feud" is not a code Hearth knows.*loaded as "Something else"/);

  const noise = await read('ASB/2024/0113');
  assert.equal(noise.case.status, 'open');
  assert.deepEqual(noise.case.categories, ['noise']);
  assert.equal(noise.case.priorityCode, 'category-3');
  assert.equal(noise.case.priorityReason, null);
  assert.equal(noise.case.riskLevel, 'standard');
  assert.equal(noise.case.hate, false);
  assert.equal(noise.case.officerUserId, olu.id, 'the officer matched by name to the member of staff');
  assert.equal(noise.case.summary, 'Loud music from the flat above most nights');
  assert.equal(ukDate(noise.case.openedAt), '2024-03-14');
  assert.deepEqual(noise.places.map((p) => p.homeId), [(await rows<{ id: string }>(a.id, sql`select id from homes where reference = 'P1'`))[0]!.id]);
  // An open case gets its action plan counted from the day it is loaded: on the officer's worklist, not overdue on arrival.
  assert.deepEqual(noise.actions.map((x) => x.kind), ['acknowledge', 'interview', 'visit', 'review']);
  assert.ok(noise.actions.every((x) => ukDate(x.dueAt) >= ukDate(new Date()) && !x.doneAt));

  const hate = await read('ASB/2024/0114');
  assert.equal(hate.case.status, 'closed');
  assert.equal(ukDate(hate.case.closedAt!), '2024-09-20');
  assert.equal(hate.case.closingReason, 'resolved');
  assert.deepEqual(hate.case.categories, ['hate-incident']);
  assert.deepEqual(hate.case.protectedCharacteristics, ['race']);
  assert.equal(hate.case.hate, true);
  assert.equal(hate.case.priorityCode, 'category-1');
  assert.equal(hate.case.riskLevel, 'high');
  assert.equal(hate.case.officerUserId, null);
  assert.equal(hate.case.summary, 'Racist graffiti on the door and abuse in the stairwell\n\nAs recorded in sentinel: case officer Pat Former.');
  assert.deepEqual(hate.actions, [], 'a case closed before it came to Hearth has no plan to work');

  const feudCase = await read('ASB/2024/0120');
  assert.equal(feudCase.case.status, 'open', '"Live" is open');
  assert.deepEqual(feudCase.case.categories, ['other']);
  assert.equal(feudCase.case.priorityCode, 'category-3');
  assert.match(feudCase.case.summary, /As recorded in sentinel: category "Neighbour feud"\.$/);
});

test('incidents from a JSON export wrapping its records: dd/mm/yyyy dates, times and channels in the old words; a future date or an unknown case rejects only its row', async () => {
  const r = await load(a.id, 'asb-incidents', path.join(FIXTURES, 'incidents.json'));
  assert.equal(r.jsonPath, 'data');
  assert.deepEqual(counts(r), { rowsRead: 6, created: 4, updated: 0, unchanged: 0, rejected: 2, forReview: 0 });
  const issues = await issuesBy(a.id, r, 'Incident ID');
  const future = issues.get('INC-5004')!;
  assert.equal(future.outcome, 'rejected');
  assert.equal(future.rowNumber, 4, 'in a JSON document, row n is its nth record');
  assert.deepEqual(future.problems.map((p) => [p.column, p.value, p.rule]), [['Incident Date', '2099-12-31', 'date-in-future']]);
  assert.match(future.problems[0]!.message, /^Incident Date: 2099-12-31 is after today, and an incident cannot be reported before it happens/);
  const orphan = issues.get('INC-5005')!;
  assert.equal(orphan.outcome, 'rejected');
  assert.deepEqual(orphan.problems.map((p) => [p.column, p.value, p.rule]), [['Case Ref', 'ASB/2023/0999', 'case-not-matched']]);
  assert.match(orphan.problems[0]!.message, /Case Ref: no ASB case "ASB\/2023\/0999" is in Hearth.*load the cases file first/);
  // Bad optional values are left out with a warning; the incident loads.
  const odd = issues.get('INC-5006')!;
  assert.equal(odd.outcome, 'warning');
  assert.deepEqual(odd.problems.map((p) => [p.column, p.rule]).sort(), [['Reported Via', 'code-unknown'], ['Time', 'time-invalid']]);

  const noise = await read('ASB/2024/0113');
  assert.deepEqual(noise.incidents.map((i) => [i.occurredOn, i.occurredTime, i.place, i.reportedVia, i.reportedByName]), [
    ['2024-03-14', '23:30', 'Flat above', 'phone', 'R Morgan'],
    ['2024-04-02', '21:45', 'Stairwell', 'email', 'R Morgan'],
  ]);
  assert.equal(noise.incidents[0]!.description, 'Music until 3am; banging on the ceiling when asked to stop.');
  const hate = await read('ASB/2024/0114');
  assert.deepEqual(hate.incidents.map((i) => [i.occurredOn, i.occurredTime, i.reportedVia]), [['2024-03-28', null, 'in-person']]);
  const feud = await read('ASB/2024/0120');
  assert.deepEqual(feud.incidents.map((i) => [i.occurredOn, i.occurredTime, i.reportedVia, i.description]), [['2024-05-11', null, null, 'Bins tipped over the fence again.']]);
});

test('parties with whole names in one column: linked by tenant number, or by name with date of birth or address; a shared name alone, or another landlord\'s tenant number, links no one', async () => {
  const r = await load(a.id, 'asb-parties', path.join(FIXTURES, 'parties.csv'));
  assert.deepEqual(counts(r), { rowsRead: 9, created: 8, updated: 0, unchanged: 0, rejected: 1, forReview: 3 });
  const issues = await issuesBy(a.id, r, 'Party ID');
  assert.deepEqual([...issues].map(([id, i]) => [id, i.outcome, i.problems.map((p) => [p.column, p.rule])]).sort(), [
    ['PTY-4', 'review', [['Name', 'party-not-linked']]],
    ['PTY-7', 'review', [['Tenant No', 'person-not-matched'], ['Name', 'party-not-linked']]],
    ['PTY-8', 'review', [['Name', 'party-not-linked']]],
    ['PTY-9', 'rejected', [['Case Ref', 'case-not-matched']]],
  ]);
  assert.match(issues.get('PTY-4')!.problems[0]!.message, /2 of your people have this name, but neither the date of birth nor the address agrees, and a name alone never links/);
  assert.match(issues.get('PTY-7')!.problems[0]!.message, /^Tenant No: none of your people has this id or reference \(it may be another landlord's/);
  // No problem repeats who the party is.
  for (const [, i] of issues) for (const p of i.problems) assert.doesNotMatch(p.message, /John Smith|Zoe Baker|Ann Lee|Tom Hardy/);

  const byRole = (v: CaseView) => v.parties.map((p) => [p.role, p.kind, p.personId, p.name]);
  assert.deepEqual(byRole(await read('ASB/2024/0113')), [
    ['complainant', 'person', people.get('T1'), 'Mr R Morgan'], // the tenant number, though "R Morgan" alone would not do
    ['alleged-perpetrator', 'person', people.get('T2'), 'OKAFOR, Aisha'], // name (surname first) and date of birth
    ['witness', 'person', people.get('T5'), 'Grace Lee'], // name and address
  ]);
  assert.deepEqual(byRole(await read('ASB/2024/0120')), [
    ['complainant', 'unknown', null, 'John Smith'], // two John Smiths, nothing else to tell them apart
    ['alleged-perpetrator', 'person', people.get('T4'), 'John Smith'], // the John Smith born 5 May 1992
  ]);
  // The officer of that case was not matched, so it has no team: a manager sees who complained, other officers do not.
  assert.deepEqual(byRole(await read('ASB/2024/0114', systemActor(a.id))), [
    ['alleged-perpetrator', 'group', null, 'Youths on the corner'],
    ['complainant', 'unknown', null, 'Zoe Baker'],
    ['witness', 'unknown', null, 'Mrs Ann Lee'],
  ]);
  assert.deepEqual(byRole(await read('ASB/2024/0114')).map((p) => p[3]), ['Youths on the corner', 'Complainant 1', 'Witness 1']);
  // What the rows said of those not linked is kept for review.
  const named = await rows<{ name: string; person_named: Record<string, string> | null }>(a.id,
    sql`select name, person_named from asb_parties where kind = 'unknown' order by name`);
  assert.deepEqual(named.map((n) => [n.name, n.person_named]), [
    ['John Smith', { name: 'John Smith' }],
    ['Mrs Ann Lee', { name: 'Mrs Ann Lee', dateOfBirth: '1978-11-23' }],
    ['Zoe Baker', { name: 'Zoe Baker', personReference: 'B-77' }],
  ]);
  // The records' events (in the outbox, for subscribers inside Hearth only) carry no name or words of a case.
  const events = await rows<{ entity_kind: string; data: unknown }>(a.id, sql`select entity_kind, data from events where entity_kind like 'asb-%'`);
  assert.deepEqual([...new Set(events.map((e) => e.entity_kind))].sort(), ['asb-case', 'asb-incident', 'asb-party']);
  assert.doesNotMatch(JSON.stringify(events.map((e) => e.data)), /John Smith|Okafor|Loud music|Graffiti|1985/);
});

test('loading the same files again changes nothing; a changed row updates only what changed', async () => {
  const again = (name: string) => write(name, name.endsWith('.json') ? JSON.stringify(JSON.parse(fixture(name))) : fixture(name).replace(/\n/g, '\r\n'));
  const before = await rows<{ n: number }>(a.id, sql`select (select count(*) from asb_actions)::int + 1000 * (select count(*) from asb_case_places)::int as n`);
  const cases = await load(a.id, 'asb-cases', again('cases.csv'));
  assert.deepEqual(counts(cases), { rowsRead: 4, created: 0, updated: 0, unchanged: 3, rejected: 1, forReview: 1 });
  const incidents = await load(a.id, 'asb-incidents', again('incidents.json'));
  assert.deepEqual(counts(incidents), { rowsRead: 6, created: 0, updated: 0, unchanged: 4, rejected: 2, forReview: 0 });
  const parties = await load(a.id, 'asb-parties', again('parties.csv'));
  assert.deepEqual(counts(parties), { rowsRead: 9, created: 0, updated: 0, unchanged: 8, rejected: 1, forReview: 3 });
  assert.deepEqual(await rows<{ n: number }>(a.id, sql`select (select count(*) from asb_actions)::int + 1000 * (select count(*) from asb_case_places)::int as n`), before,
    'no second action plan, no second place');

  const changed = await load(a.id, 'asb-cases', write('cases.csv', fixture('cases.csv').replace('Loud music from the flat above most nights', 'Loud music and parties most nights')));
  assert.deepEqual(counts(changed), { rowsRead: 4, created: 0, updated: 1, unchanged: 2, rejected: 1, forReview: 1 });
  const noise = await read('ASB/2024/0113');
  assert.equal(noise.case.summary, 'Loud music and parties most nights');
  assert.equal(noise.case.version, 2);
  const recorded = await rows<{ field: string; old_value: string; new_value: string }>(a.id,
    sql`select field, old_value, new_value from record_changes where entity_kind = 'asb-case' and record_id = ${noise.case.id}`);
  assert.deepEqual(recorded.map((c) => c.field), ['summary']);
});

test('another landlord\'s person, by their id in Hearth: not found, the party kept unlinked with a problem naming the column; the landlord\'s own person id links', async () => {
  const r = await load(a.id, 'asb-parties', write('parties-ids.csv', csv([
    'Party ID,Case Ref,Role,Name,Tenant No',
    `PTY-20,ASB/2024/0114,Victim,Zoe Baker,${zoeOfB}`,
    `PTY-21,ASB/2024/0114,Witness,R. Morgan,${people.get('T1')!.toUpperCase()}`,
  ])));
  assert.deepEqual(counts(r), { rowsRead: 2, created: 2, updated: 0, unchanged: 0, rejected: 0, forReview: 1 });
  const issues = await issuesBy(a.id, r, 'Party ID');
  assert.deepEqual(issues.get('PTY-20')!.problems.map((p) => [p.column, p.value, p.rule]), [['Tenant No', zoeOfB, 'person-not-matched'], ['Name', null, 'party-not-linked']]);
  const parties = await rows<{ source_key: string; kind: string; person_id: string | null }>(a.id,
    sql`select source_key, kind, person_id from asb_parties where source_key in ('sentinel:PTY-20', 'sentinel:PTY-21') order by source_key`);
  assert.deepEqual(parties.map((p) => [p.source_key, p.kind, p.person_id]), [['sentinel:PTY-20', 'unknown', null], ['sentinel:PTY-21', 'person', people.get('T1')]]);
  // Landlord B never sees any of it.
  assert.deepEqual(await rows(b.id, sql`select id from asb_parties`), []);
});

test('a case reference another source already loaded is left alone, and the row names why', async () => {
  const r = await load(a.id, 'asb-cases', write('cases-other.csv', csv(['Case Ref,Date Opened,Case Type,Summary', 'ASB/2024/0113,14/03/2024,Drugs,Someone else\'s case'])), 'other-asb');
  assert.deepEqual(counts(r), { rowsRead: 1, created: 0, updated: 0, unchanged: 0, rejected: 1, forReview: 0 });
  const issue = (await issuesBy(a.id, r, 'Case Ref')).get('ASB/2024/0113')!;
  assert.deepEqual(issue.problems.map((p) => [p.column, p.rule]), [['Case Ref', 'reference-taken']]);
  assert.deepEqual((await read('ASB/2024/0113')).case.categories, ['noise']);
});

test('two records of the same name and date of birth link only once record linkage has them as one person', async () => {
  // The CRM holds Aisha Okafor too: two person records, the same name and date of birth, not (yet) linked as one.
  await load(a.id, 'people', write('crm.csv', csv(['Contact ID,Full Name,DOB', 'C-9,Aisha Okafor,1985-07-01'])), 'crm');
  const crm = (await rows<{ id: string }>(a.id, sql`select record_id as id from source_references where source_system = 'crm'`))[0]!.id;
  // The second extract has the same row (a blank line more): `hearth ingest` of the very same bytes would only say it was loaded.
  const parties = (version: string) => write(`parties-okafor-${version}.csv`, csv(['Party ID,Case Ref,Role,Name,DOB', 'PTY-30,ASB/2024/0120,Witness,Aisha Okafor,1985-07-01']) + (version === '2' ? '\r\n' : ''));
  const first = await load(a.id, 'asb-parties', parties('1'));
  assert.deepEqual(counts(first), { rowsRead: 1, created: 1, updated: 0, unchanged: 0, rejected: 0, forReview: 1 });
  assert.match((await issuesBy(a.id, first, 'Party ID')).get('PTY-30')!.problems[0]!.message,
    /2 of your people have this name and date of birth or address, and record linkage has not found them to be one person/);
  const party = async () => (await rows<{ kind: string; person_id: string | null }>(a.id, sql`select kind, person_id from asb_parties where source_key = 'sentinel:PTY-30'`))[0]!;
  assert.deepEqual(await party(), { kind: 'unknown', person_id: null });

  // A data lead decides they are one person: the next load links the party to them.
  await h.store.withOrg(a.id, (tx) => decide({ actor: { ...systemActor(a.id), role: 'data-lead' }, tx }, people.get('T2')!, crm, 'accepted'));
  const second = await load(a.id, 'asb-parties', parties('2'));
  assert.deepEqual(counts(second), { rowsRead: 1, created: 0, updated: 1, unchanged: 0, rejected: 0, forReview: 0 });
  assert.deepEqual(await party(), { kind: 'person', person_id: [people.get('T2')!, crm].sort()[0] });
});
