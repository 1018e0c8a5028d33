// A signed-in member of staff for page tests: `get` opens a page (keeping its session and CSRF cookies and token),
// `post` sends a form back with them, as a browser would; `field` reads a hidden field's value from a page.
import type { LightMyRequestResponse } from 'fastify';
import type { Harness } from './harness.ts';
import type { Role } from '../../src/platform/auth/roles.ts';

export const STAFF_PASSWORD = 'a long test password 1';

export interface StaffSession {
  name: string;
  email: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse>;
  /** A field's value on a page (`name="version" value="3"`), or ''. */
  field(body: string, name: string): string;
}

export async function staffSession(h: Harness, organisationId: string, role: Role, name: string, email: string): Promise<StaffSession> {
  await h.auth.addUser({ organisationId, email, name, role, password: STAFF_PASSWORD });
  const session = `hearth_session=${(await h.auth.signIn(email, STAFF_PASSWORD))!.token}`;
  let cookie = session;
  let csrf = '';
  return {
    name, email,
    async get(url) {
      const r = await h.app.inject({ method: 'GET', url, headers: { cookie } });
      if (r.cookies.length) cookie = `${session}; ${r.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`;
      csrf = /name="_csrf" value="([^"]+)"/.exec(r.body)?.[1] ?? csrf;
      return r;
    },
    post: (url, fields) => h.app.inject({
      method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    }),
    field: (body, field) => new RegExp(`name="${field}" value="([^"]*)"`).exec(body)?.[1] ?? '',
  };
}
