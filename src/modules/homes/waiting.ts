// Records loaded before their home (repairs, notes): one whose home matched nothing keeps what it named (a
// describeNamed label) and no home. When homes are written (an import of homes, the API) the records that named one of
// them are matched again — by the same exact rules (matchHomes: reference, UPRN, exact address; never a guess) — and
// linked, so their signs of damp and mould move onto the register. Each module calls this for its own table.
// Set-based per batch: one read of the waiting records that name these homes, one update.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/store.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { audit } from '../../platform/audit/service.ts';
import type { EntityKind } from '../../platform/provenance/service.ts';
import { recordsWritten, type RecordsWrittenListener } from '../../platform/records/events.ts';
import { homesOfLabels, namingTheseHomes } from './import.ts';

export interface WaitingForHomes {
  /** The module's own table; its records have organisation_id, id, home_id, version and updated_at. */
  table: string;
  /** The column holding what a record named when it matched no home (home_named, subject_named). */
  namedColumn: string;
  entityKind: EntityKind;
  /** The namedColumn's field name in record_changes and the audit log (the other is homeId). */
  namedField: string;
  /** Further column = value conditions for a record to be waiting for a home (a note about a home). */
  waitingWhen?: Readonly<Record<string, string>>;
  /** Columns that must still be empty for a record to be linked (a note has one subject at most). */
  linkOnlyIfNull?: readonly string[];
  /** What the audit log says did the linking: 'linking repairs to homes'. */
  actor: string;
}

// Table and column names go into the SQL text, so only plain identifiers (as platform/records/bulk.ts).
const ident = (name: string): SQL => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`homes/waiting: not a plain identifier: ${name}`);
  return sql.raw(`"${name}"`);
};

/** The listener (for onRecordsWritten('home', …)) that links w.table's records waiting for the homes just written. */
export function linkWhenHomesArrive(w: WaitingForHomes): RecordsWrittenListener {
  const table = ident(w.table);
  const named = ident(w.namedColumn);
  const when = Object.entries(w.waitingWhen ?? {}).map(([column, value]) => sql` and ${ident(column)} = ${value}`);
  const waitingWhen = sql.join(when);
  const linkOnlyIfNull = sql.join((w.linkOnlyIfNull ?? []).map((column) => sql` and t.${ident(column)} is null`));

  return async (tx: Db, organisationId: string, ids: readonly string[]): Promise<void> => {
    // Most homes batches find no record waiting (homes are usually loaded first): one cheap look, not a read of the batch's homes.
    const anyWaiting = (await tx.execute(sql`select 1 from ${table} where organisation_id = ${organisationId}${waitingWhen} and home_id is null
      and ${named} is not null limit 1`)).rows.length;
    if (!anyWaiting) return;
    // Hearth itself links them (the same actor the audit row names below).
    const as = { actor: systemActor(organisationId, w.actor), tx };
    const names = await namingTheseHomes(as, ids);
    if (!names) return;
    // Only the waiting records that name one of these homes (by the home_id index: home_id is null).
    const waiting = (await tx.execute(sql`select id, ${named} as named from ${table} where organisation_id = ${organisationId}${waitingWhen} and home_id is null
      and ${named} is not null and ${names(named)}`)).rows as { id: string; named: string }[];
    if (!waiting.length) return;
    const homes = await homesOfLabels(as, waiting.map((r) => r.named));
    const linked = waiting.flatMap((r, i) => (homes[i] ? [{ id: r.id, homeId: homes[i]!, named: r.named }] : []));
    if (!linked.length) return;
    const u = sql`unnest(${sql.param(linked.map((l) => l.id))}::uuid[], ${sql.param(linked.map((l) => l.homeId))}::uuid[], ${sql.param(linked.map((l) => l.named))}::text[]) as u(id, home_id, named)`;
    // Only the records this update links (not one linked meanwhile by another runner, nor one the guard leaves) get
    // history, an audit row and an event.
    const updated = new Set(((await tx.execute(sql`update ${table} t set home_id = u.home_id, ${named} = null, version = t.version + 1, updated_at = now()
      from ${u} where t.organisation_id = ${organisationId} and t.id = u.id and t.home_id is null${linkOnlyIfNull} returning t.id`)).rows as { id: string }[]).map((r) => r.id));
    const done = linked.filter((l) => updated.has(l.id));
    if (!done.length) return;
    const d = sql`unnest(${sql.param(done.map((l) => l.id))}::uuid[], ${sql.param(done.map((l) => l.homeId))}::uuid[], ${sql.param(done.map((l) => l.named))}::text[]) as u(id, home_id, named)`;
    // The record's history says when it was linked and by which import: the one that brought its home (none for a home
    // made through the API; the audit log below has every link).
    await tx.execute(sql`insert into record_changes (organisation_id, id, entity_kind, record_id, field, old_value, new_value, import_id)
      select ${organisationId}::uuid, gen_random_uuid(), ${w.entityKind}::text, u.id, c.field, c.old_value, c.new_value, sr.last_import_id
      from ${d}
      cross join lateral (select s.last_import_id from source_references s where s.organisation_id = ${organisationId} and s.entity_kind = 'home'
        and s.record_id = u.home_id and s.last_import_id is not null order by s.last_seen_at desc limit 1) sr
      cross join lateral (values ('homeId', null::text, u.home_id::text), (${w.namedField}::text, u.named, null::text)) as c(field, old_value, new_value)`);
    const actor = systemActor(organisationId, w.actor);
    await audit(tx, actor, done.map((l) => ({ action: 'update', entityKind: w.entityKind, entityId: l.id, detail: { fields: ['homeId', w.namedField], linkedWhenHomeArrived: true } })));
    await recordsWritten(tx, w.entityKind, organisationId, done.map((l) => ({ id: l.id, created: false, data: { fields: ['homeId', w.namedField] } })),
      { actor: `system:${w.actor}` });
  };
}
