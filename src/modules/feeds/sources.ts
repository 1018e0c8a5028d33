// The kinds of record with a change feed: facts about places, which the audit log and events may carry values of
// (decision 0013). People, person alerts and notes are personal or sensitive; repairs and hazard reports keep free
// text word for word, which can name people: none of them has a feed. Each kind gives its records as its own API
// returns them, through its record service, so the service's permission check and organisation scoping apply.
import type { TSchema } from 'typebox';
import type { Ctx } from '../../platform/records/context.ts';
import type { EntityKind } from '../../platform/provenance/service.ts';
import { BlockSchema, EstateSchema, HomeSchema, presentHome, blockRecords, estateRecords, homeRecords } from '../homes/index.ts';
import { TenancySchema, tenancyService } from '../tenancies/index.ts';

export interface FeedSource {
  /** Where the feed is: /api/v1/feeds/<path>. */
  path: string;
  /** The records' kind: each item's `kind`, and the <kind> of the events uk.hearth.<kind>.… that move them. */
  kind: EntityKind;
  /** For the API document: "Homes" in operation ids and summaries. */
  title: string;
  /** The record as the kind's API returns it (the `data` of an item). */
  record: TSchema;
  /** Records by id as the kind's API returns them; ids not found are absent. */
  load(ctx: Ctx, ids: readonly string[]): Promise<{ id: string }[]>;
}

export const FEED_SOURCES: readonly FeedSource[] = [
  { path: 'estates', kind: 'estate', title: 'Estates', record: EstateSchema, load: (ctx, ids) => estateRecords.getManyWithReferences(ctx, ids) },
  { path: 'blocks', kind: 'block', title: 'Blocks', record: BlockSchema, load: (ctx, ids) => blockRecords.getManyWithReferences(ctx, ids) },
  {
    path: 'homes', kind: 'home', title: 'Homes', record: HomeSchema,
    load: async (ctx, ids) => (await homeRecords.getManyWithReferences(ctx, ids)).map((h) => presentHome(h) as { id: string }),
  },
  { path: 'tenancies', kind: 'tenancy', title: 'Tenancies', record: TenancySchema, load: (ctx, ids) => tenancyService.getMany(ctx, ids) },
];
