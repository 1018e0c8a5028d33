import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { listSheets, readXlsx, XLSX_LIMITS, type XlsxInfo } from './read-xlsx.ts';
import type { FileRow } from './read.ts';

let dir: string;
before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-xlsx-')); });
after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

async function collect(gen: AsyncGenerator<FileRow>): Promise<FileRow[]> {
  const rows: FileRow[] = [];
  for await (const r of gen) rows.push(r);
  return rows;
}

async function workbook(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

interface ZipPart {
  name: string;
  data?: Buffer | string;
  /** Deflated megabytes of zeros, built from one repeated flushed block. */
  zerosMB?: number;
  /** What the zip directory claims the part expands to (default: the truth). */
  declaredSize?: number;
  /** A wrong checksum in the zip directory. */
  badCrc?: boolean;
}

/** A hand-written zip, parts in the order given (the order in the file, and in its directory). */
function writeZip(file: string, entries: ZipPart[]): void {
  const MB = Buffer.alloc(1024 * 1024);
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    let body: Buffer;
    let crc = 0;
    let size: number;
    if (e.zerosMB) {
      // After a full flush the compressor starts afresh, so one block repeated is a valid deflate stream.
      const block = zlib.deflateRawSync(MB, { finishFlush: zlib.constants.Z_FULL_FLUSH });
      body = Buffer.concat([...Array<Buffer>(e.zerosMB).fill(block), Buffer.from([0x03, 0x00])]);
      for (let i = 0; i < e.zerosMB; i++) crc = zlib.crc32(MB, crc);
      size = e.zerosMB * MB.length;
    } else {
      const data = typeof e.data === 'string' ? Buffer.from(e.data) : e.data ?? Buffer.alloc(0);
      body = zlib.deflateRawSync(data);
      crc = zlib.crc32(data);
      size = data.length;
    }
    if (e.declaredSize !== undefined) size = e.declaredSize;
    if (e.badCrc) crc = (crc ^ 1) >>> 0;
    const nameBuf = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(body.length, 18); local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(20, 4); cd.writeUInt16LE(20, 6); cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc, 16); cd.writeUInt32LE(body.length, 20); cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(nameBuf.length, 28); cd.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, body);
    central.push(cd, nameBuf);
    offset += local.length + nameBuf.length + body.length;
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(entries.length, 8); eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12); eocd.writeUInt32LE(offset, 16);
  fs.writeFileSync(file, Buffer.concat([...locals, cdBuf, eocd]));
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const rel = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"/>`;
const rels = (...items: string[]) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items.join('')}</Relationships>`;
const sheetXml = (rows: string) => `<?xml version="1.0"?><worksheet ${NS}><sheetData>${rows}</sheetData></worksheet>`;

/** A minimal workbook of one sheet "Data", holding `rows` (the inside of <sheetData>), shared strings last. */
function oneSheet(file: string, rows: string, extra: { sst?: string; styles?: string; workbookPr?: string } = {}): void {
  writeZip(file, [
    { name: 'xl/workbook.xml', data: `<?xml version="1.0"?><workbook ${NS}>${extra.workbookPr ?? ''}<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: rels(rel('rId1', 'worksheet', 'worksheets/sheet1.xml'), rel('rId2', 'sharedStrings', 'sharedStrings.xml'), rel('rId3', 'styles', 'styles.xml')) },
    { name: 'xl/worksheets/sheet1.xml', data: sheetXml(rows) },
    ...(extra.styles ? [{ name: 'xl/styles.xml', data: `<?xml version="1.0"?><styleSheet ${NS}>${extra.styles}</styleSheet>` }] : []),
    ...(extra.sst ? [{ name: 'xl/sharedStrings.xml', data: `<?xml version="1.0"?><sst ${NS}>${extra.sst}</sst>` }] : []),
  ]);
}

