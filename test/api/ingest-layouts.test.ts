// Files laid out as landlords really have them (issue 11, defects 6 and 7): title rows above the header, a label row
// over a row of field codes, JSON documents that wrap their records, gazetteer rows that are not homes, and stock
// lists that know their homes by UPRN alone. Loaded end to end against the real database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { suggestForFile } from '../../src/modules/ingest/suggest.ts';
import { listIssues, getImport } from '../../src/modules/ingest/service.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';

let h: Harness;
let dir: string;
before(async () => {
  h = await harness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-layouts-'));
});
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
async function rows<T>(org: string, query: ReturnType<typeof sql>): Promise<T[]> {
  return h.store.withOrg(org, async (tx) => (await tx.execute(query)).rows as T[]);
}
const issues = async (org: string, importId: string) =>
  new Map((await h.store.withOrg(org, (tx) => listIssues({ actor: systemActor(org), tx }, importId))).map((i) => [i.rowNumber, i]));

test('a CSV with three title rows above the header: every row loads, row numbers are the spreadsheet\'s, the header row is reported', async () => {
  const org = (await landlord(h)).id;
  const file = write('stock-with-titles.csv', [
    'Anytown Homes: stock list,,,,,,',
    'Extracted 01/04/2025 by the housing system,,,,,,',
    ',,,,,,',
    'Prop Ref,UPRN,House No,Street,Town,Post Code,Prop Type', // row 4
    'P1,100023336956,1,Moor Road,Leeds,LS6 1AA,House', // 5
    'P2,100023336957,3,Moor Road,Leeds,LS6 1AA,House', // 6
    'P3,100023336958,5,Moor Road,Leeds,NOT A PC,House', // 7: bad postcode
    'P4,100023336959,7,Moor Road,Leeds,LS6 1AA,House', // 8
  ].join('\n') + '\n');
  const suggestion = await suggestForFile(file, { kind: 'homes' });
  assert.equal(suggestion.headerRow, 4);
  assert.deepEqual(suggestion.headers, ['Prop Ref', 'UPRN', 'House No', 'Street', 'Town', 'Post Code', 'Prop Type']);
  assert.equal(suggestion.profile!.headerRow, 4);

  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem: 'titled', kind: 'homes' });
  assert.deepEqual([r.counts.rowsRead, r.counts.created, r.counts.rejected], [4, 3, 1]);
  assert.equal(r.headerRow, 4);
  assert.match(r.summary, /header is row 4/);
  const byRow = await issues(org, r.importId);
  assert.deepEqual([...byRow.keys()], [7]);
  assert.equal(byRow.get(7)!.problems[0]!.rule, 'postcode-invalid');
  const imp = await h.store.withOrg(org, (tx) => getImport({ actor: systemActor(org), tx }, r.importId));
  assert.equal(imp.profile.headerRow, 4);
  const homes = await rows<{ reference: string }>(org, sql`select reference from homes order by reference`);
  assert.deepEqual(homes.map((x) => x.reference), ['P1', 'P2', 'P4']);

  // The header row can be set: --header-row (or "headerRow" in the mapping) wins over what is detected.
  const set = await suggestForFile(file, { kind: 'homes', headerRow: 4 });
  assert.equal(set.headerRow, 4);
});

test('a label row over a row of field codes: the labels are the header, the codes are not loaded as a row', async () => {
  const org = (await landlord(h)).id;
  const file = write('core-export.csv', [
    'Property reference,Unique Property Reference Number,Postcode of the property,Type of unit', // 1
    'propcode,uprn,postcode_full,unittype_gn', // 2: field codes
    'A-1,100023336956,LS6 1AA,House', // 3
    'A-2,100023336957,LS6 1AA,Flat', // 4
  ].join('\r\n') + '\r\n');
  const mapping = write('core-mapping.json', JSON.stringify({ sourceSystem: 'core', kind: 'homes',
    columns: { 'Property reference': 'reference', 'Unique Property Reference Number': 'uprn', 'Postcode of the property': 'postcode', 'Type of unit': 'propertyType' } }));
  const suggestion = await suggestForFile(file, { kind: 'homes' });
  assert.equal(suggestion.headerRow, 1);
  assert.equal(suggestion.codeRow, 2);
  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem: 'core', kind: 'homes', mappingFile: mapping });
  assert.deepEqual([r.counts.rowsRead, r.counts.created, r.counts.rejected], [2, 2, 0]);
  const homes = await rows<{ reference: string; postcode: string }>(org, sql`select reference, postcode from homes order by reference`);
  assert.deepEqual(homes.map((x) => [x.reference, x.postcode]), [['A-1', 'LS6 1AA'], ['A-2', 'LS6 1AA']]);
});

