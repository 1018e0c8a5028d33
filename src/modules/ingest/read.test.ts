import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { readCsv, readJson, detectDelimiter, detectEncoding, uniqueHeaders, type FileRow, type CsvInfo, type FileReadError } from './read.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-read-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string | Buffer, ext = 'csv'): string {
  const f = path.join(dir, `f${++n}.${ext}`);
  fs.writeFileSync(f, content);
  return f;
}
async function all(gen: AsyncGenerator<FileRow>): Promise<FileRow[]> {
  const rows: FileRow[] = [];
  for await (const r of gen) rows.push(r);
  return rows;
}

test('a plain CSV gives rows keyed by header, numbered as a spreadsheet shows them', async () => {
  const rows = await all(readCsv(file('Prop Ref,Post Code\nPR1,LS6 1AA\nPR2,M14 5RQ\n')));
  assert.deepEqual(rows, [
    { row: 2, values: { 'Prop Ref': 'PR1', 'Post Code': 'LS6 1AA' } },
    { row: 3, values: { 'Prop Ref': 'PR2', 'Post Code': 'M14 5RQ' } },
  ]);
});

test('quoted fields may hold delimiters, quotes and newlines; row numbers are the rows a spreadsheet shows', async () => {
  const rows = await all(readCsv(file('Ref,Description\r\nJ1,"Black mould, ceiling\r\nbathroom ""again"""\r\n\r\nJ2,Leak\r\n')));
  assert.equal(rows[0]!.values.Description, 'Black mould, ceiling\r\nbathroom "again"');
  assert.equal(rows[0]!.row, 2);
  assert.equal(rows[1]!.row, 4, 'the blank line is row 3; the line break inside J1 is not a row');
});

test('semicolon, tab and pipe delimiters are detected; a BOM is removed from the first header', async () => {
  let info;
  const rows = await all(readCsv(file('\uFEFFName;Town\nAda;Leeds\n'), (i) => (info = i)));
  assert.deepEqual(rows[0]!.values, { Name: 'Ada', Town: 'Leeds' });
  assert.equal(info!.delimiter, ';');
  assert.equal(detectDelimiter('a\tb\tc\n1\t2\t3'), '\t');
  assert.equal(detectDelimiter('a|b\n1|2'), '|');
  assert.equal(detectDelimiter('"a,b";c\n"1,2";3'), ';');
});

test('Windows-1252 files are decoded (curly quotes, é, £)', async () => {
  const bytes = Buffer.concat([Buffer.from('Name,Note\n'), Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x2c, 0x93, 0x68, 0x69, 0x94, 0x20, 0xa3, 0x35, 0x0a])]);
  assert.equal(detectEncoding(bytes), 'windows-1252');
  const rows = await all(readCsv(file(bytes)));
  assert.deepEqual(rows[0]!.values, { Name: 'René', Note: '“hi” £5' });
});

test('UTF-16 files with a byte-order mark (Excel “Unicode text”, tab-separated) are decoded, little- and big-endian', async () => {
  const text = 'Name\tTown\nZoë\tŁódź\nRené\tLeeds\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le.subarray(2)).swap16();
  for (const [bytes, encoding] of [[le, 'utf-16le'], [Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'utf-16be']] as const) {
    assert.equal(detectEncoding(bytes), encoding);
    let info: CsvInfo | undefined;
    const rows = await all(readCsv(file(bytes), (i) => { info = i; }));
    assert.equal(info!.delimiter, '\t');
    assert.deepEqual(rows.map((r) => r.values), [{ Name: 'Zoë', Town: 'Łódź' }, { Name: 'René', Town: 'Leeds' }]);
  }
  // Without a byte-order mark, NUL bytes still mean the file is not text.
  await assert.rejects(all(readCsv(file(Buffer.from(text, 'utf16le')))), /not a text file/);
});

test('UTF-8 split across read chunks stays whole', async () => {
  const big = 'Name\n' + 'Zoë Brontë\n'.repeat(20000);
  const rows = await all(readCsv(file(big)));
  assert.equal(rows.length, 20000);
  assert.ok(rows.every((r) => r.values.Name === 'Zoë Brontë'));
});

test('duplicate and empty headers are made unique, so no column is lost', async () => {
  assert.deepEqual(uniqueHeaders(['Name', 'name', '', 'Name']), ['Name', 'name (2)', 'Column 3', 'Name (3)']);
  const rows = await all(readCsv(file('Phone,Phone\n0113,0777\n')));
  assert.deepEqual(rows[0]!.values, { Phone: '0113', 'Phone (2)': '0777' });
});

