// Loading files end to end against the real database: counts add up, nothing is lost or duplicated, re-imports
// change nothing, newer extracts record each change, links to homes are exact or left for review.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness, type Landlord } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { listIssues, issuesCsv, getImport } from '../../src/modules/ingest/service.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
let dir: string;
before(async () => {
  h = await harness();
  a = await landlord(h);
  b = await landlord(h);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-ingest-'));
});
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

function write(name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function rows<T>(org: string, query: ReturnType<typeof sql>): Promise<T[]> {
  return h.store.withOrg(org, async (tx) => (await tx.execute(query)).rows as T[]);
}

const HOMES = [
  'Prop Ref,UPRN,Flat,House No,Street,Town,Post Code,Prop Type,Beds,Block,Storeys,Height (m)',
  'P1,100023336956,Flat 1,,Moor Road,Leeds,ls6 1aa,FLAT,2,Bronte House,9,27.4',
  'P2,100023336957,Flat 2,,Moor Road,Leeds,LS6 1AA,Flat,1,Bronte House,9,',
  'P3,1.00023E+11,,12,Hill Street,Leeds,LS6 2BB,House,3,,,', // UPRN damaged by a spreadsheet: rejected
  'P4,100023336959,,14,Hill Street,Leeds,NOT A PC,House,3,,,', // bad postcode: rejected
  'P2,100023336957,Flat 2,,Moor Road,Leeds,LS6 1AA,Flat,1,Bronte House,9,', // duplicate of row 3
  ',,,,,,,,,,,', // empty row: rejected
  'P5,,,16,Hill Street,Leeds,LS6 2BB,Bungalow,2,,,',
  'P6,100023336960,,18,Hill Street,Leeds,LS6 2BB,Castle,2,,,', // unknown property type: loaded as "other", with a warning
].join('\r\n') + '\r\n';

test('a messy homes file: every row accounted for, blocks created, problems named', async () => {
  const file = write('homes.csv', HOMES);
  const r = await ingestFile(h.store, { organisationId: a.id, file, sourceSystem: 'northgate', kind: 'homes' });
  const c = r.counts;
  assert.equal(c.rowsRead, 8);
  assert.deepEqual({ created: c.created, rejected: c.rejected, duplicates: c.duplicates, warnings: c.warnings }, { created: 4, rejected: 3, duplicates: 1, warnings: 1 });
  assert.equal(c.created + c.updated + c.unchanged + c.rejected + c.duplicates, c.rowsRead);

  const homes = await rows<{ reference: string; uprn: string | null; postcode: string; property_type: string; block: string | null; sub_building: string | null }>(a.id,
    sql`select h.reference, h.uprn, h.postcode, h.property_type, b.name as block, h.sub_building from homes h left join blocks b on b.organisation_id = h.organisation_id and b.id = h.block_id order by h.reference`);
  assert.deepEqual(homes.map((x) => x.reference), ['P1', 'P2', 'P5', 'P6']);
  assert.equal(homes[3]!.property_type, 'other');
  assert.equal(homes[0]!.postcode, 'LS6 1AA');
  assert.equal(homes[0]!.property_type, 'flat');
  assert.equal(homes[0]!.block, 'Bronte House');
  assert.equal(homes[2]!.property_type, 'bungalow');
  const blocks = await rows<{ name: string; storeys: number; height_metres: string }>(a.id, sql`select name, storeys, height_metres from blocks`);
  assert.deepEqual(blocks.map((x) => [x.name, x.storeys, Number(x.height_metres)]), [['Bronte House', 9, 27.4]]);

  const issues = await h.store.withOrg(a.id, (tx) => listIssues({ actor: systemActor(a.id), tx }, r.importId));
  const byRow = new Map(issues.map((i) => [i.rowNumber, i]));
  assert.equal(byRow.get(4)!.outcome, 'rejected');
  assert.equal(byRow.get(4)!.problems[0]!.rule, 'uprn-scientific-notation');
  assert.equal(byRow.get(4)!.problems[0]!.column, 'UPRN');
  assert.equal(byRow.get(4)!.values.UPRN, '1.00023E+11');
  assert.equal(byRow.get(5)!.problems[0]!.rule, 'postcode-invalid');
  assert.equal(byRow.get(6)!.outcome, 'duplicate');
  assert.match(byRow.get(6)!.problems[0]!.message, /row 3/);
  assert.equal(byRow.get(7)!.problems[0]!.rule, 'row-empty');
  assert.equal(byRow.get(9)!.outcome, 'warning');
  assert.equal(byRow.get(9)!.problems[0]!.rule, 'code-unknown');
  assert.match(byRow.get(9)!.problems[0]!.message, /Castle/);

  // The rejected rows as CSV: the file's own columns, then the problems; fix them and they load.
  const csv = await h.store.withOrg(a.id, async (tx) => { let s = ''; for await (const chunk of issuesCsv({ actor: systemActor(a.id), tx }, r.importId)) s += chunk; return s; });
  const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], 'Prop Ref,UPRN,Flat,House No,Street,Town,Post Code,Prop Type,Beds,Block,Storeys,Height (m),Hearth row,Hearth problems');
  assert.equal(lines.length, 1 + 3);
  assert.match(lines[1]!, /^P3,1\.00023E\+11,.*,4,/);

  const fixed = write('homes-fixed.csv', [lines[0]!.split(',').slice(0, 12).join(','),
    'P3,100023336958,,12,Hill Street,Leeds,LS6 2BB,House,3,,,', 'P4,100023336959,,14,Hill Street,Leeds,LS6 2BB,House,3,,,',
    'P6,100023336960,,18,Hill Street,Leeds,LS6 2BB,House,2,,,'].join('\n'));
  const again = await ingestFile(h.store, { organisationId: a.id, file: fixed, sourceSystem: 'northgate', kind: 'homes' });
  assert.equal(again.mapping, 'suggested');
  assert.deepEqual([again.counts.rowsRead, again.counts.created, again.counts.updated, again.counts.rejected], [3, 2, 1, 0]);
});

