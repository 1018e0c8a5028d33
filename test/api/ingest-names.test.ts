// Full names (issue 11, defect 4a): repairs and ASB systems export a person as one "Full Name" column. The file is
// mapped by the suggestion alone, every name is split into title, given, middle and family names, the name as the
// source recorded it is kept (and shown by the person API), a name that cannot be split confidently loads and is
// listed for review naming the column, and only a blank name rejects the row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, type Harness } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { listIssues } from '../../src/modules/ingest/service.ts';
import { suggestForFile } from '../../src/modules/ingest/suggest.ts';
import { suggestMapping } from '../../src/modules/ingest/mapping.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';

let h: Harness;
let dir: string;
before(async () => {
  h = await harness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-ingest-names-'));
});
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

let files = 0;
function write(text: string): string {
  const file = path.join(dir, `people-${++files}.csv`);
  fs.writeFileSync(file, text);
  return file;
}

const ASB_CONTACTS = [
  'Tenant Ref,Full Name,DOB',
  'A1,Mr Robert J. Morgan,02/11/1975', // row 2
  'A2,"MORGAN, Aisha",23/04/1981', // 3: family name first, in capitals
  'A3,Mrs Sarah SMITH-JONES,14/07/1969', // 4
  'A4,Jan van der Berg,01/01/1990', // 5
  "A5,Dr Siobhan O'NEILL,30/09/1958", // 6
  'A6,Occupier,', // 7: not a person's name: loaded, for review
  'A7,,12/12/1980', // 8: no name: rejected
].join('\r\n') + '\r\n';

test('the suggestion maps "Full Name" (and the names repairs and ASB systems use) to the full name', async () => {
  const s = await suggestForFile(write(ASB_CONTACTS), { sourceSystem: 'asb' });
  assert.equal(s.kind, 'people');
  assert.deepEqual(Object.fromEntries(s.columns.map((c) => [c.header, c.field])), { 'Tenant Ref': 'sourceId', 'Full Name': 'fullName', DOB: 'dateOfBirth' });
  for (const header of ['Name', 'Tenant Name', 'Contact Name', 'Customer Name', 'Client', 'Resident', 'Surname, Forename']) {
    assert.equal(suggestMapping('people', ['Ref', header])[1]!.field, 'fullName', header);
  }
  // A file with its own given and family name columns keeps them.
  assert.deepEqual(suggestMapping('people', ['Ref', 'Forename', 'Surname']).map((c) => c.field), ['sourceId', 'givenName', 'familyName']);
});

