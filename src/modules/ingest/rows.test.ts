import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { fileFormat, readRows, JSON_HEADER_ROWS, type FileInfo, type ReadOptions } from './rows.ts';
import type { FileRow } from './read.ts';

let dir: string;
before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-rows-')); });
after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

/** Uploads are stored under a temporary name with no extension: so are these. */
let uploads = 0;
function upload(content: string | Buffer): string {
  const file = path.join(dir, `upload-${++uploads}`);
  fs.writeFileSync(file, content);
  return file;
}

interface Read { rows: FileRow[]; info?: FileInfo; infoBeforeFirstRow: boolean; progress: [number, number][] }

async function read(file: string, options: ReadOptions = {}): Promise<Read> {
  const out: Read = { rows: [], infoBeforeFirstRow: false, progress: [] };
  for await (const r of readRows(file, {
    ...options,
    onInfo: (i) => { out.info = i; out.infoBeforeFirstRow = out.rows.length === 0; },
    onProgress: (done, total) => { out.progress.push([done, total]); },
  })) out.rows.push(r);
  return out;
}

function assertProgress(progress: [number, number][], size: number): void {
  assert.ok(progress.length > 0, 'progress is reported');
  assert.ok(progress.every(([, total]) => total === size), 'against the file size');
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]![0] > progress[i - 1]![0], `progress rises (${progress[i - 1]![0]} → ${progress[i]![0]})`);
  assert.deepEqual(progress.at(-1), [size, size], 'and ends at the total');
}

test('the format comes from the original file name; .xls and unknown types are clear errors', () => {
  assert.equal(fileFormat('Homes.CSV'), 'csv');
  assert.equal(fileFormat('/tmp/x/export.tsv'), 'csv');
  assert.equal(fileFormat('extract'), 'csv', 'no extension: read as text');
  assert.equal(fileFormat('people.ndjson'), 'json');
  assert.equal(fileFormat('people.jsonl'), 'json');
  assert.equal(fileFormat('Stock condition 2026.xlsx'), 'xlsx');
  assert.equal(fileFormat('macros.xlsm'), 'xlsx');
  assert.throws(() => fileFormat('/uploads/Rents 2019.xls'), { message: 'Rents 2019.xls: is an old Excel 97-2003 .xls file, which Hearth cannot read; open it in Excel and save it as .xlsx or CSV' });
  assert.throws(() => fileFormat('stock.ods'), /stock\.ods: Hearth cannot read \.ods spreadsheets; save it as \.xlsx or CSV/);
  assert.throws(() => fileFormat('scan.pdf'), /scan\.pdf: unknown file type "\.pdf"; Hearth reads \.csv, \.tsv, \.txt, \.json, \.ndjson and \.xlsx files/);
});

test('CSV: headers, encoding and delimiter before the first row; progress; messages name the original file', async () => {
  const lines = ['Prop Ref;Post Code;Address'];
  for (let i = 0; i < 8_000; i++) lines.push(`PR${i};LS6 ${i % 10}AA;Flat ${i % 40}, ${i} Long Terrace Road, Headingley`);
  const file = upload(lines.join('\n') + '\n');
  const r = await read(file, { fileName: 'homes.csv' });
  assert.deepEqual(r.info, { format: 'csv', headers: ['Prop Ref', 'Post Code', 'Address'], encoding: 'utf-8', delimiter: ';' });
  assert.ok(r.infoBeforeFirstRow);
  assert.equal(r.rows.length, 8_000);
  assert.deepEqual(r.rows[0], { row: 2, values: { 'Prop Ref': 'PR0', 'Post Code': 'LS6 0AA', Address: 'Flat 0, 0 Long Terrace Road, Headingley' } });
  assertProgress(r.progress, fs.statSync(file).size);
  assert.ok(r.progress.length > 3 && r.progress.length < 20, `about every 64 KB (${r.progress.length} reports)`);

  await assert.rejects(read(upload(''), { fileName: 'empty.csv' }), { message: 'empty.csv: the file is empty' });
  await assert.rejects(read(path.join(dir, 'gone'), { fileName: 'gone.csv' }), { message: 'gone.csv: the file does not exist' });
  await assert.rejects(read(file, { fileName: 'homes.csv', sheet: 'Homes' }), /homes\.csv: is not an Excel workbook, so it has no sheets to choose from/);
  await assert.rejects(read(file, { fileName: 'homes.xls' }), /homes\.xls: is an old Excel 97-2003 \.xls file/);
});

