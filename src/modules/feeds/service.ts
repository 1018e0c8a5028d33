// The change feed (RPDE 1.0, "modified timestamp and ID" ordering; decision 0018): one organisation's records of one
// kind, each once, at its latest event, in (modified, id) order, where `modified` is that event's position. Positions
// are given only after commit and never go back (platform/events/relay.ts), so a reader that follows `next` misses
// no change, and a record changed after it was read comes again further on.
import { sql } from 'drizzle-orm';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import type { Ctx } from '../../platform/records/context.ts';
import type { FeedSource } from './sources.ts';
import { isUuid } from '../../platform/uuid.ts';

/** Items per page: one stable size, as RPDE suggests (500), so a consumer's pages are alike. */
export const FEED_PAGE = 500;

/** Where a page starts: after this item. Absent for the first page. */
export interface FeedCursor {
  afterTimestamp: number;
  afterId: string;
}

export interface FeedItem {
  state: 'updated' | 'deleted';
  kind: string;
  id: string;
  modified: number;
  data?: unknown;
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const badParameter = (name: string, message: string) =>
  new Problem(400, 'Invalid request', `${name}: ${message}`, [{ field: `querystring:/${name}`, message }]);

/**
 * The cursor of a request, or null for the first page. Both parameters or neither: they come together from `next`, so
 * one alone is a link that was cut or made by hand.
 */
export function parseCursor(q: { afterTimestamp?: string; afterId?: string }): FeedCursor | null {
  const { afterTimestamp, afterId } = q;
  if (afterTimestamp === undefined && afterId === undefined) return null;
  if (afterTimestamp !== undefined && !/^\d{1,16}$/.test(afterTimestamp)) {
    throw badParameter('afterTimestamp', 'must be a whole number, 0 or more: the modified of the last item you read (follow next)');
  }
  const timestamp = Number(afterTimestamp);
  if (afterTimestamp !== undefined && !Number.isSafeInteger(timestamp)) throw badParameter('afterTimestamp', 'is larger than any position this feed gives');
  if (afterId !== undefined && !isUuid(afterId)) throw badParameter('afterId', 'must be the id (a UUID) of the last item you read (follow next)');
  if (afterId === undefined) throw badParameter('afterId', 'is required with afterTimestamp (follow next)');
  if (afterTimestamp === undefined) throw badParameter('afterTimestamp', 'is required with afterId (follow next)');
  return { afterTimestamp: timestamp, afterId: afterId.toLowerCase() };
}

function mayRead(ctx: Ctx) {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
}

/**
 * Whether the organisation has events of this kind that committed but have no position yet: then the feed request
 * sequences first, so what was written is in the feed at once rather than after the relay's next tick. Cheap: the
 * partial index of unsequenced events holds only those.
 */
export async function waitingToBeSequenced(ctx: Ctx, source: FeedSource): Promise<boolean> {
  mayRead(ctx);
  const [row] = (await ctx.tx.execute(sql`select exists (select 1 from events where position is null
    and organisation_id = ${ctx.actor.organisationId} and entity_kind = ${source.kind}) as waiting`)).rows as { waiting: boolean }[];
  return row?.waiting === true;
}

/**
 * One page of the feed after `after`: each record whose latest sequenced event comes after the cursor, once, with
 * its data now. A record whose latest event is a deletion, or that is no longer there at all, is `deleted`, without
 * data. Returns the items and the cursor of the last (null when there are none).
 */
export async function feedPage(ctx: Ctx, source: FeedSource, after: FeedCursor | null): Promise<{ items: FeedItem[]; last: FeedCursor | null }> {
  mayRead(ctx);
  const ts = after?.afterTimestamp ?? 0;
  const id = after?.afterId ?? NIL_UUID;
  // RPDE's query: (modified = afterTimestamp and id > afterId) or modified > afterTimestamp, ordered by (modified, id).
  // An event is an item only when no later sequenced event of the same record exists (the subject index answers that
  // without reading the table); events not yet sequenced have no position and are not seen.
  const rows = (await ctx.tx.execute(sql`select e.subject as id, e.position, e.type from events e
    where e.organisation_id = ${ctx.actor.organisationId} and e.entity_kind = ${source.kind}
      and e.position >= ${ts} and (e.position > ${ts} or e.subject > ${id}::uuid)
      and not exists (select 1 from events later where later.organisation_id = ${ctx.actor.organisationId}
        and later.entity_kind = e.entity_kind and later.subject = e.subject and later.position > e.position)
    order by e.position, e.subject
    limit ${FEED_PAGE}`)).rows as { id: string; position: string | number; type: string }[];
  if (!rows.length) return { items: [], last: null };
  const deletedType = `uk.hearth.${source.kind}.deleted`;
  const wanted = rows.filter((r) => r.type !== deletedType).map((r) => r.id);
  const records = new Map((await source.load(ctx, wanted)).map((r) => [r.id, r]));
  const items = rows.map((r): FeedItem => {
    const modified = Number(r.position);
    const data = r.type === deletedType ? undefined : records.get(r.id);
    // A record with no deletion event that is no longer there (removed outside Hearth's services) is gone for the
    // consumer too: deleted, rather than left in their copy for ever.
    return data === undefined ? { state: 'deleted', kind: source.kind, id: r.id, modified } : { state: 'updated', kind: source.kind, id: r.id, modified, data };
  });
  const tail = items[items.length - 1]!;
  return { items, last: { afterTimestamp: tail.modified, afterId: tail.id } };
}