test('reads the first sheet: Excel row numbers, numbers as stored, dates, formulas, rich text, duplicate headers', async () => {
  const file = await workbook('homes.xlsx', (wb) => {
    const ws = wb.addWorksheet('Homes');
    ws.getRow(1).values = []; // an empty first row: the header is row 2
    ws.getRow(2).values = ['UPRN', 'Address', 'Address', 'Built', 'Rent', 'Weekly', 'Let', 'Lookup', 'Link', 'Next review'];
    const r3 = ws.getRow(3);
    r3.values = [
      100021,
      { richText: [{ text: '1 ' }, { font: { bold: true }, text: 'High Street' }] },
      'Flat A',
      new Date(Date.UTC(1985, 5, 1)),
      95.5,
      { formula: 'E3/4', result: 23.875 },
      true,
      { error: '#N/A' },
      { text: 'site', hyperlink: 'https://example.org' },
      { formula: 'D3+1', result: new Date(Date.UTC(1985, 5, 2)) },
    ];
    r3.getCell(10).numFmt = 'dd/mm/yyyy';
    ws.getRow(4).values = [100022, '2 High Street', '', new Date(Date.UTC(2001, 0, 2, 9, 30)), 0.1, { formula: 'E4/4' },
      { formula: 'A4&"!"', result: '100022!' }, { formula: '1/0', result: { error: '#DIV/0!' } }];
    ws.getRow(6).values = [100023, '3 High Street', '', '', '', '', '', '', '', '', 'stray'];
    wb.addWorksheet('Tenancies').addRows([['Ref', 'Start'], ['T1', 'x']]);
  });
  assert.deepEqual(await listSheets(file), ['Homes', 'Tenancies']);
  let info: XlsxInfo | undefined;
  const rows = await collect(readXlsx(file, {}, (i) => { info = i; }));
  assert.deepEqual(info, {
    sheets: ['Homes', 'Tenancies'], sheet: 'Homes',
    headers: ['UPRN', 'Address', 'Address (2)', 'Built', 'Rent', 'Weekly', 'Let', 'Lookup', 'Link', 'Next review'],
  });
  assert.deepEqual(rows.map((r) => r.row), [3, 4, 6]);
  assert.deepEqual(rows[0], {
    row: 3,
    values: {
      UPRN: '100021', Address: '1 High Street', 'Address (2)': 'Flat A', Built: '1985-06-01', Rent: '95.5', Weekly: '23.875',
      Let: 'TRUE', Lookup: '#N/A', Link: 'site', 'Next review': '1985-06-02',
    },
  });
  assert.equal(rows[1]!.values.Built, '2001-01-02T09:30:00', 'a time of day is kept');
  assert.equal(rows[1]!.values.Rent, '0.1');
  assert.equal(rows[1]!.values.Weekly, '', 'a formula with no saved result is empty, never evaluated');
  assert.equal(rows[1]!.values.Let, '100022!', 'a text formula result');
  assert.equal(rows[1]!.values.Lookup, '#DIV/0!', 'a formula whose saved result is an error: the error as Excel shows it');
  assert.equal(rows[1]!.problem, undefined, 'missing trailing cells are normal in Excel');
  assert.match(rows[2]!.problem!, /has 11 fields but the header has 10: the extra values were not read/);
});

test('reads a named sheet; an unknown sheet is a clear error listing the sheets', async () => {
  const file = await workbook('two.xlsx', (wb) => {
    wb.addWorksheet('Cover'); // empty: the default skips it
    wb.addWorksheet('Homes').addRows([['UPRN'], [1]]);
    wb.addWorksheet('Tenancies').addRows([['Ref', 'Start'], ['T1', 'x']]);
  });
  assert.deepEqual(await collect(readXlsx(file)), [{ row: 2, values: { UPRN: '1' } }]);
  assert.deepEqual(await collect(readXlsx(file, { sheet: 'Tenancies' })), [{ row: 2, values: { Ref: 'T1', Start: 'x' } }]);
  await assert.rejects(collect(readXlsx(file, { sheet: 'Rents' })), { message: 'two.xlsx: has no sheet called "Rents"; its sheets are "Cover", "Homes", "Tenancies"' });
  await assert.rejects(collect(readXlsx(file, { sheet: 'Cover' })), { message: 'two.xlsx: the sheet "Cover" is empty (it has no header row)' });
  await assert.rejects(collect(readXlsx(file, { sheet: 'Rents', fileName: 'Stock 2026.xlsx' })), /^Error: Stock 2026\.xlsx: has no sheet called "Rents"/);
});

