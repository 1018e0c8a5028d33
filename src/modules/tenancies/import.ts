// Loading tenancies from files: one row per tenancy, or one per member (the tenancy's fields repeated). The home is
// matched exactly through the homes module (a tenancy without its home is rejected, never guessed); members are
// people loaded from the same source, matched by their reference.
import { getTableName, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/store.ts';
import { recordChange } from '../../platform/provenance/changes.ts';
import { bulkColumns, bulkUpsert } from '../../platform/records/bulk.ts';
import { keptColumns, translateCode, unknownCode, type Fields, type KindLoader, type LoadContext, type LoadResult, type RowProblem } from '../../platform/records/load.ts';
import { matchHomes, homeNamed } from '../homes/index.ts';
import { peopleBySourceId } from '../people/index.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { TENANCY_TYPES, TENURES, MEMBER_ROLES, type MemberRole } from './codes.ts';
import { tenancies } from './schema.ts';

const TYPE_SYNONYMS: Record<string, string[]> = {
  secure: ['sec', 's', 'secure tenancy', 'periodic secure'], introductory: ['intro', 'int', 'introductory tenancy'],
  flexible: ['flexi', 'fixed term', 'fixed term tenancy', 'fts', 'flexible tenancy'], demoted: ['dem', 'demoted tenancy'],
  assured: ['ass', 'assured tenancy', 'assured periodic', 'ap', 'periodic assured'], 'assured-shorthold': ['ast', 'assured short hold', 'shorthold'],
  starter: ['starter tenancy', 'starter ast'], licence: ['lic', 'license', 'licence agreement', 'license agreement'],
  'non-secure': ['ns', 'non secure tenancy', 'temporary', 'temp'], lease: ['long lease', 'leasehold'], unknown: ['not known', 'n/a', 'na', 'unknown'],
};
const TENURE_SYNONYMS: Record<string, string[]> = {
  'social-rent': ['sr', 'social', 'social rented', 'general needs', 'gn', 'target rent', 'formula rent'], 'affordable-rent': ['ar', 'affordable', 'affordable rented'],
  'intermediate-rent': ['ir', 'intermediate', 'intermediate rented', 'living rent', 'rent to buy'], 'shared-ownership': ['so', 'shared owner', 'shared ownership lease'],
  leasehold: ['lh', 'leaseholder', 'right to buy', 'rtb', 'lease'], 'temporary-accommodation': ['ta', 'temp accommodation', 'temporary accommodation'],
  'supported-housing': ['sh', 'supported', 'sheltered', 'extra care', 'housing for older people', 'hop'], unknown: ['not known', 'n/a', 'na', 'unknown'],
};
const ROLE_SYNONYMS: Record<string, string[]> = {
  lead: ['lead tenant', 'main tenant', 'main', 'tenant', 't1', 'primary', 'sole', 'sole tenant', 'principal', 'first tenant'],
  joint: ['joint tenant', 'joint', 't2', 'second tenant', 'secondary', 'co tenant'],
  'household-member': ['household member', 'household', 'occupant', 'member', 'resident', 'other occupant', 'dependant', 'hm', 'o'],
};

// Columns (names and types from the tenancies table, schema.ts), each filled from the value of its name.
const TENANCY_COLUMNS = bulkColumns(tenancies, ['reference', 'tenancyType', 'tenure', 'startDate', 'endDate', 'homeId']);
const TENANCY_FIELDS = ['tenancyType', 'tenure', 'startDate', 'endDate'] as const;
const s = (v: unknown) => (typeof v === 'string' && v ? v : null);

/** A code of an optional field: one Hearth does not know is left out with a warning (the row still loads). */
function code(ctx: LoadContext, f: Fields, field: string, codes: Record<string, string>, synonyms: Record<string, string[]>, warnings: RowProblem[],
  leftAs: string, leftOut?: Set<string>): string | null {
  const written = s(f[field]);
  if (!written) return null;
  const c = translateCode(written, codes, synonyms, ctx.values[field]);
  if (!c) {
    const p = unknownCode(ctx, field, written, codes);
    warnings.push({ ...p, outcome: 'warning', message: `${p.message}. Left out: loaded as ${leftAs}` });
    leftOut?.add(field);
  }
  return c ?? null;
}

/** A warning given with a row that is rejected anyway: nothing was loaded, so nothing was "left out". */
const asRejected = ({ outcome: _outcome, ...p }: RowProblem): RowProblem => ({ ...p, message: p.message.replace(/\. Left out: .*$/, '') });

export const tenanciesLoader: KindLoader = {
  key: (f) => (s(f.reference) ? `${f.reference}${s(f.personSourceId) ? ` / person ${f.personSourceId}` : ''}` : null),
  required: ['reference', 'startDate'],
  async load(tx: Db, ctx, rows) {
    const results: LoadResult[] = rows.map(() => ({ outcome: 'unchanged' }));
    // The loader reads other modules' records as Hearth's import (services take a context: actor and transaction).
    const as = { actor: systemActor(ctx.organisationId, 'import'), tx };
    const matches = await matchHomes(as, rows.map((r) => homeNamed(r.fields)));
    // The tenancy's own fields, from its first row in the batch; member fields from every row.
    type Group = { first: number; rows: number[]; values: Fields; leftOut: Set<string> };
    const groups = new Map<string, Group>();
    rows.forEach((r, i) => {
      const f = r.fields;
      const problems: RowProblem[] = [];
      const warnings: RowProblem[] = [];
      // Values left out (a bad end date, an unknown code): a tenancy loaded before keeps what it has for them.
      const leftOut = new Set(r.leftOut);
      const values: Fields = {
        reference: f.reference!, startDate: f.startDate ?? null, endDate: f.endDate ?? null,
        tenancyType: code(ctx, f, 'tenancyType', TENANCY_TYPES, TYPE_SYNONYMS, warnings, '"unknown"', leftOut) ?? 'unknown',
        tenure: code(ctx, f, 'tenure', TENURES, TENURE_SYNONYMS, warnings, '"unknown"', leftOut) ?? 'unknown',
        homeId: matches[i]!.homeId,
      };
      const role = s(f.memberRole) ? code(ctx, f, 'memberRole', MEMBER_ROLES, ROLE_SYNONYMS, warnings, 'a household member (or the role the person has already)') : null;
      f.memberRole = role;
      if (typeof values.startDate === 'string' && typeof values.endDate === 'string' && values.endDate < values.startDate) {
        problems.push({ column: ctx.columnOf('endDate'), value: values.endDate, rule: 'value-out-of-range', message: `${ctx.columnOf('endDate')}: the tenancy ends (${values.endDate}) before it starts (${values.startDate})` });
      }
      if (!values.homeId) {
        const m = matches[i]!;
        problems.push({ column: ctx.columnOf('homeReference') ?? ctx.columnOf('uprn'), value: m.named || null, rule: 'home-not-matched',
          message: m.named ? `The home (${m.named}) was not matched${m.reason ? `: ${m.reason}` : ''}; a tenancy needs its home. Load the homes first, or correct the reference`
            : 'The row names no home (property reference, UPRN or address); a tenancy needs its home' });
      }
      // A rejected row's other problems are given with it, not as values "left out" of a record that was not loaded.
      if (problems.length) { results[i] = { outcome: 'rejected', problems: [...problems, ...warnings.map(asRejected)] }; return; }
      if (warnings.length) results[i]!.warnings = warnings;
      const key = String(f.reference);
      const g = groups.get(key);
      if (!g) { groups.set(key, { first: i, rows: [i], values, leftOut }); return; }
      g.rows.push(i);
      for (const field of [...TENANCY_FIELDS, 'homeId'] as const) {
        if (values[field] !== g.values[field] && ctx.mapped.has(field === 'homeId' ? 'homeReference' : field)) {
          (results[i]!.review ??= []).push({ column: ctx.columnOf(field), value: String(values[field] ?? ''), rule: 'conflict-in-file',
            message: `${ctx.columnOf(field) ?? field}: row ${rows[g.first]!.row} gives tenancy ${key} ${field === 'homeId' ? 'a different home' : `"${g.values[field] ?? ''}"`}; this row says "${values[field] ?? ''}". The first is kept` });
        }
      }
    });
    // Tenancy type and tenure are NOT NULL: a file that does not map one gives new tenancies "unknown", written only
    // when the tenancy is created, so a later extract never puts "unknown" back over a value set since.
    const columns = TENANCY_COLUMNS.filter((c) => c.field === 'reference' || c.field === 'homeId' || c.field === 'startDate' || ctx.mapped.has(c.field)
      || c.field === 'tenancyType' || c.field === 'tenure')
      .map((c) => ((c.field === 'tenancyType' || c.field === 'tenure') && !ctx.mapped.has(c.field) ? { ...c, insertOnly: true } : c));
    const list = [...groups.values()];
    const out = await bulkUpsert(tx, { organisationId: ctx.organisationId, sourceSystem: ctx.sourceSystem, importId: ctx.importId,
      spec: { kind: 'tenancy', table: getTableName(tenancies), sourceValues: true, eventValues: true, columns },
      rows: list.map((g) => ({ row: rows[g.first]!.row, sourceId: String(g.values.reference), values: columns.map((c) => g.values[c.field] ?? null),
        keep: keptColumns(columns, g.leftOut) })) });
    const tenancyIds = new Map<string, string>();
    list.forEach((g, k) => { tenancyIds.set(String(g.values.reference), out.recordIds[k]!); results[g.first]!.outcome = out.outcomes[k]!; });

    // Members: people from the same source, by their reference.
    const personRefs = rows.map((r) => s(r.fields.personSourceId)).filter((v): v is string => !!v);
    const people = await peopleBySourceId(as, ctx.sourceSystem, personRefs);
    const ids = [...tenancyIds.values()];
    const existing = ids.length ? (await tx.execute(sql`select tenancy_id, person_id, role, relationship, start_date::text, end_date::text from tenancy_members
      where organisation_id = ${ctx.organisationId} and tenancy_id = any(${sql.param(ids)}::uuid[])`)).rows as { tenancy_id: string; person_id: string; role: MemberRole; relationship: string | null; start_date: string | null; end_date: string | null }[] : [];
    const members = new Map(existing.map((m) => [`${m.tenancy_id}/${m.person_id}`, m]));
    const hasLead = new Set(existing.filter((m) => m.role === 'lead').map((m) => m.tenancy_id));
    for (const g of list) {
      for (const i of g.rows) {
        const f = rows[i]!.fields;
        const ref = s(f.personSourceId);
        if (!ref) continue;
        const personId = people.get(ref);
        if (!personId) {
          (results[i]!.review ??= []).push({ column: ctx.columnOf('personSourceId'), value: ref, rule: 'person-not-matched',
            message: `${ctx.columnOf('personSourceId')}: no person ${ref} has been loaded from ${ctx.sourceSystem}, so they are not added to tenancy ${g.values.reference}; load the people file first, then this file again` });
          continue;
        }
        const tenancyId = tenancyIds.get(String(g.values.reference))!;
        const had = members.get(`${tenancyId}/${personId}`);
        let role = (f.memberRole as MemberRole | null) ?? had?.role ?? 'household-member';
        if (role === 'lead' && hasLead.has(tenancyId) && had?.role !== 'lead') {
          role = 'joint';
          (results[i]!.review ??= []).push({ column: ctx.columnOf('memberRole'), value: 'lead', rule: 'conflict-in-file',
            message: `Tenancy ${g.values.reference} already has a lead tenant, so ${ref} is added as a joint tenant; correct the roles in the source` });
        }
        if (role === 'lead') hasLead.add(tenancyId);
        const next = { role, relationship: s(f.relationship) ?? (ctx.mapped.has('relationship') ? null : had?.relationship ?? null),
          start_date: s(f.memberStartDate) ?? (ctx.mapped.has('memberStartDate') ? null : had?.start_date ?? null),
          end_date: s(f.memberEndDate) ?? (ctx.mapped.has('memberEndDate') ? null : had?.end_date ?? null) };
        if (!had) {
          await tx.execute(sql`insert into tenancy_members (organisation_id, tenancy_id, person_id, role, relationship, start_date, end_date)
            values (${ctx.organisationId}, ${tenancyId}, ${personId}, ${next.role}, ${next.relationship}, ${next.start_date}, ${next.end_date})`);
          members.set(`${tenancyId}/${personId}`, { tenancy_id: tenancyId, person_id: personId, ...next });
          if (results[i]!.outcome === 'unchanged') results[i]!.outcome = 'created';
          continue;
        }
        const changed = (['role', 'relationship', 'start_date', 'end_date'] as const).filter((k) => (had[k] ?? null) !== (next[k] ?? null));
        if (!changed.length) continue;
        await tx.execute(sql`update tenancy_members set role = ${next.role}, relationship = ${next.relationship}, start_date = ${next.start_date}, end_date = ${next.end_date}
          where organisation_id = ${ctx.organisationId} and tenancy_id = ${tenancyId} and person_id = ${personId}`);
        for (const k of changed) {
          await recordChange(tx, { organisationId: ctx.organisationId, entityKind: 'tenancy', recordId: tenancyId, field: `members/${ref}/${k}`,
            oldValue: had[k] ?? null, newValue: next[k] ?? null, importId: ctx.importId });
        }
        members.set(`${tenancyId}/${personId}`, { ...had, ...next });
        if (results[i]!.outcome === 'unchanged') results[i]!.outcome = 'updated';
      }
    }
    return results;
  },
};
