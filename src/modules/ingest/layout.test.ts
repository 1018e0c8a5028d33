// Header rows, JSON wrappers, row filters (layout.ts), suggestions that learn from real headers and break ties by
// meaning (mapping.ts), and hints for unknown codes that never guess (issue 11, defects 6–8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectHeader, findRecords, rowKeeper } from './layout.ts';
import { suggestMapping, type RecordKind } from './mapping.ts';
import { unknownCode, type LoadContext } from '../../platform/records/load.ts';
import { TENANCY_TYPES } from '../tenancies/index.ts';
import { PROPERTY_TYPES } from '../homes/index.ts';
import '../install-all.ts'; // the kinds of record and permissions, as the app installs them

test('the header is found under title rows, and a row of field codes under labels is recognised', () => {
  const titled = [['Lettings log 2024/25', '', '', ''], ['Landlord: Anytown Homes', '', '', ''], ['', '', '', ''],
    ['Tenant code', 'Property reference', 'Start date', 'Postcode'], ['T1', 'P1', '01/04/2024', 'LS6 1AA'], ['T2', 'P2', '02/04/2024', 'LS6 1AB']];
  assert.deepEqual([detectHeader(titled).index, detectHeader(titled).codeRow], [3, false]);
  const coded = [['Tenant code', 'Property reference', 'Start date'], ['tenancycode', 'propcode', 'startdate'], ['T1', 'P1', '01/04/2024'], ['T2', 'P2', '02/04/2024']];
  assert.deepEqual([detectHeader(coded).index, detectHeader(coded).codeRow], [0, true]);
  // An ordinary file is read as before: its first row is the header, and data that happens to be words is data.
  const plain = [['Ref', 'Type', 'Town'], ['A', 'House', 'Leeds'], ['B', 'Flat', 'York']];
  assert.deepEqual([detectHeader(plain).index, detectHeader(plain).codeRow], [0, false]);
  assert.equal(detectHeader([['Name'], ['Ann'], ['Bob']]).index, 0);
  // A first data row of single words under labels with spaces is data, not codes (John Smith was once dropped).
  const people = [['Person ID', 'First Name', 'Surname'], ['PER1', 'John', 'Smith'], ['PER2', 'Mary Ann', 'Jones']];
  assert.deepEqual([detectHeader(people).index, detectHeader(people).codeRow], [0, false]);
  assert.equal(detectHeader(people, 0).codeRow, false);
  assert.equal(detectHeader(titled, 3).index, 3);
});

test('the records inside a JSON wrapper, or at a path', () => {
  const doc = { pageCount: 2, links: [{ rel: 'next' }], results: [{ a: 1 }, { a: 2 }, { a: 3 }] };
  assert.deepEqual(findRecords(doc), { path: 'results', records: doc.results });
  assert.deepEqual(findRecords({ data: { items: [{ a: 1 }] } }, 'data.items'), { path: 'data.items', records: [{ a: 1 }] });
  assert.match((findRecords({ data: {} }, 'data.items') as { error: string }).error, /nothing at "data.items"/);
  assert.match((findRecords({ count: 0 }) as { error: string }).error, /jsonPath/);
});

test('a row filter keeps rows whose column is one of the values, by prefix with *', () => {
  const keep = rowKeeper({ column: 'CLASS', values: ['RD*', 'CE01'] });
  assert.deepEqual(['RD04', 'rd02', 'C', 'CE01', 'CE02', ''].map((c) => keep({ CLASS: c })), [true, true, false, true, false, false]);
});

const fieldOf = (kind: RecordKind, headers: string[], header: string, rows?: Record<string, string>[]) =>
  suggestMapping(kind, headers, rows).find((s) => s.header === header)!.field;

