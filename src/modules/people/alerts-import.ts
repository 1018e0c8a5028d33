// Loading person alerts from files. An alert belongs to a person loaded from the same source (an alert for nobody is
// rejected, never attached to a guess); its type is a HACT v3.5 code, given as the code or as the source's words for it
// ("DNVA", "Wheelchair user"), and its UKHDS category must fit the code. Alerts are sensitive: no problem this loader
// reports repeats an alert's description.
import { getTableName, sql } from 'drizzle-orm';
import { wanted, type Db } from '../../platform/db/store.ts';
import { bulkColumns, bulkUpsert } from '../../platform/records/bulk.ts';
import { selectListOf } from '../../platform/db/table-fields.ts';
import { keptColumns, translateCode, unknownCode, type Fields, type KindLoader, type LoadContext, type LoadResult, type RowProblem } from '../../platform/records/load.ts';
import { peopleBySourceId } from './import.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { personAlerts } from './schema.ts';
import { ALERT_CATEGORIES, CATEGORIES_FOR_HACT_CODE, CONFIDENTIALITY_LEVELS, HACT_ALERT_CODES, type AlertCategory, type HactAlertCode } from './codes.ts';

/** What legacy systems call each HACT alert type (compared as letters and digits only, any case). */
const HACT_SYNONYMS: Record<HactAlertCode, string[]> = {
  '0': ['other', 'other alert', 'general', 'misc', 'miscellaneous'],
  '10': ['dnva', 'dnv', 'do not visit alone', 'do not visit', 'visit in pairs', 'two person visit', 'double up', 'violent', 'violence',
    'violent behaviour', 'potentially violent', 'potentially violent person', 'pvp', 'aggressive', 'aggression', 'threatening', 'abusive',
    'risk to staff', 'staff safety', 'staff safety risk', 'lone working risk'],
  '10-10': ['asb', 'anti social behaviour', 'antisocial behaviour', 'dnva asb'],
  '20': ['vulnerable', 'vulnerability', 'vulnerable adult', 'disability', 'disabled', 'disabled person'],
  '20-10': ['deaf', 'hearing', 'hearing impaired', 'hard of hearing', 'hearing loss', 'deaf hard of hearing', 'bsl', 'bsl user'],
  '20-20': ['blind', 'visual', 'visually impaired', 'partially sighted', 'sight impaired', 'sight loss', 'poor sight'],
  '20-30': ['ill', 'illness', 'long term illness', 'serious illness', 'terminal illness', 'medical condition'],
  '20-40': ['mobility', 'limited mobility', 'mobility issues', 'mobility problems', 'physical support', 'physical disability', 'needs assistance'],
  '20-50': ['wheelchair', 'wheelchair user', 'uses wheelchair', 'uses a wheelchair'],
  '20-60': ['elderly', 'older person', 'older', 'frail elderly', 'pensioner'],
  '20-70': ['safeguarding', 'safeguarding concern', 'safeguarding adult', 'safeguarding adults', 'safeguarding child', 'safeguarding children',
    'child protection', 'adult at risk'],
  '30': ['missed appointments', 'misses appointment', 'no access', 'no access history', 'access issues'],
  '40': ['interpreter', 'interpreter required', 'interpreter needed', 'needs interpreter', 'needs an interpreter', 'translator', 'english not first language',
    'english is not first language', 'english second language', 'esl', 'eal', 'language barrier', 'non english speaker', 'limited english'],
  '50': ['female operative only', 'male operative only', 'female operatives only', 'male operatives only', 'female staff only', 'male staff only',
    'female only', 'male only', 'gender restriction', 'same sex operative', 'same gender operative'],
  '60': ['lacks capacity', 'lack of capacity', 'mental capacity', 'no capacity', 'lpa', 'power of attorney', 'lasting power of attorney'],
};
const CATEGORY_SYNONYMS: Record<AlertCategory, string[]> = {
  MED: ['medical', 'medical condition', 'health', 'health condition', 'physical health', 'disability'],
  PREG: ['pregnant', 'pregnancy', 'expectant mother'],
  MH: ['mental health', 'mental health condition', 'mental'],
  AGE: ['age', 'older person', 'elderly', 'young child', 'child'],
  RISK: ['risk', 'staff risk', 'risk to staff', 'staff safety', 'violence', 'violent'],
  SAF: ['safeguarding', 'safeguard'],
  COMM: ['communication', 'communication needs', 'communications', 'comms', 'language'],
};
const CONFIDENTIALITY_SYNONYMS: Record<keyof typeof CONFIDENTIALITY_LEVELS, string[]> = {
  'highly-confidential': ['restricted', 'high', 'highly confidential', 'strictly confidential', 'highly restricted', 'secret', 'named roles only'],
  confidential: ['yes', 'y', 'true', 'confidential', 'private', 'not for contractors'],
  standard: ['no', 'n', 'false', 'normal', 'standard', 'public', 'open', 'not confidential', 'none'],
};

