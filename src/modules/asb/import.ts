// Loading a standalone ASB system's records from files (issue 15; docs/decisions/0025): cases (keeping the old
// system's reference), then their incidents and parties, each naming its case by that reference. Words become the
// landlord's codes where a synonym is clear (fields.ts); an unknown category loads as the landlord's fallback, for
// review. A party is linked to one of the landlord's people by the housing system's person id, else only when the
// name and the date of birth or address agree with exactly one person (record linkage's clusters count as one);
// never on a name alone. Whatever is not linked is kept as named, for review. Cases, parties and incidents are
// sensitive kinds: their events never leave Hearth, and no problem this loader reports repeats a name or what happened.
import { createHash } from 'node:crypto';
import { getTableName, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { wanted, type Db } from '../../platform/db/store.ts';
import { bulkColumns, bulkUpsert, type BulkRow } from '../../platform/records/bulk.ts';
import { keptColumns, translateCode, unknownCode, type Fields, type ImportKind, type KindLoader, type LoadContext, type LoadResult, type RowProblem } from '../../platform/records/load.ts';
import { recordsBySourceId } from '../../platform/provenance/service.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { listUsers } from '../../platform/auth/accounts.ts';
import { can } from '../../platform/auth/roles.ts';
import { ukDate, ukWallClock } from '../../platform/uk-time.ts';
import { addressLinesOf, blockRecords, homeNamed, homeNotMatched, matchHomes, normalisePostcode, parseAddressLines } from '../homes/index.ts';
import { peopleBySourceId, peopleForLinkageSql, peopleSharingSql, personRecords, type PersonLinkageRow } from '../people/index.ts';
import { linkedPersonIdsSql } from '../linkage/index.ts';
import { asbActions, asbCases, asbIncidents, asbParties } from './schema.ts';
import { currentAsbSettings } from './settings-service.ts';
import { casePriority, hateRecordingProblems, isHateCase } from './rules/classify.ts';
import { actionPlan } from './rules/actions.ts';
import { RISK_LEVELS, type AsbSettings, type RiskLevel } from './rules/settings.ts';
import { CLOSED_WITH_THE_CASE, CLOSING_REASONS } from './close.ts';
import { endCaseAlerts } from './alerts.ts';
import { PARTY_ROLES, REPORTED_VIA, type PartyRole } from './service.ts';
import { isUuid } from '../../platform/uuid.ts';
import {
  ASB_CASES_IMPORT, ASB_INCIDENTS_IMPORT, ASB_PARTIES_IMPORT, CATEGORY_WORDS, CHARACTERISTIC_WORDS, CLOSING_REASON_WORDS, PARTY_KIND_WORDS,
  PRIORITY_WORDS, REPORTED_VIA_WORDS, RISK_WORDS, ROLE_WORDS, STATUS_WORDS, YES_NO_WORDS,
} from './fields.ts';

const s = (v: unknown) => (typeof v === 'string' && v ? v : null);
const codesOf = (list: readonly string[]) => Object.fromEntries(list.map((c) => [c, c]));
const squash = (v: string) => v.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
/** A party's or case's record of the same thing in the same source: the source system, then its key there. */
const sourceKey = (ctx: LoadContext, key: string) => `${ctx.sourceSystem}:${key}`;
const digest = (...parts: (string | null)[]) => createHash('sha256').update(parts.map((p) => p ?? '').join('\n')).digest('hex').slice(0, 24);
const asImport = (ctx: LoadContext, tx: Db): Ctx => ({ actor: systemActor(ctx.organisationId, 'import'), tx });

/** The instant UK clocks showed this date and time (hh:mm). */
function ukInstant(date: string, time = '00:00'): string {
  for (const offset of ['+01:00', '+00:00']) {
    const at = new Date(`${date}T${time}:00${offset}`);
    const shown = ukWallClock(at);
    if (shown.date === date && shown.time === time) return at.toISOString();
  }
  return new Date(`${date}T${time}:00Z`).toISOString(); // an hour the clocks skipped: its UTC reading
}

/** A code as written → one of `codes`, or undefined (translateCode: the mapping's values, the code, its label, a synonym). */
function codeOf(ctx: LoadContext, field: string, written: string, codes: Readonly<Record<string, string>>, words: Readonly<Record<string, readonly string[]>>): string | undefined {
  const c = translateCode(written, codes, words, ctx.values[field]);
  return c !== undefined && Object.hasOwn(codes, c) ? c : undefined;
}

/** A warning: the value is left out of the record (a record loaded before keeps its own), and the row loads. */
const leftOutProblem = (p: RowProblem): RowProblem => ({ ...p, outcome: 'warning', message: `${p.message}; left out of the record, and the row is loaded` });

/** The cases of these references (any source, or opened in Hearth): reference → id. */
async function casesByReference(tx: Db, ctx: LoadContext, refs: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!refs.length) return out;
  const rows = await tx.execute(sql`select c.id, c.reference from ${wanted([...new Set(refs)])} cross join lateral (select id, reference from asb_cases
    where organisation_id = ${ctx.organisationId} and reference = want.v offset 0) c`);
  for (const r of rows.rows as { id: string; reference: string }[]) out.set(r.reference, r.id);
  return out;
}

/** The problem of a row whose case is not in Hearth: the cases file comes first. */
function caseNotLoaded(ctx: LoadContext, ref: string, what: string): RowProblem {
  const column = ctx.columnOf('caseReference');
  return { column, value: ref, rule: 'case-not-matched',
    message: `${column ?? 'Case reference'}: no ASB case "${ref}" is in Hearth, and ${what} belongs to a case; load the cases file first, then this file again` };
}

// ---- Cases ---------------------------------------------------------------------------------------------------------------

/** Columns of asb_cases, each with the file field it comes from (a left-out field keeps the stored value: keptColumns). */
const CASE_COLUMNS = bulkColumns<typeof asbCases, { from: string }>(asbCases, ['reference', 'status', 'summary', 'categories', 'priorityCode',
  'priorityReason', 'protectedCharacteristics', 'riskLevel', 'officerUserId', 'openedAt', 'closedAt', 'closingReason', 'settingsVersion'], {
  reference: { from: 'reference' }, status: { from: 'status' }, summary: { from: 'summary' }, categories: { from: 'categories' },
  priorityCode: { from: 'priority' }, priorityReason: { from: 'priority' }, protectedCharacteristics: { from: 'protectedCharacteristics' },
  riskLevel: { from: 'riskLevel' }, officerUserId: { from: 'officer' }, openedAt: { from: 'openedDate' }, closedAt: { from: 'closedDate' },
  closingReason: { from: 'closingReason' }, settingsVersion: { from: 'settingsVersion' },
});
const HOME_FIELDS = ['homeReference', 'uprn', 'subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town', 'postcode',
  'address', 'addressLine1', 'addressLine2', 'addressLine3', 'addressLine4', 'addressLine5'];