test('a JSON document that wraps its records loads every record, the first included, and says where it found them', async () => {
  const org = (await landlord(h)).id;
  const records = [1, 2, 3].map((i) => ({ jobNumber: `J${i}`, propertyReference: `P${i}`, dateRaised: `2024-0${i}-10`, description: `Leak ${i}` }));
  const file = write('repairs-page.json', JSON.stringify({ results: records, pageCount: 1, total: 3 }, null, 2));
  const suggestion = await suggestForFile(file, { kind: 'repairs' });
  assert.equal(suggestion.jsonPath, 'results');
  assert.equal(suggestion.rowsSampled, 3);
  assert.equal(suggestion.profile!.jsonPath, 'results');
  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem: 'repairs-api', kind: 'repairs' });
  assert.equal(r.counts.rowsRead, 3);
  assert.equal(r.counts.rejected + r.counts.created + r.counts.updated + r.counts.unchanged, 3);
  const jobs = await rows<{ job_reference: string }>(org, sql`select job_reference from repairs order by job_reference`);
  assert.deepEqual(jobs.map((j) => j.job_reference), ['J1', 'J2', 'J3']);

  // A path given in the mapping: "data.items".
  const nested = write('nested.json', JSON.stringify({ meta: { page: 1, links: [{ rel: 'next' }] }, data: { items: records.map((x) => ({ ...x, jobNumber: `N${x.jobNumber}` })) } }));
  const mapping = write('nested-mapping.json', JSON.stringify({ sourceSystem: 'repairs-api', kind: 'repairs', jsonPath: 'data.items',
    columns: { jobNumber: 'jobReference', propertyReference: 'homeReference', dateRaised: 'reportedDate', description: 'description' } }));
  const again = await ingestFile(h.store, { organisationId: org, file: nested, sourceSystem: 'repairs-api', kind: 'repairs', mappingFile: mapping });
  assert.equal(again.counts.rowsRead, 3);
  assert.equal((await rows(org, sql`select 1 from repairs where job_reference like 'NJ%'`)).length, 3);
});

test('a wrapped JSON document cut short: the batches before the break stay loaded, and the import\'s error names the file, line and record', async () => {
  const org = (await landlord(h)).id;
  const records = Array.from({ length: 2_300 }, (_, i) => ({ jobNumber: `T${i + 1}`, propertyReference: `P${i % 50}`, dateRaised: '2024-03-10', description: `Leak ${i + 1}` }));
  const whole = JSON.stringify({ meta: { page: 1, links: [{ rel: 'next' }] }, results: records, pageCount: 1 }, null, 2);
  // Cut part-way through record 2,201: past the 2,000 rows the suggestion samples, so the import starts and meets it.
  const file = write('repairs-cut.json', whole.slice(0, whole.indexOf('"T2201"') + 4));
  const line = whole.slice(0, whole.indexOf('"T2201"')).split('\n').length;
  const batch = process.env.HEARTH_INGEST_BATCH;
  process.env.HEARTH_INGEST_BATCH = '500';
  try {
    await assert.rejects(ingestFile(h.store, { organisationId: org, file, sourceSystem: 'repairs-api', kind: 'repairs' }),
      { message: `repairs-cut.json: is not valid JSON at line ${line.toLocaleString('en-GB')}, column 24, in record 2,201: the file ends part-way through the document (is it cut short?)` });
  } finally {
    if (batch === undefined) delete process.env.HEARTH_INGEST_BATCH; else process.env.HEARTH_INGEST_BATCH = batch;
  }
  // One snapshot: the import and its rows. Whole batches are loaded and counted, nothing partial: the four whole
  // batches before the break (the one loading when the reader broke finishes before the import is marked failed).
  const [imp] = await rows<{ status: string; error: string; rows_read: number; checkpoint_row: number; loaded: number }>(org,
    sql`select status, error, rows_read, checkpoint_row, (select count(*)::int from repairs where job_reference like 'T%') as loaded
        from imports where file_name = 'repairs-cut.json'`);
  assert.equal(imp!.status, 'failed');
  assert.match(imp!.error, /^repairs-cut\.json: is not valid JSON at line [\d,]+, column 24, in record 2,201: the file ends part-way through/);
  assert.equal(imp!.loaded, 2_000);
  assert.deepEqual([imp!.rows_read, imp!.checkpoint_row], [imp!.loaded, imp!.loaded], 'the rows loaded are the rows counted, and a rerun resumes after them');
});

