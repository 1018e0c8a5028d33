// Repairs loaded before their home: a job whose home matched nothing keeps what it named (home_named) and no home.
// When homes are written (an import of homes, the API) the jobs that named one of them are matched again — by the same
// exact rules (matchHomes: reference, UPRN, exact address; never a guess) — and linked, so their signs of damp and
// mould move onto the register. Set-based per batch: one read of the waiting jobs that name these homes, one update.
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/store.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { audit } from '../../platform/audit/service.ts';
import { onRecordsWritten, recordsWritten } from '../../platform/records/events.ts';
import { homesOfLabels, namingTheseHomes } from '../homes/import.ts';

async function homesWritten(tx: Db, organisationId: string, ids: readonly string[]): Promise<void> {
  // Most homes batches find no job waiting (homes are usually loaded first): one cheap look, not a read of the batch's homes.
  const anyWaiting = (await tx.execute(sql`select 1 from repairs where organisation_id = ${organisationId} and home_id is null and home_named is not null limit 1`)).rows.length;
  if (!anyWaiting) return;
  const names = await namingTheseHomes(tx, organisationId, ids);
  if (!names) return;
  // Only the waiting records that name one of these homes (by the home_id index: home_id is null).
  const waiting = (await tx.execute(sql`select id, home_named as named from repairs where organisation_id = ${organisationId} and home_id is null
    and home_named is not null and ${names(sql`home_named`)}`)).rows as { id: string; named: string }[];
  if (!waiting.length) return;
  const homes = await homesOfLabels(tx, organisationId, waiting.map((w) => w.named));
  const linked = waiting.flatMap((w, i) => (homes[i] ? [{ id: w.id, homeId: homes[i]!, named: w.named }] : []));
  if (!linked.length) return;
  const u = sql`unnest(${sql.param(linked.map((l) => l.id))}::uuid[], ${sql.param(linked.map((l) => l.homeId))}::uuid[], ${sql.param(linked.map((l) => l.named))}::text[]) as u(id, home_id, named)`;
  await tx.execute(sql`update repairs t set home_id = u.home_id, home_named = null, version = t.version + 1, updated_at = now()
    from ${u} where t.organisation_id = ${organisationId} and t.id = u.id and t.home_id is null`);
  // The record's history says when it was linked and by which import: the one that brought its home (none for a home
  // made through the API; the audit log below has every link).
  await tx.execute(sql`insert into record_changes (organisation_id, id, entity_kind, record_id, field, old_value, new_value, import_id)
    select ${organisationId}::uuid, gen_random_uuid(), 'repair', u.id, c.field, c.old_value, c.new_value, sr.last_import_id
    from ${u}
    cross join lateral (select s.last_import_id from source_references s where s.organisation_id = ${organisationId} and s.entity_kind = 'home'
      and s.record_id = u.home_id and s.last_import_id is not null order by s.last_seen_at desc limit 1) sr
    cross join lateral (values ('homeId', null::text, u.home_id::text), ('homeNamed', u.named, null::text)) as c(field, old_value, new_value)`);
  const actor = systemActor(organisationId, 'linking repairs to homes');
  await audit(tx, actor, linked.map((l) => ({ action: 'update', entityKind: 'repair', entityId: l.id, detail: { fields: ['homeId', 'homeNamed'], linkedWhenHomeArrived: true } })));
  await recordsWritten(tx, 'repair', organisationId, linked.map((l) => l.id));
}

/** Listen for homes being written (safe to call again: a listener is registered once). */
export function linkRepairsWhenHomesArrive(): void {
  onRecordsWritten('home', homesWritten);
}
linkRepairsWhenHomesArrive();