/**
 * Which case columns a file writes: 'yes' (compared and updated), 'insert' (a value Hearth must have, filled in when the
 * case is created and never put back over one set since) or 'no'.
 */
function caseColumnModes(mapped: ReadonlySet<string>): Record<string, 'yes' | 'insert' | 'no'> {
  const any = (...f: string[]) => f.some((x) => mapped.has(x));
  return {
    reference: 'yes', openedAt: 'yes', settingsVersion: 'insert',
    summary: any('summary') ? 'yes' : 'insert',
    categories: any('categories') ? 'yes' : 'insert',
    priorityCode: any('priority', 'categories') ? 'yes' : 'insert',
    priorityReason: any('priority', 'categories') ? 'yes' : 'insert',
    protectedCharacteristics: any('protectedCharacteristics') ? 'yes' : 'insert',
    status: any('status', 'closedDate') ? 'yes' : 'insert',
    closedAt: any('status', 'closedDate') ? 'yes' : 'no',
    closingReason: any('closingReason') ? 'yes' : 'no',
    riskLevel: any('riskLevel') ? 'yes' : 'no',
    officerUserId: any('officer') ? 'yes' : 'no',
  };
}

/** The landlord's fallback for a category its settings do not have: "other" if it has one, else its last. */
const fallbackCategory = (settings: AsbSettings) => settings.categories.find((c) => c.code === 'other') ?? settings.categories.at(-1)!;

/** Several codes in one cell ("Noise; Verbal abuse"): the whole cell first, then its parts. */
function codeList(ctx: LoadContext, field: string, written: string, codes: Readonly<Record<string, string>>, words: Readonly<Record<string, readonly string[]>>):
  { found: string[]; unknown: string[] } {
  const whole = codeOf(ctx, field, written, codes, words);
  if (whole) return { found: [whole], unknown: [] };
  const found: string[] = [];
  const unknown: string[] = [];
  for (const part of written.split(/[;|,/]+/).map((p) => p.trim()).filter(Boolean)) {
    const c = codeOf(ctx, field, part, codes, words);
    if (c) { if (!found.includes(c)) found.push(c); } else unknown.push(part);
  }
  return { found, unknown };
}

/** Staff who may work ASB cases, by lower-cased email and by name as words: the officer column is matched to exactly one. */
async function caseOfficers(as: Ctx): Promise<(written: string) => string | null> {
  const staff = (await listUsers(as)).filter((u) => u.status !== 'disabled' && can(u.role, 'asb:read'));
  const words = (v: string) => v.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return (written) => {
    const w = written.trim().toLowerCase();
    const found = staff.filter((u) => u.email.toLowerCase() === w || words(u.name) === words(written));
    return found.length === 1 ? found[0]!.id : null;
  };
}

/** Blocks by exact name (any case), within the postcode when the row gives one: name → the one block, or null. */
async function blocksNamed(as: Ctx, rows: { name: string; postcode: string | null }[]): Promise<(string | null)[]> {
  const byName = new Map<string, { id: string; postcode: string | null }[]>();
  for (const name of new Set(rows.map((r) => r.name.toLowerCase()))) {
    const page = await blockRecords.list(as, { name, limit: 200 });
    byName.set(name, page.items.filter((b) => b.name.toLowerCase() === name).map((b) => ({ id: b.id, postcode: b.postcode })));
  }
  return rows.map((r) => {
    let found = byName.get(r.name.toLowerCase()) ?? [];
    if (found.length > 1 && r.postcode) found = found.filter((b) => b.postcode === normalisePostcode(r.postcode));
    return found.length === 1 ? found[0]!.id : null;
  });
}

/** What a case row becomes: its values by property, the fields it leaves out, its problems, and the places it names. */
interface CaseRow { values: Fields; leftOut: Set<string>; review: RowProblem[]; warnings: RowProblem[]; homeId: string | null; blockId: string | null; open: boolean }

