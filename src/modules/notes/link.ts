// Notes about a home that matched nothing keep what they named (subject_named) and no home. When homes are written
// (an import of homes, the API) the notes that named one of them are matched again by the same exact rules
// (matchHomes: never a guess) and linked, so their signs of damp and mould move onto the register. As repairs/link.ts,
// for this module's own table; set-based per batch.
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/store.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { audit } from '../../platform/audit/service.ts';
import { onRecordsWritten, recordsWritten } from '../../platform/records/events.ts';
import { homesOfLabels, namingTheseHomes } from '../homes/import.ts';

async function homesWritten(tx: Db, organisationId: string, ids: readonly string[]): Promise<void> {
  // Most homes batches find no note waiting (homes are usually loaded first): one cheap look, not a read of the batch's homes.
  const anyWaiting = (await tx.execute(sql`select 1 from notes where organisation_id = ${organisationId} and subject_kind = 'home' and home_id is null
    and subject_named is not null limit 1`)).rows.length;
  if (!anyWaiting) return;
  const names = await namingTheseHomes(tx, organisationId, ids);
  if (!names) return;
  // Only the waiting records that name one of these homes (by the home_id index: home_id is null).
  const waiting = (await tx.execute(sql`select id, subject_named as named from notes where organisation_id = ${organisationId} and subject_kind = 'home' and home_id is null
    and subject_named is not null and ${names(sql`subject_named`)}`)).rows as { id: string; named: string }[];
  if (!waiting.length) return;
  const homes = await homesOfLabels(tx, organisationId, waiting.map((w) => w.named));
  const linked = waiting.flatMap((w, i) => (homes[i] ? [{ id: w.id, homeId: homes[i]!, named: w.named }] : []));
  if (!linked.length) return;
  const u = sql`unnest(${sql.param(linked.map((l) => l.id))}::uuid[], ${sql.param(linked.map((l) => l.homeId))}::uuid[], ${sql.param(linked.map((l) => l.named))}::text[]) as u(id, home_id, named)`;
  await tx.execute(sql`update notes t set home_id = u.home_id, subject_named = null, version = t.version + 1, updated_at = now()
    from ${u} where t.organisation_id = ${organisationId} and t.id = u.id and t.home_id is null and t.person_id is null and t.tenancy_id is null`);
  // The record's history says when it was linked and by which import: the one that brought its home (none for a home
  // made through the API; the audit log below has every link).
  await tx.execute(sql`insert into record_changes (organisation_id, id, entity_kind, record_id, field, old_value, new_value, import_id)
    select ${organisationId}::uuid, gen_random_uuid(), 'note', u.id, c.field, c.old_value, c.new_value, sr.last_import_id
    from ${u}
    cross join lateral (select s.last_import_id from source_references s where s.organisation_id = ${organisationId} and s.entity_kind = 'home'
      and s.record_id = u.home_id and s.last_import_id is not null order by s.last_seen_at desc limit 1) sr
    cross join lateral (values ('homeId', null::text, u.home_id::text), ('subjectNamed', u.named, null::text)) as c(field, old_value, new_value)`);
  const actor = systemActor(organisationId, 'linking notes to homes');
  await audit(tx, actor, linked.map((l) => ({ action: 'update', entityKind: 'note', entityId: l.id, detail: { fields: ['homeId', 'subjectNamed'], linkedWhenHomeArrived: true } })));
  await recordsWritten(tx, 'note', organisationId, linked.map((l) => l.id));
}

/** Listen for homes being written (safe to call again: a listener is registered once). */
export function linkNotesWhenHomesArrive(): void {
  onRecordsWritten('home', homesWritten);
}
linkNotesWhenHomesArrive();
