// The demo landlord (`hearth demo`, the first start's demo data), as the platform sees it. The demo module makes up
// the landlord (its "world": records of each kind, as plain values) and each module that keeps records writes its own
// rows of it, through its manifest's `demo` contribution (platform/modules.ts): so the demo never names another
// module's tables or columns. A module's contribution hands its records to the COPY writer made here, with its drizzle
// table: the columns come from the table (getTableColumns), and each record of a kind gets its "created" event in the
// outbox, as every other write path gives (the demo is not a way round the outbox). Everything a batch writes is
// COPYed in one transaction (Store.copy), in the order the modules are installed.
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from './auth/actor.ts';
import type { CopyTable } from './db/store.ts';
import type { EntityKind } from './provenance/service.ts';
import { events } from './events/schema.ts';
import { originOf } from './events/outbox.ts';

/** A value as COPY text: dates as 'YYYY-MM-DD', JSON as its text, null as SQL NULL. */
export type DemoCell = string | number | null;
/** One generated record: its table's fields by their drizzle names (organisationId, homeId, …). */
export type DemoRecord = Readonly<Record<string, DemoCell>>;

/** One batch of the demo landlord as the demo module generated it. */
export interface DemoWorld {
  organisationId: string;
  /** The batch's records of a kind ('home', 'person-alert', 'tenancy-member', …), in the order they were made. */
  records(kind: string): readonly DemoRecord[];
}

/** Who writes the demo landlord (Hearth itself: the actor named by its events). */
export interface DemoContext {
  actor: Actor;
}

/**
 * Write records into one of the module's own tables, in the batch's COPY. `eventKind`: the kind of record each row is,
 * for its "created" event (none for rows that are part of another record, such as a tenancy's members).
 */
export type DemoCopy = (table: Table, records: readonly DemoRecord[], eventKind?: EntityKind) => void;

/** What a module writes of the demo landlord: its own rows of each batch. */
export type DemoContribution = (world: DemoWorld, copy: DemoCopy, ctx: DemoContext) => void;

/**
 * The COPY of one table: the columns are the table's fields that the records give (the first record's fields: the
 * generator makes every record of a kind with the same fields); a field that is not a column of the table is an error.
 */
export function demoCopyTable(table: Table, records: readonly DemoRecord[]): CopyTable {
  const all = getTableColumns(table);
  const given = Object.keys(records[0] ?? {});
  const unknown = given.filter((k) => !Object.hasOwn(all, k));
  if (unknown.length) throw new Error(`demo: ${getTableName(table)} has no field ${unknown.join(', ')}`);
  const fields = Object.keys(all).filter((k) => given.includes(k));
  return {
    table: getTableName(table),
    columns: fields.map((k) => all[k]!.name),
    rows: records.map((r) => fields.map((k) => r[k] ?? null)),
  };
}

/**
 * A COPY writer for one batch: `copy` collects the modules' tables in the order written, then `tables()` gives them
 * with the batch's events last (one "created" event per record of a kind, in the order the records were written).
 */
export function demoCopier(ctx: DemoContext): { copy: DemoCopy; tables(): CopyTable[] } {
  const written: CopyTable[] = [];
  const created: DemoRecord[] = [];
  const actor = originOf(ctx.actor).actor;
  const organisationId = ctx.actor.organisationId;
  return {
    copy(table, records, eventKind) {
      if (!records.length) return;
      written.push(demoCopyTable(table, records));
      if (eventKind) {
        for (const r of records) {
          created.push({ organisationId, id: uuidv7(), type: `uk.hearth.${eventKind}.created`, entityKind: eventKind, subject: r.id ?? null,
            actor, correlationId: null, data: '{"demo":true}' });
        }
      }
    },
    tables: () => (created.length ? [...written, demoCopyTable(events, created)] : [...written]),
  };
}