function caseRow(ctx: LoadContext, settings: AsbSettings, f: Fields, today: string, officerOf: ((w: string) => string | null) | null,
  home: { homeId: string | null; named: string; reason?: string } | null, blockId: string | null): CaseRow | RowProblem[] {
  const review: RowProblem[] = [];
  const warnings: RowProblem[] = [];
  const leftOut = new Set<string>();
  const warn = (field: string, written: string, message: string, rule = 'value-out-of-range') => {
    const column = ctx.columnOf(field);
    warnings.push(leftOutProblem({ column, value: written, rule, message: `${column ?? field}: ${message}` }));
    leftOut.add(field);
  };
  const opened = s(f.openedDate)!;
  if (opened > today) {
    const column = ctx.columnOf('openedDate');
    return [{ column, value: opened, rule: 'date-in-future', message: `${column ?? 'Date opened'}: ${opened} is after today, and a case cannot be opened in the future; correct it in the source` }];
  }
  const recordedIn: string[] = [];

  // Categories: the landlord's codes; words with no clear code load as the fallback, for review.
  const categoryCodes = Object.fromEntries(settings.categories.map((c) => [c.code, c.label]));
  const writtenCategories = s(f.categories);
  const fallback = fallbackCategory(settings);
  let categories: string[] = [fallback.code];
  let fellBack = true;
  if (writtenCategories) {
    const { found, unknown } = codeList(ctx, 'categories', writtenCategories, categoryCodes, CATEGORY_WORDS);
    if (found.length) { categories = found; fellBack = false; }
    if (unknown.length) {
      // A case loaded before keeps its categories (an officer may have set them since) when none of these is known.
      if (!found.length) leftOut.add('categories');
      recordedIn.push(`category "${unknown.join('; ')}"`);
      const p = unknownCode(ctx, 'categories', unknown.join('; '), categoryCodes);
      review.push({ ...p, rule: 'category-unknown', message: `${p.message}. ${found.length ? 'The case is loaded with the categories that are known' : `The case is loaded as "${fallback.label}"`}, and the words kept in its summary; check its category` });
    }
  } else if (ctx.mapped.has('categories')) {
    const column = ctx.columnOf('categories');
    review.push({ column, value: null, rule: 'category-missing', message: `${column}: the case has no category; it is loaded as "${fallback.label}", to be checked` });
  }

  // Protected characteristics and the hate flag: a case is a hate case when either says so (rules/classify.ts).
  const characteristicCodes = Object.fromEntries(settings.protectedCharacteristics.map((c) => [c.code, c.label]));
  let characteristics: string[] = [];
  const writtenCharacteristics = s(f.protectedCharacteristics);
  if (writtenCharacteristics) {
    const { found, unknown } = codeList(ctx, 'protectedCharacteristics', writtenCharacteristics, characteristicCodes, CHARACTERISTIC_WORDS);
    characteristics = found;
    if (unknown.length) {
      const p = unknownCode(ctx, 'protectedCharacteristics', unknown.join('; '), characteristicCodes);
      warnings.push(leftOutProblem(p));
      if (!found.length) leftOut.add('protectedCharacteristics');
    }
  }
  const writtenHate = s(f.hate);
  if (writtenHate) {
    const yes = translateCode(writtenHate, { yes: 'Yes', no: 'No' }, YES_NO_WORDS, ctx.values.hate);
    if (yes !== 'yes' && yes !== 'no') warn('hate', writtenHate, `"${writtenHate}" is neither yes nor no`, 'code-unknown');
    else if (yes === 'yes' && !isHateCase(settings, categories, characteristics)) {
      const hateCategory = settings.categories.find((c) => c.hate);
      if (hateCategory) categories = fellBack ? [hateCategory.code] : [...categories, hateCategory.code];
      const column = ctx.columnOf('hate');
      review.push({ column, value: writtenHate, rule: 'hate-without-characteristic', message: hateCategory
        ? `${column}: the case is a hate incident in ${ctx.sourceSystem}, with no protected characteristic; it is loaded in the category "${hateCategory.label}": record which characteristic the hostility was about`
        : `${column}: the case is a hate incident in ${ctx.sourceSystem}, but the landlord's settings have no hate category and the file gives no protected characteristic; record which characteristic the hostility was about` });
    }
  }
  categories = [...new Set(categories)];
  const hateProblem = hateRecordingProblems(settings, categories, characteristics)[0];
  if (hateProblem && !review.some((r) => r.rule === 'hate-without-characteristic')) {
    const column = ctx.columnOf('protectedCharacteristics') ?? ctx.columnOf('categories');
    review.push({ column, value: null, rule: 'hate-without-characteristic', message: `${column ?? 'Protected characteristic'}: ${hateProblem}` });
  }

  // Priority: the categories', unless the old system recorded another (kept, with why).
  const byCategories = casePriority(settings, categories);
  let priority: { code: string; reason: string | null } = { code: byCategories.priority, reason: null };
  const writtenPriority = s(f.priority);
  if (writtenPriority) {
    const code = codeOf(ctx, 'priority', writtenPriority, Object.fromEntries(settings.priorities.map((p) => [p.code, p.label])), PRIORITY_WORDS);
    if (!code) {
      warnings.push(leftOutProblem(unknownCode(ctx, 'priority', writtenPriority, Object.fromEntries(settings.priorities.map((p) => [p.code, p.label])))));
      leftOut.add('priority');
    } else if (code !== byCategories.priority) priority = { code, reason: `As recorded in ${ctx.sourceSystem}` };
  } else if (leftOut.has('categories')) leftOut.add('priority'); // a case loaded before keeps the priority of the categories it keeps

  // Status, closing date and reason.
  const closed = s(f.closedDate);
  let status: 'open' | 'closed' = closed ? 'closed' : 'open';
  const writtenStatus = s(f.status);
  if (writtenStatus) {
    const code = codeOf(ctx, 'status', writtenStatus, codesOf(['open', 'closed']), STATUS_WORDS);
    if (code) status = code as 'open' | 'closed';
    else warn('status', writtenStatus, `"${writtenStatus}" is neither open nor closed (it is read from whether the case has a closing date)`, 'code-unknown');
  }
  let closedAt: string | null = null;
  if (status === 'closed') {
    if (closed && closed > today) warn('closedDate', closed, `${closed} is after today, and a case cannot close in the future`, 'date-in-future');
    else if (closed && closed < opened) {
      const column = ctx.columnOf('closedDate');
      review.push({ column, value: closed, rule: 'value-out-of-range', message: `${column}: the case closed (${closed}) before it opened (${opened}); it is loaded as written, correct the date in the source` });
      closedAt = ukInstant(closed);
    } else if (closed) closedAt = ukInstant(closed);
    else {
      const column = ctx.columnOf('closedDate') ?? ctx.columnOf('status');
      review.push({ column, value: null, rule: 'closed-without-date', message: `${column ?? 'Date closed'}: the case is closed in ${ctx.sourceSystem} with no closing date; add the date in the source` });
    }
  } else if (closed) {
    const column = ctx.columnOf('closedDate');
    review.push({ column, value: closed, rule: 'open-with-closing-date', message: `${column}: the case is open in ${ctx.sourceSystem} but has a closing date (${closed}); it is loaded as open, with no closing date` });
  }
  let closingReason: string | null = null;
  const writtenReason = s(f.closingReason);
  if (writtenReason && status === 'closed') {
    closingReason = codeOf(ctx, 'closingReason', writtenReason, CLOSING_REASONS, CLOSING_REASON_WORDS) ?? null;
    if (!closingReason) { warnings.push(leftOutProblem(unknownCode(ctx, 'closingReason', writtenReason, CLOSING_REASONS))); leftOut.add('closingReason'); }
  }

  // Risk level.
  let riskLevel: RiskLevel | null = null;
  const writtenRisk = s(f.riskLevel);
  if (writtenRisk) {
    riskLevel = (codeOf(ctx, 'riskLevel', writtenRisk, codesOf(RISK_LEVELS), RISK_WORDS) ?? null) as RiskLevel | null;
    if (!riskLevel) { warnings.push(leftOutProblem(unknownCode(ctx, 'riskLevel', writtenRisk, codesOf(RISK_LEVELS)))); leftOut.add('riskLevel'); }
  }

  // The case officer: a member of staff who works ASB cases, by name or email; else their name is kept in the summary.
  let officerUserId: string | null = null;
  const writtenOfficer = s(f.officer);
  if (writtenOfficer && officerOf) {
    officerUserId = officerOf(writtenOfficer);
    if (!officerUserId) {
      // A case loaded before keeps the officer it has (one may have been assigned since).
      leftOut.add('officer');
      recordedIn.push(`case officer ${writtenOfficer}`);
      if (status === 'open') {
        const column = ctx.columnOf('officer');
        review.push({ column, value: writtenOfficer, rule: 'officer-not-matched', message: `${column}: no one member of staff who works ASB cases has this name or email, so the open case has no officer (the name is kept in its summary); assign one` });
      }
    }
  }

  // The home or block: matched exactly, else what it named is kept in the summary, for review.
  if (home && !home.homeId && home.named) {
    review.push(homeNotMatched(ctx, home.named, home.reason));
    if (!blockId) recordedIn.push(`place ${home.named}`);
  }
  const writtenBlock = s(f.blockName);
  if (writtenBlock && !blockId) {
    const column = ctx.columnOf('blockName');
    review.push({ column, value: writtenBlock, rule: 'block-not-matched', message: `${column}: no one block has this name${s(f.postcode) ? ' in this postcode' : ''}; it is kept in the summary` });
    recordedIn.push(`block ${writtenBlock}`);
  }

  const summary = (s(f.summary) ?? `ASB case ${s(f.reference)} from ${ctx.sourceSystem}`).trim() +
    (recordedIn.length ? `\n\nAs recorded in ${ctx.sourceSystem}: ${recordedIn.join('; ')}.` : '');
  return {
    values: {
      reference: s(f.reference), status, summary, categories: JSON.stringify(categories), priorityCode: priority.code, priorityReason: priority.reason,
      protectedCharacteristics: JSON.stringify(characteristics), riskLevel, officerUserId, openedAt: ukInstant(opened), closedAt, closingReason,
    },
    leftOut, review, warnings, homeId: home?.homeId ?? null, blockId, open: status === 'open',
  };
}

