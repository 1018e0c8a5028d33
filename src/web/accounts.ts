// The administrators' page for staff accounts and API tokens (/users): staff with role, last sign-in and status;
// per member of staff a page of small forms (role, reset password, disable or enable); API tokens with revoke and a
// form that makes one and shows its secret once. Every form is a POST with a CSRF token; no JavaScript needed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypedFastify } from '../platform/http/typed.ts';
import { IdParams, type IdRequest, type PageRun } from './page.ts';
import type { Run } from '../platform/records/api.ts';
import type { Ctx } from '../platform/records/context.ts';
import { can, ROLE_NAMES, ROLES } from '../platform/auth/roles.ts';
import { literalUnion } from '../platform/http/schemas.ts';
import { forbidden, Problem } from '../platform/http/problem.ts';
import { MIN_PASSWORD_LENGTH } from '../platform/auth/passwords.ts';
import { forgetCachedTokens, MAX_TOKEN_DAYS } from '../platform/auth/service.ts';
import { createToken, disableUser, enableUser, getUser, listTokens, listUsers, MAX_PASSWORD_LENGTH, resetPassword, revokeToken, setRole } from '../platform/auth/accounts.ts';
import { Type } from 'typebox';
import { defineForm, errorLookup, Untrimmed, type ErrorItem } from './forms/index.ts';

type Raw = Record<string, unknown>;

const rawText = (raw: Raw, name: string) => (typeof raw[name] === 'string' ? (raw[name] as string) : '');
const RoleChoice = literalUnion(ROLES); // a tuple of literals, so the chosen role is typed (Type.Union over a mapped array is never)

const TokenForm = defineForm({
  schema: Type.Object({ name: Type.String({ maxLength: 100 }), role: RoleChoice, days: Type.Integer({ minimum: 1, maximum: MAX_TOKEN_DAYS }) }),
  messages: {
    name: { required: 'Enter what the token is for', tooLong: 'What the token is for must be 100 characters or fewer' },
    role: 'Select the role the token acts with',
    days: `Enter the days until it expires as a whole number from 1 to ${MAX_TOKEN_DAYS}`,
  },
});

// The version the page was drawn from: a change made since (by another administrator) is refused, not overwritten.
const RoleForm = defineForm({
  schema: Type.Object({ role: Type.String({ maxLength: 50 }), version: Type.Optional(Type.Integer({ minimum: 0, maximum: 999_999_999 })) }),
  messages: { role: 'Select a role', version: 'The page was out of date: check the role below and try again' },
  ids: { version: 'role' },
});

const PasswordForm = defineForm({
  schema: Type.Object({ password: Type.Optional(Untrimmed(Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH }))) }),
  messages: { password: `The temporary password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters, or leave it empty to have one made` },
});
const STATUS_TAGS = {
  active: { text: 'Active', classes: 'govuk-tag--green' },
  disabled: { text: 'Disabled', classes: 'govuk-tag--grey' },
  locked: { text: 'Locked', classes: 'govuk-tag--orange' },
  expired: { text: 'Expired', classes: 'govuk-tag--grey' },
  revoked: { text: 'Revoked', classes: 'govuk-tag--red' },
} as const;
const roleItems = (selected: string) => ROLES.map((r) => ({ value: r, text: ROLE_NAMES[r], selected: r === selected }));

function requireManage(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'users:manage')) throw forbidden('Only administrators manage staff accounts and API tokens');
}