test('loading the same file again changes nothing (it says it was loaded already); a newer extract changes only what changed, and records it', async () => {
  const file = write('homes-b.csv', HOMES);
  const first = await ingestFile(h.store, { organisationId: b.id, file, sourceSystem: 'northgate', kind: 'homes' });
  const before = await rows<{ id: string; version: number; updated_at: string }>(b.id, sql`select id, version, updated_at::text from homes order by id`);
  const issues = await rows(b.id, sql`select import_id, row_number from import_row_issues order by 1, 2`);
  const second = await ingestFile(h.store, { organisationId: b.id, file, sourceSystem: 'northgate', kind: 'homes' });
  assert.equal(second.alreadyLoaded, true);
  assert.equal(second.importId, first.importId);
  assert.deepEqual(second.counts, first.counts);
  assert.match(second.summary, /loaded already/);
  assert.equal((await rows(b.id, sql`select 1 from imports`)).length, 1);
  assert.deepEqual(await rows(b.id, sql`select import_id, row_number from import_row_issues order by 1, 2`), issues);
  assert.deepEqual(await rows(b.id, sql`select id, version, updated_at::text from homes order by id`), before);
  assert.equal((await rows(b.id, sql`select 1 from record_changes`)).length, 0);
  // The same rows in another extract (other line endings) load, and change nothing either.
  const reExported = await ingestFile(h.store, { organisationId: b.id, file: write('homes-b-again.csv', HOMES.replace(/\r\n/g, '\n')), sourceSystem: 'northgate', kind: 'homes' });
  assert.notEqual(reExported.importId, first.importId);
  assert.deepEqual([reExported.counts.created, reExported.counts.updated, reExported.counts.unchanged], [0, 0, 4]);
  assert.deepEqual(await rows(b.id, sql`select id, version, updated_at::text from homes order by id`), before);
  assert.equal((await rows(b.id, sql`select 1 from record_changes`)).length, 0);

  const newer = write('homes-b-newer.csv', HOMES.replace('P5,,,16,Hill Street,Leeds,LS6 2BB,Bungalow,2', 'P5,,,16,Hill Street,Leeds,LS6 2BB,Bungalow,3'));
  const third = await ingestFile(h.store, { organisationId: b.id, file: newer, sourceSystem: 'northgate', kind: 'homes' });
  assert.deepEqual([third.counts.created, third.counts.updated, third.counts.unchanged], [0, 1, 3]);
  const changes = await rows<{ field: string; old_value: string; new_value: string; import_id: string }>(b.id, sql`select field, old_value, new_value, import_id from record_changes`);
  assert.deepEqual(changes.map((c) => [c.field, c.old_value, c.new_value, c.import_id]), [['bedrooms', '2', '3', third.importId]]);
  const [p5] = await rows<{ bedrooms: number; version: number }>(b.id, sql`select bedrooms, version from homes where reference = 'P5'`);
  assert.deepEqual(p5, { bedrooms: 3, version: 2 });
  // Another organisation's import is not found, and its rows are not visible.
  await assert.rejects(h.store.withOrg(a.id, (tx) => getImport({ actor: systemActor(a.id), tx }, third.importId)), /No import/);
});