export const casesLoader: KindLoader = {
  key: (f) => s(f.reference),
  required: ['reference', 'openedDate'],
  async load(tx, ctx, rows) {
    const results: LoadResult[] = rows.map(() => ({ outcome: 'unchanged' }));
    const as = asImport(ctx, tx);
    const now = new Date();
    const today = ukDate(now);
    const { version, settings } = await currentAsbSettings(as);
    const refs = rows.map((r) => s(r.fields.reference)!);
    // A reference another case already has (opened in Hearth, or loaded from another source) is not this source's case.
    const existing = await casesByReference(tx, ctx, refs);
    const ours = await recordsBySourceId(tx, ctx.organisationId, 'asb-case', ctx.sourceSystem, refs);
    const withHome = HOME_FIELDS.some((f) => ctx.mapped.has(f));
    const homes = withHome ? await matchHomes(as, rows.map((r) => homeNamed(r.fields))) : [];
    const blockAt = rows.flatMap((r, i) => (s(r.fields.blockName) ? [i] : []));
    const blockIds = new Map<number, string | null>();
    (await blocksNamed(as, blockAt.map((i) => ({ name: s(rows[i]!.fields.blockName)!, postcode: s(rows[i]!.fields.postcode) })))).forEach((id, k) => blockIds.set(blockAt[k]!, id));
    const officerOf = ctx.mapped.has('officer') ? await caseOfficers(as) : null;

    const modes = caseColumnModes(ctx.mapped);
    const columns = CASE_COLUMNS.flatMap((c) => (c.field === 'settingsVersion' || modes[c.field] !== 'no'
      ? [{ ...c, ...(c.field === 'settingsVersion' || modes[c.field] === 'insert' ? { insertOnly: true } : {}) }] : []));
    const loading: { i: number; row: CaseRow }[] = [];
    const bulkRows: BulkRow[] = [];
    rows.forEach((r, i) => {
      const ref = refs[i]!;
      const other = existing.get(ref);
      if (other && ours.get(ref) !== other) {
        const column = ctx.columnOf('reference');
        results[i] = { outcome: 'rejected', problems: [{ column, value: ref, rule: 'reference-taken',
          message: `${column ?? 'Case reference'}: a case ${ref} is already in Hearth, opened there or loaded from another source than ${ctx.sourceSystem}; it is left as it is. Load this file with the source it was loaded from, or correct the reference` }] };
        return;
      }
      const home = withHome ? homes[i]! : null;
      const made = caseRow(ctx, settings, r.fields, today, officerOf, home && (home.homeId || home.named) ? home : null, blockIds.get(i) ?? null);
      if (Array.isArray(made)) { results[i] = { outcome: 'rejected', problems: made }; return; }
      if (made.review.length) results[i]!.review = made.review;
      if (made.warnings.length) results[i]!.warnings = made.warnings;
      const leftOut = new Set([...(r.leftOut ?? []), ...made.leftOut]);
      const values: Fields = { ...made.values, settingsVersion: version };
      loading.push({ i, row: made });
      bulkRows.push({ row: r.row, sourceId: ref, values: columns.map((c) => values[c.field] ?? null), keep: keptColumns(columns, leftOut) });
    });
    const out = await bulkUpsert(tx, { organisationId: ctx.organisationId, sourceSystem: ctx.sourceSystem, importId: ctx.importId, rows: bulkRows,
      spec: { kind: 'asb-case', table: getTableName(asbCases), columns: columns.map(({ column, type, field, insertOnly }) => ({ column, type, field, ...(insertOnly ? { insertOnly } : {}) })) } });
    out.outcomes.forEach((o, k) => { results[loading[k]!.i]!.outcome = o; });
    const ids = out.recordIds;
    if (!ids.length) return results;
    await afterCasesWritten(as, settings, loading.map((l, k) => ({ ...l.row, id: ids[k]!, created: out.outcomes[k] === 'created' })), now);
    return results;
  },
};

/**
 * What follows from the cases as written: the hate flag (from what is stored: a kept category counts), the places they
 * name (added, never removed: an officer's own may be among them), an action plan for an open case new to Hearth
 * (counted from today, so it is on the officer's worklist at once, not overdue on arrival), and, for a case the file
 * closes, its open actions done and the alerts it raised ended, as closing it in Hearth does.
 */
