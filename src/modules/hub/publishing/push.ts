// Keeping a hub up to date from the outbox (issue 16), in two steps, like the webhooks:
//
// 1. The relay's 'hub-publishing' subscriber: for every event about an estate, block, home or tenancy of an
//    organisation that publishes, one row in hub_publishing_changes (kind, record id, the event's position; a later
//    event of the same record moves the position on). In the relay's transaction: an event is marked exactly once.
// 2. The worker (every few seconds in `hearth start`; publishDue in tests), per organisation that is due:
//    - takes up to MAX_CHANGES changed records (oldest first) and works out the homes they touch (a block's or an
//      estate's homes, a tenancy's home); while a full send is under way ("Publish now", turned on, a new hub), the
//      next page of every home too; and the measures once a day;
//    - builds those homes' records (build.ts); a home no longer in Hearth, or whose reference changed, becomes a
//      deletion of the reference the hub holds (hub_published_homes); records the hub already holds unchanged are
//      skipped (a hash of the record); records failing the standard are counted, never sent;
//    - pushes them in batches of at most MAX_BATCH_RECORDS (push/client.ts pushBatch);
//    - only when every batch has the hub's receipt: in one transaction, deletes exactly the change rows it took
//      (a row whose position moved on meanwhile stays, for the next run), records what the hub now holds, moves the
//      full send's cursor and the outbox position on, and keeps the result for the status page.
//    A failure (no answer, a refusal) changes nothing but the status: the same changes are tried again after 5 s,
//    30 s, 2 min, 10 min, 30 min, then hourly, for ever. Records are idempotent at the hub (a home is replaced by its
//    reference), so sending one again after a lost receipt does no harm. No change is lost: a change row is removed
//    only after a receipt for a push built after the change was marked.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { valueRows, type Db, type Store } from '../../../platform/db/store.ts';
import type { Ctx } from '../../../platform/records/context.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import type { Subscriber } from '../../../platform/events/relay.ts';
import type { StoredEvent } from '../../../platform/events/outbox.ts';
import { every } from '../../../platform/ticker.ts';
import { ukDate } from '../../../platform/uk-time.ts';
import { homeIdsOnEstates, homeRecords, homesOfBlock } from '../../homes/index.ts';
import { tenancyService } from '../../tenancies/index.ts';
import { MAX_BATCH_RECORDS, STANDARD_VERSION, type StandardBatch, type StandardRecord } from '../standard/schema.ts';
import { pushBatch, PushRefused, type PushReceipt, type PushRequest } from '../push/client.ts';
import { buildHomeRecords, buildMeasuresRecords, tsmYearOf } from './build.ts';
import type { PublishingRow } from './settings.ts';
import { hubPublishing } from '../schema.ts';

/** Change rows taken per run. */
export const MAX_CHANGES = 5000;
/** Homes per page of a full send. */
export const FULL_PAGE = 5000;
/** Seconds to wait after the 1st, 2nd … failure in a row (the last repeats). */
export const RETRY_AFTER_SECONDS = [5, 30, 120, 600, 1800, 3600] as const;
/** How long one push may take. */
export const PUSH_TIMEOUT_MS = 60_000;
/** The measures are sent again this often. */
export const MEASURES_EVERY_MS = 24 * 3600_000;
/** Errors kept for the status page. */
const KEPT_ERRORS = 20;

export const PUBLISHED_KINDS = ['home', 'block', 'estate', 'tenancy'] as const;

// ---- 1. the subscriber --------------------------------------------------------------------------------------

/** Mark the changed records of organisations that publish (in the relay's transaction, as the owner). */
export async function markChanges(tx: Db, batch: readonly StoredEvent[]): Promise<number> {
  const organisations = [...new Set(batch.map((e) => e.organisationId))];
  if (!organisations.length) return 0;
  const publishing = new Set(((await tx.execute(sql`select organisation_id from hub_publishing
    where enabled and organisation_id = any(${sql.param(organisations)}::uuid[])`)).rows as { organisation_id: string }[]).map((r) => r.organisation_id));
  const latest = new Map<string, StoredEvent>();
  for (const e of batch) {
    if (publishing.has(e.organisationId) && (PUBLISHED_KINDS as readonly string[]).includes(e.entityKind)) latest.set(`${e.organisationId}/${e.entityKind}/${e.subject}`, e);
  }
  const rows = [...latest.values()];
  if (!rows.length) return 0;
  await tx.execute(sql`insert into hub_publishing_changes (organisation_id, kind, record_id, position)
    values ${valueRows(rows.map((e) => [e.organisationId, e.entityKind, e.subject, e.position]), ['uuid', 'text', 'uuid', 'bigint'])}
    on conflict (organisation_id, kind, record_id) do update set position = greatest(hub_publishing_changes.position, excluded.position)`);
  return rows.length;
}

