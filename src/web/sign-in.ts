// Sign in and sign out. Sign-in is rate-limited per IP address (and each account locks after repeated wrong passwords,
// platform/auth/service.ts); failures say nothing about which part was wrong.
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../platform/auth/service.ts';
import type { Config } from '../config.ts';
import { SESSION_COOKIE, CSRF_COOKIE, csrfBinding } from './session.ts';

/** Only local paths, so a crafted ?next= cannot send someone to another site after signing in. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-/?=&%.]*$/.test(next) ? next : '/';
}

export function signInPages(app: FastifyInstance, { auth, config }: { auth: AuthService; config: Config }) {
  app.get('/sign-in', async (req, reply) => {
    if (req.actor) return reply.redirect('/');
    const next = safeNext((req.query as { next?: string }).next);
    return reply.view('sign-in.njk', { title: 'Sign in', next, csrfToken: reply.generateCsrf({ userInfo: csrfBinding(req) }) });
  });

  app.post('/sign-in', {
    preHandler: app.csrfProtection,
    config: { rateLimit: { max: config.signInPerMinute, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    const body = (req.body ?? {}) as { email?: string; password?: string; next?: string };
    const email = String(body.email ?? '').slice(0, 200);
    const password = String(body.password ?? '').slice(0, 500);
    const next = safeNext(body.next);
    const errors: { text: string; href: string }[] = [];
    if (!email.trim()) errors.push({ text: 'Enter your email address', href: '#email' });
    if (!password) errors.push({ text: 'Enter your password', href: '#password' });
    const session = errors.length ? undefined : await auth.signIn(email, password);
    if (!session) {
      if (!errors.length) errors.push({ text: 'Enter a correct email address and password', href: '#email' });
      return reply.code(400).view('sign-in.njk', { title: 'Sign in', next, email, errors, csrfToken: reply.generateCsrf({ userInfo: csrfBinding(req) }) });
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
    return reply.redirect('/sign-in', 303);
  });
}