async function afterCasesWritten(as: Ctx, settings: AsbSettings, cases: (CaseRow & { id: string; created: boolean })[], now: Date): Promise<void> {
  const org = as.actor.organisationId;
  const ids = cases.map((c) => c.id);
  const hateCategories = settings.categories.filter((c) => c.hate).map((c) => c.code);
  await as.tx.execute(sql`update asb_cases c set hate = x.hate from (select id, (jsonb_array_length(protected_characteristics) > 0
      or exists (select 1 from jsonb_array_elements_text(categories) k where k = any(${sql.param(hateCategories)}::text[]))) as hate
    from asb_cases where organisation_id = ${org} and id = any(${sql.param(ids)}::uuid[])) x
    where c.organisation_id = ${org} and c.id = x.id and c.hate is distinct from x.hate`);

  const places = cases.flatMap((c) => [
    ...(c.homeId ? [{ caseId: c.id, homeId: c.homeId, blockId: null as string | null }] : []),
    ...(c.blockId ? [{ caseId: c.id, homeId: null as string | null, blockId: c.blockId }] : []),
  ]);
  if (places.length) {
    const col = <K extends keyof (typeof places)[number]>(k: K) => sql.param(places.map((p) => p[k]));
    await as.tx.execute(sql`insert into asb_case_places (organisation_id, id, case_id, home_id, block_id)
      select ${org}, p.id, p.case_id, p.home_id, p.block_id from unnest(${sql.param(places.map(() => uuidv7()))}::uuid[], ${col('caseId')}::uuid[],
        ${col('homeId')}::uuid[], ${col('blockId')}::uuid[]) as p(id, case_id, home_id, block_id)
      where not exists (select 1 from asb_case_places x where x.organisation_id = ${org} and x.case_id = p.case_id
        and x.home_id is not distinct from p.home_id and x.block_id is not distinct from p.block_id)`);
  }

  const fresh = cases.filter((c) => c.created && c.open);
  const planned = fresh.flatMap((c) => actionPlan(settings, {
    priority: String(c.values.priorityCode), risk: (c.values.riskLevel as RiskLevel | null) ?? 'standard', openedAt: now,
  }).map((a) => ({ organisationId: org, id: uuidv7(), caseId: c.id, kind: a.code, label: a.label, dueAt: a.due })));
  if (planned.length) await as.tx.insert(asbActions).values(planned);

  const closed = cases.filter((c) => !c.open).map((c) => c.id);
  if (closed.length) {
    await as.tx.execute(sql`update asb_actions set done_at = ${now}, done_by = ${as.actor.name}, note = ${CLOSED_WITH_THE_CASE},
      version = version + 1, updated_at = ${now}
      where organisation_id = ${org} and case_id = any(${sql.param(closed)}::uuid[]) and done_at is null`);
    const withAlerts = (await as.tx.execute(sql`select id, alert_ids as "alertIds" from asb_cases where organisation_id = ${org}
      and id = any(${sql.param(closed)}::uuid[]) and jsonb_array_length(alert_ids) > 0`)).rows as { id: string; alertIds: string[] | string }[];
    for (const c of withAlerts) await endCaseAlerts(as, { alertIds: typeof c.alertIds === 'string' ? JSON.parse(c.alertIds) as string[] : c.alertIds }, now);
  }
}

// ---- Incidents -----------------------------------------------------------------------------------------------------------

/**
 * An incident's identity in its source: its id, else the first 24 hex digits of a SHA-256 of its case, date, time and
 * words (the same incident in the next extract has the same key).
 */
export function incidentKey(f: Fields): string | null {
  const id = s(f.sourceId);
  if (id) return id;
  const description = s(f.description);
  if (!description) return null;
  return digest(s(f.caseReference), s(f.occurredOn), s(f.occurredTime), description);
}

