// Webhook endpoints of one organisation, for its administrators (webhooks:manage): add (the secret answered once),
// list, view, change, disable, enable, rotate the secret (the old one signs beside the new for 24 hours), delete;
// and each endpoint's delivery log. Every change is audited in its transaction and bumps the endpoint's version (the
// API's ETag). The API (api.ts) and the pages (pages.ts) come here; fan-out.ts and worker.ts do the delivering.
import { and, desc, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/records/context.ts';
import { audit } from '../../platform/audit/service.ts';
import { can } from '../../platform/auth/roles.ts';
import './declarations.ts';
import { forbidden, invalid, notFound, Problem } from '../../platform/http/problem.ts';
import { isSingleLine } from '../../platform/http/schemas.ts';
import { webhookDeliveries, webhookEndpoints, type WebhookSecret } from './schema.ts';
import { EVENT_TYPE_MESSAGE, isEventType, MAX_EVENT_TYPES, namesSensitiveKind, OLD_SECRET_HOURS } from './codes.ts';
import { newSecret } from './signing.ts';
import type { SafeUrl } from './destination.ts';

export type EndpointStatus = 'active' | 'disabled';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** At most this many endpoints per organisation: each event is one delivery per endpoint. */
export const MAX_ENDPOINTS = 20;
/** Secrets kept per endpoint (the newest and older ones still signing after rotations). */
const MAX_SECRETS = 5;

export interface EndpointView {
  id: string; url: string; description: string | null; eventTypes: string[]; status: EndpointStatus; disabledReason: string | null;
  failuresInARow: number; version: number; createdAt: Date; updatedAt: Date;
  /** The secrets that sign deliveries, without the secrets themselves (shown once, when made). */
  secrets: { id: string; createdAt: string; expiresAt: string | null }[];
}

export interface DeliveryView {
  id: string; eventId: string; eventType: string; status: DeliveryStatus; attempts: number; nextAttemptAt: Date | null;
  lastStatusCode: number | null; lastError: string | null; lastAttemptAt: Date | null; deliveredAt: Date | null; createdAt: Date;
}

export interface EndpointInput {
  url: SafeUrl;
  description?: string | null;
  eventTypes: readonly string[];
}

function requireManage(ctx: Ctx) {
  if (!can(ctx.actor.role, 'webhooks:manage')) throw forbidden('Only administrators manage webhooks');
}

type EndpointRow = typeof webhookEndpoints.$inferSelect;

function present(r: EndpointRow, at = new Date()): EndpointView {
  return {
    id: r.id, url: r.url, description: r.description, eventTypes: r.eventTypes, status: r.status as EndpointStatus, disabledReason: r.disabledReason,
    failuresInARow: r.failuresInARow, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt,
    secrets: r.secrets.filter((s) => !s.expiresAt || new Date(s.expiresAt) > at).map((s) => ({ id: s.id, createdAt: s.createdAt, expiresAt: s.expiresAt ?? null })),
  };
}

const byId = (ctx: Ctx, id: string) => and(eq(webhookEndpoints.organisationId, ctx.actor.organisationId), eq(webhookEndpoints.id, id));

async function load(ctx: Ctx, id: string, lock = false): Promise<EndpointRow> {
  const q = ctx.tx.select().from(webhookEndpoints).where(byId(ctx, id));
  const [row] = await (lock ? q.for('update') : q);
  if (!row) throw notFound('webhook endpoint');
  return row;
}

async function change(ctx: Ctx, id: string, set: Partial<typeof webhookEndpoints.$inferInsert>): Promise<EndpointRow> {
  const [row] = await ctx.tx.update(webhookEndpoints).set({ ...set, version: sql`${webhookEndpoints.version} + 1`, updatedAt: sql`now()` })
    .where(byId(ctx, id)).returning();
  return row!;
}

/** Event types as chosen: each an exact type or a prefix ending in "."; duplicates dropped, order kept. */
export function eventTypesOf(list: readonly string[]): string[] {
  const types = [...new Set(list.map((t) => t.trim()).filter(Boolean))];
  if (!types.length) throw invalid('/eventTypes', 'choose at least one event type');
  if (types.length > MAX_EVENT_TYPES) throw invalid('/eventTypes', `can have at most ${MAX_EVENT_TYPES} event types`);
  const bad = types.find((t) => !isEventType(t));
  if (bad !== undefined) throw invalid(`/eventTypes/${list.findIndex((t) => t.trim() === bad)}`, `"${bad.slice(0, 60)}" ${EVENT_TYPE_MESSAGE}`);
  // A sensitive kind's events (person alerts) never leave Hearth: readable only with a permission, each read audited.
  const sensitive = types.find(namesSensitiveKind);
  if (sensitive !== undefined) {
    throw invalid(`/eventTypes/${list.findIndex((t) => t.trim() === sensitive)}`, `"${sensitive}" is about sensitive records, whose events are never sent to webhooks`);
  }
  return types;
}

function descriptionOf(text: string | null | undefined): string | null {
  const d = text?.trim() ?? '';
  if (d.length > 200) throw invalid('/description', 'must be 200 characters or fewer');
  if (!isSingleLine(d)) throw invalid('/description', 'must be one line of text, without control characters');
  return d || null;
}

export async function listEndpoints(ctx: Ctx): Promise<EndpointView[]> {
  requireManage(ctx);
  const rows = await ctx.tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.organisationId, ctx.actor.organisationId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return rows.map((r) => present(r));
}

export async function getEndpoint(ctx: Ctx, id: string): Promise<EndpointView> {
  requireManage(ctx);
  return present(await load(ctx, id));
}

/** Add an endpoint (its URL already checked: checkDestination); its secret is in the answer, once. */
export async function createEndpoint(ctx: Ctx, input: EndpointInput): Promise<EndpointView & { secret: string }> {
  requireManage(ctx);
  const eventTypes = eventTypesOf(input.eventTypes);
  const description = descriptionOf(input.description);
  // One at a time per organisation, so two adds at once cannot both pass the limit.
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`webhooks:${ctx.actor.organisationId}`}, 0))`);
  const [count] = await ctx.tx.select({ n: sql<number>`count(*)::int` }).from(webhookEndpoints).where(eq(webhookEndpoints.organisationId, ctx.actor.organisationId));
  if ((count?.n ?? 0) >= MAX_ENDPOINTS) throw new Problem(409, 'Conflict', `An organisation can have at most ${MAX_ENDPOINTS} webhook endpoints: delete one you no longer use first`);
  const secret = newSecret(new Date());
  const [row] = await ctx.tx.insert(webhookEndpoints).values({
    organisationId: ctx.actor.organisationId, id: uuidv7(), url: input.url.href, description, eventTypes, secrets: [secret],
  }).returning();
  await audit(ctx.tx, ctx.actor, { action: 'create', entityKind: 'webhook-endpoint', entityId: row!.id, detail: { url: row!.url, eventTypes } });
  return { ...present(row!), secret: secret.secret };
}

/** Change the URL, description or event types; `expectedVersion` (If-Match) makes a stale change a 412. */
export async function updateEndpoint(ctx: Ctx, id: string, input: Partial<EndpointInput>, expectedVersion?: number): Promise<EndpointView> {
  requireManage(ctx);
  const current = await load(ctx, id, true);
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new Problem(412, 'Precondition failed', `This webhook endpoint has changed since you read it (version ${current.version}, not ${expectedVersion}): read it again`);
  }
  const set: Partial<typeof webhookEndpoints.$inferInsert> = {};
  if (input.url && input.url.href !== current.url) set.url = input.url.href;
  if (input.description !== undefined && descriptionOf(input.description) !== current.description) set.description = descriptionOf(input.description);
  if (input.eventTypes) {
    const types = eventTypesOf(input.eventTypes);
    if (JSON.stringify(types) !== JSON.stringify(current.eventTypes)) set.eventTypes = types;
  }
  if (!Object.keys(set).length) return present(current);
  const row = await change(ctx, id, set);
  await audit(ctx.tx, ctx.actor, { action: 'update', entityKind: 'webhook-endpoint', entityId: id, detail: { fields: Object.keys(set), url: row.url, eventTypes: row.eventTypes } });
  return present(row);
}

/** Stop delivering to an endpoint. Deliveries already queued wait; no new ones are made until it is enabled. */
export async function disableEndpoint(ctx: Ctx, id: string): Promise<EndpointView> {
  requireManage(ctx);
  const current = await load(ctx, id, true);
  if (current.status === 'disabled') return present(current);
  const row = await change(ctx, id, { status: 'disabled', disabledReason: `Disabled by ${ctx.actor.name}` });
  await audit(ctx.tx, ctx.actor, { action: 'webhook-disabled', entityKind: 'webhook-endpoint', entityId: id, detail: { url: row.url } });
  return present(row);
}

/** Deliver to it again: queued deliveries are sent, and new events make deliveries. Clears the failure count. */
export async function enableEndpoint(ctx: Ctx, id: string): Promise<EndpointView> {
  requireManage(ctx);
  const current = await load(ctx, id, true);
  if (current.status === 'active') return present(current);
  const row = await change(ctx, id, { status: 'active', disabledReason: null, failuresInARow: 0 });
  await audit(ctx.tx, ctx.actor, { action: 'webhook-enabled', entityKind: 'webhook-endpoint', entityId: id, detail: { url: row.url, wasDisabledBecause: current.disabledReason } });
  return present(row);
}

/**
 * A new secret, answered once. The secrets that signed until now go on signing beside it for 24 hours, so the
 * receiver can change over without losing a delivery; expired ones are dropped.
 */
export async function rotateSecret(ctx: Ctx, id: string): Promise<EndpointView & { secret: string }> {
  requireManage(ctx);
  const current = await load(ctx, id, true);
  const now = new Date();
  const until = new Date(now.getTime() + OLD_SECRET_HOURS * 3600_000).toISOString();
  const kept: WebhookSecret[] = current.secrets.filter((s) => !s.expiresAt || new Date(s.expiresAt) > now)
    .map((s) => (s.expiresAt && s.expiresAt < until ? s : { ...s, expiresAt: until }));
  const secret = newSecret(now);
  const row = await change(ctx, id, { secrets: [...kept.slice(-(MAX_SECRETS - 1)), secret] });
  await audit(ctx.tx, ctx.actor, { action: 'webhook-secret-rotated', entityKind: 'webhook-endpoint', entityId: id, detail: { url: row.url, oldSecretsUntil: until } });
  return { ...present(row), secret: secret.secret };
}

/** Delete an endpoint and its delivery log. */
export async function deleteEndpoint(ctx: Ctx, id: string): Promise<void> {
  requireManage(ctx);
  const current = await load(ctx, id, true);
  await ctx.tx.delete(webhookEndpoints).where(byId(ctx, id));
  await audit(ctx.tx, ctx.actor, { action: 'delete', entityKind: 'webhook-endpoint', entityId: id, detail: { url: current.url, eventTypes: current.eventTypes } });
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** An endpoint's deliveries, newest first; `before`: the last id of the previous page. */
export async function listDeliveries(ctx: Ctx, endpointId: string, q: { status?: DeliveryStatus; limit: number; before?: string }): Promise<DeliveryView[]> {
  requireManage(ctx);
  await load(ctx, endpointId);
  const d = webhookDeliveries;
  const where = [eq(d.organisationId, ctx.actor.organisationId), eq(d.endpointId, endpointId)];
  if (q.status) where.push(eq(d.status, q.status));
  if (q.before) {
    where.push(sql`(${d.createdAt}, ${d.id}) < (select created_at, id from webhook_deliveries
      where organisation_id = ${ctx.actor.organisationId} and endpoint_id = ${endpointId} and id = ${q.before})`);
  }
  const rows = await ctx.tx.select().from(d).where(and(...where)).orderBy(desc(d.createdAt), desc(d.id)).limit(q.limit);
  return rows.map((r) => ({
    id: r.id, eventId: r.eventId, eventType: r.eventType, status: r.status as DeliveryStatus, attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt : null, lastStatusCode: r.lastStatusCode, lastError: r.lastError,
    lastAttemptAt: r.lastAttemptAt, deliveredAt: r.deliveredAt, createdAt: r.createdAt,
  }));
}
