// Subscriptions to saved views (issue 16, part 6): when new data reaches the hub for the view's landlords (a batch with
// accepted records from a landlord its region, kind, size and name filters choose, received after the last email), the subscriber is emailed a link to the view's CSV (the notifications module cannot attach a
// file; the link needs sign-in, so exact figures never travel in an email). sendDueSubscriptions is idempotent and safe
// with many workers: each subscription is claimed by a conditional UPDATE (sent_through < the latest arrival) in the
// same transaction as the email is kept, so a second worker waits on the row lock, then finds nothing to claim; a
// failed email rolls the claim back and is tried on the next run.
import { and, eq, sql } from 'drizzle-orm';
import type { Store } from '../../../platform/db/store.ts';
import type { Ctx } from '../../../platform/records/context.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import { can, isRole } from '../../../platform/auth/roles.ts';
import { invalid } from '../../../platform/http/problem.ts';
import { govukDateTime } from '../../../platform/uk-time.ts';
import { notify, type TemplateName } from '../../notifications/index.ts';
import { hubInsightSubscriptions } from '../schema.ts';
import { getView } from './saved.ts';
import { latestArrival, latestArrivalFor, parseFilters, requireInsight } from './service.ts';

/** The notifications template of this email (notifications/templates.ts must have it: see the lead's notes). */
export const HUB_VIEW_TEMPLATE: TemplateName = 'hub-view-updated';

/** Subscribe the actor to one of their own views; the next email comes with data that arrives after now. */
export async function subscribe(ctx: Ctx, viewId: string, at: { latest: Date | null; origin: string | null }): Promise<void> {
  requireInsight(ctx.actor);
  if (ctx.actor.kind !== 'user') throw invalid('/viewId', 'Only a member of staff signed in with an email address can subscribe');
  await getView(ctx, viewId); // 404 for anyone else's
  await ctx.tx.insert(hubInsightSubscriptions).values({
    organisationId: ctx.actor.organisationId, viewId, userId: ctx.actor.id, sentThrough: at.latest, origin: at.origin,
  }).onConflictDoNothing();
}

export async function unsubscribe(ctx: Ctx, viewId: string): Promise<void> {
  requireInsight(ctx.actor);
  await getView(ctx, viewId);
  await ctx.tx.delete(hubInsightSubscriptions).where(and(eq(hubInsightSubscriptions.organisationId, ctx.actor.organisationId), eq(hubInsightSubscriptions.viewId, viewId)));
}

export interface SubscriptionSent {
  organisationId: string;
  viewId: string;
  /** emailed; skipped: the user is disabled or no longer has hub:insight (claimed all the same, so not retried). */
  outcome: 'emailed' | 'skipped';
}

export interface SendDueOptions {
  /** The address links start with (https://hub.example); default: the one the user subscribed at. */
  baseUrl?: string;
  /** Only this organisation's subscriptions (tests sharing a database). */
  organisationId?: string;
}

/**
 * Email every subscriber whose view has new data since their last email: at most one email per subscription per new
 * arrival, however many workers call this at once. For a worker every few minutes.
 */
export async function sendDueSubscriptions(store: Store, now: Date = new Date(), options: SendDueOptions = {}): Promise<SubscriptionSent[]> {
  const latest = await store.system((db) => latestArrival(db));
  if (!latest) return [];
  // Only subscriptions behind the hub's latest arrival can be due; each is then asked about its own landlords.
  const candidates = await store.system(async (db) => (await db.execute(sql`SELECT s.organisation_id, s.view_id, s.sent_through, v.filters
    FROM hub_insight_subscriptions s JOIN hub_insight_views v ON v.organisation_id = s.organisation_id AND v.id = s.view_id
    WHERE (s.sent_through IS NULL OR s.sent_through < ${latest.toISOString()}::timestamptz)
      ${options.organisationId ? sql`AND s.organisation_id = ${options.organisationId}` : sql``}
    ORDER BY s.organisation_id, s.view_id LIMIT 500`)).rows as { organisation_id: string; view_id: string; sent_through: string | Date | null; filters: Record<string, string> }[]);
  const sent: SubscriptionSent[] = [];
  for (const d of candidates) {
    const newest = await store.system((db) => latestArrivalFor(db, parseFilters(d.filters).filters));
    if (!newest || (d.sent_through && newest <= new Date(d.sent_through))) continue;
    const at = newest.toISOString();
    const outcome = await store.withOrg(d.organisation_id, async (tx) => {
      // The claim: only one transaction moves sent_through past this arrival; the email is kept in the same one.
      const claimed = (await tx.execute(sql`UPDATE hub_insight_subscriptions SET sent_through = ${at}::timestamptz, last_sent_at = ${now.toISOString()}::timestamptz
        WHERE organisation_id = ${d.organisation_id} AND view_id = ${d.view_id} AND (sent_through IS NULL OR sent_through < ${at}::timestamptz)
        RETURNING user_id, origin`)).rows as { user_id: string; origin: string | null }[];
      const claim = claimed[0];
      if (!claim) return null;
      const user = (await tx.execute(sql`SELECT id, name, email, role, disabled_at FROM users WHERE organisation_id = ${d.organisation_id} AND id = ${claim.user_id}`))
        .rows[0] as { id: string; name: string; email: string; role: string; disabled_at: Date | null } | undefined;
      if (!user || user.disabled_at || !isRole(user.role) || !can(user.role, 'hub:insight')) return 'skipped' as const;
      const ctx: Ctx = { tx, actor: { kind: 'user', id: user.id, name: user.name, organisationId: d.organisation_id, role: user.role } };
      const view = await getView(ctx, d.view_id);
      const base = (options.baseUrl ?? claim.origin ?? '').replace(/\/+$/, '');
      await notify({ tx, actor: systemActor(d.organisation_id) }, {
        channel: 'email', to: user.email, template: HUB_VIEW_TEMPLATE, about: { kind: 'hub-insight-view', id: view.id },
        personalisation: {
          view_name: view.name,
          received_at: govukDateTime(newest),
          csv_url: `${base}/hub-insight/views/${view.id}/download.csv`,
          view_url: `${base}/hub-insight/views/${view.id}`,
          views_url: `${base}/hub-insight/views`,
        },
      });
      return 'emailed' as const;
    });
    if (outcome) sent.push({ organisationId: d.organisation_id, viewId: d.view_id, outcome });
  }
  return sent;
}

/** The worker: due subscriptions every few minutes (the manifest's worker calls it). */
export function startSubscriptionWorker(store: Store, log: { error(obj: unknown, msg?: string): void }, options: SendDueOptions & { everyMs?: number } = {}): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = sendDueSubscriptions(store, new Date(), options)
      .catch((err: unknown) => log.error({ err }, 'hub insight subscriptions: sending failed'))
      .finally(() => { running = null; });
  };
  const timer = setInterval(tick, options.everyMs ?? 5 * 60_000);
  timer.unref();
  return { async stop() { clearInterval(timer); await running; } };
}
