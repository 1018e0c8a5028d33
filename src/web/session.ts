// The session and CSRF cookies, and what a CSRF token is bound to. Shared by the app (app.ts) and the sign-in pages.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'hearth_session';
export const CSRF_COOKIE = 'hearth_csrf';

/** What a CSRF token is bound to: the session cookie (hashed), or 'anonymous' before sign-in. */
export function csrfBinding(req: FastifyRequest): string {
  const session = req.cookies[SESSION_COOKIE];
  return session ? createHash('sha256').update(session).digest('base64url') : 'anonymous';
}
