// Checking records against the standard, one at a time: a bad record is reported (its index, the field as a JSON
// pointer, what is wrong in words) and the others go through, so a batch is never refused for some bad rows. The
// schema is checked first (TypeBox, the same schema that is published); then the rules a JSON Schema cannot state
// (a numerator no larger than its denominator, a period that ends after it starts, a higher-risk flag that agrees with
// the building's height and storeys). Every push, federated page and file goes through here.
import { Type, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Settings } from 'typebox/system';
import { registerFormats } from '../../../platform/http/formats.ts';
import { schemaErrors } from '../../../platform/http/schema-errors.ts';
import {
  BatchSchema, DeletionFieldsSchema, HIGHER_RISK, HomeSchema, MAX_BATCH_RECORDS, MEASURES, MeasuresSchema, PATTERN_WORDS, RECORD_TYPES, RECORDS_DESCRIPTION, STANDARD_VERSION,
  type DeletionRecord, type HomeRecord, type MeasureCounts, type MeasuresRecord, type RecordType, type StandardRecord,
} from './schema.ts';
import { personalMatch } from './personal.ts';

registerFormats();

export interface RecordError {
  /** The record's position in the list given (0-based). */
  index: number;
  /** JSON pointer to the field within the record ("" for the record as a whole). */
  field: string;
  message: string;
}
export interface ValidationResult { valid: StandardRecord[]; errors: RecordError[] }
export interface ValidateOptions {
  /** Today, for "no later than next year". */
  now?: Date;
  /** How a message names a field, given its JSON pointer (the CSV profile names its column); default "block.storeys". */
  name?: (pointer: string) => string;
}
interface FieldError { field: string; message: string }

/** Each record type's schema; a deletion's either-or rule is checked in words below, not as the schema's anyOf. */
const SCHEMAS: Record<RecordType, TSchema> = { home: HomeSchema, measures: MeasuresSchema, deletion: DeletionFieldsSchema };
const CHECKS = Object.fromEntries(RECORD_TYPES.map((t) => [t, Compile(SCHEMAS[t])])) as Record<RecordType, ReturnType<typeof Compile>>;

const dotted = (pointer: string) => pointer.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~')).join('.');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A value short and plain enough to repeat in a message: numbers, true/false, and single words of up to 24
 * characters. Longer text is never repeated (it could be a name or an address in the wrong column), nor any value of
 * a field the standard does not know.
 */
function shown(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return ` (${JSON.stringify(value)})`;
  if (typeof value === 'string' && value.length <= 24 && !/[\s@]/.test(value)) return ` (${JSON.stringify(value)})`;
  return '';
}