test('a people file with only "Full Name" loads every person split, keeps the name as recorded, and flags what it cannot split', async () => {
  const L = await landlord(h);
  const org = L.id;
  const r = await ingestFile(h.store, { organisationId: org, file: write(ASB_CONTACTS), sourceSystem: 'asb', kind: 'people' });
  assert.equal(r.mapping, 'suggested');
  assert.deepEqual({ read: r.counts.rowsRead, created: r.counts.created, rejected: r.counts.rejected, forReview: r.counts.forReview },
    { read: 7, created: 6, rejected: 1, forReview: 1 });

  const people = await h.store.withOrg(org, async (tx) => (await tx.execute(sql`
    select sr.source_id, p.id, p.title, p.given_name, p.middle_names, p.family_name, p.name_as_recorded, p.date_of_birth::text as dob
    from people p join source_references sr on sr.record_id = p.id and sr.entity_kind = 'person' order by sr.source_id`)).rows as
    { source_id: string; id: string; title: string | null; given_name: string; middle_names: string | null; family_name: string; name_as_recorded: string | null; dob: string | null }[]);
  assert.deepEqual(people.map((p) => [p.source_id, p.title, p.given_name, p.middle_names, p.family_name, p.name_as_recorded, p.dob]), [
    ['A1', 'Mr', 'Robert', 'J', 'Morgan', 'Mr Robert J. Morgan', '1975-11-02'],
    ['A2', null, 'Aisha', null, 'Morgan', 'MORGAN, Aisha', '1981-04-23'],
    ['A3', 'Mrs', 'Sarah', null, 'Smith-Jones', 'Mrs Sarah SMITH-JONES', '1969-07-14'],
    ['A4', null, 'Jan', null, 'van der Berg', 'Jan van der Berg', '1990-01-01'],
    ['A5', 'Dr', 'Siobhan', null, "O'Neill", "Dr Siobhan O'NEILL", '1958-09-30'],
    ['A6', null, '', null, 'Occupier', 'Occupier', null],
  ]);

  const issues = await h.store.withOrg(org, (tx) => listIssues({ actor: systemActor(org), tx }, r.importId));
  const byRow = new Map(issues.map((i) => [i.rowNumber, i]));
  assert.deepEqual([...byRow.keys()].sort(), [7, 8]);
  assert.equal(byRow.get(7)!.outcome, 'review');
  assert.deepEqual([byRow.get(7)!.problems[0]!.column, byRow.get(7)!.problems[0]!.rule], ['Full Name', 'name-not-split']);
  assert.match(byRow.get(7)!.problems[0]!.message, /^Full Name: "Occupier" /);
  assert.equal(byRow.get(8)!.outcome, 'rejected');
  assert.deepEqual([byRow.get(8)!.problems[0]!.column, byRow.get(8)!.problems[0]!.rule], ['Full Name', 'required-missing']);

  // The person API shows the name as recorded beside its parts.
  const a2 = people.find((p) => p.source_id === 'A2')!;
  const got = await api(h, 'GET', `/api/v1/people/${a2.id}`, L.as['housing-officer']);
  assert.equal(got.status, 200);
  assert.deepEqual([got.body.givenName, got.body.familyName, got.body.nameAsRecorded], ['Aisha', 'Morgan', 'MORGAN, Aisha']);
  const list = await api(h, 'GET', '/api/v1/people?familyName=Smith-Jones', L.as['housing-officer']);
  assert.equal(list.body.items[0]?.nameAsRecorded, 'Mrs Sarah SMITH-JONES');

  // Given and family name columns, where a file has them, win over the split.
  const both = await ingestFile(h.store, { organisationId: org, file: write('Tenant Ref,Full Name,Forename,Surname\r\nB1,Bob Morgan,Robert,Morgan-Price\r\n'),
    sourceSystem: 'asb2', kind: 'people' });
  assert.equal(both.counts.created, 1);
  const [b1] = await h.store.withOrg(org, async (tx) => (await tx.execute(sql`
    select p.given_name, p.family_name, p.name_as_recorded from people p join source_references sr on sr.record_id = p.id
    where sr.source_system = 'asb2'`)).rows as { given_name: string; family_name: string; name_as_recorded: string }[]);
  assert.deepEqual(b1, { given_name: 'Robert', family_name: 'Morgan-Price', name_as_recorded: 'Bob Morgan' });
});

test('a "Surname Forename" column in capitals is split family name first', async () => {
  const org = await landlord(h);
  const r = await ingestFile(h.store, { organisationId: org.id, file: write('Client Ref,Surname Forename\nC1,SMITH JOHN\nC2,Mr JONES DAVID ALAN\nC3,"PATEL, PRIYA"\n'), sourceSystem: 'asb', kind: 'people' });
  assert.equal(r.counts.created, 3, JSON.stringify(r.problems));
  const got = (await h.store.withOrg(org.id, (tx) => tx.execute(sql`select title, given_name, middle_names, family_name from people order by family_name`))).rows;
  assert.deepEqual(got, [
    { title: 'Mr', given_name: 'David', middle_names: 'Alan', family_name: 'Jones' },
    { title: null, given_name: 'Priya', middle_names: null, family_name: 'Patel' },
    { title: null, given_name: 'John', middle_names: null, family_name: 'Smith' },
  ]);
});
