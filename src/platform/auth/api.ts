// Staff accounts and API tokens over the API, for administrators (users:manage): list, disable, enable, change role
// (PATCH with If-Match), reset password; list, create (the secret answered once) and revoke tokens. Everything is of
// the caller's organisation: another organisation's ids are 404s, like ids that do not exist.
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { TypedFastify } from '../http/typed.ts';
import { API_ROUTE, etagOf, parseIfMatch, type Run } from '../records/api.ts';
import { literalUnion, ProblemSchema, strict } from '../http/schemas.ts';
import { Problem } from '../http/problem.ts';
import { MIN_PASSWORD_LENGTH } from './passwords.ts';
import { ROLES } from './roles.ts';
import { forgetCachedTokens, MAX_TOKEN_DAYS } from './service.ts';
import { createToken, disableUser, enableUser, getUser, listTokens, listUsers, MAX_PASSWORD_LENGTH, resetPassword, revokeToken, setRole, type TokenView, type UserView } from './accounts.ts';

const tags = ['Accounts'];
const security = [{ bearer: [] }];
const errors = { 401: ProblemSchema, 403: ProblemSchema };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const when = (description: string) => Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description });
const RoleSchema = literalUnion(ROLES, { description: `A role: ${ROLES.join(', ')}` });

const UserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String({ description: 'The sign-in email address' }),
  name: Type.String(),
  role: RoleSchema,
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled'), Type.Literal('locked')],
    { description: 'active; disabled (cannot sign in until enabled); locked (too many wrong passwords: until lockedUntil, or enable)' }),
  version: Type.Integer({ description: 'Increases on every change; the ETag is this number in quotes' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastSignInAt: when('When they last signed in; null if never'),
  disabledAt: when('When the account was disabled; null if enabled'),
  lockedUntil: when('Until when sign-in is locked after wrong passwords; null or past if not locked'),
}, { $id: 'User', description: 'A member of staff who signs in to the pages' });

const TokenSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ description: 'What the token is for' }),
  role: RoleSchema,
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: when('When the token stops working; null only for tokens made before tokens expired'),
  revokedAt: when('When the token was revoked; null if not'),
  createdBy: Type.Union([Type.Object({
    kind: Type.Union([Type.Literal('user'), Type.Literal('token'), Type.Literal('system')]),
    id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    name: Type.String(),
  }), Type.Null()], { description: 'Who made it: a member of staff, an API token or the hearth command; null if not recorded' }),
}, { $id: 'ApiToken', description: 'An API token, without its secret (which is shown once, when it is made) or the secret’s hash' });

const iso = (d: Date | null) => d?.toISOString() ?? null;
const presentUser = (u: UserView) => ({ ...u, createdAt: u.createdAt.toISOString(), lastSignInAt: iso(u.lastSignInAt), disabledAt: iso(u.disabledAt), lockedUntil: iso(u.lockedUntil) });
const presentToken = (t: TokenView) => ({ ...t, createdAt: t.createdAt.toISOString(), expiresAt: iso(t.expiresAt), revokedAt: iso(t.revokedAt) });

/** These answers hold a secret, which Hearth never stores, so a retry cannot be answered from an Idempotency-Key. */
function refuseIdempotencyKey(req: FastifyRequest) {
  if (req.headers['idempotency-key'] === undefined) return;
  throw new Problem(400, 'Invalid request', 'Idempotency-Key: is not accepted here, because the answer holds a secret that Hearth does not store; send the request without it',
    [{ field: 'header:Idempotency-Key', message: 'is not accepted by this operation' }]);
}

