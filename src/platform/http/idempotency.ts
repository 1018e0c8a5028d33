// Idempotency-Key for POST (draft-ietf-httpapi-idempotency-key-header): the first response is stored with the key
// in the same transaction as the work, so a retry gets that response back and nothing is created twice.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Ctx } from '../records/context.ts';
import { idempotencyKeys } from './schema.ts';
import { Problem } from './problem.ts';

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

export async function storedResponse(ctx: Ctx, key: string, hash: string): Promise<StoredResponse | undefined> {
  const [row] = await ctx.tx.select().from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.organisationId, ctx.actor.organisationId), eq(idempotencyKeys.key, key)));
  if (!row) return undefined;
  if (row.requestHash !== hash) {
    throw new Problem(422, 'Idempotency key reused', 'This Idempotency-Key was first used with a different request; use a new key for a new request');
  }
  return { statusCode: row.statusCode, headers: row.headers, body: row.body };
}

/** Store the response; false when a concurrent request with the same key committed first. */
export async function storeResponse(ctx: Ctx, key: string, hash: string, response: StoredResponse): Promise<boolean> {
  const inserted = await ctx.tx.insert(idempotencyKeys).values({
    organisationId: ctx.actor.organisationId, key, requestHash: hash,
    statusCode: response.statusCode, headers: response.headers, body: response.body as object,
  }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  return inserted.length === 1;
}

export class IdempotencyRace extends Error {}
