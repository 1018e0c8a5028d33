// Sign-in, sessions and API tokens. These lookups happen before we know the organisation, so they run as the
// owner (store.system) and touch only the auth tables; everything after runs under the actor's organisation.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Store } from '../db/store.ts';
import type { Actor } from './actor.ts';
import { users, sessions, apiTokens } from './schema.ts';
import { hashPassword, verifyPassword, DUMMY_HASH, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { isRole, type Role } from './roles.ts';
import { audit } from '../audit/service.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const normaliseEmail = (e: string) => e.trim().toLowerCase();

export interface NewUser { organisationId: string; email: string; name: string; role: Role; password: string; /** A hash made earlier with hashPassword(password), to save hashing twice. */ passwordHash?: string }

export function authService(store: Store, options: { sessionMinutes: number }) {
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

    /** Returns a new session token, or undefined. The same work is done whether or not the account exists. */
    async signIn(email: string, password: string): Promise<{ token: string; actor: Actor } | undefined> {
      const [user] = await store.system((tx) => tx.select().from(users).where(and(eq(users.email, normaliseEmail(email)), isNull(users.disabledAt))));
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user) return undefined;
      const actor: Actor = { kind: 'user', id: user.id, name: user.name, organisationId: user.organisationId, role: user.role as Role };
      if (!ok) {
        await store.system((tx) => audit(tx, actor, { action: 'sign-in-failed', entityKind: 'user', entityId: user.id }));
        return undefined;
      }
      const token = randomBytes(32).toString('base64url');
      await store.system(async (tx) => {
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

    /** Create an API token; the secret is returned once and only its hash is kept. */
    async addToken(organisationId: string, name: string, role: Role) {
      if (!isRole(role)) throw new Error(`role: unknown role "${role}"`);
      const secret = `hearth_${randomBytes(24).toString('base64url')}`;
      const id = uuidv7();
      await store.system(async (tx) => {
        await tx.insert(apiTokens).values({ organisationId, id, name, role, tokenHash: sha256(secret) });
        await audit(tx, { kind: 'system', id: 'system', name: 'Hearth', organisationId, role: 'administrator' },
          { action: 'token-created', entityKind: 'api-token', entityId: id, detail: { name, role } });
      });
      return { id, name, role, token: secret };
    },

    async fromBearer(header: string | undefined): Promise<Actor | undefined> {
      const m = /^Bearer\s+(hearth_[A-Za-z0-9_-]{20,64})$/.exec(header ?? '');
      if (!m) return undefined;
      const hash = sha256(m[1]!);
      const cached = tokenCache.get(hash);
      if (cached && cached.until > Date.now()) return cached.actor;
      const [row] = await store.system((tx) => tx.select().from(apiTokens).where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt))));
      if (!row) return undefined;
      const actor: Actor = { kind: 'token', id: row.id, name: `API token: ${row.name}`, organisationId: row.organisationId, role: row.role as Role };
      // A revoked token stops working within this many milliseconds.
      tokenCache.set(hash, { actor, until: Date.now() + 5_000 });
      return actor;
    },

    async revokeToken(organisationId: string, id: string) {
      await store.system((tx) => tx.update(apiTokens).set({ revokedAt: sql`now()` }).where(and(eq(apiTokens.organisationId, organisationId), eq(apiTokens.id, id))));
      tokenCache.clear();
    },
  };
}

const tokenCache = new Map<string, { actor: Actor; until: number }>();

export type AuthService = ReturnType<typeof authService>;
