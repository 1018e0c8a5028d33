// A publisher's keys for pushing batches to the hub (decision 0026): each key is an id the publisher sends in the
// hub-key header and a Standard Webhooks secret (whsec_ and 32 random bytes, as Hearth's own webhooks make them) that
// signs the batch. The hub must recompute the HMAC, so the secret is kept as it is (not hashed); it is shown once, when
// made. A publisher may hold several keys at once (to rotate without a gap); a revoked key signs nothing more.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/store.ts';

const SECRET_BYTES = 32;

export interface NewKey {
  keyId: string;
  /** whsec_<base64>: shown once; the hub cannot show it again to anyone but the signature check. */
  secret: string;
}

export type KeyLookup =
  | { ok: true; secret: string }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'revoked'; revokedAt: Date };

export interface KeySummary { keyId: string; createdAt: Date; revokedAt: Date | null }

/** A key id readable in a log and safe in a header: hk_ and 16 base64url characters. */
export const newKeyId = () => `hk_${randomBytes(12).toString('base64url')}`;
export const newPushSecret = () => `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;

/** Make a key for a registered publisher (else an error saying how to register it). */
export async function createKey(db: Db, publisher: string, now: Date = new Date()): Promise<NewKey> {
  const known = await db.execute(sql`SELECT 1 FROM hub.publishers WHERE publisher = ${publisher}`);
  if (!known.rows.length) throw new Error(`no publisher ${publisher} on this hub: add it first (hearth hub add-publisher --registration ${publisher} …)`);
  const key = { keyId: newKeyId(), secret: newPushSecret() };
  await db.execute(sql`INSERT INTO hub.credentials (publisher, key_id, secret, created_at)
    VALUES (${publisher}, ${key.keyId}, ${key.secret}, ${now.toISOString()}::timestamptz)`);
  return key;
}

/** Revoke a key: true if it was in use, false if it was already revoked; an error if the publisher has no such key. */
export async function revokeKey(db: Db, publisher: string, keyId: string, now: Date = new Date()): Promise<boolean> {
  const r = await db.execute(sql`UPDATE hub.credentials SET revoked_at = ${now.toISOString()}::timestamptz
    WHERE publisher = ${publisher} AND key_id = ${keyId} AND revoked_at IS NULL RETURNING key_id`);
  if (r.rows.length) return true;
  const exists = await db.execute(sql`SELECT 1 FROM hub.credentials WHERE publisher = ${publisher} AND key_id = ${keyId}`);
  if (!exists.rows.length) throw new Error(`publisher ${publisher} has no key ${keyId}: hearth hub keys --registration ${publisher} lists its keys`);
  return false;
}

/** The secret that checks a push signed with this key, or why there is none (no such key of this publisher, revoked). */
export async function activeSecret(db: Db, publisher: string, keyId: string): Promise<KeyLookup> {
  const row = (await db.execute(sql`SELECT secret, revoked_at FROM hub.credentials WHERE publisher = ${publisher} AND key_id = ${keyId}`))
    .rows[0] as { secret: string; revoked_at: string | Date | null } | undefined;
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at !== null) return { ok: false, reason: 'revoked', revokedAt: new Date(row.revoked_at) };
  return { ok: true, secret: row.secret };
}

/** A publisher's keys, newest first, without their secrets. */
export async function listKeys(db: Db, publisher: string): Promise<KeySummary[]> {
  const rows = (await db.execute(sql`SELECT key_id, created_at, revoked_at FROM hub.credentials WHERE publisher = ${publisher}
    ORDER BY created_at DESC, key_id`)).rows as { key_id: string; created_at: string | Date; revoked_at: string | Date | null }[];
  return rows.map((r) => ({ keyId: r.key_id, createdAt: new Date(r.created_at), revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at) }));
}
