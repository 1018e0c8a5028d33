// Loading people from files: names, date of birth, contact points and address; linked to the home the row names
// (by reference, UPRN or exact address) through the homes module. Unmatched homes are listed for review.
// A full name in one column is split into its parts (names.ts) and kept as recorded; a split that is not confident
// loads and is listed for review; only a row with no name at all is rejected.
import type { Db } from '../../platform/db/store.ts';
import { and, eq, getTableName, inArray } from 'drizzle-orm';
import { recordsBySourceId } from '../../platform/provenance/service.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';
import { bulkColumn, bulkColumns, bulkUpsert, type BulkColumn } from '../../platform/records/bulk.ts';
import { keptColumns, type Fields, type KindLoader, type LoadContext, type LoadResult, type RowProblem } from '../../platform/records/load.ts';
import { addressLinesOf, parseAddressLines, LINE_FIELDS, matchHomes, homeNamed, homeNotMatched, keepingHomeLink } from '../homes/index.ts';
import { personSearchText } from './service.ts';
import { people, type ContactPoint, type PostalAddress } from './schema.ts';
import { splitFullName } from './names.ts';

// Columns (names and types from the people table, schema.ts), each filled from the field of its name.
const NAME_COLUMNS = bulkColumns(people, ['title', 'givenName', 'middleNames', 'familyName', 'preferredName', 'dateOfBirth']);
/** Written when the file has a full name column: the parts it is split into, and the name as recorded. */
const FULL_NAME_COLUMNS = new Set(['title', 'givenName', 'middleNames', 'familyName', 'preferredName']);
const NAME_AS_RECORDED = bulkColumn(people, 'nameAsRecorded');
const CONTACT_POINTS = bulkColumn(people, 'contactPoints');
const ADDRESS = bulkColumn(people, 'address');
const HOME_ID = bulkColumn(people, 'homeId');
const SEARCH_TEXT = [bulkColumn(people, 'searchText')];
const CONTACT_FIELDS = ['phone', 'mobilePhone', 'workPhone', 'email'];
const ADDRESS_FIELDS = ['subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town', 'postcode', ...LINE_FIELDS];
const HOME_FIELDS = ['homeReference', 'uprn', ...ADDRESS_FIELDS];

const s = (v: unknown) => (typeof v === 'string' && v ? v : null);

export function contactPoints(f: Fields): ContactPoint[] {
  const out: ContactPoint[] = [];
  if (s(f.phone)) out.push({ system: 'phone', value: s(f.phone)!, use: 'home' });
  if (s(f.mobilePhone) && f.mobilePhone !== f.phone) out.push({ system: 'phone', value: s(f.mobilePhone)!, use: 'mobile' });
  if (s(f.workPhone)) out.push({ system: 'phone', value: s(f.workPhone)!, use: 'work' });
  if (s(f.email)) out.push({ system: 'email', value: s(f.email)! });
  return out;
}

/** The contact point a contact field fills. */
const CONTACT_OF: Record<string, (c: ContactPoint) => boolean> = {
  phone: (c) => c.system === 'phone' && c.use === 'home',
  mobilePhone: (c) => c.system === 'phone' && c.use === 'mobile',
  workPhone: (c) => c.system === 'phone' && c.use === 'work',
  email: (c) => c.system === 'email',
};

/**
 * A row's contact points, with the stored one kept for each contact field whose value the row could not give (a
 * phone number not in use, left out with a warning): a bad number in a later extract never blanks a good one.
 */
export function keptContacts(given: ContactPoint[], leftOut: ReadonlySet<string> | undefined, stored: ContactPoint[] | undefined): ContactPoint[] {
  if (!leftOut?.size || !stored?.length) return given;
  const kept = stored.filter((c) => CONTACT_FIELDS.some((f) => leftOut.has(f) && CONTACT_OF[f]!(c)));
  return [...given, ...kept.filter((k) => !given.some((g) => g.system === k.system && g.value === k.value))];
}

