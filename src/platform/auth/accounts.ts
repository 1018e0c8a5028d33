// Account administration for one organisation: list staff, disable, enable, change role, reset password; list, create
// and revoke API tokens. Administrators only (users:manage). Each change is audited with who made it, in the same
// transaction, and bumps the user's version (the API's ETag). The API (platform/auth/api.ts), the /users page
// (web/accounts.ts) and the hearth command all come here.
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Ctx } from '../records/context.ts';
import { audit } from '../audit/service.ts';
import { forbidden, invalid, notFound, Problem } from '../http/problem.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { can, isRole, ROLES, type Role } from './roles.ts';
import { apiTokens, sessions, users } from './schema.ts';
import { forgetCachedTokens, insertToken } from './service.ts';

export type UserStatus = 'active' | 'disabled' | 'locked';
export type TokenStatus = 'active' | 'expired' | 'revoked';
/** Sign-in truncates a password at this length, so a longer one could never be typed in. */
export const MAX_PASSWORD_LENGTH = 500;

export interface UserView {
  id: string; email: string; name: string; role: Role; status: UserStatus; version: number;
  createdAt: Date; lastSignInAt: Date | null; disabledAt: Date | null; lockedUntil: Date | null;
}

export interface TokenView {
  id: string; name: string; role: Role; status: TokenStatus; createdAt: Date; expiresAt: Date | null; revokedAt: Date | null;
  /** Who made it: a member of staff, another API token, or Hearth itself (the hearth command); null for tokens made before this was kept. */
  createdBy: { kind: 'user' | 'token' | 'system'; id: string | null; name: string } | null;
}

function requireManage(ctx: Ctx) {
  if (!can(ctx.actor.role, 'users:manage')) throw forbidden('Only administrators manage staff accounts and API tokens');
}

const userColumns = {
  id: users.id, email: users.email, name: users.name, role: users.role, version: users.version, createdAt: users.createdAt,
  lastSignInAt: users.lastSignInAt, disabledAt: users.disabledAt, lockedUntil: users.lockedUntil,
  locked: sql<boolean>`coalesce(${users.lockedUntil} > now(), false)`,
};
type UserRow = Omit<UserView, 'status' | 'role'> & { role: string; locked: boolean };

function present(r: UserRow): UserView {
  const { locked, ...rest } = r;
  return { ...rest, role: r.role as Role, status: r.disabledAt ? 'disabled' : locked ? 'locked' : 'active' };
}

const byId = (ctx: Ctx, id: string) => and(eq(users.organisationId, ctx.actor.organisationId), eq(users.id, id));

async function loadUser(ctx: Ctx, id: string, lock = false): Promise<UserView> {
  const q = ctx.tx.select(userColumns).from(users).where(byId(ctx, id));
  const [row] = await (lock ? q.for('update') : q);
  if (!row) throw notFound('user');
  return present(row);
}

/** Update a user, bump the version, and return it as it now is. */
async function change(ctx: Ctx, id: string, set: Parameters<ReturnType<Ctx['tx']['update']>['set']>[0]): Promise<UserView> {
  const [row] = await ctx.tx.update(users).set({ ...set, version: sql`${users.version} + 1` }).where(byId(ctx, id)).returning(userColumns);
  return present(row!);
}

/** Sessions end at once: the session cookie is looked up in this table on every request. */
async function endSessions(ctx: Ctx, userId: string) {
  await ctx.tx.delete(sessions).where(and(eq(sessions.organisationId, ctx.actor.organisationId), eq(sessions.userId, userId)));
}

/**
 * Refuse a change that would leave the organisation with no enabled administrator (nobody could manage accounts
 * on the page or make API tokens there). The enabled administrators are locked first, in id order, so two
 * administrators disabling each other at once cannot both succeed (and cannot deadlock).
 */
async function keepAnAdministrator(ctx: Ctx, target: UserView, what: string) {
  const admins = await ctx.tx.select({ id: users.id }).from(users)
    .where(and(eq(users.organisationId, ctx.actor.organisationId), eq(users.role, 'administrator'), isNull(users.disabledAt)))
    .orderBy(asc(users.id)).for('update');
  if (admins.some((a) => a.id === target.id) && admins.length === 1) {
    throw new Problem(409, 'Conflict', `${target.name} is the last administrator of this organisation: make someone else an administrator before you ${what}`);
  }
}

export async function listUsers(ctx: Ctx): Promise<UserView[]> {
  requireManage(ctx);
  const rows = await ctx.tx.select(userColumns).from(users).where(eq(users.organisationId, ctx.actor.organisationId)).orderBy(asc(users.name), asc(users.email));
  return rows.map(present);
}

export async function getUser(ctx: Ctx, id: string): Promise<UserView> {
  requireManage(ctx);
  return loadUser(ctx, id);
}