export function accountPages(app: TypedFastify, page: PageRun, run: Run, options: { tokenDays: number }) {
  // ---- Staff and API tokens
  async function showList(req: FastifyRequest, reply: FastifyReply, raw?: Raw, errors: ErrorItem[] = []) {
    requireManage(req);
    const data = await page(req, async (ctx) => ({ users: await listUsers(ctx), tokens: await listTokens(ctx) }));
    return reply.code(errors.length ? 400 : 200).view('web/users.njk', {
      ...data, title: 'Users and API tokens', section: 'users', STATUS_TAGS, ROLE_NAMES, errors, errorFor: errorLookup(errors), maxDays: MAX_TOKEN_DAYS,
      values: { name: rawText(raw ?? {}, 'name'), days: raw ? rawText(raw, 'days') : String(options.tokenDays) },
      roleItems: roleItems(raw ? rawText(raw, 'role') : 'analyst'),
    });
  }

  app.get('/users', async (req, reply) => showList(req, reply));

  app.post('/users/tokens', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    const form = TokenForm.parse(req.body);
    if (!form.ok) return showList(req, reply, form.raw, form.errors);
    const data = await page(req, async (ctx) => ({ token: await createToken(ctx, form.values) }));
    // The secret is in this answer and nowhere else: not in a redirect, not in the database.
    return reply.view('web/token-created.njk', { ...data, title: 'API token created', section: 'users', backLink: '/users', roleName: ROLE_NAMES[data.token.role] });
  });

  app.post('/users/tokens/:id/revoke', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    await run(req, (ctx) => revokeToken(ctx, req.params.id));
    forgetCachedTokens(); // again after commit: a request that checked the token meanwhile may have remembered it
    return reply.redirect('/users#api-tokens', 303);
  });

  // ---- One member of staff
  async function showUser(req: IdRequest, reply: FastifyReply, errors: ErrorItem[] = [], raw: Raw = {}) {
    requireManage(req);
    const data = await page(req, async (ctx) => ({ user: await getUser(ctx, req.params.id) }));
    return reply.code(errors.length ? 400 : 200).view('web/user.njk', {
      ...data, title: data.user.name, section: 'users', backLink: '/users', STATUS_TAGS, ROLE_NAMES, errors, errorFor: errorLookup(errors),
      roleItems: roleItems(rawText(raw, 'role') || data.user.role), isSelf: req.actor!.kind === 'user' && req.actor!.id === data.user.id, minPassword: MIN_PASSWORD_LENGTH,
    });
  }

  app.get('/users/:id', { schema: { params: IdParams } }, async (req, reply) => showUser(req, reply));

  const userId = (req: IdRequest) => req.params.id;

  /** Do a change and go back to the user's page; a refusal (the last administrator, yourself) is shown as an error. */
  const act = (href: string, work: (ctx: Ctx, req: IdRequest) => Promise<unknown>, raw: Raw = {}) => async (req: IdRequest, reply: FastifyReply) => {
    requireManage(req);
    try {
      await run(req, (ctx) => work(ctx, req));
    } catch (err) {
      if (err instanceof Problem && (err.status === 400 || err.status === 409)) return showUser(req, reply, [{ text: err.message, href }], raw);
      if (err instanceof Problem && err.status === 412) {
        return showUser(req, reply, [{ text: 'Someone changed this account while you were looking at it. Check it below and try again.', href }]);
      }
      throw err;
    }
    return reply.redirect(`/users/${userId(req)}`, 303);
  };

  app.post('/users/:id/disable', { schema: { params: IdParams }, preHandler: app.csrfProtection },
    act('#status', (ctx, req) => disableUser(ctx, userId(req))));
  app.post('/users/:id/enable', { schema: { params: IdParams }, preHandler: app.csrfProtection },
    act('#status', (ctx, req) => enableUser(ctx, userId(req))));
  app.post('/users/:id/role', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    const form = RoleForm.parse(req.body);
    if (!form.ok) return showUser(req, reply, form.errors, form.raw);
    const { role, version } = form.values;
    return act('#role', (ctx) => setRole(ctx, userId(req), role, version), form.raw)(req, reply);
  });

  app.post('/users/:id/password', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    const form = PasswordForm.parse(req.body);
    // The typed password is never drawn back into the page.
    if (!form.ok) return showUser(req, reply, form.errors);
    const data = await page(req, async (ctx) => resetPassword(ctx, userId(req), form.values.password));
    return reply.view('web/password-reset.njk', { ...data, title: 'Password reset', section: 'users', backLink: `/users/${data.user.id}` });
  });
}
