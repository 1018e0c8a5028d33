import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import {
  MEASURES, MeasuresSchema, RENT_TYPES, STANDARD_SCHEMA_FILE, TENURE_GROUP_OF_RENT_TYPE, standardJsonSchema, standardJsonSchemaText,
} from './schema.ts';
import { EXAMPLE_BATCH, EXAMPLE_HOME, EXAMPLE_MEASURES } from './examples.ts';
import { STANDARD_DOC_FILE, withFieldReference } from './reference.ts';

const root = path.resolve(import.meta.dirname, '../../../..');

describe('the published JSON Schema', () => {
  test('is the committed file, byte for byte (run node scripts/standard-schema.ts after changing the schema)', () => {
    const committed = fs.readFileSync(path.join(root, STANDARD_SCHEMA_FILE), 'utf8');
    assert.equal(committed, standardJsonSchemaText());
  });

  test('and the field tables of docs/hub-standard.md are the ones the schema writes, listing every CSV column', () => {
    const doc = fs.readFileSync(path.join(root, STANDARD_DOC_FILE), 'utf8');
    assert.equal(doc, withFieldReference(doc));
    for (const key of ['block.higherRisk', 'survey.fieldworkTo', 'rp02_1_numerator', 'tp12_responses', 'damp_and_mould_clocks_missed']) assert.ok(doc.includes(`\`${key}\``), key);
  });

  test('works in another validator (Ajv, draft 2020-12): takes the examples, refuses an unknown field and a record without its type', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const check = ajv.compile(JSON.parse(fs.readFileSync(path.join(root, STANDARD_SCHEMA_FILE), 'utf8')) as object);
    assert.equal(check(EXAMPLE_BATCH), true, JSON.stringify(check.errors));
    assert.equal(check({ ...EXAMPLE_BATCH, records: [{ ...EXAMPLE_HOME, tenantName: 'A Person' }] }), false);
    assert.equal(check({ ...EXAMPLE_BATCH, records: [{ ...EXAMPLE_HOME, block: { ...EXAMPLE_HOME.block, occupants: 3 } }] }), false);
    assert.equal(check({ ...EXAMPLE_BATCH, records: [{ ...EXAMPLE_MEASURES, type: undefined }] }), false);
    assert.equal(check({ ...EXAMPLE_BATCH, records: [{ type: 'deletion', kind: 'home', deleted: true }] }), false, 'a deletion names its home');
    assert.equal(check({ ...EXAMPLE_BATCH, records: [{ type: 'deletion', kind: 'home', uprn: '1', deleted: true }] }), true);
    assert.equal(check({ ...EXAMPLE_BATCH, standard: '2.0' }), false);
  });

  test('gives every field a description, and each measure its TSM code', () => {
    const missing: string[] = [];
    const visit = (s: Record<string, unknown>, at: string) => {
      for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof sub.description !== 'string' || sub.description.length < 8) missing.push(`${at}/${name}`);
        visit(sub, `${at}/${name}`);
      }
    };
    const doc = standardJsonSchema();
    visit(doc, '#');
    for (const [name, def] of Object.entries(doc.$defs as Record<string, Record<string, unknown>>)) visit(def, `#/$defs/${name}`);
    assert.deepEqual(missing, []);
    for (const m of MEASURES) {
      const description = (MeasuresSchema.properties as Record<string, { description?: string }>)[m.key]?.description ?? '';
      assert.ok(description.startsWith(`${m.code}: `), `${m.key}: ${description}`);
    }
  });
});

describe('the measures', () => {
  test('are exactly the TSMs the issue names, one field each: RP01, RP02 (1)(2), NM01 (1)(2), BS01–BS05, CH01–CH02 (1)(2), TP01–TP12', () => {
    const tp = Array.from({ length: 12 }, (_, i) => `tp${String(i + 1).padStart(2, '0')}`);
    const expected = ['rp01', 'rp02_1', 'rp02_2', 'nm01_1', 'nm01_2', 'bs01', 'bs02', 'bs03', 'bs04', 'bs05', 'ch01_1', 'ch01_2', 'ch02_1', 'ch02_2', ...tp];
    assert.deepEqual(MEASURES.map((m) => m.key), expected);
    const fields = Object.keys(MeasuresSchema.properties).filter((k) => !['type', 'landlord', 'period', 'tenureGroup', 'dampAndMould', 'survey'].includes(k));
    assert.deepEqual(fields, expected);
    assert.deepEqual(MEASURES.filter((m) => m.kind === 'rate').map((m) => m.key), ['nm01_1', 'nm01_2', 'ch01_1', 'ch01_2'], 'per 1,000 homes');
  });

  test('every rent type says whether it is in a TSM tenure group', () => {
    assert.deepEqual(Object.keys(TENURE_GROUP_OF_RENT_TYPE).sort(), Object.keys(RENT_TYPES).sort());
    assert.equal(TENURE_GROUP_OF_RENT_TYPE['social-rent'], 'LCRA');
    assert.equal(TENURE_GROUP_OF_RENT_TYPE['shared-ownership'], 'LCHO');
    assert.equal(TENURE_GROUP_OF_RENT_TYPE['market-rent'], null);
  });
});