/** Disable an account: it cannot sign in, and its sessions are deleted in the same transaction (they end at once). */
export async function disableUser(ctx: Ctx, id: string): Promise<UserView> {
  requireManage(ctx);
  const current = await loadUser(ctx, id);
  if (ctx.actor.kind === 'user' && ctx.actor.id === id) throw new Problem(409, 'Conflict', 'You cannot disable your own account: ask another administrator');
  await keepAnAdministrator(ctx, current, 'disable their account');
  const user = await loadUser(ctx, id, true);
  await endSessions(ctx, id);
  if (user.disabledAt) return user;
  const updated = await change(ctx, id, { disabledAt: sql`now()` });
  await audit(ctx.tx, ctx.actor, { action: 'user-disabled', entityKind: 'user', entityId: id, detail: { email: user.email } });
  // A leaver keeps no access through the API tokens they made (nor the tokens those made).
  await revokeTokensMadeBy(ctx, `user:${id}`);
  return updated;
}

/** Enable an account, and clear any sign-in lockout (an administrator vouches for it). */
export async function enableUser(ctx: Ctx, id: string): Promise<UserView> {
  requireManage(ctx);
  const user = await loadUser(ctx, id, true);
  if (!user.disabledAt && !user.lockedUntil) return user;
  const updated = await change(ctx, id, { disabledAt: null, failedSignIns: 0, lockedUntil: null });
  await audit(ctx.tx, ctx.actor, { action: 'user-enabled', entityKind: 'user', entityId: id, detail: { email: user.email, wasDisabled: !!user.disabledAt, wasLocked: user.status === 'locked' } });
  return updated;
}

/**
 * Change a user's role. It applies from their next request: a session is looked up with the user's current role
 * every time. `expectedVersion` (the API's If-Match) makes a stale change a 412.
 */
export async function setRole(ctx: Ctx, id: string, role: string, expectedVersion?: number): Promise<UserView> {
  requireManage(ctx);
  if (!isRole(role)) throw invalid('/role', `is not a role: ${ROLES.join(', ')}`);
  const current = await loadUser(ctx, id);
  if (role !== 'administrator') await keepAnAdministrator(ctx, current, 'change their role');
  const user = await loadUser(ctx, id, true);
  if (expectedVersion !== undefined && expectedVersion !== user.version) {
    throw new Problem(412, 'Precondition failed', `This user has changed since you read them (version ${user.version}, not ${expectedVersion}): read them again`);
  }
  if (user.role === role) return user;
  const updated = await change(ctx, id, { role });
  await audit(ctx.tx, ctx.actor, { action: 'user-role-changed', entityKind: 'user', entityId: id, detail: { from: user.role, to: role } });
  return updated;
}

/**
 * Set a new password (or generate one, returned once), end the user's sessions and clear any lockout. The audit
 * row says that it happened, never the password.
 */
