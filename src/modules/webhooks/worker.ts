// The delivery worker: sends the pending deliveries that are due, each as one signed POST, and records what came of
// it. Safe to run in several processes at once: a delivery is claimed (FOR UPDATE SKIP LOCKED, then its attempt
// counted and its next attempt moved past the time limit, as a lease) in a short transaction before it is sent, so no
// two workers send the same attempt, and no transaction is held open while waiting for a receiver. A worker that dies
// mid-send leaves the lease to run out, and the delivery is tried again.
//
// 2xx: delivered. 410 Gone: the receiver asks for no more, so the endpoint is disabled at once. Anything else (a
// timeout, a refused connection, 5xx, other 4xx, a redirect, which is not followed): tried again after 5 s, 5 min,
// 30 min, 2 h, 5 h, 10 h and 10 h, then failed. An endpoint is disabled, with the reason, when 3 deliveries in a row
// fail for good, or when one does and nothing has reached the endpoint since it was queued more than 24 hours before.
// Response bodies are never read or kept: only the status code, or a short error.
import http from 'node:http';
import https from 'node:https';
import { sql } from 'drizzle-orm';
import type { Db, Store } from '../../platform/db/store.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { audit } from '../../platform/audit/service.ts';
import './declarations.ts';
import { cloudEvent, type StoredEvent } from '../../platform/events/outbox.ts';
import type { WebhookSecret } from './schema.ts';
import { checkDestination, DestinationRefused, guardedLookup } from './destination.ts';
import { signatureHeaders } from './signing.ts';
import { DISABLE_AFTER_FAILED_DELIVERIES, DISABLE_AFTER_FAILING_HOURS, MAX_ATTEMPTS, RETRY_AFTER_SECONDS, TIMEOUT_MS } from './codes.ts';
import { every } from '../../platform/ticker.ts';

const USER_AGENT = 'Hearth-Webhooks/1 (Standard Webhooks)';

export interface WorkerOptions {
  /** The clock (tests move it on instead of waiting). */
  now?: () => Date;
  /** One attempt's time limit (default 10 s). */
  timeoutMs?: number;
  /** Deliveries claimed at a time, and sent at once. */
  batch?: number;
  parallel?: number;
  /**
   * Only this organisation's deliveries (tests that share a database with other test files' endpoints; an
   * organisation's own "send now"). A server's worker sends every organisation's.
   */
  organisationId?: string;
}

export interface Outcome {
  statusCode?: number;
  error?: string;
}

interface Claimed {
  organisationId: string; id: string; endpointId: string; eventId: string; attempts: number; createdAt: Date;
}

interface Work extends Claimed {
  url: string; secrets: WebhookSecret[]; event: StoredEvent;
}

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Claim up to `limit` due deliveries of active endpoints, with what sending them needs: one organisation's, or else
 * those of the organisations whose deliveries have waited longest, one organisation at a time — a claim (FOR UPDATE
 * SKIP LOCKED) stays on one landlord's shard on Citus, which cannot lock rows across shards (docs/scaling.md).
 */
