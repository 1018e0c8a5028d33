// Staff sign-in: scrypt-hashed passwords, database sessions, CSRF on forms, rate-limited attempts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { loadConfig } from '../../src/config.ts';
import * as passwords from '../../src/platform/auth/passwords.ts';

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

// ---- issue 10: the per-address limit behind proxies, the per-account lockout, hashing capacity, CSRF bound to the
// session, and sign-in that does the same work whether or not the email exists.

type App = Harness['app'];
type Res = Awaited<ReturnType<App['inject']>>;

/** A browser's cookies: what the server sets (and clears) is sent back. */
class Jar {
  cookies = new Map<string, string>();
  take(res: Res) {
    for (const c of res.cookies) {
      if (!c.value || (c.expires && c.expires.getTime() <= Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return this;
  }
  get header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
}

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
const formPost = (app: App, url: string, jar: Jar, fields: Record<string, string>, extra: { ip?: string; headers?: Record<string, string> } = {}) =>
  app.inject({
    method: 'POST', url, remoteAddress: extra.ip ?? '127.0.0.1', payload: new URLSearchParams(fields).toString(),
    headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded', ...extra.headers },
  });

/** GET the sign-in form into a fresh jar, then post the credentials with its token. */
async function signInOn(on: Harness, creds: { email: string; password: string }, extra: { ip?: string; headers?: Record<string, string> } = {}) {
  const app = on.app;
  const jar = new Jar();
  const page = await app.inject({ method: 'GET', url: '/sign-in', remoteAddress: extra.ip ?? '127.0.0.1' });
  jar.take(page);
  const res = await formPost(app, '/sign-in', jar, { ...creds, _csrf: csrfOf(page.body)!, next: '/' }, extra);
  jar.take(res);
  return { res, jar };
}

let userCount = 0;
async function newUser(on: Harness, org: string, role: 'housing-officer' | 'administrator' | 'analyst' = 'housing-officer') {
  const creds = { email: `user-${++userCount}-${Date.now()}@example.org`, password: 'a long test password 1' };
  await on.auth.addUser({ organisationId: org, email: creds.email, name: `User ${userCount}`, role, password: creds.password });
  return creds;
}

const userRow = async (on: Harness, email: string) => (await on.store.system((tx) => tx.execute(sql`
  select id, failed_sign_ins, locked_until, last_sign_in_at, locked_until > now() as locked from users where email = ${email}`))).rows[0] as
  { id: string; failed_sign_ins: number; locked_until: string | null; last_sign_in_at: string | null; locked: boolean | null };

test('in production with no trusted proxies, X-Forwarded-For does not escape the per-address limit', async () => {
  const prod = await harness({ production: true, signInPerMinute: 3 });
  try {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const { res } = await signInOn(prod, { email: 'nobody@example.org', password: 'wrong password!!' }, { ip: '10.1.0.1', headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      statuses.push(res.statusCode);
    }
    assert.deepEqual(statuses, [400, 400, 400, 429]);
  } finally { await prod.close(); }
});

test('HEARTH_TRUSTED_PROXIES: behind a listed proxy the forwarded address is the one limited; other callers cannot set it', async () => {
  const proxied = await harness({ trustedProxies: ['127.0.0.1'], signInPerMinute: 3 });
  try {
    const attempt = (ip: string, xff: string) => signInOn(proxied, { email: 'nobody@example.org', password: 'wrong password!!' }, { ip, headers: { 'x-forwarded-for': xff } })
      .then((r) => r.res.statusCode);
    const viaProxy = [];
    for (let i = 0; i < 5; i++) viaProxy.push(await attempt('127.0.0.1', `203.0.113.${i}`));
    assert.deepEqual(viaProxy, [400, 400, 400, 400, 400], 'each forwarded address has its own allowance');
    const oneClient = [];
    for (let i = 0; i < 4; i++) oneClient.push(await attempt('127.0.0.1', '203.0.113.99'));
    assert.deepEqual(oneClient, [400, 400, 400, 429], 'one forwarded address is limited');
    const direct = [];
    for (let i = 0; i < 4; i++) direct.push(await attempt('10.2.0.1', `203.0.113.${100 + i}`));
    assert.deepEqual(direct, [400, 400, 400, 429], 'a caller that is not a listed proxy is limited by its own address');
  } finally { await proxied.close(); }
});

test('HEARTH_TRUSTED_PROXIES is read as addresses or CIDR ranges, checked at start, and trusts nobody when unset', () => {
  assert.deepEqual(loadConfig({}).trustedProxies, []);
  assert.deepEqual(loadConfig({ NODE_ENV: 'production', HEARTH_COOKIE_SECRET: 'x'.repeat(32) }).trustedProxies, []);
  assert.deepEqual(loadConfig({ HEARTH_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.168.1.1 ,::1,loopback' }).trustedProxies, ['10.0.0.0/8', '192.168.1.1', '::1', 'loopback']);
  assert.throws(() => loadConfig({ HEARTH_TRUSTED_PROXIES: '10.0.0.1,proxy.example.org' }), /HEARTH_TRUSTED_PROXIES.*"proxy\.example\.org"/);
  assert.throws(() => loadConfig({ HEARTH_TRUSTED_PROXIES: '10.0.0.0/33' }), /HEARTH_TRUSTED_PROXIES.*"10\.0\.0\.0\/33"/);
  assert.equal(loadConfig({}).signInLockoutAttempts, 10);
  assert.equal(loadConfig({}).signInLockoutMinutes, 15);
  assert.throws(() => loadConfig({ HEARTH_SIGN_IN_LOCKOUT_ATTEMPTS: '0' }), /HEARTH_SIGN_IN_LOCKOUT_ATTEMPTS/);
});

test('an account locks after N wrong passwords from any addresses, refuses even the right one, and opens again when the lock ends', async () => {
  const lock = await harness({ signInLockoutAttempts: 3, signInLockoutMinutes: 15 });
  try {
    const org = await landlord(lock);
    const user = await newUser(lock, org.id);
    const wrong = { email: user.email, password: 'not the password' };
    for (let i = 0; i < 3; i++) {
      const { res } = await signInOn(lock, wrong, { ip: `10.3.0.${i}` });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Enter a correct email address and password/);
    }
    const row = await userRow(lock, user.email);
    assert.equal(row.failed_sign_ins, 3);
    assert.equal(row.locked, true);
    const started = passwords.passwordHashing.started;
    const locked = await signInOn(lock, user, { ip: '10.3.0.9' });
    assert.equal(locked.res.statusCode, 400, 'the right password is refused while locked, with the same answer as a wrong one');
    assert.match(locked.res.body, /Enter a correct email address and password/);
    assert.equal(locked.jar.cookies.get('hearth_session'), undefined);
    assert.equal(passwords.passwordHashing.started, started + 1, 'a hash is still run (the dummy), so the lock does not show in the timing');
    const audits = (await lock.store.system((tx) => tx.execute(sql`select action, detail from audit_events where entity_id = ${row.id} order by at, id`))).rows as { action: string; detail: unknown }[];
    assert.deepEqual(audits.map((a) => a.action).filter((a) => a !== 'user-created'), ['sign-in-failed', 'sign-in-failed', 'sign-in-failed', 'sign-in-locked', 'sign-in-failed']);

    // Time passes: the lock ends, and the right password works and clears the count.
    await lock.store.system((tx) => tx.execute(sql`update users set locked_until = now() - interval '1 second' where email = ${user.email}`));
    const after = await signInOn(lock, user, { ip: '10.3.0.10' });
    assert.equal(after.res.statusCode, 303);
    const cleared = await userRow(lock, user.email);
    assert.equal(cleared.failed_sign_ins, 0);
    assert.equal(cleared.locked_until, null);
    assert.ok(cleared.last_sign_in_at);

    // A good sign-in resets the count: two wrong, one right, two wrong again is not a lock.
    for (const pw of ['wrong one', 'wrong two', user.password, 'wrong three', 'wrong four']) await lock.auth.signIn(user.email, pw);
    assert.deepEqual({ ...(await userRow(lock, user.email)), id: '', last_sign_in_at: '' }, { id: '', failed_sign_ins: 2, locked_until: null, last_sign_in_at: '', locked: null });
  } finally { await lock.close(); }
});

test('concurrent wrong guesses cannot slip past the lockout (PostgreSQL)', { skip: process.env.DATABASE_URL ? false : 'PGlite runs one statement at a time, so guesses cannot race; this runs on PostgreSQL' }, async () => {
  const lock = await harness({ signInLockoutAttempts: 3 });
  try {
    const org = await landlord(lock);
    const user = await newUser(lock, org.id);
    const results = await Promise.all(Array.from({ length: 12 }, () => lock.auth.signIn(user.email, 'not the password')));
    assert.ok(results.every((r) => r === undefined));
    const row = await userRow(lock, user.email);
    assert.equal(row.failed_sign_ins, 3, 'exactly the limit was counted: every guess after it found the account locked');
    assert.equal(row.locked, true);
    const locks = (await lock.store.system((tx) => tx.execute(sql`select count(*)::int as n from audit_events where entity_id = ${row.id} and action = 'sign-in-locked'`))).rows[0] as { n: number };
    assert.equal(locks.n, 1);
    assert.equal(await lock.auth.signIn(user.email, user.password), undefined, 'the right password is refused while locked');
  } finally { await lock.close(); }
});

test('sign-in does the same work for an unknown email as for a wrong password: one hash, the same database calls, the same answer', async () => {
  const user = await newUser(h, l.id);
  const system = h.store.system;
  let calls = 0;
  h.store.system = ((work) => { calls++; return system.call(h.store, work); }) as typeof system;
  try {
    const measure = async (email: string) => {
      calls = 0;
      const started = passwords.passwordHashing.started;
      assert.equal(await h.auth.signIn(email, 'not the password'), undefined);
      return { calls, hashes: passwords.passwordHashing.started - started };
    };
    const known = await measure(user.email);
    const unknown = await measure(`nobody-${Date.now()}@example.org`);
    assert.deepEqual(unknown, known);
    assert.equal(unknown.hashes, 1, 'the dummy hash is checked for an unknown email');
  } finally { h.store.system = system; }
  const a = await signInOn(h, { email: user.email, password: 'not the password' }, { ip: '10.4.0.1' });
  const b = await signInOn(h, { email: `nobody-${Date.now()}@example.org`, password: 'not the password' }, { ip: '10.4.0.2' });
  const strip = (r: Res) => r.body.replace(/(value|nonce)="[^"]*"/g, '');
  assert.equal(a.res.statusCode, b.res.statusCode);
  assert.equal(strip(a.res), strip(b.res));
});

test('when the password hashing queue is full, sign-in answers 429 at once instead of queueing without end, and counts nothing against the account', async () => {
  const user = await newUser(h, l.id);
  // Fill every running and waiting place with tasks that finish when let go (a waiting one starts after that, and ends at once).
  const release: (() => void)[] = [];
  let letGo = false;
  const blockers = Array.from({ length: passwords.passwordHashing.capacity }, () =>
    passwords.passwordHashing.run(() => (letGo ? Promise.resolve() : new Promise<void>((resolve) => release.push(resolve)))));
  try {
    const { res } = await signInOn(h, { email: 'nobody@example.org', password: 'not the password' }, { ip: '10.5.0.1' });
    assert.equal(res.statusCode, 429);
    assert.match(res.body, /Too many sign-in attempts/);
    const onAccount = await signInOn(h, { email: user.email, password: 'not the password' }, { ip: '10.5.0.2' });
    assert.equal(onAccount.res.statusCode, 429);
    assert.equal((await userRow(h, user.email)).failed_sign_ins, 0, 'a refused attempt is not counted towards the lockout');
  } finally {
    letGo = true;
    for (const r of release) r();
    await Promise.all(blockers);
  }
});

test('a CSRF token works only with the session it was issued to', async () => {
  const homes = await api(h, 'POST', '/api/v1/homes', l.as.administrator, sample.home());
  assert.equal(homes.status, 201);
  const homeId = homes.body.id as string;
  const a = (await signInOn(h, await newUser(h, l.id, 'housing-officer'), { ip: '10.6.0.1' })).jar;
  const b = (await signInOn(h, await newUser(h, l.id, 'administrator'), { ip: '10.6.0.2' })).jar;
  assert.ok(a.cookies.get('hearth_session') && b.cookies.get('hearth_session'));

  // A's form: A's CSRF cookie and token.
  const formA = await h.app.inject({ method: 'GET', url: `/homes/${homeId}/hazards/new`, headers: { cookie: a.header } });
  assert.equal(formA.statusCode, 200);
  a.take(formA);
  const fields = {
    _csrf: csrfOf(formA.body)!, formToken: /name="formToken" value="([^"]+)"/.exec(formA.body)![1]!, hazard: 'damp-and-mould', severity: 'significant',
    'reportedAt-day': '2', 'reportedAt-month': '2', 'reportedAt-year': '2026', reportedAtTime: '9:30am', description: 'Mould in the hall cupboard',
  };
  const reports = async () => ((await h.store.system((tx) => tx.execute(sql`select count(*)::int as n from hazard_reports where home_id = ${homeId}`))).rows[0] as { n: number }).n;

  // A's cookie and token pair, sent with B's session cookie.
  const tossed = new Jar();
  tossed.cookies.set('hearth_session', b.cookies.get('hearth_session')!);
  tossed.cookies.set('hearth_csrf', a.cookies.get('hearth_csrf')!);
  const forged = await formPost(h.app, `/homes/${homeId}/hazards/new`, tossed, fields);
  assert.equal(forged.statusCode, 403);
  assert.equal(await reports(), 0);
  const forgedSignOut = await formPost(h.app, '/sign-out', tossed, { _csrf: fields._csrf });
  assert.equal(forgedSignOut.statusCode, 403);
  assert.equal((await h.app.inject({ method: 'GET', url: '/', headers: { cookie: `hearth_session=${b.cookies.get('hearth_session')}` } })).statusCode, 200, "B's session still works");

  // The same pair with A's own session works.
  const own = await formPost(h.app, `/homes/${homeId}/hazards/new`, a, fields);
  assert.equal(own.statusCode, 303);
  assert.equal(await reports(), 1);
});

test('signing in and signing out start a new CSRF secret: a token from before sign-in does not work after it', async () => {
  const user = await newUser(h, l.id);
  const jar = new Jar();
  const page = await h.app.inject({ method: 'GET', url: '/sign-in', remoteAddress: '10.7.0.1' });
  jar.take(page);
  const before = { cookie: jar.cookies.get('hearth_csrf')!, token: csrfOf(page.body)! };
  const signedIn = await formPost(h.app, '/sign-in', jar, { ...user, _csrf: before.token }, { ip: '10.7.0.1' });
  assert.equal(signedIn.statusCode, 303);
  jar.take(signedIn);
  assert.equal(jar.cookies.get('hearth_csrf'), undefined, 'sign-in clears the CSRF secret');

  // An attacker who planted the pre-sign-in pair cannot use it once the victim has signed in.
  const planted = new Jar();
  planted.cookies.set('hearth_session', jar.cookies.get('hearth_session')!);
  planted.cookies.set('hearth_csrf', before.cookie);
  assert.equal((await formPost(h.app, '/sign-out', planted, { _csrf: before.token })).statusCode, 403);

  // The next page makes a new secret, and its token signs out; sign-out clears the secret again.
  const home = await h.app.inject({ method: 'GET', url: '/', headers: { cookie: jar.header } });
  jar.take(home);
  assert.ok(jar.cookies.get('hearth_csrf') && jar.cookies.get('hearth_csrf') !== before.cookie);
  const out = await formPost(h.app, '/sign-out', jar, { _csrf: csrfOf(home.body)! });
  assert.equal(out.statusCode, 303);
  jar.take(out);
  assert.equal(jar.cookies.get('hearth_csrf'), undefined, 'sign-out clears the CSRF secret');
  assert.equal(jar.cookies.get('hearth_session'), undefined);
});