export const publishingSubscriber: Subscriber = {
  name: 'hub-publishing',
  types: PUBLISHED_KINDS.map((k) => `uk.hearth.${k}.`),
  handle: async (tx, batch) => { await markChanges(tx, batch); },
};

// ---- 2. the worker ------------------------------------------------------------------------------------------

export type Push = (request: PushRequest) => Promise<PushReceipt>;

export interface PublishOptions {
  now?: () => Date;
  /** pushBatch, or a test's. */
  push?: Push;
  /** Only this organisation (tests sharing a database; "Publish now"). */
  organisationId?: string;
  timeoutMs?: number;
}

export type PublishResult =
  | { status: 'pushed'; sent: number; accepted: number; rejected: number; invalid: number; batches: number; more: boolean }
  | { status: 'failed'; reason: string; retryAt: Date }
  | { status: 'nothing' };

interface Change { kind: string; recordId: string; position: number }
interface Work {
  settings: PublishingRow;
  changes: Change[];
  records: StandardRecord[];
  /** For each record sent: the home it is (null for measures and deletions). */
  homes: ({ homeId: string; reference: string; hash: string } | null)[];
  /** Homes whose deletion is sent: forget them once the hub has it. */
  forget: string[];
  invalid: number;
  fullSyncAfter: string | null;
  fullSyncDone: boolean;
  measuresSent: boolean;
}

const hashOf = (r: StandardRecord) => createHash('sha256').update(JSON.stringify(r)).digest('base64url');
const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** The organisations due a run: publishing, with something to send, and not waiting after a failure. */
async function dueOrganisations(store: Store, now: Date, only?: string): Promise<string[]> {
  const rows = await store.system((tx) => tx.execute(sql`select p.organisation_id from hub_publishing p
    where p.enabled and p.hub_url is not null and p.publisher is not null and p.key_id is not null and p.secret is not null
      and (p.next_attempt_at is null or p.next_attempt_at <= ${at(now)})
      ${only ? sql`and p.organisation_id = ${only}` : sql``}
      and (p.full_sync
        or (p.publish_measures and (p.measures_pushed_at is null or p.measures_pushed_at <= ${at(new Date(now.getTime() - MEASURES_EVERY_MS))}))
        or exists (select 1 from hub_publishing_changes c where c.organisation_id = p.organisation_id))
    order by p.organisation_id`));
  return (rows.rows as { organisation_id: string }[]).map((r) => r.organisation_id);
}

/** The homes a set of changed records touch. */
async function homesTouched(ctx: Ctx, changes: readonly Change[]): Promise<Set<string>> {
  const ids = (kind: string) => changes.filter((c) => c.kind === kind).map((c) => c.recordId);
  const out = new Set(ids('home'));
  for (const blockId of ids('block')) for (const h of await homesOfBlock(ctx, blockId)) out.add(h.id);
  for (const id of await homeIdsOnEstates(ctx, ids('estate'))) out.add(id);
  for (const homeId of (await tenancyService.homesOf(ctx, ids('tenancy'))).values()) out.add(homeId);
  return out;
}

