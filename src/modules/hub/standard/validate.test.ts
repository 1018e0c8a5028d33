import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateBatch, validateRecords, type RecordError } from './validate.ts';
import { EXAMPLE_DELETION, EXAMPLE_HOME, EXAMPLE_MEASURES } from './examples.ts';
import type { HomeRecord, MeasuresRecord } from './schema.ts';

const NOW = new Date('2026-06-15T12:00:00Z');
const home = (patch: Record<string, unknown> = {}) => ({ ...structuredClone(EXAMPLE_HOME), ...patch });
const block = (patch: Record<string, unknown>) => home({ block: { blockReference: 'B1', ...patch } });
const measures = (patch: Record<string, unknown> = {}) => ({ ...structuredClone(EXAMPLE_MEASURES), ...patch });
/** The errors of one record: [field, message]. */
const errorsOf = (record: unknown): [string, string][] => {
  const r = validateRecords([record], { now: NOW });
  assert.equal(r.valid.length, 0, 'expected the record to be refused');
  return r.errors.map((e) => [e.field, e.message]);
};
const fieldsOf = (record: unknown) => errorsOf(record).map(([f]) => f);

describe('valid records', () => {
  test('the examples of each type pass, unchanged, and so does the least a home and a measures record need', () => {
    const least: HomeRecord = { type: 'home', landlordReference: 'H1', localAuthority: 'E09000033', rentType: 'affordable-rent' };
    const fewest: MeasuresRecord = { type: 'measures', landlord: '4567', period: { from: '2026-04-01', to: '2026-04-30' }, tenureGroup: 'LCHO', ch01_1: { numerator: 0, denominator: 900 } };
    const records = [EXAMPLE_HOME, EXAMPLE_MEASURES, EXAMPLE_DELETION, least, fewest, { type: 'deletion', kind: 'home', uprn: '10001', deleted: true }];
    const r = validateRecords(structuredClone(records), { now: NOW });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.valid, records);
  });

  test('a rate per 1,000 homes may count more cases than homes; a block at the line is higher-risk; a small block below it is not', () => {
    const busy = measures({ nm01_1: { numerator: 30, denominator: 20 } });
    const ok = [busy, block({ storeys: 7, higherRisk: true }), block({ heightMetres: 18, higherRisk: true }), block({ storeys: 5, heightMetres: 15, higherRisk: false }),
      block({ storeys: 9, residentialUnits: 1, higherRisk: false }), block({ storeys: 6, higherRisk: true }), home({ buildYear: 2027 })];
    assert.deepEqual(validateRecords(ok, { now: NOW }).errors, []);
  });
});

