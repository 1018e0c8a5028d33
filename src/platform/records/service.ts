// The one way a module lists, reads, creates and updates its records. A module supplies its table and its rules;
// permission checks, organisation scoping, optimistic concurrency, provenance and audit happen here, once.
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { can, type Permission } from '../auth/roles.ts';
import { audit } from '../audit/service.ts';
import { attachReferences, referencesFor, type EntityKind, type SourceReference } from '../provenance/service.ts';
import { forbidden, notFound, Problem, fromDatabaseError } from '../http/problem.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import type { Ctx } from './context.ts';
import { recordsWritten } from './events.ts';
import { originOf } from '../events/outbox.ts';

/**
 * A caller's condition in brackets: and() does not bracket its parts, so `a or b` given here would otherwise bind as
 * `organisation = … and a or b` and reach past the organisation (row-level security hid it; Citus would not).
 */
const bracketed = (where: SQL | undefined): SQL | undefined => (where ? sql`(${where})` : undefined);

export type RecordTable = PgTable & {
  organisationId: PgColumn;
  id: PgColumn;
  version: PgColumn;
  updatedAt: PgColumn;
};

type Row = Record<string, unknown> & { id: string; organisationId: string; version: number };
export type WithReferences<T> = T & { sourceReferences: SourceReference[] };