test('JSON: the headers are the keys of the first rows, buffered; later keys still arrive in the values', async () => {
  const items = [{ ref: 'PR1', beds: 2 }, { ref: 'PR2', town: 'Leeds' }];
  for (let i = 3; i <= JSON_HEADER_ROWS + 10; i++) items.push({ ref: `PR${i}`, beds: i % 4 });
  items.push({ ref: 'PR-late', tenure: 'Secure' } as never);
  const ndjson = upload(items.map((i) => JSON.stringify(i)).join('\n') + '\nnot json\n');
  const r = await read(ndjson, { fileName: 'homes.ndjson' });
  assert.deepEqual(r.info, { format: 'json', headers: ['ref', 'beds', 'town'] });
  assert.ok(r.infoBeforeFirstRow, 'the buffered rows come after the headers');
  assert.equal(r.rows.length, items.length + 1);
  assert.deepEqual(r.rows.map((x) => x.row).slice(0, 3), [1, 2, 3]);
  assert.deepEqual(r.rows.at(-2), { row: items.length, values: { ref: 'PR-late', tenure: 'Secure' } });
  assert.match(r.rows.at(-1)!.problem!, /is not valid JSON/);
  assertProgress(r.progress, fs.statSync(ndjson).size);

  const array = upload(JSON.stringify(items.slice(0, 3)));
  const a = await read(array, { fileName: 'homes.json' });
  assert.deepEqual(a.info, { format: 'json', headers: ['ref', 'beds', 'town'] });
  assert.equal(a.rows.length, 3);
  assertProgress(a.progress, fs.statSync(array).size);
  await assert.rejects(read(upload('[1,'), { fileName: 'broken.json' }), /^Error: broken\.json: is not valid JSON/);
});

test('JSON: a document that wraps its records streams them: where they are is told with the headers, progress rises with the rows', async () => {
  const records = Array.from({ length: 5_000 }, (_, i) => ({ jobNumber: `J${i + 1}`, description: `Leak under the kitchen sink, flat ${i}` }));
  const file = upload(JSON.stringify({ meta: { page: 1, links: [{ rel: 'next' }] }, results: records, pageCount: 3 }, null, 2));
  const size = fs.statSync(file).size;
  const out: Read = { rows: [], infoBeforeFirstRow: false, progress: [] };
  let bytesAtFirstRow: number | undefined;
  for await (const r of readRows(file, {
    fileName: 'repairs.json',
    onInfo: (i) => { out.info = i; out.infoBeforeFirstRow = out.rows.length === 0; },
    onProgress: (done, total) => { out.progress.push([done, total]); },
  })) {
    bytesAtFirstRow ??= out.progress.at(-1)?.[0] ?? 0;
    out.rows.push(r);
  }
  assert.deepEqual(out.info, { format: 'json', headers: ['jobNumber', 'description'], jsonPath: 'results' });
  assert.ok(out.infoBeforeFirstRow);
  assert.equal(out.rows.length, 5_000);
  assert.deepEqual(out.rows.at(-1), { row: 5_000, values: { jobNumber: 'J5000', description: 'Leak under the kitchen sink, flat 4999' } });
  assertProgress(out.progress, size);
  assert.ok(bytesAtFirstRow! < size / 2, `the first row came after ${bytesAtFirstRow} of ${size} bytes were read`);
});

