// Organisations (landlords). A member of staff only ever sees their own organisation.
import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Store } from '../../platform/db/store.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { forbidden, notFound, Problem } from '../../platform/http/problem.ts';
import { isSingleLine, SINGLE_LINE_MESSAGE } from '../../platform/http/schemas.ts';
import { organisations } from './schema.ts';
import { estateRecords, blockRecords, homeRecords } from '../homes/index.ts';
import { peopleFigures } from '../linkage/index.ts';
import { tenancyService } from '../tenancies/index.ts';
import { higherRiskCounts } from '../insight/index.ts';

export type Organisation = typeof organisations.$inferSelect;
export const ORGANISATION_KINDS = { 'private-registered-provider': 'Housing association (private registered provider)', 'local-authority': 'Local authority' } as const;

export const organisationService = {
  async list(ctx: Ctx, _q: unknown) {
    if (!can(ctx.actor.role, 'records:read')) throw forbidden();
    const items = await ctx.tx.select().from(organisations).where(eq(organisations.id, ctx.actor.organisationId));
    return { items: items.map((o) => ({ ...o, organisationId: o.id, sourceReferences: [] })), nextCursor: null };
  },
  async get(ctx: Ctx, id: string) {
    if (!can(ctx.actor.role, 'records:read')) throw forbidden();
    // Another organisation's id is simply not found, whether or not it exists.
    if (id !== ctx.actor.organisationId) throw notFound('organisation');
    const [row] = await ctx.tx.select().from(organisations).where(eq(organisations.id, id));
    if (!row) throw notFound('organisation');
    return { ...row, organisationId: row.id, sourceReferences: [] };
  },
  async update(ctx: Ctx, id: string, expectedVersion: number, patch: Partial<Organisation>) {
    if (id !== ctx.actor.organisationId) throw notFound('organisation');
    if (!can(ctx.actor.role, 'organisation:write')) throw forbidden();
    // Lock the row, so a concurrent update with the same If-Match waits for this one and then sees the new version;
    // the version in the UPDATE's WHERE as well, so exactly one of them wins whatever the isolation level.
    const [existing] = await ctx.tx.select().from(organisations).where(eq(organisations.id, id)).for('update');
    if (!existing) throw notFound('organisation');
    const stale = (now?: number) => new Problem(412, 'Precondition failed',
      `The organisation has changed since you read it (${now === undefined ? '' : `version ${now}, `}you sent ${expectedVersion}). Read it again and reapply your change.`);
    if (existing.version !== expectedVersion) throw stale(existing.version);
    const [row] = await ctx.tx.update(organisations).set({ ...patch, version: sql`${organisations.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(organisations.id, id), eq(organisations.version, expectedVersion))).returning();
    if (!row) throw stale();
    const changed = (Object.keys(patch) as (keyof Organisation)[]).filter((k) => patch[k] !== existing[k]);
    // A landlord's name, kind and registration number are public facts: the audit keeps the old and new values.
    await audit(ctx.tx, ctx.actor, { action: 'update', entityKind: 'organisation', entityId: id,
      detail: { changes: Object.fromEntries(changed.map((k) => [k, { from: existing[k] ?? null, to: patch[k] ?? null }])) } });
    return { ...row, organisationId: row.id, sourceReferences: [] };
  },
  /** Counts for the organisation overview page. Higher-risk blocks are the register's own counts (insight owns the rule). */
  async overview(ctx: Ctx) {
    const higherRisk = await higherRiskCounts(ctx);
    return {
      estates: await estateRecords.count(ctx),
      blocks: await blockRecords.count(ctx),
      higherRiskBlocks: higherRisk.higherRisk,
      blocksNeedingData: higherRisk.dataNeeded,
      homes: await homeRecords.count(ctx),
      // The same figures, and the same words for them, as record linkage's page (one function computes them).
      people: await peopleFigures(ctx),
      currentTenancies: await tenancyService.countCurrent(ctx),
    };
  },
};

/** Operator action (CLI): create a landlord. Not offered over the API, where every caller belongs to one. */
export async function createOrganisation(store: Store, input: { name: string; kind: keyof typeof ORGANISATION_KINDS; registrationNumber?: string | null; id?: string }) {
  // The API's schema says the same for updates (organisations/api.ts); an operator's command comes here directly.
  for (const [field, value] of [['name', input.name], ['registrationNumber', input.registrationNumber ?? '']] as const) {
    if (!isSingleLine(value)) throw new Problem(400, 'Invalid request', `${field} ${SINGLE_LINE_MESSAGE}`, [{ field: `/${field}`, message: SINGLE_LINE_MESSAGE }]);
  }
  if (!input.name.trim()) throw new Problem(400, 'Invalid request', 'name must not be empty', [{ field: '/name', message: 'must not be empty' }]);
  const id = input.id ?? uuidv7();
  return store.system(async (tx) => {
    const [row] = await tx.insert(organisations).values({ id, name: input.name, kind: input.kind, registrationNumber: input.registrationNumber ?? null }).returning();
    await audit(tx, systemActor(id), { action: 'create', entityKind: 'organisation', entityId: id });
    return row!;
  });
}

/** Operator's view (the CLI): every landlord. */
export async function listOrganisations(store: Store): Promise<Organisation[]> {
  return store.system((tx) => tx.select().from(organisations));
}

/** The signed-in actor's own organisation, id and name: every role may know whom it works for (the layout shows it). */
export async function ownOrganisation(ctx: Ctx): Promise<{ id: string; name: string }> {
  const [row] = await ctx.tx.select({ id: organisations.id, name: organisations.name }).from(organisations)
    .where(eq(organisations.id, ctx.actor.organisationId));
  if (!row) throw notFound('organisation');
  return row;
}

/** Landlords by name, for the public pages (a resident chooses whom they rent from): ids and names only. */
export async function landlordNames(store: Store): Promise<{ id: string; name: string }[]> {
  return store.system((tx) => tx.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(organisations.name));
}

/** Whether there is no landlord yet (the first start loads the demo then). */
export async function noOrganisations(store: Store): Promise<boolean> {
  const [row] = await store.system((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(organisations));
  return (row?.n ?? 0) === 0;
}