async function claim(store: Store, now: Date, leaseMs: number, limit: number, organisationId?: string): Promise<Work[]> {
  if (!organisationId) {
    const waiting = await store.system(async (tx) => ((await tx.execute(sql`select d.organisation_id from webhook_deliveries d
      where d.status = 'pending' and d.next_attempt_at <= ${at(now)} group by d.organisation_id order by min(d.next_attempt_at) limit ${limit}`)).rows as { organisation_id: string }[]));
    const work: Work[] = [];
    for (const { organisation_id: org } of waiting) {
      if (work.length >= limit) break;
      work.push(...await claim(store, now, leaseMs, limit - work.length, org));
    }
    return work;
  }
  return store.system(async (tx) => {
    const claimed = (await tx.execute(sql`with due as (
        select d.organisation_id, d.id from webhook_deliveries d
        where d.status = 'pending' and d.next_attempt_at <= ${at(now)} and d.organisation_id = ${organisationId}
          and exists (select 1 from webhook_endpoints e where e.organisation_id = ${organisationId} and e.id = d.endpoint_id and e.status = 'active')
        order by d.next_attempt_at limit ${limit}
        for update of d skip locked)
      update webhook_deliveries d set attempts = d.attempts + 1, last_attempt_at = ${at(now)}, next_attempt_at = ${at(new Date(now.getTime() + leaseMs))}
      from due where d.organisation_id = due.organisation_id and d.id = due.id
      returning d.organisation_id, d.id, d.endpoint_id, d.event_id, d.attempts, d.created_at`)).rows as Record<string, unknown>[];
    if (!claimed.length) return [];
    const pairs = (a: string, b: string) => sql`(select * from unnest(${sql.param(claimed.map((r) => r.organisation_id))}::uuid[], ${sql.param(claimed.map((r) => r[a]))}::uuid[])) as k(${sql.raw(b)})`;
    const endpoints = (await tx.execute(sql`select e.organisation_id, e.id, e.url, e.secrets from webhook_endpoints e
      join ${pairs('endpoint_id', 'org, id')} on e.organisation_id = k.org and e.id = k.id where e.organisation_id = ${organisationId}`)).rows as { organisation_id: string; id: string; url: string; secrets: WebhookSecret[] }[];
    const events = (await tx.execute(sql`select e.organisation_id, e.id, e.type, e.entity_kind, e.subject, e.time, e.actor, e.correlation_id, e.data, e.position
      from events e join ${pairs('event_id', 'org, id')} on e.organisation_id = k.org and e.id = k.id where e.organisation_id = ${organisationId}`)).rows as Record<string, unknown>[];
    const endpointOf = new Map(endpoints.map((e) => [`${e.organisation_id}/${e.id}`, e]));
    const eventOf = new Map(events.map((e) => [`${e.organisation_id}/${e.id}`, {
      organisationId: e.organisation_id as string, id: e.id as string, type: e.type as string, entityKind: e.entity_kind as string, subject: e.subject as string,
      time: e.time as Date | string, actor: e.actor as string, correlationId: e.correlation_id as string | null, data: e.data, position: Number(e.position),
    }]));
    return claimed.flatMap((r) => {
      const endpoint = endpointOf.get(`${r.organisation_id}/${r.endpoint_id}`);
      const event = eventOf.get(`${r.organisation_id}/${r.event_id}`);
      if (!endpoint || !event) return [];
      return [{
        organisationId: r.organisation_id as string, id: r.id as string, endpointId: r.endpoint_id as string, eventId: r.event_id as string,
        attempts: Number(r.attempts), createdAt: new Date(r.created_at as string), url: endpoint.url, secrets: endpoint.secrets, event,
      }];
    });
  });
}

/** A short error for the delivery log (never the response body, nor anything it said). */
function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof DestinationRefused) return `refused: ${err.message}`.slice(0, 300);
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': return 'connection reset';
    case 'ETIMEDOUT': return `no answer within ${timeoutMs / 1000} s`;
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'host unreachable';
    case 'ENOTFOUND': return 'host not found';
  }
  if (e.code?.startsWith('ERR_TLS') || e.code?.includes('CERT')) return `TLS: ${e.message ?? e.code}`.slice(0, 300);
  return (e.code ? `${e.code}: ${e.message ?? ''}` : e.message ?? String(err)).slice(0, 300);
}

/** POST `body` to `url` once: the status code, or why there was none. Redirects are not followed. */
export async function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Outcome> {
  let target: URL;
  try {
    target = new URL((await checkDestination(url)).href);
  } catch (err) {
    return { error: describe(err, timeoutMs) };
  }
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(target, {
      method: 'POST', agent: false, lookup: guardedLookup(target.protocol),
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': USER_AGENT },
    }, (res) => {
      done({ statusCode: res.statusCode });
      res.destroy(); // the body is never read
    });
    const timer = setTimeout(() => {
      done({ error: `no answer within ${timeoutMs / 1000} s` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err) => done({ error: describe(err, timeoutMs) }));
    req.end(body);
  });
}

/** Send one claimed delivery. */
function attempt(w: Work, now: Date, timeoutMs: number): Promise<Outcome> {
  const body = JSON.stringify(cloudEvent(w.event));
  let headers: Record<string, string>;
  try {
    headers = { 'content-type': 'application/cloudevents+json; charset=utf-8', ...signatureHeaders(w.eventId, now, body, w.secrets) };
  } catch (err) {
    return Promise.resolve({ error: describe(err, timeoutMs) });
  }
  return post(w.url, headers, body, timeoutMs);
}

const shortError = (o: Outcome) => o.error ?? (o.statusCode && o.statusCode >= 300 && o.statusCode < 400 ? `HTTP ${o.statusCode}: redirects are not followed` : `HTTP ${o.statusCode}`);

/** Disable an endpoint for a reason, audited as Hearth's own doing. */
async function disable(tx: Db, w: Claimed, reason: string): Promise<void> {
  const done = (await tx.execute(sql`update webhook_endpoints set status = 'disabled', disabled_reason = ${reason}, version = version + 1, updated_at = now()
    where organisation_id = ${w.organisationId} and id = ${w.endpointId} and status = 'active' returning url`)).rows as { url: string }[];
  if (done.length) {
    await audit(tx, systemActor(w.organisationId, 'Hearth webhooks'), { action: 'webhook-disabled', entityKind: 'webhook-endpoint', entityId: w.endpointId, detail: { url: done[0]!.url, reason } });
  }
}

export type Result = 'delivered' | 'retrying' | 'failed' | 'gone' | 'lost';

