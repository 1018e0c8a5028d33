// What record linkage does as people and homes are written, and after an import of them.
// - As they are written (any way in: an import batch, the API, a page): the relay's 'linkage' subscriber (below)
//   links each new person or home that is in no cluster yet, once linkage has run. It was the import pipeline's
//   per-batch step; from the outbox it also links what the API writes, and a failure never fails the batch.
// - After an import of people or homes completes: a full run when one is due (the manifest's importFollowUps; ingest
//   runs it for every way in: the import job, the upload page, the API and `hearth ingest`, after waiting for the
//   subscribers). It stays an import follow-up, not a subscriber: docs/decisions/0020 says why.
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db, Store } from '../../platform/db/store.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import type { ImportFollowUp, ImportLog } from '../../platform/records/load.ts';
import { asOrganisation, type Subscriber } from '../../platform/events/relay.ts';
import type { StoredEvent } from '../../platform/events/outbox.ts';
import { linkAfterImport, linkageOverview, linkHomesNear, linkNew } from './service.ts';
import { homeClusters, linkModels, personClusters } from './schema.ts';

/** Record linkage after an import: what ran, and the organisation's people and homes as linked afterwards. */
export type ImportLinkage = {
  /**
   * relink: a full run (no model yet, twice the people it was trained on, or trained on one system's people and a second's came); incremental: nothing more to do, each
   * batch linked its records as it loaded.
   */
  ran: 'relink' | 'incremental';
  /** Records of people, the people they are, and those with 2 or more records. */
  records: number;
  people: number;
  linkedPeople: number;
  /** Pairs of records waiting for a data lead at /linkage/reviews. */
  forReview: number;
  /** Records of homes, the homes they are, and those in 2 or more systems. */
  homeRecords: number;
  homes: number;
  linkedHomes: number;
} | {
  /** Linking failed: the import stands, and `hearth link` links. */
  ran: 'failed';
  error: string;
};

/**
 * What record linkage does after an import completes (ingest's afterImport runs it for every way in: the import job,
 * the upload page, the API and `hearth ingest`). For an import of people or homes it links records (undefined for
 * other kinds), and a failure is logged and reported, never failing the import, which has completed already.
 *
 * Linking runs in two places: the 'linkage' subscriber links people and homes with no cluster yet as their events
 * come (once linkage has a run; ingest waits for it before this step), and this step after the whole import. So
 * that the work is not done twice:
 * - people: a full run only when linkage has no model yet (the subscriber linked nothing: there was no model to score
 *   with), people have doubled since training, or the model knew one system's people and a second's came
 *   (linkAfterImport). Otherwise the subscriber has linked every new person, and nothing more runs. When people have
 *   doubled, the subscriber's incremental links are replaced by the full run:
 *   that is deliberate (the model is retrained on the data as it now is), not repeated work this step could skip.
 * - homes: homes are linked by fixed rules, so a home the batches linked is linked as a full run would link it. When
 *   every home is already in a cluster (linkage had run, so each batch linked its homes), nothing more runs — before,
 *   a landlord that loaded homes before any people (linkage run, no model yet) had every later homes file linked
 *   twice, by its batches and by a full run. A homes file adds no people, so no people model is wanted from it. When
 *   some homes are not linked (linkage has never run), linkAfterImport decides as for people.
 */
async function linkAfter(store: Store, organisationId: string, imp: { id: string; kind: string }, log?: ImportLog): Promise<ImportLinkage | undefined> {
  if (imp.kind !== 'people' && imp.kind !== 'homes') return undefined;
  const overview = () => store.readOrg(organisationId, (tx) => linkageOverview({ actor: systemActor(organisationId, 'import'), tx }));
  const asNow = (ran: 'incremental', o: Awaited<ReturnType<typeof overview>>): ImportLinkage => ({
    ran, records: o.people.records, people: o.people.people, linkedPeople: o.linkedPeople, forReview: o.pending, homeRecords: o.homes.records, homes: o.homes.homes, linkedHomes: o.homes.inTwoOrMore,
  });
  try {
    const before = imp.kind === 'homes' ? await overview() : undefined;
    if (before && before.homes.notYetLinked === 0) return asNow('incremental', before);
    const linked = await linkAfterImport(store, organisationId, imp.kind);
    if (!linked.summary) return asNow('incremental', before ?? await overview());
    const s = linked.summary;
    log?.info({ importId: imp.id, linkage: s }, 'linked after the import');
    return { ran: 'relink', records: s.records, people: s.people, linkedPeople: s.linkedPeople, forReview: s.forReview, homeRecords: s.homeRecords, homes: s.homes, linkedHomes: s.linkedHomes };
  } catch (err) {
    log?.warn({ err, importId: imp.id }, 'record linkage after the import failed; run `hearth link` to link');
    return { ran: 'failed', error: (err as Error).message };
  }
}

