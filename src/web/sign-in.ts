// Sign in and sign out. Sign-in is rate-limited per IP address (and each account locks after repeated wrong passwords,
// platform/auth/service.ts); failures say nothing about which part was wrong.
import type { TypedFastify } from '../platform/http/typed.ts';
import type { AuthService } from '../platform/auth/service.ts';
import type { Config } from '../config.ts';
import { Type } from 'typebox';
import { SESSION_COOKIE, CSRF_COOKIE, csrfBinding } from './session.ts';
import { defineForm, Untrimmed, type ErrorItem } from './forms/index.ts';
import { QueryValue } from './page.ts';

/** Too long an email address or password is simply a wrong one: the message says nothing about which part was wrong. */
const WRONG = 'Enter a correct email address and password';
const SignInForm = defineForm({
  schema: Type.Object({
    email: Type.String({ maxLength: 200 }),
    password: Untrimmed(Type.String({ maxLength: 500 })),
    next: Type.Optional(Type.String()), // only ever a local path (safeNext), else the overview
  }),
  messages: {
    email: { required: 'Enter your email address', tooLong: WRONG },
    password: { required: 'Enter your password', tooLong: WRONG },
    next: WRONG,
  },
});

/** Only local paths, so a crafted ?next= cannot send someone to another site after signing in. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-/?=&%.]*$/.test(next) ? next : '/';
}

export function signInPages(app: TypedFastify, { auth, config }: { auth: AuthService; config: Config }) {
  app.get('/sign-in', { schema: { querystring: Type.Object({ next: QueryValue, signedOut: QueryValue }) } }, async (req, reply) => {
    if (req.actor) return reply.redirect('/');
    const next = safeNext(req.query.next);
    // After signing out (a redirect from /sign-out): say so, in a success banner. Only words: anyone may ask for it.
    const signedOut = req.query.signedOut === '1';
    return reply.view('web/sign-in.njk', { title: 'Sign in', next, signedOut, csrfToken: reply.generateCsrf({ userInfo: csrfBinding(req) }) });
  });

  app.post('/sign-in', {
    preHandler: app.csrfProtection,
    config: { rateLimit: { max: config.signInPerMinute, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    const form = SignInForm.parse(req.body);
    const email = typeof form.raw.email === 'string' ? form.raw.email.slice(0, 200) : '';
    const next = safeNext(form.ok ? form.values.next : form.raw.next);
    const errors: ErrorItem[] = form.ok ? [] : form.errors;
    const session = form.ok ? await auth.signIn(form.values.email, form.values.password) : undefined;
    if (!session) {
      if (!errors.length) errors.push({ text: 'Enter a correct email address and password', href: '#email' });
      return reply.code(400).view('web/sign-in.njk', { title: 'Sign in', next, email, errors, csrfToken: reply.generateCsrf({ userInfo: csrfBinding(req) }) });
    }
    reply.setCookie(SESSION_COOKIE, session.token, {
      httpOnly: true, sameSite: 'lax', secure: config.production, path: '/', maxAge: config.sessionMinutes * 60,
    });
    // A new session gets a new CSRF secret (made by the next page), so no token from before sign-in carries over.
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.redirect(next, 303);
  });

  app.post('/sign-out', { preHandler: app.csrfProtection }, async (req, reply) => {
    if (req.actor) await auth.signOut(req.cookies[SESSION_COOKIE], req.actor);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?signedOut=1', 303);
  });
}