test('a row filter keeps only the residential rows of a gazetteer; the rest are skipped by the filter, not rejected', async () => {
  const org = (await landlord(h)).id;
  const file = write('gazetteer.csv', [
    'UPRN,CLASS,ADDRESS,POSTCODE',
    '100023336956,RD04,"1 Moor Road, Leeds",LS6 1AA', // 2
    '100023336957,C,"Moor Road Stores, Leeds",LS6 1AA', // 3: commercial
    '100023336958,RD06,"Flat 2, 3 Moor Road, Leeds",LS6 1AA', // 4
    '100023336959,PS,"Moor Road",LS6 1AA', // 5: a street record
    '100023336960,rd02,"5 Moor Road, Leeds",LS6 1AA', // 6: any case
  ].join('\n') + '\n');
  const mapping = write('gaz-mapping.json', JSON.stringify({ sourceSystem: 'gazetteer', kind: 'homes',
    columns: { UPRN: 'uprn', CLASS: null, ADDRESS: 'addressLine1', POSTCODE: 'postcode' }, filter: { column: 'CLASS', values: ['RD*'] } }));
  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem: 'gazetteer', kind: 'homes', mappingFile: mapping });
  assert.deepEqual([r.counts.rowsRead, r.counts.created, r.counts.rejected, r.counts.filtered], [3, 3, 0, 2]);
  assert.match(r.summary, /2 rows skipped by the filter/);
  const homes = await rows<{ uprn: string }>(org, sql`select uprn from homes order by uprn`);
  assert.deepEqual(homes.map((x) => x.uprn), ['100023336956', '100023336958', '100023336960']);
  assert.equal((await issues(org, r.importId)).size, 0);
  const [kept] = await rows<{ filtered: number; rows_read: number }>(org, sql`select filtered, rows_read from imports where id = ${r.importId}`);
  assert.deepEqual([kept!.rows_read, kept!.filtered], [3, 2], 'the import keeps how many rows the filter left out');
});

test('a stock list that knows its homes by UPRN alone loads: the UPRN identifies each home', async () => {
  const org = (await landlord(h)).id;
  const file = write('uprn-only.csv', ['UPRN,Address 1,Post Code', '100023336956,1 Moor Road,LS6 1AA', '100023336957,3 Moor Road,LS6 1AA', ',5 Moor Road,LS6 1AA'].join('\n') + '\n');
  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem: 'uprn-list', kind: 'homes' });
  assert.deepEqual([r.counts.rowsRead, r.counts.created, r.counts.rejected], [3, 2, 1]);
  const homes = await rows<{ uprn: string; reference: string | null }>(org, sql`select uprn, reference from homes order by uprn`);
  assert.deepEqual(homes.map((x) => [x.uprn, x.reference]), [['100023336956', null], ['100023336957', null]]);
  const refs = await rows<{ source_id: string }>(org, sql`select source_id from source_references where entity_kind = 'home' order by source_id`);
  assert.deepEqual(refs.map((x) => x.source_id), ['100023336956', '100023336957']);
  const byRow = await issues(org, r.importId);
  assert.deepEqual([byRow.get(4)!.problems[0]!.rule, byRow.get(4)!.problems[0]!.column], ['required-missing', 'UPRN']);
  // The same list again changes nothing: the UPRN finds each home.
  const again = await ingestFile(h.store, { organisationId: org, file: write('uprn-only-2.csv', fs.readFileSync(file, 'utf8') + '\n'), sourceSystem: 'uprn-list', kind: 'homes' });
  assert.deepEqual([again.counts.created, again.counts.unchanged], [0, 2]);
});

test('the upload page has a field for the header row; the mapping page says which row the column names came from', async () => {
  const org = await landlord(h);
  const password = 'a long test password 1';
  const email = `data-lead.${org.id.slice(-8)}@example.org`;
  await h.auth.addUser({ organisationId: org.id, email, name: 'Test data lead', role: 'data-lead', password });
  const session = `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
  const form = await h.app.inject({ method: 'GET', url: '/imports/new', headers: { cookie: session } });
  assert.match(form.body, /id="headerRow"/);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const cookie = `${session}; ${form.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`;
  const csv = ['Riverside stock,,', 'April 2025,,', 'Prop Ref,Post Code,Address 1', 'R1,LS6 1AA,1 Moor Road', 'R2,LS6 1AA,3 Moor Road'].join('\n') + '\n';
  const send = async (headerRow: string) => {
    const body = new FormData();
    for (const [k, v] of Object.entries({ _csrf: csrf, sourceSystem: 'riverside', kind: 'homes', headerRow })) body.append(k, v);
    body.append('file', new Blob([csv], { type: 'text/csv' }), 'riverside.csv');
    const request = new Request('http://hearth.test/', { method: 'POST', body });
    return h.app.inject({ method: 'POST', url: '/imports/new', headers: { cookie, 'content-type': request.headers.get('content-type')! }, payload: Buffer.from(await request.arrayBuffer()) });
  };
  const bad = await send('row four');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#headerRow"[^>]*>The row with the column names must be a number from 1 to 1000/);

  for (const headerRow of ['', '3']) {
    const res = await send(headerRow);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const mapping = await h.app.inject({ method: 'GET', url: res.headers.location as string, headers: { cookie: session } });
    assert.equal(mapping.statusCode, 200);
    assert.match(mapping.body, /The column names are read from row 3/, headerRow || 'detected');
    assert.match(mapping.body, /Load column “Prop Ref” as/);
  }
});
