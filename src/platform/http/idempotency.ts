// Idempotency-Key for POST (draft-ietf-httpapi-idempotency-key-header): the first response is stored with the key
// in the same transaction as the work, so a retry gets that response back and nothing is created twice.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Ctx } from '../records/context.ts';
import type { Actor } from '../auth/actor.ts';
import { can, type Permission } from '../auth/roles.ts';
import { idempotencyKeys } from './schema.ts';
import { forbidden, Problem } from './problem.ts';

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

export function checkKey(key: string): void {
  if (key.length < 8 || key.length > 200 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new Problem(400, 'Invalid request', 'Idempotency-Key: must be 8 to 200 visible ASCII characters, such as a UUID',
      [{ field: 'header:Idempotency-Key', message: 'must be 8 to 200 visible ASCII characters' }]);
  }
}

/** Whose keys these are: each user's and each token's own, so no one is answered with someone else's response. */
export function callerKey(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}

/**
 * The response stored for the caller's key, if any. The caller must hold `permission` (what the request itself
 * needs) before anything is looked up: a replay returns what the first request did, and whether a key exists is
 * nobody else's business, so without it the answer is the same 403 whatever the key.
 */
export async function storedResponse(ctx: Ctx, key: string, hash: string, permission: Permission): Promise<StoredResponse | undefined> {
  if (!can(ctx.actor.role, permission)) throw forbidden();
  const [row] = await ctx.tx.select().from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.organisationId, ctx.actor.organisationId), eq(idempotencyKeys.callerKey, callerKey(ctx.actor)), eq(idempotencyKeys.key, key)));
  if (!row) return undefined;
  if (row.requestHash !== hash) {
    throw new Problem(422, 'Idempotency key reused', 'This Idempotency-Key was first used with a different request; use a new key for a new request');
  }
  return { statusCode: row.statusCode, headers: row.headers, body: row.body };
}

/** Store the response; false when a concurrent request with the same key committed first. */
export async function storeResponse(ctx: Ctx, key: string, hash: string, response: StoredResponse): Promise<boolean> {
  const inserted = await ctx.tx.insert(idempotencyKeys).values({
    organisationId: ctx.actor.organisationId, callerKey: callerKey(ctx.actor), key, requestHash: hash,
    statusCode: response.statusCode, headers: response.headers, body: response.body as object,
  }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  return inserted.length === 1;
}

export class IdempotencyRace extends Error {}