test('a workbook from another tool: absolute relationship targets, inline strings, shared strings last', async () => {
  // exceljs 4.4's streaming reader lost row 4 of this file about 1 run in 6 (a race, exceljs PR #2915), silently.
  const file = path.join(dir, 'other-tool.xlsx');
  const parts: ZipPart[] = [
    { name: 'xl/workbook.xml', data: `<?xml version="1.0"?><workbook ${NS}><sheets><sheet name="Lists &amp; codes" sheetId="1" state="hidden" r:id="rId1"/><sheet name="Homes" sheetId="2" r:id="rId2"/></sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: rels(rel('rId1', 'worksheet', '/xl/worksheets/sheet1.xml'), rel('rId2', 'worksheet', '/xl/worksheets/sheet2.xml')) },
    { name: 'xl/worksheets/sheet1.xml', data: sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>Code</t></is></c></row>') },
    { name: 'xl/worksheets/sheet2.xml', data: sheetXml('<row r="3"><c r="A3" t="inlineStr"><is><t>UPRN</t></is></c><c r="B3" t="s"><v>0</v></c></row><row r="4"><c r="A4"><v>10023</v></c><c r="B4" t="s"><v>1</v></c></row>') },
    { name: 'xl/sharedStrings.xml', data: `<?xml version="1.0"?><sst ${NS} count="2" uniqueCount="2"><si><t>Town</t></si><si><t>Leeds</t></si></sst>` },
  ];
  writeZip(file, parts);
  assert.deepEqual(await listSheets(file), ['Lists & codes', 'Homes']);
  for (let run = 0; run < 12; run++) {
    assert.deepEqual(await collect(readXlsx(file)), [{ row: 4, values: { UPRN: '10023', Town: 'Leeds' } }], `run ${run}: the visible sheet comes first`);
  }
  assert.deepEqual(await collect(readXlsx(file, { sheet: 'lists & codes' })), [], 'names match case-insensitively');

  // No shared-text table at all (inline strings only) is fine too.
  writeZip(file, [...parts.slice(0, 3), { name: 'xl/worksheets/sheet2.xml', data: sheetXml('<row r="3"><c r="A3" t="inlineStr"><is><t>UPRN</t></is></c></row><row r="4"><c r="A4"><v>10023</v></c></row>') }]);
  assert.deepEqual(await collect(readXlsx(file)), [{ row: 4, values: { UPRN: '10023' } }]);
});

test('a workbook as Excel writes it: shared strings and styles after the sheet, shared formulas, phonetic runs, 1900 dates', async () => {
  const file = path.join(dir, 'excel.xlsx');
  const mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision"';
  const sst = [
    'Tenancy ref', 'Surname', 'Start date', 'Weekly rent', 'Joint', 'Balance', 'Notes', 'Reviewed',
    'T-001', 'O\'Brien', 'T-002', 'Smith & Sons',
  ].map((t) => `<si><t>${t.replace('&', '&amp;')}</t></si>`).join('')
    + '<si><r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve">Leak </t></r><r><t>in bathroom</t></r><rPh sb="0" eb="1"><t>リーク</t></rPh></si>' // 12
    + '<si><t xml:space="preserve">  padded  </t></si>' // 13
    + '<si><t>line one_x000D_\nline two</t></si>' // 14
    + '<si><t>literal _x005F_x0041_ stays</t></si>'; // 15
  const row = (r: number, cells: string, attrs = ' spans="1:8" x14ac:dyDescent="0.25"') => `<row r="${r}"${attrs}>${cells}</row>`;
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet ${NS} ${mc} xr:uid="{00000000-0001-0000-0000-000000000000}">`
    + '<dimension ref="A1:I6"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"><selection activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
    + '<sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/><cols><col min="1" max="1" width="12.7109375" customWidth="1"/></cols><sheetData>'
    + row(1, [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `<c r="${'ABCDEFGH'[i]}1" t="s"><v>${i}</v></c>`).join(''))
    + row(2, '<c r="A2" t="s"><v>8</v></c><c r="B2" t="s"><v>9</v></c><c r="C2" s="1"><v>45292</v></c><c r="D2" s="2"><v>95.5</v></c>'
      + '<c r="E2" t="b"><v>1</v></c><c r="F2" s="2"><f t="shared" ref="F2:F3" si="0">D2*4</f><v>382</v></c><c r="G2" t="s"><v>12</v></c><c r="H2" s="3"><v>45292.5</v></c>')
    + row(3, '<c r="A3" t="s"><v>10</v></c><c r="B3" t="s"><v>11</v></c><c r="C3" s="4"><v>36526</v></c><c r="D3" s="2"><v>1.0000000000000001E-3</v></c>'
      + '<c r="E3" t="b"><v>0</v></c><c r="F3" s="2"><f t="shared" si="0"/><v>4.0000000000000001E-3</v></c><c r="G3" t="str"><f>B3&amp;" (joint)"</f><v>Smith &amp; Sons (joint)</v></c><c r="H3" t="e"><f>VLOOKUP(A3,Z:Z,1,0)</f><v>#N/A</v></c>')
    + row(4, '<c r="A4" s="1"/><c r="B4" s="1"/>') // formatted but empty: not a row of data
    + row(5, '<c r="A5" t="s"><v>13</v></c><c r="G5" t="s"><v>14</v></c><c r="H5" t="s"><v>15</v></c><c r="I5"><v>7</v></c>', ' spans="1:9"')
    + '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
  const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<styleSheet ${NS} ${mc}>`
    + '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/><numFmt numFmtId="165" formatCode="&quot;£&quot;#,##0.00"/></numFmts>'
    + '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    + '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    + '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    + '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';
  // Excel's own order: the sheets first, then theme, styles and the shared strings.
  writeZip(file, [
    { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    { name: '_rels/.rels', data: rels('<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>') },
    { name: 'xl/workbook.xml', data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<workbook ${NS} ${mc}><fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27425"/><workbookPr defaultThemeVersion="166925"/><bookViews><workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15840"/></bookViews><sheets><sheet name="Tenancies" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="191029"/></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: rels(rel('rId3', 'styles', 'styles.xml'), rel('rId2', 'theme', 'theme/theme1.xml'), rel('rId1', 'worksheet', 'worksheets/sheet1.xml'), rel('rId4', 'sharedStrings', 'sharedStrings.xml')) },
    { name: 'xl/worksheets/sheet1.xml', data: sheet },
    { name: 'xl/theme/theme1.xml', data: '<?xml version="1.0"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"/>' },
    { name: 'xl/styles.xml', data: styles },
    { name: 'xl/sharedStrings.xml', data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<sst ${NS} count="16" uniqueCount="16">${sst}</sst>` },
    { name: 'docProps/core.xml', data: '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>' },
  ]);
  const rows = await collect(readXlsx(file));
  assert.deepEqual(rows, [
    {
      row: 2, values: {
        'Tenancy ref': 'T-001', Surname: "O'Brien", 'Start date': '2024-01-01', 'Weekly rent': '95.5', Joint: 'TRUE',
        Balance: '382', Notes: 'Leak in bathroom', Reviewed: '2024-01-01T12:00:00',
      },
    },
    {
      row: 3, values: {
        'Tenancy ref': 'T-002', Surname: 'Smith & Sons', 'Start date': '2000-01-01', 'Weekly rent': '0.001', Joint: 'FALSE',
        Balance: '0.004', Notes: 'Smith & Sons (joint)', Reviewed: '#N/A',
      },
    },
    {
      row: 5, values: {
        'Tenancy ref': '  padded  ', Surname: '', 'Start date': '', 'Weekly rent': '', Joint: '', Balance: '',
        Notes: 'line one\r\nline two', Reviewed: 'literal _x0041_ stays',
      },
      problem: 'has 9 fields but the header has 8: the extra values were not read',
    },
  ]);
});

