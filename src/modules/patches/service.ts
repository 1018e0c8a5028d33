// Patches: the estates and homes a housing officer looks after. Worklists and search ask `patchScope` for the homes
// of the signed-in officer's patch ("my patch"); other modules never read these tables.
import { and, eq } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import type { WorklistScope } from '../../platform/modules.ts';
import { homeIdsOnEstates } from '../homes/index.ts';
import { patches, patchEstates, patchHomes } from './schema.ts';

export type Patch = typeof patches.$inferSelect;

/** The patch assigned to this staff account, if any. */
export async function patchOfUser(ctx: Ctx, userId: string): Promise<Patch | null> {
  const [p] = await ctx.tx.select().from(patches)
    .where(and(eq(patches.organisationId, ctx.actor.organisationId), eq(patches.officerUserId, userId)));
  return p ?? null;
}

/** Every home a patch covers: the homes on its estates and its single homes, each once. */
export async function homeIdsOfPatch(ctx: Ctx, patchId: string): Promise<string[]> {
  const org = ctx.actor.organisationId;
  const estateRows = await ctx.tx.select({ id: patchEstates.estateId }).from(patchEstates)
    .where(and(eq(patchEstates.organisationId, org), eq(patchEstates.patchId, patchId)));
  const homeRows = await ctx.tx.select({ id: patchHomes.homeId }).from(patchHomes)
    .where(and(eq(patchHomes.organisationId, org), eq(patchHomes.patchId, patchId)));
  const onEstates = await homeIdsOnEstates(ctx, estateRows.map((r) => r.id));
  return [...new Set([...onEstates, ...homeRows.map((r) => r.id)])];
}

/**
 * Where "my patch" looks for the signed-in user: the homes of their patch, or null (everywhere) when they have none
 * or `mine` is false.
 */
export async function patchScope(ctx: Ctx, mine = true): Promise<WorklistScope & { patch: Patch | null }> {
  if (!mine || ctx.actor.kind !== 'user') return { homeIds: null, patch: null };
  const patch = await patchOfUser(ctx, ctx.actor.id);
  return patch ? { homeIds: await homeIdsOfPatch(ctx, patch.id), patch } : { homeIds: null, patch: null };
}