const n = (x: number) => x.toLocaleString('en-GB');

/** What record linkage did after the import, for the summary: people first after a file of people, homes after one of homes. */
function describeLinkage(l: ImportLinkage, kind: string): string {
  if (l.ran === 'failed') return `Record linkage after the import failed (${l.error}); the import stands. Run hearth link to link.`;
  const how = l.ran === 'relink' ? 'Linked afresh after the import (a full run: linkage had no model yet, people have doubled since it was trained, or it was trained on one system\'s people and a second system\'s came)'
    : 'Linked as each batch loaded';
  const people = `${n(l.records)} records of people are ${n(l.people)} people (${n(l.linkedPeople)} with 2 or more records), ` +
    `${n(l.forReview)} pair${l.forReview === 1 ? '' : 's'} for review (see /linkage/reviews)`;
  const homes = `${n(l.homeRecords)} records of homes are ${n(l.homes)} homes (${n(l.linkedHomes)} in 2 or more systems)`;
  return `${how}: ${(kind === 'homes' ? [homes, ...(l.records ? [people] : [])] : [people, ...(l.homeRecords ? [homes] : [])]).join('; ')}.`;
}

export const linkageFollowUp: ImportFollowUp<ImportLinkage> = {
  name: 'linkage',
  label: 'record linkage',
  kinds: ['people', 'homes'],
  afterImport: linkAfter,
  // A failed linkage stays owed: the next start (or run of the same file) tries again; `hearth link` can always link.
  failed: (l) => l.ran === 'failed',
  describe: describeLinkage,
};

// ---- the subscriber ----

/**
 * Link the people and homes of these events (any organisations) that are in no cluster yet, as the pipeline's batches
 * did: people with the stored model (linkNew does nothing before linkage has first run), homes by the fixed rules
 * once linkage has run. Idempotent: a record handled again is in a cluster, and is left alone.
 */
export async function linkWritten(tx: Db, batch: readonly StoredEvent[]): Promise<void> {
  const byOrganisation = new Map<string, { people: Set<string>; homes: Set<string> }>();
  for (const e of batch) {
    if (e.entityKind !== 'person' && e.entityKind !== 'home') continue;
    const o = byOrganisation.get(e.organisationId) ?? byOrganisation.set(e.organisationId, { people: new Set(), homes: new Set() }).get(e.organisationId)!;
    (e.entityKind === 'person' ? o.people : o.homes).add(e.subject);
  }
  for (const [organisationId, o] of byOrganisation) {
    await asOrganisation(tx, organisationId, async (otx) => {
      const ctx = { actor: systemActor(organisationId, 'record linkage'), tx: otx };
      if (o.people.size) {
        const ids = [...o.people];
        const clustered = new Set((await otx.select({ id: personClusters.personId }).from(personClusters)
          .where(and(eq(personClusters.organisationId, organisationId), inArray(personClusters.personId, ids)))).map((r) => r.id));
        await linkNew(ctx, ids.filter((id) => !clustered.has(id)));
      }
      if (o.homes.size) {
        const [ran] = await otx.select({ at: linkModels.trainedAt }).from(linkModels).where(and(eq(linkModels.organisationId, organisationId), isNotNull(linkModels.trainedAt)));
        if (!ran) return;
        const ids = [...o.homes];
        const clustered = new Set((await otx.select({ id: homeClusters.homeId }).from(homeClusters)
          .where(and(eq(homeClusters.organisationId, organisationId), inArray(homeClusters.homeId, ids)))).map((r) => r.id));
        await linkHomesNear(ctx, ids.filter((id) => !clustered.has(id)));
      }
    });
  }
}

/** Record linkage as people and homes are written (the manifest's subscribers). */
export const linkageSubscriber: Subscriber = {
  name: 'linkage',
  types: ['uk.hearth.person.', 'uk.hearth.home.'],
  handle: linkWritten,
  // People found and homes linked are read right after an import: it waits for them.
  beforeImportCompletes: true,
};