test('unusual but valid XML: prefixed elements, missing cell and row references, CDATA, 1904 dates, ISO date cells', async () => {
  const file = path.join(dir, 'unusual.xlsx');
  const x = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  writeZip(file, [
    { name: 'xl/workbook.xml', data: `<?xml version="1.0"?><x:workbook ${x} xmlns:rel="${REL}"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="S" sheetId="1" rel:id="rId1"/></x:sheets></x:workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: rels(rel('rId1', 'worksheet', 'worksheets/sheet1.xml'), rel('rId2', 'styles', 'styles.xml')) },
    { name: 'xl/styles.xml', data: `<?xml version="1.0"?><x:styleSheet ${x}><x:cellXfs><x:xf numFmtId="0"/><x:xf numFmtId="14"/></x:cellXfs></x:styleSheet>` },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `<?xml version="1.0"?><!-- written by a script --><x:worksheet ${x}><x:sheetData>`
        + '<x:row><x:c t="inlineStr"><x:is><x:t>A</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t><![CDATA[B <&>]]></x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>C</x:t></x:is></x:c></x:row>'
        + '<x:row><x:c s="1"><x:v>0</x:v></x:c><x:c t="d"><x:v>2024-02-29T00:00:00</x:v></x:c><x:c t="d"><x:v>2024-02-29T10:15:00</x:v></x:c></x:row>'
        + '<x:row r="7"><x:c r="C7" t="str"><x:v>&#x41;&#66;</x:v></x:c></x:row><x:row><x:c r="B8"><x:v>-12.50</x:v></x:c></x:row>'
        + '</x:sheetData></x:worksheet>',
    },
  ]);
  assert.deepEqual(await collect(readXlsx(file)), [
    { row: 2, values: { A: '1904-01-01', 'B <&>': '2024-02-29', C: '2024-02-29T10:15:00' } },
    { row: 7, values: { A: '', 'B <&>': '', C: 'AB' } },
    { row: 8, values: { A: '', 'B <&>': '-12.5', C: '' } },
  ]);
});

test('20,000 rows with the shared strings stored after the sheet: every row, every time, with Excel\'s row numbers', async () => {
  const file = path.join(dir, 'big.xlsx');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('Homes');
  ws.getRow(1).values = ['UPRN', 'Address', 'Let'];
  ws.getRow(1).commit();
  const expected: FileRow[] = [];
  for (let i = 0; i < 20_000; i++) {
    const n = 2 + i + Math.floor(i / 1000); // an empty row after every thousand
    const r = ws.getRow(n);
    r.values = [100000 + i, `${i} High Street`, new Date(Date.UTC(2000, 0, 1 + (i % 365)))];
    r.getCell(3).numFmt = 'dd/mm/yyyy';
    r.commit();
    expected.push({ row: n, values: { UPRN: String(100000 + i), Address: `${i} High Street`, Let: new Date(Date.UTC(2000, 0, 1 + (i % 365))).toISOString().slice(0, 10) } });
  }
  ws.commit();
  await wb.commit();
  const bytes = fs.readFileSync(file);
  assert.ok(bytes.indexOf('xl/sharedStrings.xml') > bytes.indexOf('xl/worksheets/sheet1.xml'), 'the shared strings come after the sheet in the zip');
  for (let run = 0; run < 2; run++) {
    const rows = await collect(readXlsx(file));
    assert.equal(rows.length, 20_000, `run ${run}`);
    assert.deepEqual(rows, expected, `run ${run}`);
  }
});

test('hostile files: not a zip, an old .xls, a zip that is not a workbook, a damaged workbook', async () => {
  const text = path.join(dir, 'text.xlsx');
  fs.writeFileSync(text, 'UPRN,Address\n1,High Street\n');
  await assert.rejects(collect(readXlsx(text)), { message: 'text.xlsx: is not an Excel .xlsx file (it is not a zip archive)' });
  await assert.rejects(listSheets(text), /not a zip archive/);
  await assert.rejects(collect(readXlsx(text, { fileName: 'Rents.xlsx' })), { message: 'Rents.xlsx: is not an Excel .xlsx file (it is not a zip archive)' });

  const xls = path.join(dir, 'old.xlsx');
  fs.writeFileSync(xls, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]));
  await assert.rejects(collect(readXlsx(xls)), /old\.xlsx: is an old Excel 97-2003 \.xls file or a password-protected workbook; save it as an unprotected \.xlsx file/);

  const zip = path.join(dir, 'notes.xlsx');
  writeZip(zip, [{ name: 'notes.txt', data: 'hello' }]);
  await assert.rejects(collect(readXlsx(zip)), /notes\.xlsx: is a zip archive but not an Excel \.xlsx workbook/);

  const good = await workbook('good.xlsx', (wb) => { wb.addWorksheet('A').addRows([['x'], [1]]); });
  const cut = path.join(dir, 'cut.xlsx');
  const bytes = fs.readFileSync(good);
  fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  await assert.rejects(collect(readXlsx(cut)), /cut\.xlsx: is damaged and cannot be read \(the zip directory is missing; the file may be cut short\)/);

  await assert.rejects(collect(readXlsx(path.join(dir, 'nowhere.xlsx'))), { message: 'nowhere.xlsx: the file does not exist' });
});

test('a damaged sheet is an error naming the row, never a row quietly lost', async () => {
  const file = path.join(dir, 'bad.xlsx');
  const head = '<row r="1"><c r="A1" t="inlineStr"><is><t>Ref</t></is></c></row>';
  oneSheet(file, `${head}<row r="2"><c r="A2" t="s"><v>5</v></c></row>`, { sst: '<si><t>only one</t></si>' });
  await assert.rejects(collect(readXlsx(file)), { message: 'bad.xlsx, row 2: is damaged and cannot be read (a cell refers to shared text number 5, which the workbook does not have); open it in Excel and save it again' });

  oneSheet(file, `${head}<row r="3"><c r="A3"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v></c></row>`);
  await assert.rejects(collect(readXlsx(file)), /bad\.xlsx: is damaged and cannot be read \(its rows are out of order \(row 3 comes after row 3\)\)/);

  oneSheet(file, `${head}<row r="2"><c r="A2"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v>`);
  await assert.rejects(collect(readXlsx(file)), /bad\.xlsx, row 3: is damaged and cannot be read \(sheet "Data": /);

  // Two values for one cell: both cannot be kept, so the row says so.
  oneSheet(file, `${head}<row r="2"><c r="A2"><v>1</v></c><c r="A2"><v>2</v></c></row>`);
  assert.deepEqual(await collect(readXlsx(file)), [{ row: 2, values: { Ref: '2' }, problem: 'has two values for column A; only the last was read' }]);

  // A part whose checksum is wrong.
  writeZip(file, [
    { name: 'xl/workbook.xml', data: `<workbook ${NS}><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: rels(rel('rId1', 'worksheet', 'worksheets/sheet1.xml')) },
    { name: 'xl/worksheets/sheet1.xml', data: sheetXml(`${head}<row r="2"><c r="A2"><v>1</v></c></row>`), badCrc: true },
  ]);
  await assert.rejects(collect(readXlsx(file)), /bad\.xlsx: is damaged and cannot be read \("xl\/worksheets\/sheet1\.xml" fails its checksum\)/);
});