/** Record what came of an attempt. 'lost': the lease had run out and another worker took the delivery over. */
async function record(store: Store, w: Claimed, o: Outcome, now: Date): Promise<Result> {
  const ok = o.statusCode !== undefined && o.statusCode >= 200 && o.statusCode < 300;
  const gone = o.statusCode === 410;
  const final = ok || gone || w.attempts >= MAX_ATTEMPTS;
  const status = ok ? 'delivered' : final ? 'failed' : 'pending';
  const next = final ? now : new Date(now.getTime() + RETRY_AFTER_SECONDS[w.attempts - 1]! * 1000);
  return store.system(async (tx) => {
    const updated = await tx.execute(sql`update webhook_deliveries set status = ${status}, last_status_code = ${o.statusCode ?? null},
        last_error = ${ok ? null : shortError(o)}, delivered_at = ${ok ? at(now) : null}, next_attempt_at = ${at(next)}
      where organisation_id = ${w.organisationId} and id = ${w.id} and status = 'pending' and attempts = ${w.attempts} returning id`);
    if (!updated.rows.length) return 'lost';
    const endpoint = sql`organisation_id = ${w.organisationId} and id = ${w.endpointId}`;
    if (ok) {
      await tx.execute(sql`update webhook_endpoints set failures_in_a_row = 0 where ${endpoint} and failures_in_a_row <> 0`);
      return 'delivered';
    }
    if (gone) {
      await disable(tx, w, `The endpoint answered 410 Gone on ${now.toISOString()}: it asked for no more deliveries`);
      return 'gone';
    }
    if (!final) return 'retrying';
    const [counted] = (await tx.execute(sql`update webhook_endpoints set failures_in_a_row = failures_in_a_row + 1 where ${endpoint}
      returning failures_in_a_row`)).rows as { failures_in_a_row: number }[];
    const failing = now.getTime() - w.createdAt.getTime() >= DISABLE_AFTER_FAILING_HOURS * 3600_000 && !(await tx.execute(sql`select 1 from webhook_deliveries
      where organisation_id = ${w.organisationId} and endpoint_id = ${w.endpointId} and delivered_at >= ${at(w.createdAt)} limit 1`)).rows.length;
    const inARow = (counted?.failures_in_a_row ?? 0) >= DISABLE_AFTER_FAILED_DELIVERIES;
    if (inARow || failing) {
      await disable(tx, w, inARow
        ? `${counted!.failures_in_a_row} deliveries in a row failed after ${MAX_ATTEMPTS} attempts each (the last: ${shortError(o)}); disabled on ${now.toISOString()}`
        : `Every attempt to deliver failed for more than ${DISABLE_AFTER_FAILING_HOURS} hours (the last: ${shortError(o)}); disabled on ${now.toISOString()}`);
    }
    return 'failed';
  });
}

/** Run `work` over `items`, at most `parallel` at a time. */
async function pool<T, R>(items: readonly T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  }));
  return out;
}

/** Send one batch of due deliveries; what came of each. */
export async function deliverDue(store: Store, o: WorkerOptions = {}): Promise<Result[]> {
  const now = o.now?.() ?? new Date();
  const timeoutMs = o.timeoutMs ?? TIMEOUT_MS;
  // The lease: well past the time limit, so a delivery is never claimed again while its attempt can still be running.
  const work = await claim(store, now, Math.max(60_000, timeoutMs * 3), o.batch ?? 50, o.organisationId);
  return pool(work, o.parallel ?? 10, async (w) => record(store, w, await attempt(w, now, timeoutMs), o.now?.() ?? new Date()));
}

const KEEP_DAYS = 30;

/** The delivery log keeps 30 days of deliveries that are done (delivered or failed). */
export async function pruneDeliveries(store: Store, now = new Date()): Promise<number> {
  const done = await store.system((tx) => tx.execute(sql`delete from webhook_deliveries where status <> 'pending'
    and created_at < ${at(new Date(now.getTime() - KEEP_DAYS * 86_400_000))} returning id`));
  return done.rows.length;
}

/**
 * The worker in a running server: every `everyMs`, send what is due (batch after batch while there is more), and
 * prune the log once an hour. One tick at a time; an error is logged and the next tick tries again.
 */
export function startWebhookWorker(store: Store, log: { error(obj: object, msg: string): void }, everyMs = 2000, options: WorkerOptions = {}): { stop(): Promise<void> } {
  let pruned = 0;
  let stopped = false;
  const ticker = every(everyMs, async () => {
    const batch = options.batch ?? 50;
    while (!stopped && (await deliverDue(store, options)).length >= batch) { /* more are due */ }
    if (!stopped && Date.now() - pruned > 3600_000) {
      pruned = Date.now();
      await pruneDeliveries(store);
    }
  }, (err) => log.error({ err }, 'the webhook worker failed; it tries again'));
  return { async stop() { stopped = true; await ticker.stop(); } };
}