/** The contact points stored for people this source gave before, by source id. */
async function storedContacts(tx: Db, ctx: LoadContext, sourceIds: string[]): Promise<Map<string, ContactPoint[]>> {
  const out = new Map<string, ContactPoint[]>();
  if (!sourceIds.length) return out;
  const ids = await recordsBySourceId(tx, ctx.organisationId, 'person', ctx.sourceSystem, sourceIds);
  if (!ids.size) return out;
  const found = await tx.select({ id: people.id, contactPoints: people.contactPoints }).from(people)
    .where(and(eq(people.organisationId, ctx.organisationId), inArray(people.id, [...ids.values()])));
  const byId = new Map(found.map((p) => [p.id, p.contactPoints]));
  for (const [sourceId, id] of ids) out.set(sourceId, byId.get(id) ?? []);
  return out;
}

/**
 * The address as the row gives it, as a postal address: its parts, and what its address lines hold (parsed,
 * address-lines.ts) where the row does not give a part itself, and the lines as written (kept beside the parts).
 */
export function postalAddress(f: Fields): PostalAddress | null {
  const a: PostalAddress = {};
  const keys = ['subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town', 'postcode'] as const;
  for (const k of keys) if (s(f[k])) a[k] = s(f[k])!;
  const lines = addressLinesOf(f);
  if (lines.length) {
    const parsed = parseAddressLines(lines, a.postcode ?? null);
    for (const k of keys) if (!a[k] && parsed[k]) a[k] = parsed[k]!;
    a.lines = lines;
  }
  return Object.keys(a).length ? a : null;
}

/** A column whose header puts the family name first ("Surname Forename", "Surname and Forenames", "Last, First Name"). */
export function surnameFirstColumn(header: string | null): boolean {
  const h = (header ?? '').toLowerCase().replace(/[^a-z]+/g, ' ');
  const family = h.search(/\b(surname|family name|last name|lastname)\b/);
  const given = h.search(/\b(forenames?|first names?|firstname|given names?|christian names?)\b/);
  return family >= 0 && given > family;
}

/**
 * The row's name parts: a full name is split, and the given, family (and title, middle, preferred) name columns the
 * file also maps win where they hold a value. Rejected (`problems`) only when no given or family name is left; a
 * split a person should check is for review.
 */
export function namesOf(ctx: Pick<LoadContext, 'mapped' | 'columnOf'>, f: Fields): { fields: Fields; problems: RowProblem[]; review: RowProblem[] } {
  // Without a full name, the pipeline has already rejected a row with no given or family name (requiredWhen).
  if (!ctx.mapped.has('fullName')) return { fields: f, problems: [], review: [] };
  const full = s(f.fullName);
  const column = ctx.columnOf('fullName');
  const out: Fields = { ...f, nameAsRecorded: full ? full.replace(/\s+/g, ' ') : null };
  const result = full ? splitFullName(full, { surnameFirst: surnameFirstColumn(column) }) : null;
  if (result && !result.ok && result.rule === 'name-control-characters') {
    return { fields: out, review: [], problems: [{ column, value: full, rule: result.rule, message: `${column}: "${full}" ${result.message}` }] };
  }
  const split = result?.ok ? result.name : null;
  if (split) {
    const parts: Fields = { title: split.title, givenName: split.givenName, middleNames: split.middleNames, familyName: split.familyName, preferredName: split.preferredName };
    for (const k of FULL_NAME_COLUMNS) if (!s(f[k])) out[k] = parts[k] ?? null;
  }
  const problems: RowProblem[] = [];
  const review: RowProblem[] = [];
  if (!split && (!s(f.givenName) || !s(f.familyName))) {
    problems.push({ column, value: full, rule: 'required-missing',
      message: full ? `${column}: "${full}" is not a name, and people need one` : `${column}: the name is empty, and people need it` });
  } else if (split?.doubt && (!s(f.givenName) || !s(f.familyName))) {
    // The given name may be unknown ("Mr Morgan", "Occupier"): the person loads without one, for review.
    const as = [split.title && `title "${split.title}"`, split.givenName && `given name "${split.givenName}"`, `family name "${split.familyName}"`];
    review.push({ column, value: full, rule: 'name-not-split',
      message: `${column}: "${full}" ${split.doubt}; it is loaded as ${as.filter(Boolean).join(', ')}, to be checked` });
  }
  return { fields: out, problems, review };
}