/** What one run sends, read in one transaction. */
async function gather(ctx: Ctx, settings: PublishingRow, now: Date): Promise<Work> {
  const org = ctx.actor.organisationId;
  const changes = ((await ctx.tx.execute(sql`select kind, record_id, position from hub_publishing_changes
    where organisation_id = ${org} order by position, kind, record_id limit ${MAX_CHANGES}`)).rows as { kind: string; record_id: string; position: string | number }[])
    .map((r) => ({ kind: r.kind, recordId: r.record_id, position: Number(r.position) }));
  const work: Work = { settings, changes, records: [], homes: [], forget: [], invalid: 0, fullSyncAfter: settings.fullSyncAfter, fullSyncDone: false, measuresSent: false };
  if (settings.publishHomes) {
    const homeIds = await homesTouched(ctx, changes);
    if (settings.fullSync) {
      const fullPage = (await homeRecords.find(ctx, settings.fullSyncAfter ? sql`id > ${settings.fullSyncAfter}::uuid` : sql`true`, FULL_PAGE)).map((h) => h.id);
      for (const id of fullPage) homeIds.add(id);
      work.fullSyncDone = fullPage.length < FULL_PAGE;
      work.fullSyncAfter = work.fullSyncDone ? null : fullPage.at(-1)!;
    }
    const built = await buildHomeRecords(ctx, { homeIds: [...homeIds], defaultLocalAuthority: settings.defaultLocalAuthority, now });
    work.invalid = new Set(built.problems.map((p) => p.homeId)).size;
    const publishedRows = (await ctx.tx.execute(sql`select home_id, landlord_reference, record_hash from hub_published_homes
      where organisation_id = ${org} and home_id = any(${sql.param([...homeIds])}::uuid[])`)).rows as { home_id: string; landlord_reference: string; record_hash: string }[];
    const published = new Map(publishedRows.map((r) => [r.home_id, r]));
    const deletion = (homeId: string, reference: string) => {
      work.records.push({ type: 'deletion', kind: 'home', landlordReference: reference, deleted: true });
      work.homes.push(null);
      work.forget.push(homeId);
    };
    for (const id of built.missing) {
      const held = published.get(id);
      if (held) deletion(id, held.landlord_reference);
    }
    // A home that can no longer be published (no reference, no local authority) is withdrawn from the hub.
    for (const id of new Set(built.problems.map((p) => p.homeId))) {
      const held = published.get(id);
      if (held) deletion(id, held.landlord_reference);
    }
    for (const { homeId, record } of built.homes) {
      const held = published.get(homeId);
      const hash = hashOf(record);
      if (held && held.landlord_reference !== record.landlordReference) deletion(homeId, held.landlord_reference);
      else if (held?.record_hash === hash) continue;
      work.records.push(record);
      work.homes.push({ homeId, reference: record.landlordReference, hash });
    }
    // The end of a full send: homes the hub holds that Hearth no longer has (removed without an event) are withdrawn.
    if (work.fullSyncDone) {
      const all = (await ctx.tx.execute(sql`select home_id, landlord_reference from hub_published_homes where organisation_id = ${org}`)).rows as { home_id: string; landlord_reference: string }[];
      const seen = new Set([...homeIds, ...work.forget]);
      const unseen = all.filter((r) => !seen.has(r.home_id));
      for (let i = 0; i < unseen.length; i += FULL_PAGE) {
        const chunk = unseen.slice(i, i + FULL_PAGE);
        const still = new Set((await homeRecords.getMany(ctx, chunk.map((r) => r.home_id))).map((h) => h.id));
        for (const r of chunk) if (!still.has(r.home_id)) deletion(r.home_id, r.landlord_reference);
      }
    }
  } else if (settings.fullSync) {
    work.fullSyncDone = true;
    work.fullSyncAfter = null;
  }
  const measuresDue = settings.fullSync || !settings.measuresPushedAt || settings.measuresPushedAt.getTime() <= now.getTime() - MEASURES_EVERY_MS;
  if (settings.publishMeasures && measuresDue) {
    const measures = await buildMeasuresRecords(ctx, tsmYearOf(ukDate(now)), { publisher: settings.publisher!, now });
    for (const r of measures.records) { work.records.push(r); work.homes.push(null); }
    work.invalid += measures.problems.length ? 1 : 0;
    work.measuresSent = true;
  }
  return work;
}

const describe = (err: unknown): string => {
  if (err instanceof PushRefused) return err.message.slice(0, 500);
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'the hub did not answer in time';
  if (e.cause?.code === 'ECONNREFUSED') return 'the hub refused the connection (is the address right, and is it up?)';
  return (e.cause?.message ?? e.message ?? String(err)).slice(0, 500);
};