/** The value at a JSON pointer within a record. */
function valueAt(record: unknown, pointer: string): unknown {
  let v = record;
  for (const key of pointer.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'))) {
    if (!isObject(v) && !Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The schema of a field, or undefined when the standard has no such field. */
function schemaAt(schema: TSchema, pointer: string): Record<string, unknown> | undefined {
  let s: Record<string, unknown> | undefined = schema as unknown as Record<string, unknown>;
  for (const key of pointer.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'))) {
    const properties: unknown = s?.properties;
    s = isObject(properties) && Object.hasOwn(properties, key) ? properties[key] as Record<string, unknown> : undefined;
    if (!s) return undefined;
  }
  return s;
}

/**
 * TypeBox stops at 8 errors, and a code list of 8 codes fails as 8 errors before the one that names them all: a
 * record's errors are gathered whole, with the limit raised only while this synchronous call runs.
 */
function allSchemaErrors(schema: TSchema, value: unknown) {
  const limit = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: 1000 });
  try {
    return schemaErrors(schema, value, { patternWords: PATTERN_WORDS });
  } finally {
    Settings.Set({ maxErrors: limit });
  }
}

function schemaProblems(type: RecordType, record: Record<string, unknown>, name: (pointer: string) => string): FieldError[] {
  const schema = SCHEMAS[type];
  const out: FieldError[] = [];
  for (const e of allSchemaErrors(schema, record)) {
    const field = e.path;
    const key = dotted(field).split('.').pop() ?? '';
    const at = schemaAt(schema, field);
    if (!at) {
      const personal = personalMatch(key);
      out.push({ field, message: personal
        ? `${name(field)} is not a field of the standard, and looks like personal data ("${personal}"), which the standard never carries: remove it`
        : `${name(field)} is not a field of the standard (version ${STANDARD_VERSION}): check its spelling, or remove it` });
      continue;
    }
    const value = valueAt(record, field);
    if (value === undefined) out.push({ field, message: `${name(field)} is missing: it is required` });
    else if (at.format === 'date') out.push({ field, message: `${name(field)}${shown(value)} must be a date that exists, written YYYY-MM-DD (such as 2026-03-31)` });
    else out.push({ field, message: `${name(field)}${shown(value)} ${e.message}` });
  }
  // One message per field and wording (a date fails both its type and its format); a code list's field says only
  // which codes it takes, not also that a number is not text.
  const listed = new Set(out.filter((e) => e.message.includes(' must be one of: ')).map((e) => e.field));
  return out.filter((e, i) => out.findIndex((o) => o.field === e.field && o.message === e.message) === i
    && (!listed.has(e.field) || e.message.includes(' must be one of: ')));
}

// ---- the rules the schema cannot state -----------------------------------------------------------------------

function homeRules(home: HomeRecord, now: Date, name: (pointer: string) => string): FieldError[] {
  const out: FieldError[] = [];
  const nextYear = now.getUTCFullYear() + 1;
  if (home.buildYear !== undefined && home.buildYear > nextYear) {
    out.push({ field: '/buildYear', message: `${name('/buildYear')} (${home.buildYear}) must be ${nextYear} or earlier: a home is not built more than a year ahead` });
  }
  const b = home.block;
  if (b?.higherRisk !== undefined) {
    const { storeys: s, heightMetres: h, residentialUnits: u } = b;
    const building = [s !== undefined ? `${s} storeys` : '', h !== undefined ? `${h} m` : ''].filter(Boolean).join(' and ');
    const line = `${HIGHER_RISK.heightMetres} m or ${HIGHER_RISK.storeys} storeys, with at least ${HIGHER_RISK.residentialUnits} residential units`;
    const field = '/block/higherRisk';
    if (b.higherRisk && s !== undefined && h !== undefined && s < HIGHER_RISK.storeys && h < HIGHER_RISK.heightMetres) {
      out.push({ field, message: `${name(field)} is true, but a building of ${building} is below the Building Safety Act line (${line}): correct the height or storeys, or the flag` });
    } else if (b.higherRisk && u !== undefined && u < HIGHER_RISK.residentialUnits) {
      out.push({ field, message: `${name(field)} is true, but the building has ${u} residential unit${u === 1 ? '' : 's'}: a higher-risk building has at least ${HIGHER_RISK.residentialUnits}` });
    } else if (!b.higherRisk && ((s ?? 0) >= HIGHER_RISK.storeys || (h ?? 0) >= HIGHER_RISK.heightMetres) && (u === undefined || u >= HIGHER_RISK.residentialUnits)) {
      out.push({ field, message: `${name(field)} is false, but a building of ${building} meets the Building Safety Act line (${line}): correct the height, storeys or residential units, or the flag` });
    }
  }
  return out;
}

const MEASURE_KEYS = ['dampAndMould', ...MEASURES.map((m) => m.key)];
const PERCEPTION = MEASURES.filter((m) => m.kind === 'perception');

function measuresRules(m: MeasuresRecord, name: (pointer: string) => string): FieldError[] {
  const out: FieldError[] = [];
  const before = (from: string, to: string, fromField: string, toField: string) => {
    if (from > to) out.push({ field: toField, message: `${name(toField)} (${to}) must be on or after ${name(fromField)} (${from})` });
  };
  before(m.period.from, m.period.to, '/period/from', '/period/to');
  const record = m as unknown as Record<string, MeasureCounts | undefined>;
  if (!MEASURE_KEYS.some((k) => record[k] !== undefined)) {
    out.push({ field: '', message: `${name('')} has no measures: give at least one of ${name('/dampAndMould')}, ${MEASURES.map((d) => name(`/${d.key}`)).join(', ')}` });
  }
  for (const d of MEASURES) {
    const c = record[d.key];
    if (!c) continue;
    const [part, whole] = d.kind === 'perception' ? (['satisfied', 'responses'] as const) : (['numerator', 'denominator'] as const);
    // A rate per 1,000 homes may exceed 1,000 (more cases than homes); a proportion and a perception may not.
    if (d.kind !== 'rate' && c[part]! > c[whole]!) {
      const field = `/${d.key}/${part}`;
      out.push({ field, message: `${name(field)} (${c[part]}) must not be more than ${name(`/${d.key}/${whole}`)} (${c[whole]}): ${d.code} counts part of a whole` });
    }
  }
  const given = PERCEPTION.filter((d) => record[d.key] !== undefined);
  if (given.length && !m.survey) {
    out.push({ field: '/survey', message: `${name('/survey')} is missing: perception measures (${given.map((d) => d.code).join(', ')}) need the survey they came from` });
  }
  if (m.survey) {
    before(m.survey.fieldworkFrom, m.survey.fieldworkTo, '/survey/fieldworkFrom', '/survey/fieldworkTo');
    if (m.survey.sampleSize > m.survey.population) {
      out.push({ field: '/survey/sampleSize', message: `${name('/survey/sampleSize')} (${m.survey.sampleSize}) must not be more than ${name('/survey/population')} (${m.survey.population})` });
    }
    for (const d of given) {
      const responses = record[d.key]!.responses!;
      if (responses > m.survey.sampleSize) {
        const field = `/${d.key}/responses`;
        out.push({ field, message: `${name(field)} (${responses}) must not be more than ${name('/survey/sampleSize')} (${m.survey.sampleSize}): a question cannot have more answers than the survey had respondents` });
      }
    }
  }
  return out;
}

function deletionRules(d: DeletionRecord, name: (pointer: string) => string): FieldError[] {
  return d.landlordReference === undefined && d.uprn === undefined
    ? [{ field: '/landlordReference', message: `${name('/landlordReference')} is missing: a deletion names the home by ${name('/landlordReference')} or ${name('/uprn')}` }]
    : [];
}

/** One record: the record, typed, or what is wrong with it. */
export function validateRecord(value: unknown, options: ValidateOptions = {}): { record: StandardRecord; errors: [] } | { record?: undefined; errors: FieldError[] } {
  const name = options.name ?? ((pointer: string) => (pointer === '' ? 'The record' : dotted(pointer)));
  if (!isObject(value)) return { errors: [{ field: '', message: `${name('')} must be an object ({…}) with a type: ${RECORD_TYPES.join(', ')}` }] };
  const type = value.type;
  if (typeof type !== 'string' || !(RECORD_TYPES as readonly string[]).includes(type)) {
    return { errors: [{ field: '/type', message: type === undefined ? `${name('/type')} is missing: it is one of ${RECORD_TYPES.join(', ')}` : `${name('/type')}${shown(type)} must be one of: ${RECORD_TYPES.join(', ')}` }] };
  }
  const t = type as RecordType;
  if (!CHECKS[t].Check(value)) return { errors: schemaProblems(t, value, name) };
  const errors = t === 'home' ? homeRules(value as HomeRecord, options.now ?? new Date(), name)
    : t === 'measures' ? measuresRules(value as unknown as MeasuresRecord, name)
      : deletionRules(value as DeletionRecord, name);
  return errors.length ? { errors } : { record: value as StandardRecord, errors: [] };
}

/** Every record checked on its own: the valid ones, in order, and each bad one's errors with its index. */
export function validateRecords(records: readonly unknown[], options: ValidateOptions = {}): ValidationResult {
  const valid: StandardRecord[] = [];
  const errors: RecordError[] = [];
  records.forEach((value, index) => {
    const r = validateRecord(value, options);
    if (r.record) valid.push(r.record);
    else for (const e of r.errors) errors.push({ index, ...e });
  });
  return { valid, errors };
}

/**
 * Records published by one landlord (a batch's, a feed page's, a file's): each checked on its own, and a landlord
 * writes only its own measures: a record about another landlord is an error of that record.
 */
export function validatePublished(records: readonly unknown[], publisher: string, options: ValidateOptions = {}): ValidationResult {
  const { valid, errors } = validateRecords(records, options);
  const bad = new Set(errors.map((e) => e.index));
  const own: StandardRecord[] = [];
  let v = 0;
  records.forEach((_value, index) => {
    if (bad.has(index)) return;
    const record = valid[v++]!;
    if (record.type === 'measures' && record.landlord !== publisher) {
      errors.push({ index, field: '/landlord', message: `landlord (${JSON.stringify(record.landlord)}) is not the publisher (${JSON.stringify(publisher)}): a landlord publishes only its own measures` });
    } else own.push(record);
  });
  errors.sort((a, b) => a.index - b.index);
  return { valid: own, errors };
}

/** The batch envelope alone: its records are checked one by one after. */
const EnvelopeSchema = Type.Object({
  standard: BatchSchema.properties.standard,
  publisher: BatchSchema.properties.publisher,
  records: Type.Array(Type.Unknown(), { maxItems: MAX_BATCH_RECORDS, description: RECORDS_DESCRIPTION }),
}, { additionalProperties: false });
const envelope = Compile(EnvelopeSchema);

export type BatchResult =
  | { ok: true; publisher: string; valid: StandardRecord[]; errors: RecordError[] }
  | { ok: false; errors: FieldError[] };

/**
 * A pushed batch: its envelope (a wrong version or publisher refuses it all, with the field), then each record.
 * A publisher writes only its own measures: a record about another landlord is an error of that record.
 */
export function validateBatch(batch: unknown, options: Omit<ValidateOptions, 'name'> = {}): BatchResult {
  if (!envelope.Check(batch)) {
    if (!isObject(batch)) return { ok: false, errors: [{ field: '', message: 'The batch must be an object ({…}) with standard, publisher and records' }] };
    return { ok: false, errors: allSchemaErrors(EnvelopeSchema, batch).map((e) => {
      const known = schemaAt(EnvelopeSchema, e.path) !== undefined;
      return { field: e.path, message: known ? `${dotted(e.path)}${shown(valueAt(batch, e.path))} ${e.message}` : `${dotted(e.path)} is not a field of a batch: remove it` };
    }) };
  }
  const { publisher, records } = batch;
  const { valid, errors } = validatePublished(records, publisher, options);
  return { ok: true, publisher, valid, errors };
}
