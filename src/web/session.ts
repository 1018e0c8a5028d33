// The session and CSRF cookies, and what a CSRF token is bound to. Shared by the app (app.ts) and the sign-in pages.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'hearth_session';
export const CSRF_COOKIE = 'hearth_csrf';
/**
 * A resident's visit to the public pages (reporting a repair): a random id, so their CSRF tokens, form tokens and
 * journey answers are theirs alone and never shared with another resident's (set by those pages when missing).
 */
export const RESIDENT_COOKIE = 'hearth_resident';

/** What a CSRF token is bound to: the session cookie (hashed), else the resident's visit (hashed), or 'anonymous' before either. */
export function csrfBinding(req: FastifyRequest): string {
  const session = req.cookies[SESSION_COOKIE];
  if (session) return createHash('sha256').update(session).digest('base64url');
  const visit = req.cookies[RESIDENT_COOKIE];
  return visit ? `resident:${createHash('sha256').update(visit).digest('base64url')}` : 'anonymous';
}