test('zip bombs are refused from the zip directory alone, without decompressing', async () => {
  const bomb = path.join(dir, 'bomb.xlsx');
  writeZip(bomb, [{ name: 'xl/workbook.xml', data: '<workbook/>' }, { name: 'xl/worksheets/sheet1.xml', zerosMB: 600 }]);
  assert.ok(fs.statSync(bomb).size < 1024 * 1024, 'the bomb is small on disk');
  const started = Date.now();
  await assert.rejects(collect(readXlsx(bomb)), { message: 'bomb.xlsx: would expand to more than 500 MB: refused' });
  await assert.rejects(listSheets(bomb), /would expand to more than 500 MB: refused/);
  assert.ok(Date.now() - started < 1000, 'refused at once');

  const dense = path.join(dir, 'dense.xlsx');
  writeZip(dense, [{ name: 'xl/workbook.xml', data: '<workbook/>' }, { name: 'xl/worksheets/sheet1.xml', zerosMB: 100 }]);
  await assert.rejects(collect(readXlsx(dense)), /compressed more than 200 to 1, as zip bombs are: refused/);

  const many = path.join(dir, 'many.xlsx');
  writeZip(many, Array.from({ length: XLSX_LIMITS.maxEntries + 1 }, (_, i) => ({ name: `f${i}` })));
  await assert.rejects(collect(readXlsx(many)), /holds 10,001 files inside; at most 10,000 are allowed: refused/);
});