test('"propcode" beats "id" with blanks for the property reference, whichever comes first', () => {
  const headers = ['id', 'propcode', 'uprn'];
  const rows = [{ id: '1', propcode: 'P1', uprn: '1' }, { id: '', propcode: 'P2', uprn: '2' }, { id: '', propcode: 'P3', uprn: '3' }];
  assert.equal(fieldOf('homes', headers, 'propcode', rows), 'reference');
  assert.equal(fieldOf('homes', headers, 'id', rows), null);
  // Without rows, the header that says what it is wins over the bare "id".
  assert.equal(fieldOf('homes', headers, 'propcode'), 'reference');
});

test('headers from real exports are suggested', () => {
  const cases: [RecordKind, string, string][] = [
    ['homes', 'prinx', 'reference'], ['homes', 'propcode', 'reference'], ['homes', 'postcode_full', 'postcode'],
    ['tenancies', 'tenancycode', 'reference'], ['tenancies', 'tenancy', 'tenancyType'], ['tenancies', 'propcode', 'homeReference'],
    ['notes', 'Complaint Description', 'text'], ['notes', 'Decision Date', 'date'], ['notes', 'Complaint Reference', 'sourceId'],
    ['notes', 'Job Description', 'text'], ['repairs', 'Job Description', 'description'], ['repairs', 'Work_Order_Reference', 'jobReference'],
    ['repairs', 'Property_Reference_', 'homeReference'], ['homes', 'prop_ref', 'reference'], ['people', 'Contact No', 'phone'],
    ['repairs', 'workOrderReference', 'jobReference'], ['repairs', 'dateRaised', 'reportedDate'], ['people', 'person_no', 'sourceId'],
    ['tenancies', 'tag_ref', 'reference'], ['tenancies', 'startdate', 'startDate'], ['homes', 'unittype_gn', 'propertyType'],
  ];
  for (const [kind, header, field] of cases) assert.equal(fieldOf(kind, [header], header), field, `${kind}: ${header}`);
});

test('an unknown code\'s hint lists the known codes and never proposes one', () => {
  const ctx = { columnOf: (f: string) => (f === 'tenancyType' ? 'Tenancy Type' : 'Class') } as unknown as LoadContext;
  const ast = unknownCode(ctx, 'tenancyType', 'Assured Shorthold Tenancy (AST) – Fixed term', TENANCY_TYPES).message;
  assert.doesNotMatch(ast, /"Assured Shorthold Tenancy \(AST\) – Fixed term": "secure"/);
  assert.doesNotMatch(ast, /e\.g\./);
  assert.match(ast, /assured-shorthold/);
  assert.match(ast, /"values"/);
  const commercial = unknownCode(ctx, 'propertyType', 'C', PROPERTY_TYPES).message;
  assert.doesNotMatch(commercial, /"C": "house"/);
});

test('an Excel sheet with title rows: the header is found, Excel row numbers kept, the header row told', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { readRows } = await import('./rows.ts');
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Lettings');
  ws.addRow(['Social housing lettings 2024/25']);
  ws.addRow(['Landlord: Anytown Homes']);
  ws.addRow(['Tenant code', 'Property reference', 'Postcode']); // row 3
  ws.addRow(['tenancycode', 'propcode', 'postcode_full']); // row 4: field codes
  ws.addRow(['T1', 'P1', 'LS6 1AA']);
  ws.addRow(['T2', 'P2', 'LS6 1AB']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-layout-'));
  try {
    const file = path.join(dir, 'lettings.xlsx');
    await wb.xlsx.writeFile(file);
    let info: { headers: string[]; headerRow?: number; codeRow?: number } | undefined;
    const rows = [];
    for await (const r of readRows(file, { onInfo: (i) => { info = i; } })) rows.push(r);
    assert.deepEqual(info!.headers, ['Tenant code', 'Property reference', 'Postcode']);
    assert.deepEqual([info!.headerRow, info!.codeRow], [3, 4]);
    assert.deepEqual(rows.map((r) => [r.row, r.values['Tenant code']]), [[5, 'T1'], [6, 'T2']]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