describe('each kind of bad value names its record and field', () => {
  test('not an object, no type, an unknown type', () => {
    const r = validateRecords([null, 'home', { landlordReference: 'H1' }, { type: 'tenancy' }], { now: NOW });
    assert.deepEqual(r.errors.map((e) => [e.index, e.field]), [[0, ''], [1, ''], [2, '/type'], [3, '/type']]);
    assert.match(r.errors[3]!.message, /^type \("tenancy"\) must be one of: home, measures, deletion$/);
  });

  test('a required field missing, wrong types and codes, with the value when it is short', () => {
    const { landlordReference: _, ...noReference } = EXAMPLE_HOME;
    assert.deepEqual(errorsOf(noReference), [['/landlordReference', 'landlordReference is missing: it is required']]);
    const errors = errorsOf(home({ uprn: '1234567890123', localAuthority: 'Leeds', rentType: 'council', bedrooms: 2.5, propertyType: 7, buildYear: '1968' }));
    assert.deepEqual(errors.map(([f]) => f), ['/uprn', '/localAuthority', '/rentType', '/propertyType', '/bedrooms', '/buildYear']);
    const said = Object.fromEntries(errors);
    assert.equal(said['/uprn'], 'uprn ("1234567890123") must be a UPRN: 1 to 12 digits');
    assert.match(said['/localAuthority']!, /^localAuthority \("Leeds"\) must be the ONS \(GSS\) code of a local authority district, such as E08000035$/);
    assert.match(said['/rentType']!, /^rentType \("council"\) must be one of: "social-rent", "affordable-rent", .*"other"$/);
    assert.match(said['/propertyType']!, /^propertyType \(7\) must be one of: "house"/);
    assert.equal(said['/bedrooms'], 'bedrooms (2.5) must be a whole number');
    assert.equal(said['/buildYear'], 'buildYear ("1968") must be a whole number');
  });

  test('nested fields are named by their path; long text is not repeated', () => {
    const errors = errorsOf(home({ block: { blockReference: 'Flat of a very long free text that might be anything at all', storeys: 0, heightMetres: 900 } }));
    assert.deepEqual(errors, [
      ['/block/blockReference', 'block.blockReference must be 50 characters or fewer'],
      ['/block/storeys', 'block.storeys (0) must be 1 or more'],
      ['/block/heightMetres', 'block.heightMetres (900) must be 400 or less'],
    ]);
  });

  test('dates that do not exist, and a period or fieldwork that ends before it starts', () => {
    assert.deepEqual(errorsOf(measures({ period: { from: '2025-02-29', to: '2026-03-31' } })),
      [['/period/from', 'period.from ("2025-02-29") must be a date that exists, written YYYY-MM-DD (such as 2026-03-31)']]);
    assert.deepEqual(errorsOf(measures({ period: { from: '2026-04-01', to: '2026-03-31' } })),
      [['/period/to', 'period.to (2026-03-31) must be on or after period.from (2026-04-01)']]);
    const survey = { ...EXAMPLE_MEASURES.survey!, fieldworkFrom: '2026-03-01', fieldworkTo: '2026-02-01' };
    assert.deepEqual(fieldsOf(measures({ survey })), ['/survey/fieldworkTo']);
  });

  test('a numerator larger than its denominator, satisfied more than responses, a zero denominator', () => {
    const errors = errorsOf(measures({ rp02_1: { numerator: 101, denominator: 100 }, bs05: { numerator: 3, denominator: 2 }, tp05: { satisfied: 900, responses: 899 } }));
    assert.deepEqual(errors.map(([f]) => f), ['/rp02_1/numerator', '/bs05/numerator', '/tp05/satisfied']);
    assert.equal(errors[0]![1], 'rp02_1.numerator (101) must not be more than rp02_1.denominator (100): RP02 (1) counts part of a whole');
    assert.deepEqual(fieldsOf(measures({ rp01: { numerator: 0, denominator: 0 } })), ['/rp01/denominator']);
    assert.deepEqual(fieldsOf(measures({ rp01: { numerator: -1, denominator: 10 } })), ['/rp01/numerator']);
  });

  test('perception measures without their survey, more answers than respondents, a sample larger than its population', () => {
    const { survey: _, ...noSurvey } = EXAMPLE_MEASURES;
    assert.deepEqual(errorsOf(noSurvey), [['/survey', 'survey is missing: perception measures (TP01, TP02, TP05, TP12) need the survey they came from']]);
    assert.deepEqual(fieldsOf(measures({ tp01: { satisfied: 1, responses: 5000 } })), ['/tp01/responses']);
    assert.deepEqual(fieldsOf(measures({ survey: { ...EXAMPLE_MEASURES.survey!, population: 100 } })), ['/survey/sampleSize']);
    assert.deepEqual(fieldsOf(measures({ survey: { ...EXAMPLE_MEASURES.survey!, method: 'carrier-pigeon' } })), ['/survey/method']);
  });

  test('a measures record with no measures, a bad registration number, an unknown tenure group', () => {
    const bare = { type: 'measures', landlord: 'L1234', period: EXAMPLE_MEASURES.period, tenureGroup: 'LCRA' };
    assert.deepEqual(fieldsOf(bare), ['']);
    assert.match(errorsOf(bare)[0]![1], /^The record has no measures: give at least one of dampAndMould, rp01, /);
    assert.deepEqual(fieldsOf({ ...bare, rp01: EXAMPLE_MEASURES.rp01, landlord: 'Leeds HA', tenureGroup: 'LCHO ' }), ['/landlord', '/tenureGroup']);
  });

  test('a higher-risk flag that contradicts the building, and a build year in the future', () => {
    const line = /Building Safety Act line \(18 m or 7 storeys, with at least 2 residential units\)/;
    const low = errorsOf(block({ storeys: 4, heightMetres: 12, higherRisk: true }));
    assert.deepEqual(low.map(([f]) => f), ['/block/higherRisk']);
    assert.match(low[0]![1], /^block\.higherRisk is true, but a building of 4 storeys and 12 m is below the /);
    assert.match(low[0]![1], line);
    const tall = errorsOf(block({ heightMetres: 19.5, higherRisk: false }));
    assert.match(tall[0]![1], /^block\.higherRisk is false, but a building of 19.5 m meets the /);
    assert.deepEqual(fieldsOf(block({ storeys: 12, residentialUnits: 1, higherRisk: true })), ['/block/higherRisk']);
    assert.deepEqual(errorsOf(home({ buildYear: 2028 })), [['/buildYear', 'buildYear (2028) must be 2027 or earlier: a home is not built more than a year ahead']]);
    assert.deepEqual(fieldsOf(home({ buildYear: 1499 })), ['/buildYear']);
  });

  test('a deletion without the home it deletes, or not saying deleted: true', () => {
    assert.deepEqual(errorsOf({ type: 'deletion', kind: 'home', deleted: true }),
      [['/landlordReference', 'landlordReference is missing: a deletion names the home by landlordReference or uprn']]);
    assert.deepEqual(fieldsOf({ ...EXAMPLE_DELETION, deleted: false }), ['/deleted']);
    assert.deepEqual(fieldsOf({ ...EXAMPLE_DELETION, kind: 'measures' }), ['/kind']);
  });
});

