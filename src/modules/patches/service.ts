// Patches: the estates and homes a housing officer looks after. Worklists and search ask `patchScope` for the homes
// of the signed-in officer's patch ("my patch"); other modules never read these tables. Administrators make and
// change patches (`patches:manage`) through the shared record service (versions, audit, events), with the estates
// written beside the row.
import { and, asc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import type { PatchScope } from '../../platform/modules.ts';
import { can } from '../../platform/auth/roles.ts';
import { listUsers, type UserView } from '../../platform/auth/accounts.ts';
import { forbidden, invalid, notFound, Problem } from '../../platform/http/problem.ts';
import { defineRecords } from '../../platform/records/service.ts';
import { estateRecords, homeIdsOnEstates } from '../homes/index.ts';
import { peopleAtHomes } from '../people/index.ts';
import { tenancyService } from '../tenancies/index.ts';
import { patches, patchEstates, patchHomes } from './schema.ts';

export type Patch = typeof patches.$inferSelect;

export const patchRecords = defineRecords<Patch>({
  kind: 'patch', label: 'patch', table: patches, read: 'records:read', write: 'patches:manage',
});

/** The patch assigned to this staff account, if any. */
export async function patchOfUser(ctx: Ctx, userId: string): Promise<Patch | null> {
  const [p] = await ctx.tx.select().from(patches)
    .where(and(eq(patches.organisationId, ctx.actor.organisationId), eq(patches.officerUserId, userId)));
  return p ?? null;
}

async function estateIdsOfPatches(ctx: Ctx, patchIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(patchIds.map((id) => [id, []]));
  if (!patchIds.length) return out;
  const rows = await ctx.tx.select({ patchId: patchEstates.patchId, estateId: patchEstates.estateId }).from(patchEstates)
    .where(and(eq(patchEstates.organisationId, ctx.actor.organisationId), inArray(patchEstates.patchId, [...patchIds])));
  for (const r of rows) out.get(r.patchId)?.push(r.estateId);
  return out;
}

/** Every home a patch covers: the homes on its estates and its single homes, each once. */
export async function homeIdsOfPatch(ctx: Ctx, patchId: string): Promise<string[]> {
  const org = ctx.actor.organisationId;
  const estateIds = (await estateIdsOfPatches(ctx, [patchId])).get(patchId) ?? [];
  const homeRows = await ctx.tx.select({ id: patchHomes.homeId }).from(patchHomes)
    .where(and(eq(patchHomes.organisationId, org), eq(patchHomes.patchId, patchId)));
  const onEstates = await homeIdsOnEstates(ctx, estateIds);
  return [...new Set([...onEstates, ...homeRows.map((r) => r.id)])];
}

/**
 * Where "my patch" looks for the signed-in user: the homes of their patch, or null (everywhere) when they have none
 * or `mine` is false. `patch` is the user's patch whenever they have one (so a page can offer "only my patch").
 */
export async function patchScope(ctx: Ctx, mine = true): Promise<PatchScope & { patch: Patch | null }> {
  if (ctx.actor.kind !== 'user') return { homeIds: null, personIds: null, patch: null, homes: 0 };
  const patch = await patchOfUser(ctx, ctx.actor.id);
  if (!patch) return { homeIds: null, personIds: null, patch: null, homes: 0 };
  const homeIds = await homeIdsOfPatch(ctx, patch.id);
  if (!mine) return { homeIds: null, personIds: null, patch, homes: homeIds.length };
  return { homeIds, personIds: await peopleOfHomes(ctx, homeIds), patch, homes: homeIds.length };
}

/** The people of these homes: members of their current tenancies, and people recorded as living at them; each once. */
export async function peopleOfHomes(ctx: Ctx, homeIds: readonly string[]): Promise<string[]> {
  const residents = await tenancyService.residentsOfHomes(ctx, homeIds);
  const recorded = await peopleAtHomes(ctx, homeIds);
  return [...new Set([...[...residents.values()].flat(), ...recorded.map((p) => p.id)])];
}

// ---- Administration (patches:manage)

function requireManage(ctx: Ctx) {
  if (!can(ctx.actor.role, 'patches:manage')) throw forbidden('Only administrators manage patches');
}

export interface PatchSummary {
  id: string; name: string; version: number;
  officer: { id: string; name: string } | null;
  estates: { id: string; name: string }[];
  homes: number;
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, 'en-GB');

/** Every patch of the organisation, by name: its officer, its estates and how many homes it covers. */
export async function listPatches(ctx: Ctx): Promise<PatchSummary[]> {
  requireManage(ctx);
  const rows = await ctx.tx.select().from(patches).where(eq(patches.organisationId, ctx.actor.organisationId)).orderBy(asc(patches.name));
  return summarise(ctx, rows);
}

async function summarise(ctx: Ctx, rows: Patch[]): Promise<PatchSummary[]> {
  const estateIds = await estateIdsOfPatches(ctx, rows.map((r) => r.id));
  const estates = new Map((await estateRecords.getMany(ctx, [...new Set([...estateIds.values()].flat())])).map((e) => [e.id, e.name]));
  const people = new Map((await listUsers(ctx)).map((u) => [u.id, u.name]));
  const out: PatchSummary[] = [];
  for (const p of rows) {
    out.push({
      id: p.id, name: p.name, version: p.version,
      officer: p.officerUserId ? { id: p.officerUserId, name: people.get(p.officerUserId) ?? 'A former member of staff' } : null,
      estates: (estateIds.get(p.id) ?? []).map((id) => ({ id, name: estates.get(id) ?? '' })).sort(byName),
      homes: (await homeIdsOfPatch(ctx, p.id)).length,
    });
  }
  return out;
}

/** One patch, as the list shows it. */
export async function getPatch(ctx: Ctx, id: string): Promise<PatchSummary> {
  requireManage(ctx);
  const [row] = await ctx.tx.select().from(patches).where(and(eq(patches.organisationId, ctx.actor.organisationId), eq(patches.id, id)));
  if (!row) throw notFound('patch');
  return (await summarise(ctx, [row]))[0]!;
}

/** What a patch's form offers: the organisation's housing officers (enabled), with the patch each has, and its estates. */
export async function patchChoices(ctx: Ctx): Promise<{
  officers: (Pick<UserView, 'id' | 'name' | 'email'> & { patch: string | null })[];
  estates: { id: string; name: string }[];
}> {
  requireManage(ctx);
  const assigned = new Map((await ctx.tx.select({ officer: patches.officerUserId, name: patches.name }).from(patches)
    .where(eq(patches.organisationId, ctx.actor.organisationId))).map((r) => [r.officer, r.name]));
  const officers = (await listUsers(ctx)).filter((u) => u.role === 'housing-officer' && u.status !== 'disabled')
    .map((u) => ({ id: u.id, name: u.name, email: u.email, patch: assigned.get(u.id) ?? null }));
  const estates = (await estateRecords.find(ctx, sql`true`)).map((e) => ({ id: e.id, name: e.name })).sort(byName);
  return { officers, estates };
}

export interface PatchInput { name: string; officerUserId: string | null; estateIds: readonly string[] }

/** The rules a patch keeps, each refusal naming its field: a unique name, a housing officer with no other patch, estates that exist. */
async function check(ctx: Ctx, input: PatchInput, id?: string) {
  const org = ctx.actor.organisationId;
  const others = (condition: SQL) => ctx.tx.select({ name: patches.name }).from(patches)
    .where(and(eq(patches.organisationId, org), condition, ...(id ? [ne(patches.id, id)] : [])));
  if ((await others(sql`lower(${patches.name}) = lower(${input.name})`)).length) {
    throw invalid('/name', `There is already a patch called ${input.name}: choose another name`);
  }
  if (input.officerUserId) {
    const officer = (await listUsers(ctx)).find((u) => u.id === input.officerUserId);
    if (!officer || officer.role !== 'housing-officer') throw invalid('/officerUserId', 'Select a housing officer');
    const [taken] = await others(eq(patches.officerUserId, input.officerUserId));
    if (taken) throw invalid('/officerUserId', `${officer.name} already looks after ${taken.name}: an officer has one patch. Take them off it first, or choose someone else`);
  }
  const found = await estateRecords.getMany(ctx, input.estateIds);
  if (found.length !== new Set(input.estateIds).size) throw invalid('/estateIds', 'Select estates from the list');
}

/** Two administrators giving one officer two patches at once: the unique index refuses the second, said the same way. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof Problem && err.status === 409) throw invalid('/officerUserId', 'That officer or name was given to another patch a moment ago: check and try again');
    throw err;
  }
}

async function setEstates(ctx: Ctx, patchId: string, estateIds: readonly string[]) {
  const org = ctx.actor.organisationId;
  await ctx.tx.delete(patchEstates).where(and(eq(patchEstates.organisationId, org), eq(patchEstates.patchId, patchId)));
  const ids = [...new Set(estateIds)];
  if (ids.length) await ctx.tx.insert(patchEstates).values(ids.map((estateId) => ({ organisationId: org, patchId, estateId })));
}

export async function createPatch(ctx: Ctx, input: PatchInput): Promise<PatchSummary> {
  requireManage(ctx);
  await check(ctx, input);
  const row = await guarded(() => patchRecords.create(ctx, { name: input.name, officerUserId: input.officerUserId }, { fields: ['estates'] }));
  await setEstates(ctx, row.id, input.estateIds);
  return getPatch(ctx, row.id);
}

/** Change a patch drawn at `expectedVersion` (its form's hidden version, or If-Match): a change made since is a 412. */
export async function updatePatch(ctx: Ctx, id: string, expectedVersion: number, input: PatchInput): Promise<PatchSummary> {
  requireManage(ctx);
  const before = await getPatch(ctx, id);
  if (before.version !== expectedVersion) {
    throw new Problem(412, 'Precondition failed', `The patch has changed since you read it (version ${before.version}, you sent ${expectedVersion}). Read it again and reapply your change.`);
  }
  await check(ctx, input, id);
  const estatesChanged = JSON.stringify(before.estates.map((e) => e.id).sort()) !== JSON.stringify([...new Set(input.estateIds)].sort());
  await guarded(() => patchRecords.update(ctx, id, expectedVersion, { name: input.name, officerUserId: input.officerUserId },
    { changed: estatesChanged ? ['estates'] : [] }));
  if (estatesChanged) await setEstates(ctx, id, input.estateIds);
  return getPatch(ctx, id);
}