test('a ragged row is kept with a problem naming it; the rows around it are read', async () => {
  const rows = await all(readCsv(file('a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n')));
  assert.equal(rows.length, 4);
  assert.equal(rows[1]!.problem, 'has 2 fields but the header has 3');
  assert.match(rows[2]!.problem!, /has 4 fields .* extra values were not read/);
  assert.equal(rows[3]!.problem, undefined);
});

const hostile: [string, string | Buffer, RegExp][] = [
  ['an empty file', '', /f\d+\.csv: the file is empty/],
  ['binary garbage', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0x10]), /not a text file/],
  ['an unclosed quote', 'a,b\n1,"never closed\n2,3\n', /row \d+: a quoted field is never closed/],
  ['a 10 MB single line', 'a,b\n"' + 'x'.repeat(10 * 1024 * 1024), /longer than 1,000,000 characters/],
];
for (const [what, content, message] of hostile) {
  test(`${what} is a clear error naming the file`, async () => {
    await assert.rejects(all(readCsv(file(content))), message);
  });
}

test('a header-only file yields no rows and no error', async () => {
  assert.deepEqual(await all(readCsv(file('Prop Ref,Post Code\n'))), []);
});

test('formulas in cells are read as text, never evaluated', async () => {
  const rows = await all(readCsv(file('Name,Note\n=cmd|\' /C calc\'!A0,@SUM(1+1)\n')));
  assert.equal(rows[0]!.values.Name, "=cmd|' /C calc'!A0");
});

test('NDJSON streams objects; a bad line is a row problem, not the end of the file', async () => {
  const rows = await all(readJson(file('{"ref":"PR1","beds":2}\nnot json\n\n{"ref":"PR3","tags":["a"]}\n[1]\n', 'ndjson')));
  assert.deepEqual(rows.map((r) => [r.row, r.values.ref ?? null, r.problem ? 'problem' : 'ok']), [[1, 'PR1', 'ok'], [2, null, 'problem'], [4, 'PR3', 'ok'], [5, null, 'problem']]);
  assert.equal(rows[0]!.values.beds, '2');
  assert.equal(rows[2]!.values.tags, '["a"]');
});

test('a JSON array of objects is read; anything else is a clear error', async () => {
  assert.equal((await all(readJson(file('[{"ref":"PR1"},{"ref":"PR2"}]', 'json')))).length, 2);
  // A file starting with { is NDJSON: a truncated object is that row's problem.
  assert.match((await all(readJson(file('{"ref":"PR1"', 'json'))))[0]!.problem!, /is not valid JSON/);
  await assert.rejects(all(readJson(file('[1,2', 'json'))), /is not valid JSON/);
});

async function collect(gen: AsyncGenerator<FileRow>, into: FileRow[]): Promise<void> {
  for await (const r of gen) into.push(r);
}

test('a wrapped JSON document: the records\' list is found past other lists and told; a record that is not an object is its row\'s problem', async () => {
  const doc = { meta: { page: 1, links: [{ rel: 'next' }] }, results: [{ ref: 'PR1' }, 'PR2', { ref: 'PR3', tags: ['a'] }], pageCount: 3 };
  for (const text of [JSON.stringify(doc, null, 2), JSON.stringify(doc), '\uFEFF' + JSON.stringify(doc, null, 2)]) {
    let found: string | undefined;
    const rows = await all(readJson(file(text, 'json'), { onJsonPath: (p) => { found = p; } }));
    assert.equal(found, 'results');
    assert.deepEqual(rows, [{ row: 1, values: { ref: 'PR1' } }, { row: 2, values: {}, problem: 'is not a JSON object' }, { row: 3, values: { ref: 'PR3', tags: '["a"]' } }]);
  }
  // A path from the mapping; one that leads nowhere names what is there.
  const nested = file(JSON.stringify({ meta: { links: [{ rel: 'next' }, { rel: 'prev' }] }, data: { items: [{ ref: 'N1' }] } }, null, 2), 'json');
  assert.deepEqual((await all(readJson(nested, { jsonPath: 'data.items' }))).map((r) => r.values.ref), ['N1']);
  await assert.rejects(all(readJson(nested, { jsonPath: 'data.rows', fileName: 'repairs.json' })),
    { message: 'repairs.json: the JSON document has nothing at "data.rows" (jsonPath in the mapping); there it has "items"' });
  await assert.rejects(all(readJson(nested, { jsonPath: 'meta' })), /"meta" in the JSON document is not a list of records/);
  await assert.rejects(all(readJson(file('{\n  "count": 0\n}', 'json'))), /holds no list of records; give the path to it in the mapping/);
  // A byte that is not UTF-8 (a Windows-1252 é) reads as U+FFFD, as in NDJSON, rather than refusing the file.
  const latin = Buffer.concat([Buffer.from('{\n"results": [{"name": "Ren'), Buffer.from([0xe9]), Buffer.from('"}]\n}')]);
  assert.deepEqual(await all(readJson(file(latin, 'json'))), [{ row: 1, values: { name: 'Ren\uFFFD' } }]);
});