export const peopleLoader: KindLoader = {
  key: (f) => s(f.sourceId),
  required: ['sourceId', 'givenName', 'familyName'],
  // With a full name column, the names are checked once it is split (namesOf).
  requiredWhen: (mapped) => (mapped.has('fullName') ? ['sourceId'] : ['sourceId', 'givenName', 'familyName']),
  async load(tx: Db, ctx, batch) {
    const results: LoadResult[] = batch.map(() => ({ outcome: 'unchanged' }));
    const rows: typeof batch = [];
    const at: number[] = [];
    batch.forEach((r, i) => {
      const n = namesOf(ctx, r.fields);
      if (n.problems.length) { results[i] = { outcome: 'rejected', problems: n.problems }; return; }
      if (n.review.length) results[i]!.review = n.review;
      rows.push(r.leftOut ? { row: r.row, fields: n.fields, leftOut: r.leftOut } : { row: r.row, fields: n.fields });
      at.push(i);
    });
    const withFullName = ctx.mapped.has('fullName');
    const withContacts = CONTACT_FIELDS.some((f) => ctx.mapped.has(f));
    const withAddress = ADDRESS_FIELDS.some((f) => ctx.mapped.has(f));
    const withHome = HOME_FIELDS.some((f) => ctx.mapped.has(f));
    const nameColumns = NAME_COLUMNS.filter((c) => ctx.mapped.has(c.field) || (withFullName && FULL_NAME_COLUMNS.has(c.field)));
    const columns: BulkColumn[] = [
      ...nameColumns,
      ...(withFullName ? [NAME_AS_RECORDED] : []),
      ...(withContacts ? [CONTACT_POINTS] : []),
      ...(withAddress ? [ADDRESS] : []),
      ...(withHome ? [HOME_ID] : []),
    ];
    if (!rows.length) return results;
    // The loader reads other modules' records as Hearth's import (services take a context: actor and transaction).
    const as = { actor: systemActor(ctx.organisationId, 'import'), tx };
    const matches = withHome ? await matchHomes(as, rows.map((r) => homeNamed(r.fields))) : [];
    const stored = await storedContacts(tx, ctx, rows.filter((r) => CONTACT_FIELDS.some((c) => r.leftOut?.has(c))).map((r) => s(r.fields.sourceId)!));
    const bulkRows = rows.map((r, i) => {
      const f = r.fields;
      const contacts = keptContacts(contactPoints(f), r.leftOut, stored.get(s(f.sourceId)!));
      const address = postalAddress(f);
      const m = matches[i];
      if (m && !m.homeId && m.named) results[at[i]!]!.review = [...(results[at[i]!]!.review ?? []), homeNotMatched(ctx, m.named, m.reason)];
      const values = [
        ...nameColumns.map((c) => (f[c.field] ?? null) as string | null),
        ...(withFullName ? [(f.nameAsRecorded ?? null) as string | null] : []),
        ...(withContacts ? [JSON.stringify(contacts)] : []),
        ...(withAddress ? [address ? JSON.stringify(address) : null] : []),
        ...(withHome ? [m?.homeId ?? null] : []),
        personSearchText({ givenName: s(f.givenName) ?? '', middleNames: s(f.middleNames), familyName: s(f.familyName) ?? '', preferredName: s(f.preferredName), contactPoints: contacts }),
      ];
      // A bad postcode (say) never unlinks a person from their home or cuts their address short: both stay as they were.
      const linkKept = keepingHomeLink(r.leftOut, !!m?.homeId, ['homeId']);
      const leftOut = linkKept && ADDRESS_FIELDS.some((a) => linkKept.has(a)) ? new Set([...linkKept, 'address']) : linkKept;
      return { row: r.row, sourceId: s(f.sourceId)!, values, keep: keptColumns(columns, leftOut) };
    });
    const out = await bulkUpsert(tx, { organisationId: ctx.organisationId, sourceSystem: ctx.sourceSystem, importId: ctx.importId, rows: bulkRows,
      spec: { kind: 'person', table: getTableName(people), sourceValues: true, columns, derived: SEARCH_TEXT } });
    out.outcomes.forEach((o, i) => { results[at[i]!]!.outcome = o; });
    return results;
  },
};

/** People by their id in a source system (for tenancies, alerts and notes that name a person by it). */
export function peopleBySourceId(ctx: Ctx, sourceSystem: string, ids: string[]): Promise<Map<string, string>> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  return recordsBySourceId(ctx.tx, ctx.actor.organisationId, 'person', sourceSystem, ids);
}