/**
 * Columns (names and types from the person_alerts table, schema.ts), each filled from the field of its name: those
 * always written (the record cannot be without them), and those written only when the file maps their field.
 */
const ALWAYS = { always: true } as const;
const ALERT_COLUMNS = bulkColumns(personAlerts, ['personId', 'hactCode', 'category', 'description', 'confidentiality', 'startDate', 'reviewDate',
  'endDate', 'recordedBy'], { personId: ALWAYS, hactCode: ALWAYS, category: ALWAYS, confidentiality: ALWAYS, startDate: ALWAYS, recordedBy: ALWAYS });

const s = (v: unknown) => (typeof v === 'string' && v ? v : null);
const words = (v: string) => v.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The alert's identity in its source: its reference when the row has one, else the person, the type as written (any
 * case) and the start date, which the same alert keeps from one extract to the next.
 */
export function alertKey(f: Fields): string | null {
  const id = s(f.sourceId);
  if (id) return id;
  const person = s(f.personSourceId);
  const what = s(f.hactCode) ?? s(f.alertType);
  const start = s(f.startDate);
  return person && what && start ? `${person}|${words(what)}|${start}` : null;
}

/** A written code as one of `codes`, or a problem naming the column (a mapping translation to no such code too). */
function codeOf<C extends string>(ctx: LoadContext, field: string, written: string, codes: Readonly<Record<C, string>>,
  synonyms: Readonly<Record<string, readonly string[]>>, problems: RowProblem[]): C | null {
  const c = translateCode(written, codes, synonyms, ctx.values[field]);
  if (c !== undefined && Object.hasOwn(codes, c)) return c as C;
  problems.push(unknownCode(ctx, field, written, codes));
  return null;
}

/** The stored fields a row that leaves them out keeps, by property. */
const KEPT = ['category', 'confidentiality', 'recordedBy'] as const;
type Existing = Pick<typeof personAlerts.$inferSelect, (typeof KEPT)[number]>;

/** What alerts this source already gave hold for the fields a row leaves out (so an unmapped column changes nothing). */
async function existingAlerts(tx: Db, ctx: LoadContext, keys: string[]): Promise<Map<string, Existing>> {
  const out = new Map<string, Existing>();
  if (!keys.length) return out;
  const rows = await tx.execute(sql`select want.v as source_id, x.* from ${wanted([...new Set(keys)])} cross join lateral (
    select ${selectListOf(personAlerts, 'a', KEPT)} from source_references sr
    join person_alerts a on a.organisation_id = sr.organisation_id and a.id = sr.record_id
    where sr.organisation_id = ${ctx.organisationId} and sr.entity_kind = 'person-alert' and sr.source_system = ${ctx.sourceSystem}
    and sr.source_id = want.v offset 0) x`);
  for (const r of rows.rows as (Existing & { source_id: string })[]) out.set(r.source_id, r);
  return out;
}