export interface ListQuery {
  limit?: number;
  cursor?: string;
  [filter: string]: unknown;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface RecordRules<TRow extends Row> {
  kind: EntityKind;
  label: string;
  table: RecordTable;
  read: Permission;
  write: Permission;
  /** Reads of this kind are audited (person alerts). */
  sensitive?: boolean;
  /**
   * The audit of an update keeps the old and new values, not only the names of the fields that changed. Only for
   * kinds whose fields are facts about places (estates, blocks, homes, tenancies): the audit log is read without a
   * read of the record being audited, so it must not carry personal details, free text or alerts (docs/architecture.md, Security).
   */
  auditValues?: boolean;
  /** Filters for list, from the validated query string. */
  filters?: (q: ListQuery) => (SQL | undefined)[];
  /** Derive stored values (normalised forms, search text) from the values being written. */
  prepare?: (values: Partial<TRow>, existing?: TRow) => Partial<TRow>;
}

export interface CreateInput {
  sourceReferences?: SourceReference[];
  [field: string]: unknown;
}

export const MAX_PAGE = 200;

function require(ctx: Ctx, permission: Permission) {
  if (!can(ctx.actor.role, permission)) throw forbidden();
}

export function defineRecords<TRow extends Row>(rules: RecordRules<TRow>) {
  const t = rules.table;

  async function withRefs(ctx: Ctx, rows: TRow[]): Promise<WithReferences<TRow>[]> {
    const refs = await referencesFor(ctx.tx, ctx.actor.organisationId, rows.map((r) => r.id));
    return rows.map((r) => ({ ...r, sourceReferences: refs.get(r.id) ?? [] }));
  }

  async function auditReads(ctx: Ctx, rows: TRow[]) {
    if (rules.sensitive && rows.length) {
      await audit(ctx.tx, ctx.actor, rows.map((r) => ({ action: 'read-sensitive' as const, entityKind: rules.kind, entityId: r.id })));
    }
  }

  async function write<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw fromDatabaseError(err) ?? err;
    }
  }

  const service = {
    rules,

    async list(ctx: Ctx, q: ListQuery): Promise<Page<WithReferences<TRow>>> {
      require(ctx, rules.read);
      const limit = Math.min(Math.max(q.limit ?? 50, 1), MAX_PAGE);
      const after = decodeCursor(q.cursor);
      const where = [eq(t.organisationId, ctx.actor.organisationId), ...(rules.filters?.(q) ?? [])];
      if (after) where.push(gt(t.id, after));
      const rows = (await ctx.tx.select().from(t as PgTable).where(and(...where)).orderBy(asc(t.id)).limit(limit + 1)) as TRow[];
      const page = rows.slice(0, limit);
      await auditReads(ctx, page);
      return { items: await withRefs(ctx, page), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null };
    },

    /**
     * Records by id, for other modules composing a view; missing ids are simply absent. The ids go as one array
     * parameter: an IN list of thousands is planned as a filter under the pool's generic plans (seconds per batch).
     */
    async getMany(ctx: Ctx, ids: readonly string[]): Promise<TRow[]> {
      require(ctx, rules.read);
      if (!ids.length) return [];
      const rows = (await ctx.tx.select().from(t as PgTable)
        .where(and(eq(t.organisationId, ctx.actor.organisationId), sql`${t.id} = any(${sql.param([...ids])}::uuid[])`))) as TRow[];
      await auditReads(ctx, rows);
      return rows;
    },

    /** Records by id as `get` returns them (with their source references), for the change feed; missing ids are absent. */
    async getManyWithReferences(ctx: Ctx, ids: readonly string[]): Promise<WithReferences<TRow>[]> {
      return withRefs(ctx, await service.getMany(ctx, ids));
    },

    /** Records matching a condition on this module's own table, oldest first. */
    async find(ctx: Ctx, where: SQL, limit = 10_000): Promise<TRow[]> {
      require(ctx, rules.read);
      const rows = (await ctx.tx.select().from(t as PgTable)
        .where(and(eq(t.organisationId, ctx.actor.organisationId), bracketed(where))).orderBy(asc(t.id)).limit(limit)) as TRow[];
      await auditReads(ctx, rows);
      return rows;
    },

    async count(ctx: Ctx, where?: SQL): Promise<number> {
      require(ctx, rules.read);
      const [row] = await ctx.tx.select({ n: sql<number>`count(*)::int` }).from(t as PgTable)
        .where(and(eq(t.organisationId, ctx.actor.organisationId), bracketed(where)));
      return row?.n ?? 0;
    },

    /** A stored response about this record was sent again (an Idempotency-Key replay): audited as the read it is. */
    async replayed(ctx: Ctx, id: string): Promise<void> {
      require(ctx, rules.read);
      await auditReads(ctx, [{ id } as TRow]);
    },

    async get(ctx: Ctx, id: string): Promise<WithReferences<TRow>> {
      const [row] = await service.getMany(ctx, [id]);
      if (!row) throw notFound(rules.label);
      return (await withRefs(ctx, [row]))[0]!;
    },

    /** `also.fields`: parts written beside the row by its owner (a tenancy's members), named in the audit event and the event. */
    async create(ctx: Ctx, input: CreateInput, also: { fields?: readonly string[] } = {}): Promise<WithReferences<TRow>> {
      require(ctx, rules.write);
      const { sourceReferences = [], ...fields } = input;
      const named = [...Object.keys(fields), ...(also.fields ?? [])];
      const values = { ...fields, ...rules.prepare?.(fields as Partial<TRow>) } as Partial<TRow>;
      const row = await write(async () => {
        const [inserted] = (await ctx.tx.insert(t).values({
          ...values, id: uuidv7(), organisationId: ctx.actor.organisationId, version: 1,
        } as never).returning()) as TRow[];
        await attachReferences(ctx.tx, ctx.actor.organisationId, rules.kind, inserted!.id, sourceReferences);
        return inserted!;
      });
      await audit(ctx.tx, ctx.actor, { action: 'create', entityKind: rules.kind, entityId: row.id, detail: { fields: named } });
      await recordsWritten(ctx.tx, rules.kind, ctx.actor.organisationId, [{ id: row.id, created: true, data: { fields: named } }], originOf(ctx.actor));
      return (await withRefs(ctx, [row]))[0]!;
    },

    /**
     * Update with optimistic concurrency: the caller states the version it last read (If-Match). `also.changed`: parts
     * the owner changed beside the row (a tenancy's members), so the write is audited and has its event even when no
     * column changed; their values are not in the event.
     */
    async update(ctx: Ctx, id: string, expectedVersion: number, patch: Record<string, unknown>, also: { changed?: readonly string[] } = {}): Promise<WithReferences<TRow>> {
      require(ctx, rules.write);
      // The row lock makes a concurrent update with the same If-Match wait and then see the new version; the version
      // is in the UPDATE's WHERE too, so exactly one of them wins even if the lock were lost in a refactor.
      const [existing] = (await ctx.tx.select().from(t as PgTable)
        .where(and(eq(t.organisationId, ctx.actor.organisationId), eq(t.id, id))).for('update')) as TRow[];
      if (!existing) throw notFound(rules.label);
      const stale = (now?: number) => new Problem(412, 'Precondition failed',
        `The ${rules.label} has changed since you read it (${now === undefined ? '' : `version ${now}, `}you sent ${expectedVersion}). Read it again and reapply your change.`);
      if (existing.version !== expectedVersion) throw stale(existing.version);
      const changed = Object.keys(patch).filter((k) => JSON.stringify(patch[k]) !== JSON.stringify(existing[k]));
      const merged = { ...existing, ...patch } as TRow;
      const values = { ...patch, ...rules.prepare?.(merged, existing) } as Partial<TRow>;
      const row = await write(async () => {
        const [updated] = (await ctx.tx.update(t).set({ ...values, version: sql`${t.version} + 1`, updatedAt: sql`now()` } as never)
          .where(and(eq(t.organisationId, ctx.actor.organisationId), eq(t.id, id), eq(t.version, expectedVersion))).returning()) as TRow[];
        return updated;
      });
      if (!row) throw stale();
      const parts = (also.changed ?? []).filter((k) => !changed.includes(k));
      await audit(ctx.tx, ctx.actor, {
        action: 'update', entityKind: rules.kind, entityId: id,
        detail: rules.auditValues && !rules.sensitive
          ? { changes: Object.fromEntries(changed.map((k) => [k, { from: existing[k] ?? null, to: patch[k] ?? null }])), ...(parts.length ? { fields: parts } : {}) }
          : { fields: [...changed, ...parts] },
      });
      if (changed.length || parts.length) {
        await recordsWritten(ctx.tx, rules.kind, ctx.actor.organisationId, [{ id, created: false, data: rules.auditValues && !rules.sensitive
          ? { fields: [...changed, ...parts], ...(changed.length ? { changes: Object.fromEntries(changed.map((k) => [k, [existing[k] ?? null, patch[k] ?? null]])) } : {}) }
          : { fields: [...changed, ...parts] } }], originOf(ctx.actor));
      }
      return (await withRefs(ctx, [row]))[0]!;
    },
  };
  return service;
}

export type RecordService<TRow extends Row> = ReturnType<typeof defineRecords<TRow>>;
