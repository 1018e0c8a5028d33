// A form sent as multipart (a file upload) has its CSRF token as a field of the stream, not in a parsed body, so the
// CSRF plugin cannot find it: the page reads the token field first and checks it here, before reading the file.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Whether a CSRF token that arrived as a multipart field is good: the plugin's check, run on a view of the request with just the token. */
export function multipartCsrfValid(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, token: string): boolean {
  let ok = false;
  const view = Object.assign(Object.create(req) as FastifyRequest, { body: { _csrf: token } });
  const probe = { unsignCookie: (v: string) => reply.unsignCookie(v), send: () => undefined };
  (app.csrfProtection as unknown as (r: unknown, p: unknown, next: () => void) => void)(view, probe, () => { ok = true; });
  return ok;
}

/** The error a bad or missing token is, as the CSRF plugin throws it (so the app's "the form had expired" page answers). */
export const multipartCsrfExpired = () => Object.assign(new Error('Invalid csrf token'), { code: 'FST_CSRF_INVALID_TOKEN', statusCode: 403 });
