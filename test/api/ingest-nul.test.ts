// A NUL character (U+0000) in a file: PostgreSQL text and jsonb cannot hold one, so the row that has one in a loaded
// column is rejected, naming its row and column, and every other row loads. An unexpected database error in a batch
// is reported with the import, the batch's rows and its real cause.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness, type Landlord } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { listIssues, getImport } from '../../src/modules/ingest/service.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { copyInto } from '../../src/platform/db/store.ts';

// Rows per batch (the pipeline's default is 5,000): the files below span three batches.
const BATCH = 1000;
process.env.HEARTH_INGEST_BATCH = String(BATCH);

let h: Harness;
let dir: string;
before(async () => { h = await harness(); dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-nul-')); });
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

const write = (name: string, data: string | Buffer) => { const file = path.join(dir, name); fs.writeFileSync(file, data); return file; };
const issuesOf = (l: Landlord, importId: string) => h.store.withOrg(l.id, (tx) => listIssues({ actor: systemActor(l.id), tx }, importId));
const homeCount = async (l: Landlord) => (await h.store.withOrg(l.id, (tx) => tx.execute(sql`select count(*)::int as n from homes`))).rows[0]!.n as number;

const home = (i: number, extra: Record<string, string> = {}) => ({
  'Prop Ref': `P${i}`, UPRN: String(100000000000 + i), 'House No': String(i), Street: 'Moor Road', Town: 'Leeds', 'Post Code': 'LS6 1AA', 'Prop Type': 'House',
  'Legacy Flags': '', ...extra,
});

test('NDJSON across several batches with a NUL at a middle row: that row is rejected by row and column, every other row loads', async () => {
  const l = await landlord(h);
  const rows = 3 * BATCH;
  const lines = Array.from({ length: rows }, (_, k) => {
    const i = k + 1; // NDJSON row numbers are line numbers
    if (i === 1500) return JSON.stringify(home(i, { Street: 'Moor\u0000Road' })); // the escape "\u0000" in the file
    if (i === 2000) return JSON.stringify(home(i, { 'Post Code': 'NOT A PC', 'Legacy Flags': 'x\u0000y' })); // rejected for its postcode
    if (i === 2500) return JSON.stringify(home(i, { 'Legacy Flags': '\u0000' })); // a NUL in a column that is not loaded
    return JSON.stringify(home(i));
  });
  assert.ok(lines[1499]!.includes('\\u0000'));
  const r = await ingestFile(h.store, { organisationId: l.id, file: write('homes.ndjson', lines.join('\n') + '\n'), sourceSystem: 'northgate', kind: 'homes' });
  const imp = await h.store.withOrg(l.id, (tx) => getImport({ actor: systemActor(l.id), tx }, r.importId));
  assert.equal(imp.status, 'completed', imp.error ?? '');
  assert.deepEqual({ read: r.counts.rowsRead, created: r.counts.created, rejected: r.counts.rejected },
    { read: rows, created: rows - 2, rejected: 2 });
  assert.equal(r.counts.created + r.counts.updated + r.counts.unchanged + r.counts.rejected + r.counts.duplicates, r.counts.rowsRead);
  assert.equal(await homeCount(l), rows - 2);

  const issues = new Map((await issuesOf(l, r.importId)).map((i) => [i.rowNumber, i]));
  assert.deepEqual([...issues.keys()].sort((x, y) => x - y), [1500, 2000]);
  const nul = issues.get(1500)!;
  assert.equal(nul.outcome, 'rejected');
  assert.deepEqual(nul.problems.map((p) => [p.rule, p.column, p.value]), [['nul-character', 'Street', 'Moor␀Road']]);
  assert.match(nul.problems[0]!.message, /^Street: .*NUL character.*␀/);
  assert.equal(nul.values.Street, 'Moor␀Road', 'kept, with the NUL shown');
  assert.equal(issues.get(2000)!.problems[0]!.rule, 'postcode-invalid');
  assert.equal(issues.get(2000)!.values['Legacy Flags'], 'x␀y');
});

test('CSV with a NUL byte in a cell: the row is rejected, the rest load', async () => {
  const l = await landlord(h);
  const header = Object.keys(home(0)).join(',');
  const csv = [header, ...Array.from({ length: 2 * BATCH + 10 }, (_, k) => {
    const i = k + 2; // CSV row numbers: the header is row 1
    const cells = Object.values(home(i, i === 4 ? { Town: 'Le\u0000eds' } : i === 1800 ? { 'House No': '1\u00002' } : {}));
    return cells.join(',');
  })].join('\r\n') + '\r\n';
  const r = await ingestFile(h.store, { organisationId: l.id, file: write('homes.csv', Buffer.from(csv, 'utf8')), sourceSystem: 'northgate', kind: 'homes' });
  assert.deepEqual({ read: r.counts.rowsRead, created: r.counts.created, rejected: r.counts.rejected }, { read: 2 * BATCH + 10, created: 2 * BATCH + 8, rejected: 2 });
  const issues = await issuesOf(l, r.importId);
  assert.deepEqual(issues.map((i) => [i.rowNumber, i.problems[0]!.rule, i.problems[0]!.column]), [[4, 'nul-character', 'Town'], [1800, 'nul-character', 'House No']]);
  assert.equal(await homeCount(l), 2 * BATCH + 8);
});

test('XLSX with a NUL in a cell (written _x0000_): the row is rejected, the rest load', async () => {
  const l = await landlord(h);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Homes');
  ws.addRow(Object.keys(home(0)));
  // Excel writes a NUL as the escape _x0000_ (XML cannot hold one); ExcelJS drops a real NUL, so write the escape.
  for (let i = 2; i <= 11; i++) ws.addRow(Object.values(home(i, i === 6 ? { Street: 'Moor_x0000_Road' } : {})));
  const file = path.join(dir, 'homes.xlsx');
  await wb.xlsx.writeFile(file);
  const r = await ingestFile(h.store, { organisationId: l.id, file, sourceSystem: 'northgate', kind: 'homes' });
  assert.deepEqual({ read: r.counts.rowsRead, created: r.counts.created, rejected: r.counts.rejected }, { read: 10, created: 9, rejected: 1 });
  const issues = await issuesOf(l, r.importId);
  assert.deepEqual(issues.map((i) => [i.rowNumber, i.problems[0]!.rule, i.problems[0]!.column, i.values.Street]), [[6, 'nul-character', 'Street', 'Moor␀Road']]);
});

test('a failed COPY reports its own error, not a later statement of the aborted transaction', async () => {
  const l = await landlord(h);
  await assert.rejects(
    h.store.withOrg(l.id, (tx) => copyInto(tx, 'estates', ['organisation_id', 'id', 'name'], [[l.id, '00000000-0000-7000-8000-000000000001', 'a\u0000b']], { asOwner: true })),
    (err: Error & { cause?: { message?: string } }) => {
      const text = `${err.message} ${err.cause?.message ?? ''}`;
      assert.doesNotMatch(text, /set_config|SET LOCAL ROLE/, text);
      assert.match(text, /0x00|invalid byte sequence|null character/i, text);
      return true;
    });
});

test('an unexpected database error in a batch names the import, the batch\'s rows and the real cause', async () => {
  const l = await landlord(h);
  // A failure the pipeline cannot foresee: a trigger refusing one home of this landlord only (other test files share
  // a PostgreSQL database), dropped afterwards.
  const fn = `test_refuse_${l.id.replace(/-/g, '')}`;
  await h.store.exec(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.organisation_id = '${l.id}' AND NEW.reference = 'P1234' THEN RAISE EXCEPTION 'refused by a test trigger'; END IF; RETURN NEW; END $$;
    CREATE TRIGGER ${fn} BEFORE INSERT ON homes FOR EACH ROW EXECUTE FUNCTION ${fn}();`);
  try {
    const lines = Array.from({ length: 2 * BATCH }, (_, k) => JSON.stringify(home(k + 1)));
    await assert.rejects(ingestFile(h.store, { organisationId: l.id, file: write('refused.ndjson', lines.join('\n')), sourceSystem: 'northgate', kind: 'homes' }));
    const [imp] = (await h.store.withOrg(l.id, (tx) => tx.execute(sql`select id, status, error, created from imports`))).rows as { id: string; status: string; error: string; created: number }[];
    assert.equal(imp!.status, 'failed');
    assert.equal(imp!.created, BATCH, 'the first batch stays loaded');
    assert.doesNotMatch(imp!.error, /set_config|SET LOCAL ROLE/);
    assert.match(imp!.error, new RegExp(`import ${imp!.id}`));
    assert.match(imp!.error, new RegExp(`rows ${BATCH + 1}.${2 * BATCH}`));
    assert.match(imp!.error, /refused by a test trigger/);
  } finally {
    await h.store.exec(`DROP TRIGGER IF EXISTS ${fn} ON homes; DROP FUNCTION IF EXISTS ${fn}();`);
  }
});