export async function resetPassword(ctx: Ctx, id: string, password?: string): Promise<{ user: UserView; generatedPassword?: string }> {
  requireManage(ctx);
  if (password !== undefined && (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH)) {
    throw invalid('/password', `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
  }
  await loadUser(ctx, id); // a 404 before the work of hashing
  const generated = password === undefined ? randomBytes(12).toString('base64url') : undefined;
  const passwordHash = await hashPassword(password ?? generated!);
  const user = await loadUser(ctx, id, true); // locked only after hashing, for as short a time as can be
  await endSessions(ctx, id);
  const updated = await change(ctx, id, { passwordHash, failedSignIns: 0, lockedUntil: null });
  await audit(ctx.tx, ctx.actor, { action: 'user-password-reset', entityKind: 'user', entityId: id, detail: { email: user.email, generated: !!generated } });
  return { user: updated, ...(generated ? { generatedPassword: generated } : {}) };
}

const tokenColumns = {
  id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, createdAt: apiTokens.createdAt, expiresAt: apiTokens.expiresAt,
  revokedAt: apiTokens.revokedAt, createdBy: apiTokens.createdBy, expired: sql<boolean>`coalesce(${apiTokens.expiresAt} <= now(), false)`,
};
type TokenRow = { id: string; name: string; role: string; createdAt: Date; expiresAt: Date | null; revokedAt: Date | null; createdBy: string | null; expired: boolean };

/** Tokens as listed: never the secret, never its hash. Creators are named from this organisation's users and tokens. */
async function presentTokens(ctx: Ctx, rows: TokenRow[]): Promise<TokenView[]> {
  const refs = rows.map((r) => /^(user|token):(.+)$/.exec(r.createdBy ?? '')).filter((m) => m !== null);
  const userIds = refs.filter((m) => m[1] === 'user').map((m) => m[2]!);
  const tokenIds = refs.filter((m) => m[1] === 'token').map((m) => m[2]!);
  const org = ctx.actor.organisationId;
  const names = new Map<string, string>();
  if (userIds.length) for (const u of await ctx.tx.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.organisationId, org), inArray(users.id, userIds)))) names.set(`user:${u.id}`, u.name);
  if (tokenIds.length) for (const t of await ctx.tx.select({ id: apiTokens.id, name: apiTokens.name }).from(apiTokens).where(and(eq(apiTokens.organisationId, org), inArray(apiTokens.id, tokenIds)))) names.set(`token:${t.id}`, `API token: ${t.name}`);
  return rows.map(({ expired, createdBy, ...r }) => {
    const m = /^(user|token):(.+)$/.exec(createdBy ?? '');
    const by: TokenView['createdBy'] = createdBy === 'system' ? { kind: 'system', id: null, name: 'Hearth (the hearth command)' }
      : m ? { kind: m[1] as 'user' | 'token', id: m[2]!, name: names.get(createdBy!) ?? `${m[1] === 'user' ? 'A user' : 'An API token'} no longer recorded` } : null;
    return { ...r, role: r.role as Role, status: r.revokedAt ? 'revoked' : expired ? 'expired' : 'active', createdBy: by };
  });
}

export async function listTokens(ctx: Ctx): Promise<TokenView[]> {
  requireManage(ctx);
  const rows = await ctx.tx.select(tokenColumns).from(apiTokens).where(eq(apiTokens.organisationId, ctx.actor.organisationId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return presentTokens(ctx, rows);
}

/** Create a token acting with `role` for `days`; the secret is in the answer, once, and nowhere else. */
export async function createToken(ctx: Ctx, t: { name: string; role: string; days: number }): Promise<TokenView & { token: string }> {
  requireManage(ctx);
  if (!isRole(t.role)) throw invalid('/role', `is not a role: ${ROLES.join(', ')}`);
  const made = await insertToken(ctx.tx, ctx.actor, { name: t.name.trim(), role: t.role, days: t.days });
  const [row] = await ctx.tx.select(tokenColumns).from(apiTokens).where(and(eq(apiTokens.organisationId, ctx.actor.organisationId), eq(apiTokens.id, made.id)));
  return { ...(await presentTokens(ctx, [row!]))[0]!, token: made.token };
}

/**
 * Revoke a token. This process forgets the tokens it has checked, so the token stops working here at once (and
 * again after commit, in case a request re-checked it meanwhile: see forgetCachedTokens); another process stops
 * trusting it within 5 seconds.
 */
export async function revokeToken(ctx: Ctx, id: string): Promise<TokenView> {
  requireManage(ctx);
  const where = and(eq(apiTokens.organisationId, ctx.actor.organisationId), eq(apiTokens.id, id));
  const [row] = await ctx.tx.select(tokenColumns).from(apiTokens).where(where).for('update');
  if (!row) throw notFound('API token');
  if (!row.revokedAt) {
    const [updated] = await ctx.tx.update(apiTokens).set({ revokedAt: sql`now()` }).where(where).returning({ revokedAt: apiTokens.revokedAt });
    row.revokedAt = updated!.revokedAt;
    await audit(ctx.tx, ctx.actor, { action: 'token-revoked', entityKind: 'api-token', entityId: id, detail: { name: row.name } });
  }
  // Tokens this token made go with it: revoking a token cannot leave a copy of its access behind.
  await revokeTokensMadeBy(ctx, `token:${id}`);
  forgetCachedTokens();
  return (await presentTokens(ctx, [row]))[0]!;
}

/**
 * Revoke every live token made by `creator` ('user:<id>' or 'token:<id>'), and the tokens those made, and so on, in
 * this organisation; each revocation is audited with the reason. The caller's revokeToken/disableUser forgets cached
 * tokens after commit as for any revocation.
 */
async function revokeTokensMadeBy(ctx: Ctx, creator: string): Promise<void> {
  const revoked = await ctx.tx.execute<{ id: string; name: string; created_by: string }>(sql`
    with recursive made (id) as (
      select t.id from api_tokens t where t.organisation_id = ${ctx.actor.organisationId} and t.created_by = ${creator}
      union
      select t.id from api_tokens t join made m on t.created_by = 'token:' || m.id::text
      where t.organisation_id = ${ctx.actor.organisationId}
    )
    update api_tokens t set revoked_at = now()
    from made where t.organisation_id = ${ctx.actor.organisationId} and t.id = made.id and t.revoked_at is null
    returning t.id, t.name, t.created_by`);
  if (!revoked.rows.length) return;
  await audit(ctx.tx, ctx.actor, revoked.rows.map((t) => ({
    action: 'token-revoked' as const, entityKind: 'api-token', entityId: t.id, detail: { name: t.name, because: `its maker (${t.created_by}) was disabled or revoked` },
  })));
  forgetCachedTokens();
}