test('a wrapped JSON document of 200,000 records streams: rows arrive as the file is read, and memory holds a record, not the file', async () => {
  const f = path.join(dir, 'wrapped-large.json');
  const out = fs.openSync(f, 'w');
  fs.writeSync(out, '{\n  "meta": {"page": 1, "links": [{"rel": "next"}]},\n  "results": [\n');
  for (let i = 1; i <= 200_000; i += 10_000) {
    const lines = [];
    for (let j = i; j < i + 10_000; j++) lines.push(`    {"ref": "P${j}", "uprn": ${100_000_000 + j}, "address": "${j} Long Terrace Road, Headingley"}${j < 200_000 ? ',' : ''}\n`);
    fs.writeSync(out, lines.join(''));
  }
  fs.writeSync(out, '  ],\n  "pageCount": 3\n}\n');
  fs.closeSync(out);
  const size = fs.statSync(f).size;

  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  await all(readJson(file(JSON.stringify({ results: Array.from({ length: 5000 }, (_, i) => ({ ref: `W${i}`, uprn: i })) }, null, 2), 'json'))); // warm: the reader's code compiled
  gc();
  const before = process.memoryUsage().heapUsed;
  let grew = 0;
  let bytesRead = 0;
  let firstRowAt: number | undefined;
  let count = 0;
  let last: FileRow | undefined;
  for await (const r of readJson(f, { onProgress: (done) => { bytesRead = done; } })) {
    firstRowAt ??= bytesRead;
    if (++count % 25_000 === 0) { gc(); grew = Math.max(grew, process.memoryUsage().heapUsed - before); }
    last = r;
  }
  assert.equal(count, 200_000);
  assert.deepEqual(last, { row: 200_000, values: { ref: 'P200000', uprn: '100200000', address: '200000 Long Terrace Road, Headingley' } });
  assert.equal(bytesRead, size);
  assert.ok(firstRowAt! < size / 10, `the first row came after ${firstRowAt} of ${size} bytes were read`);
  // Parsed whole, the records alone take more heap than the file's size; streamed, a few chunks' worth.
  assert.ok(grew < size / 4, `the heap grew by ${grew} bytes reading a ${size}-byte file`);
});

test('a JSON document cut short: the records before the break are read, then an error naming the file, line and record', async () => {
  const whole = JSON.stringify({ results: [{ ref: 'P1' }, { ref: 'P2' }, { ref: 'P3' }], pageCount: 1 }, null, 2);
  const rows: FileRow[] = [];
  const cut = file(whole.slice(0, whole.indexOf('"P3"') + 2), 'json');
  await assert.rejects(collect(readJson(cut, { fileName: 'repairs.json' }), rows), (err: FileReadError) => {
    assert.equal(err.message, 'repairs.json: is not valid JSON at line 10, column 16, in record 3: the file ends part-way through the document (is it cut short?)');
    assert.deepEqual([err.file, err.row], ['repairs.json', 3]);
    return true;
  });
  assert.deepEqual(rows.map((r) => [r.row, r.values.ref]), [[1, 'P1'], [2, 'P2']]);

  // The same with the path given, cut between records; and broken in the middle: nothing after the break is read.
  rows.length = 0;
  await assert.rejects(collect(readJson(file(whole.slice(0, whole.indexOf('"P2"') + 10), 'json'), { jsonPath: 'results', fileName: 'repairs.json' }), rows),
    { message: 'repairs.json: is not valid JSON at line 8, column 6, after record 2: the file ends part-way through the document (is it cut short?)' });
  assert.deepEqual(rows.map((r) => r.values.ref), ['P1', 'P2']);
  rows.length = 0;
  await assert.rejects(collect(readJson(file('[\n{"ref": "Zoë"},\n{"ref": "Zoë" "P2"},\n{"ref": "P3"}\n]', 'json'), { fileName: 'a.json' }), rows),
    { message: 'a.json: is not valid JSON at line 3, column 15, in record 2: found "P2" where "," or the end of the list or object should be' });
  assert.deepEqual(rows.map((r) => r.values.ref), ['Zoë']);
  await assert.rejects(all(readJson(file('[{"ref": "P1"}]\n[{"ref": "P2"}]', 'json'), { fileName: 'a.json' })),
    { message: 'a.json: is not valid JSON at line 2, column 1: more follows the end of the document' });
});