test('people link to homes by reference, UPRN or exact address; anything else is listed for review', async () => {
  const c = await landlord(h);
  await ingestFile(h.store, { organisationId: c.id, file: write('c-homes.csv', HOMES), sourceSystem: 'northgate', kind: 'homes' });
  const people = write('people.csv', [
    'Tenant Ref,Forename,Surname,DOB,Prop Ref,UPRN,Address 1,Postcode,Tel,Email',
    'T1,ROBERT,MORGAN,02/03/1971,P1,,,,07700 900123,Rob@Example.ORG',
    'T2,bob,morgen,15/11/1980,,100023336957,,,,',
    'T3,Aisha,Okafor,21/12/1990,,,"16 Hill St, Leeds",ls6 2bb,,',
    'T4,Zed,Nowhere,01/01/2000,P99,,,,,',
    'T5,Ann,Lee,31/02/1990,,,,,,', // no such date: loaded without a date of birth, with a warning
  ].join('\n'));
  const r = await ingestFile(h.store, { organisationId: c.id, file: people, sourceSystem: 'northgate', kind: 'people' });
  assert.deepEqual([r.counts.created, r.counts.rejected, r.counts.forReview, r.counts.warnings], [5, 0, 1, 1]);
  const got = await rows<{ given_name: string; family_name: string; date_of_birth: string; reference: string | null; contact_points: unknown }>(c.id,
    sql`select p.given_name, p.family_name, p.date_of_birth::text, h.reference, p.contact_points from people p
      left join homes h on h.organisation_id = p.organisation_id and h.id = p.home_id order by p.given_name`);
  assert.deepEqual(got.map((p) => [p.given_name, p.family_name, p.date_of_birth, p.reference]), [
    ['Aisha', 'Okafor', '1990-12-21', 'P5'],
    ['Ann', 'Lee', null, null],
    ['Bob', 'Morgen', '1980-11-15', 'P2'],
    ['Robert', 'Morgan', '1971-03-02', 'P1'],
    ['Zed', 'Nowhere', '2000-01-01', null],
  ]);
  assert.deepEqual(got[3]!.contact_points, [{ system: 'phone', value: '+447700900123', use: 'home' }, { system: 'email', value: 'Rob@example.org' }]);
  const issues = await h.store.withOrg(c.id, (tx) => listIssues({ actor: systemActor(c.id), tx }, r.importId));
  const review = issues.find((i) => i.outcome === 'review')!;
  assert.equal(review.rowNumber, 5);
  assert.equal(review.problems[0]!.rule, 'home-not-matched');
  assert.match(review.problems[0]!.message, /P99/);
  const warned = issues.find((i) => i.outcome === 'warning')!;
  assert.equal(warned.rowNumber, 6);
  assert.equal(warned.problems[0]!.rule, 'date-impossible');
  assert.equal(warned.problems[0]!.column, 'DOB');
});

test('a date column that reads two ways stops the import and says what to set', async () => {
  const d = await landlord(h);
  const file = write('ambiguous.csv', 'Tenant Ref,Forename,Surname,DOB\nT1,Ann,Lee,01/02/1990\nT2,Bo,Li,03/04/1985\n');
  await assert.rejects(ingestFile(h.store, { organisationId: d.id, file, sourceSystem: 'x', kind: 'people' }), /DOB.*dateFormats/s);
  assert.equal((await rows(d.id, sql`select 1 from people`)).length, 0);
  const mapping = write('mapping.json', JSON.stringify({ sourceSystem: 'x', kind: 'people', columns: { 'Tenant Ref': 'sourceId', Forename: 'givenName', Surname: 'familyName', DOB: 'dateOfBirth' }, dateFormats: { DOB: 'mdy' } }));
  const r = await ingestFile(h.store, { organisationId: d.id, file, sourceSystem: 'x', mappingFile: mapping });
  assert.equal(r.counts.created, 2);
  assert.deepEqual((await rows<{ d: string }>(d.id, sql`select date_of_birth::text as d from people order by 1`)).map((x) => x.d), ['1985-03-04', '1990-01-02']);
  // The mapping file became the profile for this source: the next file of it needs no mapping.
  const next = await ingestFile(h.store, { organisationId: d.id, file: write('next.csv', 'Tenant Ref,Forename,Surname,DOB\nT3,Cy,Ng,12/25/1970\n'), sourceSystem: 'x', kind: 'people' });
  assert.equal(next.mapping, 'saved');
  assert.equal(next.counts.created, 1);
});