test('a zip directory that lies about sizes is caught while inflating', async () => {
  const liar = path.join(dir, 'liar.xlsx');
  writeZip(liar, [
    { name: 'xl/workbook.xml', data: `<workbook ${NS}><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: rels(rel('rId1', 'worksheet', 'worksheets/sheet1.xml'), rel('rId2', 'sharedStrings', 'sharedStrings.xml')) },
    { name: 'xl/worksheets/sheet1.xml', data: sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>') },
    // Says 1 KB; is 300 MB of zeros (under the 500 MB limit only because it lies).
    { name: 'xl/sharedStrings.xml', zerosMB: 300, declaredSize: 1024 },
  ]);
  const started = Date.now();
  const before = process.memoryUsage().rss;
  await assert.rejects(collect(readXlsx(liar)), { message: 'liar.xlsx: contains a part ("xl/sharedStrings.xml") that expands to more than its zip directory says, as zip bombs do: refused' });
  assert.ok(Date.now() - started < 2000, 'stopped at once, not after inflating it all');
  assert.ok(process.memoryUsage().rss - before < 100 * 1024 * 1024, 'memory stays flat');
});

test('stopping early closes the file', async () => {
  if (!fs.existsSync('/proc/self/fd')) return;
  const file = await workbook('early.xlsx', (wb) => { wb.addWorksheet('A').addRows([['x'], [1], [2], [3]]); });
  const open = () => fs.readdirSync('/proc/self/fd').length;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
  await settle();
  const before = open();
  for (let i = 0; i < 5; i++) {
    for await (const r of readXlsx(file)) { assert.equal(r.row, 2); break; }
  }
  await settle();
  assert.ok(open() <= before, `${open() - before} files left open`);
});