test('XLSX: every row of a 20,000-row workbook (shared strings after the sheet), Excel row numbers, dates, formulas, progress', async () => {
  const file = path.join(dir, 'upload-xlsx');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  wb.addWorksheet('Cover').commit(); // empty: passed over
  const ws = wb.addWorksheet('Homes');
  ws.getRow(3).values = ['UPRN', 'Address', 'Built', 'Weekly', 'Lookup'];
  ws.getRow(3).commit();
  for (let i = 0; i < 20_000; i++) {
    const r = ws.getRow(4 + i + (i >= 10_000 ? 5 : 0)); // five empty rows in the middle
    r.values = [100000 + i, `${i} High Street`, new Date(Date.UTC(1960, 0, 1 + i)), { formula: `${i}/4`, result: i / 4 }, { formula: 'NA()', result: { error: '#N/A' } }];
    r.getCell(3).numFmt = 'dd/mm/yyyy';
    r.commit();
  }
  ws.commit();
  await wb.commit();
  const bytes = fs.readFileSync(file);
  assert.ok(bytes.indexOf('xl/sharedStrings.xml') > bytes.indexOf('xl/worksheets/sheet2.xml'), 'the shared strings come after the sheets in the zip');

  const r = await read(file, { fileName: 'Stock 2026.xlsx' });
  assert.deepEqual(r.info, { format: 'xlsx', headers: ['UPRN', 'Address', 'Built', 'Weekly', 'Lookup'], sheet: 'Homes', sheets: ['Cover', 'Homes'] });
  assert.ok(r.infoBeforeFirstRow);
  assert.equal(r.rows.length, 20_000, 'every row');
  assert.equal(new Set(r.rows.map((x) => x.values.UPRN)).size, 20_000);
  assert.deepEqual(r.rows[0], { row: 4, values: { UPRN: '100000', Address: '0 High Street', Built: '1960-01-01', Weekly: '0', Lookup: '#N/A' } });
  assert.deepEqual(r.rows[9_999]!.row, 10_003);
  assert.deepEqual(r.rows[10_000], { row: 10_009, values: { UPRN: '110000', Address: '10000 High Street', Built: '1987-05-19', Weekly: '2500', Lookup: '#N/A' } });
  assert.deepEqual(r.rows.at(-1), { row: 20_008, values: { UPRN: '119999', Address: '19999 High Street', Built: '2014-10-03', Weekly: '4999.75', Lookup: '#N/A' } });
  assertProgress(r.progress, bytes.length);

  await assert.rejects(read(file, { fileName: 'Stock 2026.xlsx', sheet: 'Rents' }), { message: 'Stock 2026.xlsx: has no sheet called "Rents"; its sheets are "Cover", "Homes"' });
  const notZip = upload('UPRN,Address\n1,High Street\n');
  await assert.rejects(read(notZip, { fileName: 'Stock 2026.xlsx' }), { message: 'Stock 2026.xlsx: is not an Excel .xlsx file (it is not a zip archive)' });
});

test('stopping early closes the file, whatever the format', async () => {
  if (!fs.existsSync('/proc/self/fd')) return;
  // Bigger than one read, so the file is still open when the reader stops.
  const csv = upload('a\n' + '1\n'.repeat(100_000));
  const json = upload('{"a":1}\n'.repeat(50_000));
  const wrapped = upload(JSON.stringify({ results: Array.from({ length: 50_000 }, () => ({ a: 1 })) }, null, 1));
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('A').addRows([['a'], [1], [2]]);
  const xlsx = path.join(dir, 'upload-early');
  await wb.xlsx.writeFile(xlsx);
  const open = () => fs.readdirSync('/proc/self/fd').length;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
  await settle();
  const before = open();
  for (const [file, fileName] of [[csv, 'a.csv'], [json, 'a.ndjson'], [wrapped, 'a.json'], [xlsx, 'a.xlsx']] as const) {
    for (let i = 0; i < 3; i++) for await (const _r of readRows(file, { fileName })) break;
  }
  await settle();
  assert.ok(open() <= before, `${open() - before} files left open`);
});