export const alertsLoader: KindLoader = {
  key: alertKey,
  required: ['personSourceId', 'startDate'],
  async load(tx: Db, ctx, rows) {
    const results: LoadResult[] = rows.map(() => ({ outcome: 'unchanged' }));
    const keys = rows.map((r) => alertKey(r.fields));
    // The loader reads the people records as Hearth's import (services take a context: actor and transaction).
    const as = { actor: systemActor(ctx.organisationId, 'import'), tx };
    const people = await peopleBySourceId(as, ctx.sourceSystem, rows.map((r) => s(r.fields.personSourceId)).filter((v): v is string => !!v));
    const existing = await existingAlerts(tx, ctx, keys.filter((k): k is string => !!k));
    const columns = ALERT_COLUMNS.filter((c) => c.always || ctx.mapped.has(c.field));
    const loading: number[] = [];
    const bulkRows = rows.flatMap((r, i) => {
      const f = r.fields;
      const problems: RowProblem[] = [];
      const review: RowProblem[] = [];
      const personRef = s(f.personSourceId)!;
      const personId = people.get(personRef);
      if (!personId) {
        const column = ctx.columnOf('personSourceId');
        problems.push({ column, value: personRef, rule: 'person-not-matched',
          message: `${column ?? 'Person reference'}: no person ${personRef} has been loaded from ${ctx.sourceSystem}, and an alert must belong to a person; load the people file first, then this file again` });
      }
      const hact = s(f.hactCode);
      const type = s(f.alertType);
      let code: HactAlertCode | null = null;
      if (hact) code = codeOf(ctx, 'hactCode', hact, HACT_ALERT_CODES, HACT_SYNONYMS, problems);
      else if (type) code = codeOf(ctx, 'alertType', type, HACT_ALERT_CODES, HACT_SYNONYMS, problems);
      else {
        const column = ctx.columnOf('hactCode') ?? ctx.columnOf('alertType');
        problems.push({ column, value: null, rule: 'required-missing',
          message: `${[ctx.columnOf('hactCode'), ctx.columnOf('alertType')].filter(Boolean).join(' and ')}: the alert's type is empty, and person alerts need it` });
      }
      const had = keys[i] ? existing.get(keys[i]!) : undefined;
      let category: AlertCategory | null = null;
      const writtenCategory = s(f.category);
      if (writtenCategory) {
        category = codeOf(ctx, 'category', writtenCategory, ALERT_CATEGORIES, CATEGORY_SYNONYMS, problems);
        const fits = code ? CATEGORIES_FOR_HACT_CODE[code] : undefined;
        if (category && fits && !fits.includes(category)) {
          const column = ctx.columnOf('category');
          const codeColumn = ctx.columnOf(hact ? 'hactCode' : 'alertType');
          problems.push({ column, value: writtenCategory, rule: 'code-conflict',
            message: `${column ?? 'Category'}: category ${category} (${ALERT_CATEGORIES[category]}) does not fit the alert type in ${codeColumn ?? 'the row'}, ` +
              `HACT ${code} (${HACT_ALERT_CODES[code!]}), which is ${fits.join(' or ')}; correct the category or the type in the source` });
        }
      } else if (code) {
        const fits = CATEGORIES_FOR_HACT_CODE[code];
        category = had && fits.includes(had.category as AlertCategory) ? had.category as AlertCategory : fits[0]!;
      }
      const writtenConfidentiality = s(f.confidentiality);
      const confidentiality = writtenConfidentiality
        ? codeOf(ctx, 'confidentiality', writtenConfidentiality, CONFIDENTIALITY_LEVELS, CONFIDENTIALITY_SYNONYMS, problems)
        : had?.confidentiality ?? 'confidential'; // not given: the safer level
      const start = s(f.startDate)!;
      for (const field of ['reviewDate', 'endDate'] as const) {
        const d = s(f[field]);
        if (d && d < start) {
          const column = ctx.columnOf(field);
          review.push({ column, value: d, rule: 'value-out-of-range',
            message: `${column ?? field}: ${d} is before the alert starts (${start}); the alert is loaded as written, correct the date in the source` });
        }
      }
      if (problems.length) { results[i] = { outcome: 'rejected', problems: [...problems, ...review] }; return []; }
      if (review.length) results[i]!.review = review;
      loading.push(i);
      const values: Fields = {
        personId: personId!, hactCode: code!, category: category!, description: f.description ?? null, confidentiality: confidentiality!,
        startDate: start, reviewDate: f.reviewDate ?? null, endDate: f.endDate ?? null,
        recordedBy: s(f.recordedBy) ?? had?.recordedBy ?? `${ctx.sourceSystem} import`,
      };
      return [{ row: r.row, sourceId: keys[i]!, values: columns.map((c) => values[c.field] ?? null), keep: keptColumns(columns, r.leftOut) }];
    });
    const out = await bulkUpsert(tx, { organisationId: ctx.organisationId, sourceSystem: ctx.sourceSystem, importId: ctx.importId, rows: bulkRows,
      spec: { kind: 'person-alert', table: getTableName(personAlerts), columns: columns.map(({ column, type, field }) => ({ column, type, field })) } });
    out.outcomes.forEach((o, k) => { results[loading[k]!]!.outcome = o; });
    return results;
  },
};
