// The field reference of docs/hub-standard.md, written from the schema (scripts/standard-schema.ts puts it between
// the document's markers), so the documentation lists exactly the fields the validator takes.
import type { TSchema } from 'typebox';
import { csvColumns, type CsvKind } from './csv.ts';
import {
  DeletionSchema, HomeSchema, MEASURES, MeasuresSchema, NEEDS_TYPES, RENT_TYPES, STANDARD_PROPERTY_TYPES, SURVEY_METHODS,
  TENURE_GROUP_OF_RENT_TYPE, TENURE_GROUPS,
} from './schema.ts';

export const GENERATED_START = '<!-- generated from src/modules/hub/standard/schema.ts: start -->';
export const GENERATED_END = '<!-- generated from src/modules/hub/standard/schema.ts: end -->';

type Json = Record<string, unknown>;
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

function typeOf(s: Json): string {
  if (Array.isArray(s.anyOf)) return 'code';
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.format === 'date') return 'date (YYYY-MM-DD)';
  const n = (v: unknown) => Number(v).toLocaleString('en-GB');
  const range = [s.minimum !== undefined ? `≥ ${n(s.minimum)}` : '', s.maximum !== undefined ? `≤ ${n(s.maximum)}` : ''].filter(Boolean).join(', ');
  const words: Record<string, string> = { integer: 'whole number', number: 'number', boolean: 'true or false', string: 'text', object: 'object' };
  const base = words[String(s.type)] ?? String(s.type);
  return range ? `${base} (${range})` : s.maxLength !== undefined ? `${base} (up to ${String(s.maxLength)} characters)` : base;
}

/** A code field's description without the codes it ends with: the code lists have their own tables below. */
const described = (s: Json) => (Array.isArray(s.anyOf)
  ? `${String(s.description ?? '').replace(/: [A-Za-z-]+ \(.*$/s, '')} (codes below)` : String(s.description ?? ''));

function rows(schema: Json, skip: (key: string) => boolean, kind: CsvKind | null, at = '', required = true): string[] {
  const columns = new Map((kind ? csvColumns(kind) : []).map((c) => [c.pointer, c.column]));
  const needed = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(schema.properties as Record<string, Json>).flatMap(([key, s]) => {
    if (at === '' && skip(key)) return [];
    const pointer = `${at}/${key}`;
    const field = pointer.slice(1).replaceAll('/', '.');
    const isRequired = needed.has(key) ? (required ? 'yes' : `with ${at.slice(1).replaceAll('/', '.')}`) : 'no';
    const column = columns.get(pointer);
    const where = column ? `\`${column}\`` : pointer === '/type' ? '(the file)' : '';
    const row = `| \`${field}\` | ${typeOf(s)} | ${isRequired} |${kind ? ` ${where} |` : ''} ${cell(described(s))} |`;
    return s.type === 'object' ? [row, ...rows(s, skip, kind, pointer, required && needed.has(key))] : [row];
  });
}

const table = (schema: TSchema, kind: CsvKind | null, skip: (key: string) => boolean = () => false) => [
  kind ? '| field | type | required | CSV column | what it is |' : '| field | type | required | what it is |',
  kind ? '|---|---|---|---|---|' : '|---|---|---|---|',
  ...rows(schema as unknown as Json, skip, kind),
].join('\n');

const codeTable = (list: Readonly<Record<string, string>>, extra?: (code: string) => string) => [
  extra ? '| code | meaning | TSM tenure group |' : '| code | meaning |',
  extra ? '|---|---|---|' : '|---|---|',
  ...Object.entries(list).map(([code, label]) => `| \`${code}\` | ${cell(label)} |${extra ? ` ${extra(code)} |` : ''}`),
].join('\n');

const measureKeys = new Set(MEASURES.map((m) => m.key));

/** The generated part of docs/hub-standard.md. */
export function fieldReference(): string {
  const measures = [
    '| field | TSM | measure | numerator (perception: `satisfied`) | denominator (perception: `responses`) | CSV columns |',
    '|---|---|---|---|---|---|',
    ...MEASURES.map((m) => {
      const [a, b] = m.kind === 'perception' ? ['satisfied', 'responses'] : ['numerator', 'denominator'];
      return `| \`${m.key}\` | ${m.code} | ${cell(m.title)} | ${cell(m.numerator)} | ${cell(m.denominator)} | \`${m.key}_${a}\`, \`${m.key}_${b}\` |`;
    }),
  ].join('\n');
  return [
    GENERATED_START,
    '### home (`homes.csv`)',
    table(HomeSchema, 'homes'),
    '',
    '### measures (`measures.csv`)',
    table(MeasuresSchema, 'measures', (key) => measureKeys.has(key)),
    '',
    'Each measure is optional; when given, both its counts are required. Proportions (RP01, RP02, BS01–BS05, CH02) and',
    'perception measures cannot count more than their whole; rates per 1,000 homes (NM01, CH01) may.',
    '',
    measures,
    '',
    '### deletion (JSON only)',
    table(DeletionSchema, null),
    '',
    'A deletion gives `landlordReference` or `uprn` (or both).',
    '',
    '### Code lists',
    '`rentType`:',
    '',
    codeTable(RENT_TYPES, (code) => TENURE_GROUP_OF_RENT_TYPE[code as keyof typeof RENT_TYPES] ?? 'none (outside the TSMs)'),
    '',
    '`needsType`:',
    '',
    codeTable(NEEDS_TYPES),
    '',
    '`propertyType`:',
    '',
    codeTable(STANDARD_PROPERTY_TYPES),
    '',
    '`tenureGroup`:',
    '',
    codeTable(TENURE_GROUPS),
    '',
    '`survey.method`:',
    '',
    codeTable(SURVEY_METHODS),
    GENERATED_END,
  ].join('\n');
}

/** A document with its generated part replaced; an error when the markers are missing. */
export function withFieldReference(doc: string): string {
  const start = doc.indexOf(GENERATED_START);
  const end = doc.indexOf(GENERATED_END);
  if (start < 0 || end < start) throw new Error('the document has no markers for the generated field reference');
  return doc.slice(0, start) + fieldReference() + doc.slice(end + GENERATED_END.length);
}

export const STANDARD_DOC_FILE = 'docs/hub-standard.md';
