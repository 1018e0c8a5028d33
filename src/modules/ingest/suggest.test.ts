import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { suggestForFile, describeSuggestion } from './suggest.ts';
import { validateProfile } from './mapping.ts';
import '../install-all.ts'; // the kinds of record and permissions, as the app installs them

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-suggest-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: string) => { const f = path.join(dir, name); fs.writeFileSync(f, content); return f; };

test('a tenants extract is recognised as people, mapped, and its unambiguous dates read as day/month', async () => {
  const f = write('tenants.csv', 'Forename,Surname,DOB,Tel,Prop Ref\nAda,Okafor,23/04/1981,07700 900123,PR1\nBob,Morgan,02/11/1975,,PR2\n');
  const s = await suggestForFile(f, { sourceSystem: 'housing-system' });
  assert.equal(s.kind, 'people');
  assert.deepEqual(Object.fromEntries(s.columns.map((c) => [c.header, c.field])),
    { Forename: 'givenName', Surname: 'familyName', DOB: 'dateOfBirth', Tel: 'phone', 'Prop Ref': 'homeReference' });
  assert.equal(s.dateColumns[0]!.analysis.format, 'dmy');
  assert.deepEqual(s.profile!.dateFormats, { DOB: 'dmy' });
  // No column holds the person's own reference in the source system, which upserts need: the check says so.
  assert.deepEqual(validateProfile(s.profile, s.headers).errors.map((e) => e.field), ['sourceId']);
  assert.match(describeSuggestion(s), /Forename\s+→ givenName/);
});

test('a date column that reads both ways is reported, not guessed, and left out of the profile', async () => {
  const f = write('ambiguous.csv', 'Forename,Surname,DOB\nAda,Okafor,03/04/1981\nBob,Morgan,05/06/1975\n');
  const s = await suggestForFile(f);
  assert.equal(s.dateColumns[0]!.analysis.format, 'ambiguous');
  assert.equal(s.profile!.dateFormats, undefined);
  assert.match(describeSuggestion(s), /Dates in "DOB":/);
});

test('the kind can be forced; an unknown file type or kind is a clear error', async () => {
  const f = write('mixed.ndjson', '{"Prop Ref":"PR1","Description":"Black mould in bathroom","Reported":"2024-01-05"}\n');
  assert.equal((await suggestForFile(f, { kind: 'repairs' })).kind, 'repairs');
  await assert.rejects(suggestForFile(write('x.pdf', '%PDF')), /x\.pdf: unknown file type/);
  await assert.rejects(suggestForFile(f, { kind: 'castles' as never }), /--entity must be one of/);
});

test('headers that fit nothing leave the kind to the user', async () => {
  const s = await suggestForFile(write('odd.csv', 'Colour,Flavour\nred,sweet\n'));
  assert.equal(s.kind, null);
  assert.match(describeSuggestion(s), /Choose the kind of record with --entity/);
});

test('an Excel workbook stored under a temporary name: the sheet asked for, real dates read as ISO dates', async () => {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Read me').addRows([['Exported from the housing system, 21/11/2026']]);
  const ws = wb.addWorksheet('Tenants');
  ws.addRows([['Forename', 'Surname', 'DOB', 'Prop Ref'], ['Ada', 'Okafor', new Date(Date.UTC(1981, 3, 23)), 'PR1'], ['Bob', 'Morgan', new Date(Date.UTC(1975, 10, 2)), 'PR2']]);
  ws.getColumn(3).numFmt = 'dd/mm/yyyy';
  const f = path.join(dir, 'upload-7f3a'); // no extension, as uploads are stored
  await wb.xlsx.writeFile(f);
  // The first visible sheet with a header row is "Read me" (its one cell is a header): ask for the sheet.
  const s = await suggestForFile(f, { fileName: 'Tenants Nov 2026.xlsx', sheet: 'tenants' });
  assert.equal(s.file, 'Tenants Nov 2026.xlsx');
  assert.equal(s.format, 'xlsx');
  assert.equal(s.sheet, 'Tenants');
  assert.deepEqual(s.sheets, ['Read me', 'Tenants']);
  assert.equal(s.kind, 'people');
  assert.equal(s.rowsSampled, 2);
  assert.equal(s.dateColumns[0]!.analysis.format, 'iso');
  assert.match(describeSuggestion(s), /^Tenants Nov 2026\.xlsx, sheet "Tenants": 2 rows looked at, 4 columns\.\nThe workbook's other sheets: "Read me"\./);
  await assert.rejects(suggestForFile(f, { fileName: 'Tenants.xls' }), /Tenants\.xls: is an old Excel 97-2003 \.xls file.*save it as \.xlsx or CSV/);
});
