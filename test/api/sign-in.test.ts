// Staff sign-in: scrypt-hashed passwords, database sessions, CSRF on forms, rate-limited attempts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness, type Landlord } from '../support/harness.ts';

let h: Harness; let l: Landlord;
const email = `officer-${Date.now()}@example.org`;
const password = 'correct horse battery';

before(async () => {
  h = await harness({ signInPerMinute: 5 });
  l = await landlord(h);
  await h.auth.addUser({ organisationId: l.id, email, name: 'Sam Officer', role: 'housing-officer', password });
});
after(() => h.close());

/** GET the sign-in form: the CSRF cookie and the token in the form. */
async function form() {
  const res = await h.app.inject({ method: 'GET', url: '/sign-in', remoteAddress: '10.0.0.1' });
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  assert.ok(token && cookie);
  return { token, cookie };
}

async function signIn(pw: string, ip: string, withCsrf = true) {
  const { token, cookie } = await form();
  return h.app.inject({
    method: 'POST', url: '/sign-in', remoteAddress: ip, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email, password: pw, next: '/search', ...(withCsrf ? { _csrf: token } : {}) }).toString(),
  });
}

test('a correct password signs in, sets a secure-by-default session cookie and redirects to next', async () => {
  const res = await signIn(password, '10.0.0.2');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/search');
  const session = res.cookies.find((c) => c.name === 'hearth_session');
  assert.ok(session?.httpOnly);
  assert.equal(session?.sameSite, 'Lax');
  const page = await h.app.inject({ method: 'GET', url: '/', headers: { cookie: `hearth_session=${session!.value}` } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Sam Officer/);
  // The database keeps only a hash of the session token.
  const rows = await h.store.system(async (tx) => (await tx.execute(sql`select token_hash from sessions`)).rows as { token_hash: string }[]);
  assert.ok(rows.length >= 1 && rows.every((r) => r.token_hash !== session!.value && r.token_hash.length === 64));
});

test('a wrong password is refused with a message that does not say which part was wrong', async () => {
  const res = await signIn('wrong password!!', '10.0.0.3');
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Enter a correct email address and password/);
  assert.equal(res.cookies.find((c) => c.name === 'hearth_session'), undefined);
});

test('a form posted without its CSRF token is refused', async () => {
  const res = await signIn(password, '10.0.0.4', false);
  assert.equal(res.statusCode, 403);
});

test('sign-in attempts are rate-limited per address', async () => {
  const statuses = [];
  for (let i = 0; i < 7; i++) statuses.push((await signIn('wrong password!!', '10.0.0.5')).statusCode);
  assert.deepEqual(statuses.slice(0, 5), [400, 400, 400, 400, 400]);
  assert.equal(statuses[6], 429);
});

test('passwords are stored as scrypt hashes', async () => {
  const rows = await h.store.system(async (tx) => (await tx.execute(sql`select password_hash from users where email = ${email}`)).rows as { password_hash: string }[]);
  assert.match(rows[0]!.password_hash, /^scrypt\$32768\$8\$1\$/);
  assert.ok(!rows[0]!.password_hash.includes(password));
});

test('pages need a session: without one, a page redirects to sign-in', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/search?q=x' });
  assert.equal(res.statusCode, 302);
  assert.equal(res.headers.location, '/sign-in?next=%2Fsearch%3Fq%3Dx');
});

test('the API refuses requests without a valid token', async () => {
  for (const authorization of [undefined, 'Bearer hearth_not-a-real-token-at-all', 'Basic abc']) {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/homes', headers: authorization ? { authorization } : {} });
    assert.equal(res.statusCode, 401);
    assert.match(String(res.headers['content-type']), /problem\+json/);
  }
});

test('pages carry a CSP with a per-response script nonce', async () => {
  const a = await h.app.inject({ method: 'GET', url: '/sign-in' });
  const b = await h.app.inject({ method: 'GET', url: '/sign-in' });
  const nonce = (r: typeof a) => /script-src 'self' 'nonce-([^']+)'/.exec(String(r.headers['content-security-policy']))?.[1];
  assert.ok(nonce(a));
  assert.notEqual(nonce(a), nonce(b));
  assert.doesNotMatch(String(a.headers['content-security-policy']), /unsafe-inline/);
  assert.match(a.body, new RegExp(`<script nonce="${nonce(a)}">`));
});

test('API responses carry a fixed strict CSP (no nonce, nothing may load) and are not cached', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/api/v1/homes', headers: l.as.analyst });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['cache-control'], 'no-store');
  const problem = await h.app.inject({ method: 'GET', url: `/api/v1/homes/${crypto.randomUUID()}`, headers: l.as.analyst });
  assert.equal(problem.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
});