export function accountsApi(app: TypedFastify, run: Run, options: { tokenDays: number }) {

  app.get('/users', {
    ...API_ROUTE,
    schema: {
      tags, security, operationId: 'listUsers', summary: 'List the staff of your organisation (administrators)',
      description: 'Every member of staff with their role, status (active, disabled, locked) and last sign-in, by name. Never a password or its hash.',
      response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...errors },
    },
  }, async (req) => ({ items: (await run(req, listUsers)).map(presentUser) }));

  app.get('/users/:id', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'getUser', summary: 'Get a member of staff (administrators)',
      description: 'The ETag is the version: send it in If-Match to change their role.',
      response: { 200: UserSchema, 404: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const user = await run(req, (ctx) => getUser(ctx, req.params.id));
    reply.header('etag', etagOf(user));
    return presentUser(user);
  });

  app.patch('/users/:id', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'updateUser', summary: 'Change a member of staff’s role (send If-Match)',
      description: 'The new role applies from their next request. Refused (409) if it would leave the organisation without an enabled administrator.',
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The ETag from your last read; required' })) }),
      body: Type.Object({ role: RoleSchema }, strict),
      response: { 200: UserSchema, 404: ProblemSchema, 409: ProblemSchema, 412: ProblemSchema, 428: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const expected = parseIfMatch(req.headers['if-match']);
    const user = await run(req, (ctx) => setRole(ctx, req.params.id, req.body.role, expected));
    reply.header('etag', etagOf(user));
    return presentUser(user);
  });

  app.post('/users/:id/disable', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'disableUser', summary: 'Disable a member of staff: they cannot sign in, and their sessions end at once',
      description: 'Disabling a disabled account changes nothing. Refused (409) for your own account and for the last enabled administrator.',
      response: { 200: UserSchema, 404: ProblemSchema, 409: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const user = await run(req, (ctx) => disableUser(ctx, req.params.id));
    reply.header('etag', etagOf(user));
    return presentUser(user);
  });

  app.post('/users/:id/enable', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'enableUser', summary: 'Enable a member of staff, and clear a sign-in lockout',
      description: 'They can sign in again with their password. Enabling an enabled, unlocked account changes nothing.',
      response: { 200: UserSchema, 404: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const user = await run(req, (ctx) => enableUser(ctx, req.params.id));
    reply.header('etag', etagOf(user));
    return presentUser(user);
  });

  app.post('/users/:id/reset-password', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'resetUserPassword', summary: 'Set a new password for a member of staff, or have one generated (answered once)',
      description: `Ends their sessions and clears a sign-in lockout. Send a password of ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters, ` +
        'or none to have Hearth generate one: it is in this answer (generatedPassword) and nowhere else. Idempotency-Key is not accepted.',
      body: Type.Object({ password: Type.Optional(Type.String({ description: `The new password (${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters)` })) }, strict),
      response: {
        200: Type.Intersect([UserSchema, Type.Object({ generatedPassword: Type.Optional(Type.String({ description: 'The generated password, shown this once' })) })]),
        404: ProblemSchema, ...errors,
      },
    },
  }, async (req, reply) => {
    refuseIdempotencyKey(req);
    const { user, generatedPassword } = await run(req, (ctx) => resetPassword(ctx, req.params.id, req.body?.password));
    reply.header('etag', etagOf(user));
    return { ...presentUser(user), ...(generatedPassword ? { generatedPassword } : {}) };
  });

  app.get('/api-tokens', {
    ...API_ROUTE,
    schema: {
      tags, security, operationId: 'listApiTokens', summary: 'List your organisation’s API tokens (administrators)',
      description: 'Newest first, with role, creator, expiry and status. Never the secret or its hash.',
      response: { 200: Type.Object({ items: Type.Array(TokenSchema) }), ...errors },
    },
  }, async (req) => ({ items: (await run(req, listTokens)).map(presentToken) }));

  app.post('/api-tokens', {
    ...API_ROUTE,
    schema: {
      tags, security, operationId: 'createApiToken', summary: 'Create an API token: 201 with its secret, shown this once',
      description: `The token acts for your organisation with the role given, until it expires (days, default ${options.tokenDays}: HEARTH_TOKEN_DAYS) or is revoked. ` +
        'Only its hash is kept: keep the secret safe. Idempotency-Key is not accepted (a retry would need the secret stored).',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100, description: 'What the token is for, e.g. "repairs contractor sync"' }),
        role: RoleSchema,
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TOKEN_DAYS, description: `Days until it expires (1 to ${MAX_TOKEN_DAYS}; default ${options.tokenDays})` })),
      }, strict),
      response: { 201: Type.Intersect([TokenSchema, Type.Object({ token: Type.String({ description: 'The secret: send it as Authorization: Bearer <token>. Shown this once.' }) })]), ...errors },
    },
  }, async (req, reply) => {
    refuseIdempotencyKey(req);
    const body = req.body;
    const token = await run(req, (ctx) => createToken(ctx, { name: body.name, role: body.role, days: body.days ?? options.tokenDays }));
    reply.code(201);
    return { ...presentToken(token), token: token.token };
  });

  app.post('/api-tokens/:id/revoke', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'revokeApiToken', summary: 'Revoke an API token: it stops working at once',
      description: 'At once on this server; a server in another process stops trusting it within 5 seconds (it remembers a checked token that long). Revoking a revoked token changes nothing.',
      response: { 200: TokenSchema, 404: ProblemSchema, ...errors },
    },
  }, async (req) => {
    const token = await run(req, (ctx) => revokeToken(ctx, req.params.id));
    forgetCachedTokens(); // again after commit: a request that checked the token meanwhile may have remembered it
    return presentToken(token);
  });
}
