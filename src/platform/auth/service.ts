// Sign-in, sessions and API tokens. These lookups happen before we know the organisation, so they run as the
// owner (store.system) and touch only the auth tables; everything after runs under the actor's organisation.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Db, Store } from '../db/store.ts';
import type { Actor } from './actor.ts';
import { users, sessions, apiTokens } from './schema.ts';
import { hashPassword, verifyPassword, passwordHashing, DUMMY_HASH, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { isRole, ROLES, type Role } from './roles.ts';
import { invalid } from '../http/problem.ts';
import { audit } from '../audit/service.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const normaliseEmail = (e: string) => e.trim().toLowerCase();

/**
 * For sign-in: a transaction that writes (as for a known email) waits at commit for the disk, one that writes nothing
 * (an unknown email) does not, and a client can time the difference. So a failed attempt's writes do not wait: on a
 * crash the last fraction of a second of attempt counts and their audit rows may be lost, which costs nothing worth more.
 */
const noCommitWait = (tx: Db) => tx.execute(sql`set local synchronous_commit = off`);

export interface NewUser { organisationId: string; email: string; name: string; role: Role; password: string; /** A hash made earlier with hashPassword(password), to save hashing twice. */ passwordHash?: string }

export function authService(store: Store, options: { sessionMinutes: number; tokenDays?: number; lockoutAttempts?: number; lockoutMinutes?: number }) {
  return {
    async addUser(u: NewUser, by?: Actor) {
      if (!isRole(u.role)) throw new Error(`role: unknown role "${u.role}"`);
      if (u.password.length < MIN_PASSWORD_LENGTH) throw new Error(`password: must be at least ${MIN_PASSWORD_LENGTH} characters`);
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(u.email)) throw new Error('email: is not an email address');
      const passwordHash = u.passwordHash ?? (await hashPassword(u.password));
      return store.system(async (tx) => {
        const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, normaliseEmail(u.email)));
        if (existing) throw new Error(`email: a user with email ${u.email} already exists`);
        const [row] = await tx.insert(users).values({
          organisationId: u.organisationId, id: uuidv7(), email: normaliseEmail(u.email), name: u.name, role: u.role, passwordHash,
        }).returning({ id: users.id, email: users.email, name: users.name, role: users.role, organisationId: users.organisationId });
        await audit(tx, by ?? { kind: 'system', id: 'system', name: 'Hearth', organisationId: u.organisationId, role: 'administrator' },
          { action: 'user-created', entityKind: 'user', entityId: row!.id, detail: { email: row!.email, role: row!.role } });
        return row!;
      });
    },

    /**
     * Returns a new session token, or undefined. An unknown email, a disabled or locked account and a wrong password
     * get the same answer after the same work: the same two statements and one hash (the dummy when there is no
     * password to check), so neither the answer nor its timing tells whether an account exists.
     */
    async signIn(email: string, password: string): Promise<{ token: string; actor: Actor } | undefined> {
      // A flood that fills the hashing queue is refused before any attempt is counted against an account.
      passwordHashing.refuseIfFull();
      const address = normaliseEmail(email);
      const { lockoutAttempts = 10, lockoutMinutes = 15 } = options;
      // Count the attempt before checking the password, in one statement: concurrent guesses each take the next number,
      // so no more than lockoutAttempts reach the real hash. The attempt that reaches the limit locks the account (if it
      // has the right password it unlocks it again below); a lock that has ended starts the count again.
      // Times are values, not now() + interval: Citus refuses what is not immutable inside CASE in an UPDATE.
      const at = Date.now();
      const now = sql`${new Date(at).toISOString()}::timestamptz`;
      const lockEnds = sql`${new Date(at + lockoutMinutes * 60_000).toISOString()}::timestamptz`;
      const lockEnded = sql`${users.lockedUntil} <= ${now}`;
      const attempt = sql`case when ${lockEnded} then 1 else ${users.failedSignIns} + 1 end`;
      const [user] = await store.system(async (tx) => {
        await noCommitWait(tx);
        return tx.update(users)
          .set({ failedSignIns: attempt, lockedUntil: sql`case when ${attempt} >= ${lockoutAttempts} then ${lockEnds} end` })
          .where(and(eq(users.email, address), isNull(users.disabledAt), or(isNull(users.lockedUntil), lockEnded)))
          .returning({
            organisationId: users.organisationId, id: users.id, name: users.name, role: users.role, passwordHash: users.passwordHash,
            failedSignIns: users.failedSignIns, lockedUntil: users.lockedUntil,
          });
      });
      const ok = (await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)) && user !== undefined;
      if (!ok) {
        // One statement for every failure: it audits the attempt on the account when there is one (locked and disabled
        // ones too), and the lock when this attempt set it; for an unknown email it writes nothing.
        const lockedNow = user?.lockedUntil ? { failedSignIns: user.failedSignIns, lockedUntil: user.lockedUntil } : null;
        await store.system(async (tx) => {
          await noCommitWait(tx);
          await tx.execute(sql`
            insert into audit_events (organisation_id, id, actor_kind, actor_id, actor_name, action, entity_kind, entity_id, detail)
            select u.organisation_id, a.id, 'user', u.id::text, u.name, a.action, 'user', u.id, a.detail
            from users u
            join (values (${uuidv7()}::uuid, 'sign-in-failed', null::jsonb), (${uuidv7()}::uuid, 'sign-in-locked', ${lockedNow && JSON.stringify(lockedNow)}::jsonb))
              as a (id, action, detail) on a.action = 'sign-in-failed' or a.detail is not null
            where u.email = ${address}`);
        });
        return undefined;
      }
      const actor: Actor = { kind: 'user', id: user.id, name: user.name, organisationId: user.organisationId, role: user.role as Role };
      const token = randomBytes(32).toString('base64url');
      await store.system(async (tx) => {
        await tx.update(users).set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: sql`now()` })
          .where(and(eq(users.organisationId, user.organisationId), eq(users.id, user.id)));
        await tx.insert(sessions).values({
          organisationId: user.organisationId, tokenHash: sha256(token), userId: user.id,
          expiresAt: sql`now() + make_interval(mins => ${options.sessionMinutes})`,
        });
        await tx.delete(sessions).where(lt(sessions.expiresAt, sql`now()`));
        await audit(tx, actor, { action: 'sign-in', entityKind: 'user', entityId: user.id });
      });
      return { token, actor };
    },

    /** The actor for a session cookie; slides the expiry forward. */
    async fromSession(token: string | undefined): Promise<Actor | undefined> {
      if (!token || token.length > 100) return undefined;
      return store.system(async (tx) => {
        const [row] = await tx.select({ user: users }).from(sessions)
          .innerJoin(users, and(eq(users.organisationId, sessions.organisationId), eq(users.id, sessions.userId)))
          .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, sql`now()`), isNull(users.disabledAt)));
        if (!row) return undefined;
        await tx.update(sessions).set({ expiresAt: sql`now() + make_interval(mins => ${options.sessionMinutes})` })
          .where(eq(sessions.tokenHash, sha256(token)));
        return { kind: 'user' as const, id: row.user.id, name: row.user.name, organisationId: row.user.organisationId, role: row.user.role as Role };
      });
    },

    async signOut(token: string | undefined, actor: Actor) {
      if (!token) return;
      await store.system(async (tx) => {
        await tx.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
        await audit(tx, actor, { action: 'sign-out', entityKind: 'user', entityId: actor.id });
      });
    },

    /**
     * Create an API token; the secret is returned once and only its hash is kept. It expires after `days` (default
     * HEARTH_TOKEN_DAYS); `by` is who made it (default: Hearth itself, as the hearth command does).
     */
    async addToken(organisationId: string, name: string, role: Role, opts: { days?: number; by?: Actor } = {}) {
      const by = opts.by ?? { kind: 'system', id: 'system', name: 'Hearth', organisationId, role: 'administrator' };
      return store.withOrg(organisationId, (tx) => insertToken(tx, by, { name, role, days: opts.days ?? options.tokenDays ?? DEFAULT_TOKEN_DAYS }));
    },

    async fromBearer(header: string | undefined): Promise<Actor | undefined> {
      const m = /^Bearer\s+(hearth_[A-Za-z0-9_-]{20,64})$/.exec(header ?? '');
      if (!m) return undefined;
      const hash = sha256(m[1]!);
      const cached = tokenCache.get(hash);
      if (cached && cached.until > Date.now()) return cached.actor;
      const [row] = await store.system((tx) => tx.select().from(apiTokens).where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt),
        gt(apiTokens.expiresAt, sql`now()`))));
      if (!row) { tokenCache.delete(hash); return undefined; }
      const actor: Actor = { kind: 'token', id: row.id, name: `API token: ${row.name}`, organisationId: row.organisationId, role: row.role as Role };
      // A token revoked by another process stops working within TOKEN_CACHE_MS; the cache never outlives the expiry.
      tokenCache.set(hash, { actor, until: Math.min(Date.now() + TOKEN_CACHE_MS, row.expiresAt.getTime()) });
      return actor;
    },
  };
}