describe('a batch', () => {
  test('of 1,000 records with 3 bad rows gives 997 valid records, in order, and the 3 rows\' errors', () => {
    const records: unknown[] = Array.from({ length: 1000 }, (_, i) => home({ landlordReference: `H${i}`, uprn: String(100_000 + i) }));
    const bad = [3, 498, 999];
    (records[3] as Record<string, unknown>).bedrooms = -2;
    (records[498] as Record<string, unknown>).localAuthority = 'E0800003';
    records[999] = { ...(records[999] as object), block: { blockReference: 'B', storeys: 2, heightMetres: 6, higherRisk: true } };
    const { valid, errors } = validateRecords(records, { now: NOW });
    assert.equal(valid.length, 997);
    assert.deepEqual(errors.map((e: RecordError) => [e.index, e.field]), [[3, '/bedrooms'], [498, '/localAuthority'], [999, '/block/higherRisk']]);
    assert.deepEqual(valid.map((r) => (r as HomeRecord).landlordReference), records.filter((_, i) => !bad.includes(i)).map((r) => (r as HomeRecord).landlordReference));
  });

  test('with a wrong version, publisher or envelope field is refused whole, naming the field', () => {
    const r = validateBatch({ standard: '2.0', publisher: 'someone', records: [EXAMPLE_HOME], signature: 'x' });
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map((e) => e.field).sort(), ['/publisher', '/signature', '/standard']);
    const many = validateBatch({ standard: '1.0', publisher: 'L1234', records: Array.from({ length: 10_001 }, () => EXAMPLE_HOME) });
    assert.deepEqual(many.ok ? [] : many.errors, [{ field: '/records', message: 'records must have 10000 items or fewer' }]);
    assert.equal(validateBatch([EXAMPLE_HOME]).ok, false);
  });

  test('keeps a publisher to its own measures: another landlord\'s record is an error of that record, the rest go through', () => {
    const r = validateBatch({ standard: '1.0', publisher: 'L1234', records: [EXAMPLE_HOME, measures({ landlord: 'L9999' }), EXAMPLE_MEASURES, { type: 'home' }] }, { now: NOW });
    assert.ok(r.ok);
    assert.deepEqual(r.valid, [EXAMPLE_HOME, EXAMPLE_MEASURES]);
    assert.deepEqual(r.errors.map((e) => [e.index, e.field]), [[1, '/landlord'], [3, '/landlordReference'], [3, '/localAuthority'], [3, '/rentType']]);
    assert.match(r.errors[0]!.message, /^landlord \("L9999"\) is not the publisher \("L1234"\)/);
  });
});
