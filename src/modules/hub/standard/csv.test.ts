import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { csvColumns, parseStandardCsv, type CsvKind } from './csv.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from './examples.ts';
import type { StandardRecord } from './schema.ts';

const NOW = new Date('2026-06-15T12:00:00Z');

/** Records written as a file of the profile: every column in the header, a cell for each field given. */
function toCsv(kind: CsvKind, records: StandardRecord[]): string {
  const columns = csvColumns(kind);
  const cell = (record: unknown, pointer: string) => {
    const v = pointer.split('/').slice(1).reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], record);
    return v === undefined ? '' : String(v);
  };
  return [columns.map((c) => c.column).join(','), ...records.map((r) => columns.map((c) => cell(r, c.pointer)).join(','))].join('\r\n') + '\r\n';
}

describe('the CSV profile', () => {
  test('has fixed, flattened column names, each once, that say their field', () => {
    const homes = csvColumns('homes').map((c) => c.column);
    assert.deepEqual(homes, ['landlord_reference', 'uprn', 'local_authority', 'rent_type', 'needs_type', 'property_type', 'bedrooms', 'build_year',
      'block_reference', 'block_storeys', 'block_height_metres', 'block_residential_units', 'block_higher_risk']);
    const measures = csvColumns('measures').map((c) => c.column);
    assert.equal(new Set(measures).size, measures.length);
    for (const c of ['landlord', 'period_from', 'period_to', 'tenure_group', 'damp_and_mould_open_cases', 'rp01_numerator', 'rp02_1_numerator', 'rp02_2_denominator',
      'nm01_2_numerator', 'bs05_denominator', 'ch02_2_numerator', 'tp12_responses', 'survey_method', 'survey_fieldwork_to']) assert.ok(measures.includes(c), c);
    assert.deepEqual(csvColumns('measures').filter((c) => c.required).map((c) => c.column), ['landlord', 'period_from', 'period_to', 'tenure_group']);
    assert.ok(csvColumns('homes').every((c) => c.description.length > 8));
  });

  test('reads back the records a file was written from, for both kinds', () => {
    const homes = [EXAMPLE_HOME, { type: 'home' as const, landlordReference: 'H2', localAuthority: 'E06000001', rentType: 'shared-ownership' as const }];
    assert.deepEqual(parseStandardCsv('homes', toCsv('homes', homes), { now: NOW }), { records: homes, errors: [], rows: 2 });
    assert.deepEqual(parseStandardCsv('measures', toCsv('measures', [EXAMPLE_MEASURES]), { now: NOW }), { records: [EXAMPLE_MEASURES], errors: [], rows: 1 });
  });

  test('a bad cell gives its row (the line in the file) and column, and the good rows go through', () => {
    const text = [
      'landlord_reference,local_authority,rent_type,bedrooms,block_reference,block_storeys,block_higher_risk',
      'H1,E08000035,social-rent,2,,,',
      'H2,E08000035,social-rent,two,,,',
      '',
      '"H3',
      'rear",E08000035,council,1,,,',
      'H4,E08000035,affordable-rent,3,B9,3,maybe',
      'H5,E08000035,social-rent,1,B1,14,yes',
    ].join('\n');
    const r = parseStandardCsv('homes', text, { now: NOW });
    assert.deepEqual(r.records.map((h) => (h as { landlordReference: string }).landlordReference), ['H1', 'H5']);
    assert.equal(r.rows, 5);
    assert.deepEqual(r.errors.map((e) => [e.row, e.column]), [[3, 'bedrooms'], [5, 'landlord_reference'], [5, 'rent_type'], [7, 'block_higher_risk']]);
    assert.equal(r.errors[0]!.message, 'bedrooms ("two") must be a whole number');
    assert.match(r.errors[2]!.message, /^rent_type \("council"\) must be one of: /);
    assert.equal(r.errors[3]!.message, 'block_higher_risk ("maybe") must be true or false');
  });

  test('rules across cells name a column too: a survey missing for TP01, a numerator over its denominator', () => {
    const text = 'landlord,period_from,period_to,tenure_group,rp01_numerator,rp01_denominator,tp01_satisfied,tp01_responses\n'
      + 'L1234,2025-04-01,2026-03-31,LCRA,5,100,10,20\n'
      + 'L1234,2025-04-01,2026-03-31,LCHO,101,100,,\n';
    const r = parseStandardCsv('measures', text, { now: NOW });
    assert.deepEqual(r.records, []);
    assert.deepEqual(r.errors, [
      { row: 2, column: 'survey_method', message: 'survey_method is missing: perception measures (TP01) need the survey they came from' },
      { row: 3, column: 'rp01_numerator', message: 'rp01_numerator (101) must not be more than rp01_denominator (100): RP01 counts part of a whole' },
    ]);
  });

  test('a column outside the profile, a repeated column or a required one missing refuses the file, before any row is read', () => {
    const r = parseStandardCsv('homes', 'landlord_reference,tenant_name,local_authority,uprn,uprn\nH1,Jane Smith,E08000035,1,1\n');
    assert.deepEqual(r.records, []);
    assert.deepEqual(r.errors.map((e) => [e.row, e.column]), [[1, 'tenant_name'], [1, 'uprn'], [1, 'rent_type']]);
    assert.match(r.errors[0]!.message, /^tenant_name is not a column of homes\.csv, and looks like personal data \("tenant"\)/);
    assert.ok(r.errors.every((e) => !e.message.includes('Jane')));
    assert.deepEqual(parseStandardCsv('homes', '').errors, [{ row: 1, column: '', message: 'homes.csv is empty: it needs a header row naming its columns' }]);
  });

  test('a row with more cells than columns, a stray quote, a quote never closed: each reported on its line, the other rows read', () => {
    const text = 'landlord_reference,local_authority,rent_type\nH1,E08000035,social-rent\nH2,E08000035,social-rent,Jane Smith\nH3,"E08"000035,social-rent\n'
      + 'H4,E08000035,social-rent\nH5,"E08000035,social-rent\nH6,E08000035,social-rent\n';
    const r = parseStandardCsv('homes', text);
    assert.deepEqual(r.records.map((h) => (h as { landlordReference: string }).landlordReference), ['H1', 'H4']);
    assert.deepEqual(r.errors.map((e) => [e.row, e.column]), [[3, ''], [4, 'local_authority'], [6, '']]);
    assert.match(r.errors[0]!.message, /has 4 cells but the header names 3 columns/);
    assert.doesNotMatch(r.errors[0]!.message, /Jane/);
    assert.match(r.errors[1]!.message, /^local_authority \(.+\) must be the ONS \(GSS\) code/);
    assert.match(r.errors[2]!.message, /^This row opens a quoted cell that is never closed/);
  });
});

test('records written as the CSV profile read back as the same records', async () => {
  const { standardCsv } = await import('./csv.ts');
  const { EXAMPLE_HOME, EXAMPLE_MEASURES } = await import('./examples.ts');
  const homes = [EXAMPLE_HOME, { ...EXAMPLE_HOME, landlordReference: 'HM, "quoted"', block: undefined, uprn: undefined }];
  const back = parseStandardCsv('homes', standardCsv('homes', homes));
  assert.deepEqual(back.errors, []);
  assert.deepEqual(back.records, homes.map((h) => JSON.parse(JSON.stringify(h))));
  const m = parseStandardCsv('measures', standardCsv('measures', [EXAMPLE_MEASURES]));
  assert.deepEqual(m.errors, []);
  assert.deepEqual(m.records, [EXAMPLE_MEASURES]);
});