/** How long a server trusts a token it has checked, in milliseconds (README: "The API"). */
const TOKEN_CACHE_MS = 5_000;
export const DEFAULT_TOKEN_DAYS = 90;
/** The longest a token may live: every token expires, so a forgotten one ends by itself. */
export const MAX_TOKEN_DAYS = 3650;

const tokenCache = new Map<string, { actor: Actor; until: number }>();

/** Forget every token this process has checked: call after a revocation commits, so it applies here at once. */
export function forgetCachedTokens() {
  tokenCache.clear();
}

/** How api_tokens.created_by names who made a token: 'user:<id>', 'token:<id>', or 'system' (the hearth command). */
export const creatorKey = (by: Actor) => (by.kind === 'system' ? 'system' : `${by.kind}:${by.id}`);

/** Insert a token in the caller's transaction (its organisation) and audit it; returns the secret, once. */
export async function insertToken(tx: Db, by: Actor, t: { name: string; role: Role; days: number }) {
  if (!t.name.trim() || t.name.length > 100) throw invalid('/name', 'must be 1 to 100 characters');
  if (!isRole(t.role)) throw invalid('/role', `is not a role: ${ROLES.join(', ')}`);
  if (!Number.isInteger(t.days) || t.days < 1 || t.days > MAX_TOKEN_DAYS) throw invalid('/days', `must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
  const secret = `hearth_${randomBytes(24).toString('base64url')}`;
  const id = uuidv7();
  const [row] = await tx.insert(apiTokens).values({
    organisationId: by.organisationId, id, name: t.name, role: t.role, tokenHash: sha256(secret),
    // A token made by another token lives no longer than its maker, so expiry cannot be escaped by making a new one.
    expiresAt: by.kind === 'token'
      ? sql`least(now() + make_interval(days => ${t.days}), (select m.expires_at from api_tokens m where m.organisation_id = ${by.organisationId} and m.id = ${by.id}))`
      : sql`now() + make_interval(days => ${t.days})`,
    createdBy: creatorKey(by),
  }).returning({ createdAt: apiTokens.createdAt, expiresAt: apiTokens.expiresAt });
  await audit(tx, by, { action: 'token-created', entityKind: 'api-token', entityId: id, detail: { name: t.name, role: t.role, days: t.days } });
  return { id, name: t.name, role: t.role, createdAt: row!.createdAt, expiresAt: row!.expiresAt!, token: secret };
}

export type AuthService = ReturnType<typeof authService>;
