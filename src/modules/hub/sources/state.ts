// What a pull writes on its source when it cannot go on: failing (the network or the server: tried again at the next
// poll) or paused (refused: what the source served cannot be applied as it is; a person looks, then resumes it).
import { and, eq } from 'drizzle-orm';
import type { Store } from '../../../platform/db/store.ts';
import { hubSources } from '../schema.ts';
import type { Source } from './registry.ts';

export type PullOutcome = 'ok' | 'unchanged' | 'replayed' | 'refused' | 'failing' | 'paused' | 'moved';

export interface PullResult {
  publisher: string;
  sourceId: string;
  kind: 'feed' | 'file';
  /**
   * ok: applied; unchanged: nothing new (a feed's last page, a file's 304); replayed: a file whose body was taken in
   * before; refused: a file that could not be read as the standard (errors kept as a batch); failing: network or server;
   * paused: refused until resumed; moved: another pull of the same source moved it on first (this one stopped).
   */
  outcome: PullOutcome;
  /** Feed pages or files applied. */
  batches: number;
  records: number;
  accepted: number;
  rejected: number;
  /** A feed pull that stopped at maxPages with more pages to read. */
  more: boolean;
  reason?: string;
}

export const emptyResult = (source: Source, outcome: PullOutcome, reason?: string): PullResult => ({
  publisher: source.publisher, sourceId: source.id, kind: source.kind as 'feed' | 'file', outcome, batches: 0, records: 0, accepted: 0, rejected: 0, more: false,
  ...(reason === undefined ? {} : { reason }),
});

export async function markSource(store: Store, source: Source, status: 'failing' | 'paused', reason: string, now: Date): Promise<void> {
  await store.system((db) => db.update(hubSources).set({ status, lastError: reason, lastCheckedAt: now })
    .where(and(eq(hubSources.publisher, source.publisher), eq(hubSources.id, source.id))));
}