/** One run for one organisation: gather, push, and record the outcome. */
export async function publishOrganisation(store: Store, organisationId: string, o: PublishOptions = {}): Promise<PublishResult> {
  const now = o.now?.() ?? new Date();
  const ctxOf = (tx: Db): Ctx => ({ actor: systemActor(organisationId, 'Hearth publishing'), tx });
  const work = await store.withOrg(organisationId, async (tx) => {
    const [settings] = await tx.select().from(hubPublishing).where(sql`${hubPublishing.organisationId} = ${organisationId}`);
    if (!settings?.enabled || !settings.hubUrl || !settings.publisher || !settings.keyId || !settings.secret) return null;
    return gather(ctxOf(tx), settings, now);
  });
  if (!work) return { status: 'nothing' };
  const { settings } = work;
  const push = o.push ?? pushBatch;
  const receipts: PushReceipt[] = [];
  try {
    for (let i = 0; i < work.records.length; i += MAX_BATCH_RECORDS) {
      const batch: StandardBatch = { standard: STANDARD_VERSION, publisher: settings.publisher!, records: work.records.slice(i, i + MAX_BATCH_RECORDS) };
      receipts.push(await push({
        url: settings.hubUrl!, publisher: settings.publisher!, keyId: settings.keyId!, secret: settings.secret!, batch,
        signal: AbortSignal.timeout(o.timeoutMs ?? PUSH_TIMEOUT_MS),
      }));
    }
  } catch (err) {
    const reason = describe(err);
    const retryAt = new Date(now.getTime() + RETRY_AFTER_SECONDS[Math.min(settings.failuresInARow, RETRY_AFTER_SECONDS.length - 1)]! * 1000);
    await store.withOrg(organisationId, (tx) => tx.update(hubPublishing).set({
      lastFailure: reason, lastFailureAt: now, failuresInARow: sql`${hubPublishing.failuresInARow} + 1`, nextAttemptAt: retryAt,
    }).where(sql`${hubPublishing.organisationId} = ${organisationId}`));
    return { status: 'failed', reason, retryAt };
  }
  // Every batch has its receipt: what the hub accepted is what it holds now.
  const rejectedAt = new Set<number>();
  const errors: { index?: number; field: string; message: string }[] = [];
  receipts.forEach((r, b) => {
    for (const e of r.errors) {
      if (e.index !== null) rejectedAt.add(b * MAX_BATCH_RECORDS + e.index);
      if (errors.length < KEPT_ERRORS) errors.push({ ...(e.index !== null ? { index: b * MAX_BATCH_RECORDS + e.index } : {}), field: e.field, message: e.message });
    }
  });
  const held = work.homes.flatMap((h, i) => (h && !rejectedAt.has(i) ? [h] : []));
  const accepted = receipts.reduce((n, r) => n + r.accepted, 0);
  const rejected = receipts.reduce((n, r) => n + r.rejected, 0);
  await store.withOrg(organisationId, async (tx) => {
    if (work.changes.length) {
      const c = (k: keyof Change) => sql.param(work.changes.map((x) => x[k]));
      await tx.execute(sql`delete from hub_publishing_changes h using unnest(${c('kind')}::text[], ${c('recordId')}::uuid[], ${c('position')}::bigint[]) as t(kind, record_id, position)
        where h.organisation_id = ${organisationId} and h.kind = t.kind and h.record_id = t.record_id and h.position = t.position`);
    }
    if (work.forget.length) {
      await tx.execute(sql`delete from hub_published_homes where organisation_id = ${organisationId} and home_id = any(${sql.param(work.forget)}::uuid[])`);
    }
    if (held.length) {
      await tx.execute(sql`insert into hub_published_homes (organisation_id, home_id, landlord_reference, record_hash, published_at)
        values ${valueRows(held.map((x) => [organisationId, x.homeId, x.reference, x.hash, now.toISOString()]), ['uuid', 'uuid', 'text', 'text', 'timestamptz'])}
        on conflict (organisation_id, home_id) do update set landlord_reference = excluded.landlord_reference, record_hash = excluded.record_hash, published_at = excluded.published_at`);
    }
    const position = work.changes.reduce((m, x) => Math.max(m, x.position), 0);
    await tx.update(hubPublishing).set({
      lastPushAt: now, lastAccepted: accepted, lastRejected: rejected, lastErrors: errors, lastInvalid: work.invalid,
      lastFailure: null, failuresInARow: 0, nextAttemptAt: null,
      lastPosition: sql`greatest(${hubPublishing.lastPosition}, ${position})`,
      // A "Publish now" pressed during this run started again from the first home: leave it to start again.
      ...(settings.fullSync ? {
        fullSync: sql`case when ${hubPublishing.fullSyncAfter} is not distinct from ${settings.fullSyncAfter}::uuid then ${!work.fullSyncDone} else ${hubPublishing.fullSync} end`,
        fullSyncAfter: sql`case when ${hubPublishing.fullSyncAfter} is not distinct from ${settings.fullSyncAfter}::uuid then ${work.fullSyncAfter}::uuid else ${hubPublishing.fullSyncAfter} end`,
      } : {}),
      ...(work.measuresSent ? { measuresPushedAt: now } : {}),
    }).where(sql`${hubPublishing.organisationId} = ${organisationId}`);
  });
  return {
    status: 'pushed', sent: work.records.length, accepted, rejected, invalid: work.invalid, batches: receipts.length,
    more: work.changes.length >= MAX_CHANGES || (settings.fullSync && !work.fullSyncDone),
  };
}

/** One run for every organisation that is due (or the one named). */
export async function publishDue(store: Store, o: PublishOptions = {}): Promise<Map<string, PublishResult>> {
  const out = new Map<string, PublishResult>();
  for (const organisationId of await dueOrganisations(store, o.now?.() ?? new Date(), o.organisationId)) {
    out.set(organisationId, await publishOrganisation(store, organisationId, o));
  }
  return out;
}

/** The worker in a running server: every `everyMs`, a run for each organisation due, again while one has more. */
export function startPublishingWorker(store: Store, log: { error(obj: object, msg: string): void }, everyMs = 3000, options: PublishOptions = {}): { stop(): Promise<void> } {
  let stopped = false;
  const ticker = every(everyMs, async () => {
    for (let round = 0; round < 20 && !stopped; round++) {
      const results = [...(await publishDue(store, options)).values()];
      if (!results.some((r) => r.status === 'pushed' && r.more)) break;
    }
  }, (err) => log.error({ err }, 'publishing to the hub failed; it tries again'));
  return { async stop() { stopped = true; await ticker.stop(); } };
}