/** A time of day as HH:MM from what systems write: 21:30, 21.30, 2130, 21:30:00, 9:30pm, 9pm. Null when it is not one. */
export function timeOfDay(written: string): string | null {
  const m = /^\s*(\d{1,2})(?:[:.]?(\d{2}))?(?::\d{2}(?:\.\d+)?)?\s*(am|pm|a\.m\.|p\.m\.)?\s*$/i.exec(written);
  if (!m) return null;
  let h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  const half = m[3]?.toLowerCase().replace(/\./g, '');
  if (m[2] === undefined && !half && m[1]!.length < 3) return null; // "9" alone is not a time
  if (half) { if (h < 1 || h > 12) return null; h = (h % 12) + (half === 'pm' ? 12 : 0); }
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

const INCIDENT_COLUMNS = bulkColumns<typeof asbIncidents, { from: string }>(asbIncidents, ['caseId', 'occurredOn', 'occurredTime', 'place',
  'description', 'reportedByName', 'reportedVia', 'reportedAt', 'sourceKey'], {
  caseId: { from: 'caseReference' }, occurredOn: { from: 'occurredOn' }, occurredTime: { from: 'occurredTime' }, place: { from: 'place' },
  description: { from: 'description' }, reportedByName: { from: 'reportedByName' }, reportedVia: { from: 'reportedVia' },
  reportedAt: { from: 'reportedDate' }, sourceKey: { from: 'sourceId' },
});
const INCIDENT_ALWAYS = new Set(['caseId', 'occurredOn', 'description', 'reportedAt', 'sourceKey']);

export const incidentsLoader: KindLoader = {
  key: incidentKey,
  required: ['caseReference', 'occurredOn', 'description'],
  async load(tx, ctx, rows) {
    const results: LoadResult[] = rows.map(() => ({ outcome: 'unchanged' }));
    const today = ukDate(new Date());
    const cases = await casesByReference(tx, ctx, rows.map((r) => s(r.fields.caseReference)!));
    const columns = INCIDENT_COLUMNS.filter((c) => INCIDENT_ALWAYS.has(c.field) || ctx.mapped.has(c.from ?? c.field));
    const loading: number[] = [];
    const bulkRows: BulkRow[] = [];
    rows.forEach((r, i) => {
      const f = r.fields;
      const ref = s(f.caseReference)!;
      const caseId = cases.get(ref);
      const occurredOn = s(f.occurredOn)!;
      const problems: RowProblem[] = [];
      if (!caseId) problems.push(caseNotLoaded(ctx, ref, 'an incident'));
      if (occurredOn > today) {
        const column = ctx.columnOf('occurredOn');
        problems.push({ column, value: occurredOn, rule: 'date-in-future',
          message: `${column ?? 'Date of the incident'}: ${occurredOn} is after today, and an incident cannot be reported before it happens; correct it in the source, then load this file again (the other rows are loaded)` });
      }
      if (problems.length) { results[i] = { outcome: 'rejected', problems }; return; }
      const warnings: RowProblem[] = [];
      const review: RowProblem[] = [];
      const leftOut = new Set(r.leftOut ?? []);
      const warn = (field: string, written: string, rule: string, message: string) => {
        const column = ctx.columnOf(field);
        warnings.push(leftOutProblem({ column, value: written, rule, message: `${column ?? field}: ${message}` }));
        leftOut.add(field);
      };
      const writtenTime = s(f.occurredTime);
      const time = writtenTime ? timeOfDay(writtenTime) : null;
      if (writtenTime && !time) warn('occurredTime', writtenTime, 'time-invalid', `"${writtenTime}" is not a time of day (like 21:30 or 9:30pm)`);
      const writtenVia = s(f.reportedVia);
      const via = writtenVia ? codeOf(ctx, 'reportedVia', writtenVia, codesOf(REPORTED_VIA), REPORTED_VIA_WORDS) ?? null : null;
      if (writtenVia && !via) { warnings.push(leftOutProblem(unknownCode(ctx, 'reportedVia', writtenVia, codesOf(REPORTED_VIA)))); leftOut.add('reportedVia'); }
      let reported = s(f.reportedDate);
      if (reported && reported > today) { warn('reportedDate', reported, 'date-in-future', `${reported} is after today`); reported = null; }
      else if (reported && reported < occurredOn) {
        const column = ctx.columnOf('reportedDate');
        review.push({ column, value: reported, rule: 'value-out-of-range', message: `${column}: the incident was reported (${reported}) before it happened (${occurredOn}); it is loaded as written, correct the date in the source` });
      }
      if (warnings.length) results[i]!.warnings = warnings;
      if (review.length) results[i]!.review = review;
      const key = incidentKey(f)!;
      const values: Fields = {
        caseId: caseId!, occurredOn, occurredTime: time, place: s(f.place), description: s(f.description), reportedByName: s(f.reportedByName),
        reportedVia: via, reportedAt: reported ? ukInstant(reported) : ukInstant(occurredOn, time ?? '00:00'), sourceKey: sourceKey(ctx, key),
      };
      loading.push(i);
      bulkRows.push({ row: r.row, sourceId: key, values: columns.map((c) => values[c.field] ?? null), keep: keptColumns(columns, leftOut) });
    });
    const out = await bulkUpsert(tx, { organisationId: ctx.organisationId, sourceSystem: ctx.sourceSystem, importId: ctx.importId, rows: bulkRows,
      spec: { kind: 'asb-incident', table: getTableName(asbIncidents), columns: columns.map(({ column, type, field }) => ({ column, type, field })) } });
    out.outcomes.forEach((o, k) => { results[loading[k]!]!.outcome = o; });
    return results;
  },
};

// ---- Parties -------------------------------------------------------------------------------------------------------------

/** A party's identity in its source: its id, else a digest of its case, its role and its name as written. */
export function partyKey(f: Fields): string | null {
  const id = s(f.sourceId);
  if (id) return id;
  const name = s(f.fullName) ?? s(f.groupName) ?? s(f.personReference);
  const role = s(f.role);
  if (!name || !role) return null;
  return digest(s(f.caseReference), squash(role), name.toLowerCase().replace(/\s+/g, ' ').trim());
}

const PARTY_COLUMNS = bulkColumns<typeof asbParties, { from: string }>(asbParties, ['caseId', 'role', 'kind', 'personId', 'name', 'notes', 'sourceKey', 'personNamed'], {
  caseId: { from: 'caseReference' }, role: { from: 'role' }, kind: { from: 'partyKind' }, personId: { from: 'personReference' }, name: { from: 'fullName' },
  notes: { from: 'notes' }, sourceKey: { from: 'sourceId' }, personNamed: { from: 'personNamed' },
});


/** A name as the squashed words it is written in ("OKAFOR, Aisha (Mrs)" → okafor, aisha, mrs). */
const nameWords = (name: string) => name.split(/[\s,()]+/).map(squash).filter(Boolean);
/** Whether `value`'s words appear together, in order, among `words`. */
function hasRun(words: readonly string[], value: string | null | undefined): boolean {
  const run = value ? nameWords(value) : [];
  if (!run.length) return false;
  for (let i = 0; i + run.length <= words.length; i++) if (run.every((w, k) => words[i + k] === w)) return true;
  return false;
}

/** What a row says of someone, to find them among the landlord's people. */
interface Described {
  words: string[];
  dateOfBirth: string | null;
  homeId: string | null;
  address: { postcode: string; number: string; sub: string } | null;
}
type Found = { personId: string } | { reason: string };

const isoDate = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' ? v.slice(0, 10) : null);
const addressKey = (a: { postcode?: string | null; buildingNumber?: string | null; subBuilding?: string | null }) => {
  const postcode = normalisePostcode(a.postcode ?? null);
  return postcode ? { postcode, number: squash(a.buildingNumber ?? ''), sub: squash((a.subBuilding ?? '').replace(/^(flat|unit|apartment|apt)\b/i, '')) } : null;
};

/** The ids of records linked as one person with each of these (record linkage's clusters; a record alone is itself). */
async function linkedSets(as: Ctx, ids: string[]): Promise<Map<string, Set<string>>> {
  const org = sql`${as.actor.organisationId}::uuid`;
  const rows = await as.tx.execute(sql`select x.id, (select json_agg(l.person_id) from (${linkedPersonIdsSql(org, sql`x.id`)}) l) as linked
    from unnest(${sql.param([...new Set(ids)])}::uuid[]) as x(id)`);
  return new Map((rows.rows as { id: string; linked: string[] | string }[]).map((r) => [r.id, new Set(typeof r.linked === 'string' ? JSON.parse(r.linked) as string[] : r.linked)]));
}

/** One person among these records, when they are all one person by record linkage: the smallest id; else null. */
async function onePerson(as: Ctx, ids: string[]): Promise<string | null> {
  const distinct = [...new Set(ids)].sort();
  if (distinct.length <= 1) return distinct[0] ?? null;
  const sets = await linkedSets(as, distinct);
  const first = sets.get(distinct[0]!);
  return first && distinct.every((id) => first.has(id)) ? distinct[0]! : null;
}

/** Source systems that gave the landlord people (an index probe per system). */
async function peopleSources(tx: Db, organisationId: string): Promise<string[]> {
  const rows = await tx.execute(sql`with recursive s(v) as (
      (select source_system from source_references where organisation_id = ${organisationId} and entity_kind = 'person' order by source_system limit 1)
      union all
      select (select source_system from source_references where organisation_id = ${organisationId} and entity_kind = 'person' and source_system > s.v
        order by source_system limit 1) from s where s.v is not null)
    select v from s where v is not null`);
  return (rows.rows as { v: string }[]).map((r) => r.v);
}

/**
 * The landlord's person each housing-system person id names: Hearth's own person id, or their reference in a source
 * system that gave people (the tenant number). Another landlord's person is simply not found.
 */
async function peopleByReference(as: Ctx, refs: string[]): Promise<Map<string, Found>> {
  const out = new Map<string, Found>();
  const distinct = [...new Set(refs)];
  if (!distinct.length) return out;
  const byId = new Set((await personRecords.getMany(as, distinct.filter((r) => isUuid(r)))).map((p) => p.id));
  const others = distinct.filter((r) => !isUuid(r));
  const found = new Map<string, string[]>();
  if (others.length) {
    for (const system of await peopleSources(as.tx, as.actor.organisationId)) {
      for (const [ref, id] of await peopleBySourceId(as, system, others)) found.set(ref, [...(found.get(ref) ?? []), id]);
    }
  }
  for (const ref of distinct) {
    if (byId.has(ref.toLowerCase())) { out.set(ref, { personId: ref.toLowerCase() }); continue; }
    const ids = found.get(ref) ?? [];
    const one = ids.length ? await onePerson(as, ids) : null;
    out.set(ref, one ? { personId: one } : { reason: ids.length ? `${ids.length} of your people, not linked as one person, have this reference in different systems` : 'none of your people has this id or reference' });
  }
  return out;
}

/**
 * The landlord's person each description is, by record linkage's blocking (a shared date of birth, family name or
 * home): a person whose given and family names both appear in the name written, whose date of birth does not differ,
 * and whose date of birth or address agrees. Exactly one such person (or several that linkage has found to be one)
 * links; a name alone never does.
 */
async function peopleDescribed(as: Ctx, described: Described[]): Promise<Found[]> {
  if (!described.length) return [];
  const org = sql`${as.actor.organisationId}::uuid`;
  const runs = new Set<string>();
  for (const d of described) {
    for (let i = 0; i < d.words.length; i++) for (let n = 1; n <= 3 && i + n <= d.words.length; n++) runs.add(d.words.slice(i, i + n).join(' '));
  }
  const rawNames = [...new Set(described.flatMap((d) => d.words))];
  const candidates = (await as.tx.execute(sql`select x.* from (${peopleForLinkageSql(org, peopleSharingSql({
    datesOfBirth: [...new Set(described.map((d) => d.dateOfBirth).filter((v): v is string => !!v))],
    familyNames: [...runs, ...rawNames], homeIds: [...new Set(described.map((d) => d.homeId).filter((v): v is string => !!v))],
  }))}) x`)).rows as unknown as PersonLinkageRow[];
  const out: Found[] = [];
  for (const d of described) {
    const named = candidates.filter((p) => hasRun(d.words, p.familyName) && (hasRun(d.words, p.givenName) || hasRun(d.words, p.preferredName)));
    const agreeing = named.filter((p) => {
      const born = isoDate(p.dateOfBirth);
      if (d.dateOfBirth && born && born !== d.dateOfBirth) return false;
      const personAddress = p.address ? addressKey(p.address) : null;
      const sameAddress = (!!d.homeId && p.homeId === d.homeId) || (!!d.address && !!personAddress && !!d.address.number
        && personAddress.postcode === d.address.postcode && personAddress.number === d.address.number && personAddress.sub === d.address.sub);
      return (!!d.dateOfBirth && born === d.dateOfBirth) || sameAddress;
    });
    const one = agreeing.length ? await onePerson(as, agreeing.map((p) => p.id)) : null;
    if (one) out.push({ personId: one });
    else if (agreeing.length) out.push({ reason: `${agreeing.length} of your people have this name and date of birth or address, and record linkage has not found them to be one person` });
    else if (named.length) out.push({ reason: `${named.length === 1 ? 'one of your people has' : `${named.length} of your people have`} this name, but neither the date of birth nor the address agrees, and a name alone never links` });
    else out.push({ reason: 'none of your people has this name with this date of birth or address' });
  }
  return out;
}

export const partiesLoader: KindLoader = {
  key: partyKey,
  required: ['caseReference', 'role'],
  async load(tx, ctx, rows) {
    const results: LoadResult[] = rows.map(() => ({ outcome: 'unchanged' }));
    const as = asImport(ctx, tx);
    const today = ukDate(new Date());
    const cases = await casesByReference(tx, ctx, rows.map((r) => s(r.fields.caseReference)!));
    const keys = rows.map((r) => partyKey(r.fields));
    // Parties this source gave before that are linked to a person: a row that no longer finds them does not unlink them.
    const known = await recordsBySourceId(tx, ctx.organisationId, 'asb-party', ctx.sourceSystem, keys.filter((k): k is string => !!k));
    const linkedBefore = new Set(known.size ? ((await tx.execute(sql`select id from asb_parties where organisation_id = ${ctx.organisationId}
      and id = any(${sql.param([...known.values()])}::uuid[]) and person_id is not null`)).rows as { id: string }[]).map((r) => r.id) : []);

    type Party = { i: number; role: PartyRole; kind: 'person' | 'group' | 'unknown'; warnings: RowProblem[]; review: RowProblem[]; leftOut: Set<string>;
      described?: Described; reference?: string; dateOfBirth: string | null; personId?: string };
    const parties: Party[] = [];
    rows.forEach((r, i) => {
      const f = r.fields;
      const ref = s(f.caseReference)!;
      const problems: RowProblem[] = [];
      if (!cases.has(ref)) problems.push(caseNotLoaded(ctx, ref, 'a party'));
      const role = codeOf(ctx, 'role', s(f.role)!, codesOf(PARTY_ROLES), ROLE_WORDS) as PartyRole | undefined;
      if (!role) problems.push(unknownCode(ctx, 'role', s(f.role)!, codesOf(PARTY_ROLES)));
      if (!keys[i]) {
        const columns = ['fullName', 'groupName', 'personReference'].map((x) => ctx.columnOf(x)).filter(Boolean);
        problems.push({ column: columns[0] ?? null, value: null, rule: 'required-missing', message: `${columns.join(', ')}: the party has no name and no person id, and a party needs one` });
      }
      if (problems.length) { results[i] = { outcome: 'rejected', problems }; return; }
      const warnings: RowProblem[] = [];
      const leftOut = new Set(r.leftOut ?? []);
      const writtenKind = s(f.partyKind);
      let kind: Party['kind'] = s(f.groupName) && !s(f.fullName) ? 'group' : 'unknown';
      if (writtenKind) {
        const k = codeOf(ctx, 'partyKind', writtenKind, codesOf(['person', 'group', 'unknown']), PARTY_KIND_WORDS);
        if (k === 'group') kind = 'group';
        else if (!k) warnings.push(leftOutProblem(unknownCode(ctx, 'partyKind', writtenKind, { person: 'a person', group: 'a group', unknown: 'someone unknown' })));
      }
      let dateOfBirth = s(f.dateOfBirth);
      if (dateOfBirth && dateOfBirth > today) {
        const column = ctx.columnOf('dateOfBirth');
        warnings.push(leftOutProblem({ column, value: dateOfBirth, rule: 'date-in-future', message: `${column}: ${dateOfBirth} is after today, so it is not a date of birth` }));
        dateOfBirth = null;
      }
      const party: Party = { i, role: role!, kind, warnings, review: [], leftOut, dateOfBirth };
      if (kind !== 'group') {
        if (s(f.personReference)) party.reference = s(f.personReference)!;
        const name = s(f.fullName);
        if (name) {
          const lines = addressLinesOf(f);
          const parts = lines.length ? { ...parseAddressLines(lines, s(f.postcode)), ...Object.fromEntries(['subBuilding', 'buildingNumber', 'postcode'].flatMap((k) => (s(f[k]) ? [[k, s(f[k])]] : []))) }
            : { subBuilding: s(f.subBuilding), buildingNumber: s(f.buildingNumber), postcode: s(f.postcode) };
          party.described = { words: nameWords(name), dateOfBirth, homeId: null, address: addressKey(parts) };
        }
      }
      parties.push(party);
    });

    // Linking: the person id first; then name with date of birth or address.
    const byRef = await peopleByReference(as, parties.flatMap((p) => (p.reference ? [p.reference] : [])));
    for (const p of parties) {
      if (!p.reference) continue;
      const found = byRef.get(p.reference)!;
      if ('personId' in found) { p.personId = found.personId; continue; }
      const column = ctx.columnOf('personReference');
      p.review.push({ column, value: p.reference, rule: 'person-not-matched', message: `${column}: ${found.reason} (it may be another landlord's, or not loaded yet)${p.described ? '; the name is tried instead' : ''}` });
    }
    const toDescribe = parties.filter((p) => !p.personId && p.described);
    if (toDescribe.some((p) => p.described!.address)) {
      const homes = await matchHomes(as, toDescribe.map((p) => homeNamed(rows[p.i]!.fields)));
      toDescribe.forEach((p, k) => { p.described!.homeId = homes[k]!.homeId; });
    }
    const described = await peopleDescribed(as, toDescribe.map((p) => p.described!));
    toDescribe.forEach((p, k) => {
      const found = described[k]!;
      if ('personId' in found) p.personId = found.personId;
      else if (!linkedBefore.has(known.get(keys[p.i]!) ?? '')) {
        const column = ctx.columnOf('fullName');
        p.review.push({ column, value: null, rule: 'party-not-linked', message: `${column}: not linked to one of your people: ${found.reason}. The party is kept as named (name, date of birth, address), for review` });
      }
    });

    const columns = PARTY_COLUMNS.filter((c) => c.field !== 'notes' || ctx.mapped.has('notes'));
    const bulkRows: BulkRow[] = parties.map((p) => {
      const f = rows[p.i]!.fields;
      if (p.warnings.length) results[p.i]!.warnings = p.warnings;
      if (p.kind !== 'group' && !p.personId && !p.described && !p.review.length) {
        const column = ctx.columnOf('personReference');
        p.review.push({ column, value: null, rule: 'party-not-linked', message: `${column}: not linked to one of your people, and the row gives no name; kept for review` });
      }
      if (p.review.length) results[p.i]!.review = p.review;
      const key = keys[p.i]!;
      // A party linked before keeps its person when this row finds no one (an officer may have linked them since).
      if (!p.personId && linkedBefore.has(known.get(key) ?? '')) for (const x of ['partyKind', 'personReference', 'personNamed']) p.leftOut.add(x);
      const named: Record<string, string> = {};
      if (!p.personId && p.kind !== 'group') {
        for (const [k, v] of [['name', s(f.fullName)], ['dateOfBirth', p.dateOfBirth], ['personReference', p.reference ?? null],
          ['address', [...addressLinesOf(f), ...['subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town'].flatMap((x) => (s(f[x]) ? [s(f[x])!] : [])), s(f.postcode)].filter(Boolean).join(', ') || null]] as const) {
          if (v) named[k] = v;
        }
      }
      const values: Fields = {
        caseId: cases.get(s(f.caseReference)!)!, role: p.role, kind: p.personId ? 'person' : p.kind, personId: p.personId ?? null,
        name: p.kind === 'group' ? s(f.groupName) ?? s(f.fullName) : s(f.fullName), notes: s(f.notes), sourceKey: sourceKey(ctx, key),
        personNamed: Object.keys(named).length ? JSON.stringify(named) : null,
      };
      return { row: rows[p.i]!.row, sourceId: key, values: columns.map((c) => values[c.field] ?? null), keep: keptColumns(columns, p.leftOut) };
    });
    const out = await bulkUpsert(tx, { organisationId: ctx.organisationId, sourceSystem: ctx.sourceSystem, importId: ctx.importId, rows: bulkRows,
      spec: { kind: 'asb-party', table: getTableName(asbParties), columns: columns.map(({ column, type, field }) => ({ column, type, field })) } });
    out.outcomes.forEach((o, k) => { results[parties[k]!.i]!.outcome = o; });
    return results;
  },
};

/** The ASB module's import kinds, for its manifest's importKinds: cases first, then their incidents and parties. */
// Sensitive: an import's problem rows keep the file's values (names, what happened), so each read of them is audited.
export const ASB_IMPORT_KINDS: ImportKind[] = [
  { ...ASB_CASES_IMPORT, loader: casesLoader, sensitive: true },
  { ...ASB_INCIDENTS_IMPORT, loader: incidentsLoader, sensitive: true },
  { ...ASB_PARTIES_IMPORT, loader: partiesLoader, sensitive: true },
];
