// Finding the tenancy a row from another file names (notes, say): by its id in the same source system, else by the
// tenancy reference. Exact only: a reference two tenancies share is for the caller to report, never to pick from.
import { sql } from 'drizzle-orm';
import { wanted as wantedRows } from '../../platform/db/store.ts';
import { recordsBySourceId } from '../../platform/provenance/service.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';

/**
 * The tenancies each reference names: the one loaded from this source system with that id, else every tenancy whose
 * reference it is (more than one is no match; the caller says so). A reference that names none is absent.
 */
export async function tenanciesByReference(ctx: Ctx, sourceSystem: string, refs: string[]): Promise<Map<string, string[]>> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const { tx } = ctx, organisationId = ctx.actor.organisationId;
  const out = new Map<string, string[]>();
  const wanted = [...new Set(refs.filter((r) => r !== ''))];
  if (!wanted.length) return out;
  for (const [sourceId, recordId] of await recordsBySourceId(tx, organisationId, 'tenancy', sourceSystem, wanted)) out.set(sourceId, [recordId]);
  const rest = wanted.filter((r) => !out.has(r));
  if (!rest.length) return out;
  const byReference = await tx.execute(sql`select t.reference, t.id from ${wantedRows(rest)} cross join lateral (select reference, id from tenancies
    where organisation_id = ${organisationId} and reference = want.v offset 0) t order by t.reference, t.id`);
  for (const r of byReference.rows as { reference: string; id: string }[]) out.set(r.reference, [...(out.get(r.reference) ?? []), r.id]);
  return out;
}
