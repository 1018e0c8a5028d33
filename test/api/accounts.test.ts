// Account administration (issue 10, defect 5): administrators list, disable, enable, change the role of and reset the
// password of staff, and list, create and revoke API tokens, over the API and on the /users page. A disabled user's
// sessions end at once; revoked and expired tokens stop working; another organisation's users and tokens are 404s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { createToken, disableUser } from '../../src/platform/auth/accounts.ts';

let h: Harness; let l: Landlord; let other: Landlord;
const password = 'a long test password 1';
/** Staff of the first landlord, by key: their id and email. */
const staff: Record<string, { id: string; email: string }> = {};
let otherUserId: string;
let otherTokenId: string;

async function addUser(organisationId: string, key: string, role: 'administrator' | 'housing-officer' | 'data-lead' | 'analyst') {
  const email = `${key}.${organisationId.slice(-8)}@example.org`;
  const u = await h.auth.addUser({ organisationId, email, name: `Test ${key}`, role, password });
  return { id: u.id, email };
}

const sessionCookie = async (email: string, pw = password) => {
  const s = await h.auth.signIn(email, pw);
  return s ? `hearth_session=${s.token}` : undefined;
};
const page = (url: string, cookie: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });
const rows = async <T>(query: ReturnType<typeof sql>) => (await h.store.system((tx) => tx.execute(query))).rows as T[];

before(async () => {
  h = await harness();
  l = await landlord(h);
  other = await landlord(h);
  staff.admin = await addUser(l.id, 'admin', 'administrator');
  staff.officer = await addUser(l.id, 'officer', 'housing-officer');
  staff.lead = await addUser(l.id, 'lead', 'data-lead');
  staff.reset = await addUser(l.id, 'reset', 'analyst');
  otherUserId = (await addUser(other.id, 'stranger', 'administrator')).id;
  otherTokenId = (await rows<{ id: string }>(sql`select id from api_tokens where organisation_id = ${other.id} limit 1`))[0]!.id;
});
after(() => h.close());

test('an administrator lists the organisation’s staff: role, status, last sign-in; never a password hash', async () => {
  await sessionCookie(staff.officer!.email);
  const res = await api(h, 'GET', '/api/v1/users', l.as.administrator);
  assert.equal(res.status, 200);
  const officer = res.body.items.find((u: { id: string }) => u.id === staff.officer!.id);
  assert.equal(officer.email, staff.officer!.email);
  assert.equal(officer.role, 'housing-officer');
  assert.equal(officer.status, 'active');
  assert.equal(typeof officer.version, 'number');
  assert.ok(res.body.items.every((u: { id: string }) => u.id !== otherUserId), 'no other organisation’s staff');
  assert.doesNotMatch(JSON.stringify(res.body), /scrypt|passwordHash/);
  const one = await api(h, 'GET', `/api/v1/users/${staff.officer!.id}`, l.as.administrator);
  assert.equal(one.status, 200);
  assert.equal(one.headers.etag, `"${one.body.version}"`);
});

test('disabling a user ends their session at once and their sign-in fails; enabling lets them sign in again', async () => {
  const cookie = (await sessionCookie(staff.officer!.email))!;
  assert.equal((await page('/', cookie)).statusCode, 200);
  const res = await api(h, 'POST', `/api/v1/users/${staff.officer!.id}/disable`, l.as.administrator);
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'disabled');
  const after = await page('/', cookie);
  assert.equal(after.statusCode, 302, 'the session cookie no longer works');
  assert.match(String(after.headers.location), /^\/sign-in/);
  assert.equal(await sessionCookie(staff.officer!.email), undefined, 'a disabled user cannot sign in');
  const left = await rows<{ n: number }>(sql`select count(*)::int as n from sessions where user_id = ${staff.officer!.id}`);
  assert.equal(left[0]!.n, 0, 'their sessions are deleted, not just refused');
  const [ev] = await rows<{ actor_name: string; actor_kind: string }>(sql`
    select actor_name, actor_kind from audit_events where action = 'user-disabled' and entity_id = ${staff.officer!.id}`);
  assert.deepEqual(ev, { actor_name: 'API token: administrator test token', actor_kind: 'token' });

  const enabled = await api(h, 'POST', `/api/v1/users/${staff.officer!.id}/enable`, l.as.administrator);
  assert.equal(enabled.status, 200);
  assert.equal(enabled.body.status, 'active');
  assert.ok(await sessionCookie(staff.officer!.email), 'signs in again');
});

test('enabling a user clears a lockout; the list shows locked accounts as locked', async () => {
  await h.store.system((tx) => tx.execute(sql`update users set failed_sign_ins = 10, locked_until = now() + interval '1 hour' where id = ${staff.lead!.id}`));
  const listed = await api(h, 'GET', `/api/v1/users/${staff.lead!.id}`, l.as.administrator);
  assert.equal(listed.body.status, 'locked');
  const res = await api(h, 'POST', `/api/v1/users/${staff.lead!.id}/enable`, l.as.administrator);
  assert.equal(res.body.status, 'active');
  const [row] = await rows<{ failed_sign_ins: number; locked_until: unknown }>(sql`select failed_sign_ins, locked_until from users where id = ${staff.lead!.id}`);
  assert.deepEqual(row, { failed_sign_ins: 0, locked_until: null });
});

test('a role change needs If-Match and takes effect on the user’s next request', async () => {
  const cookie = (await sessionCookie(staff.lead!.email))!;
  assert.equal((await page('/imports', cookie)).statusCode, 200, 'a data lead manages imports');
  const url = `/api/v1/users/${staff.lead!.id}`;
  const current = await api(h, 'GET', url, l.as.administrator);
  assert.equal((await api(h, 'PATCH', url, l.as.administrator, { role: 'analyst' })).status, 428);
  assert.equal((await api(h, 'PATCH', url, { ...l.as.administrator, 'if-match': `"${current.body.version + 5}"` }, { role: 'analyst' })).status, 412);
  const bad = await api(h, 'PATCH', url, { ...l.as.administrator, 'if-match': current.headers.etag as string }, { role: 'king' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.errors[0].field, /role/);
  const res = await api(h, 'PATCH', url, { ...l.as.administrator, 'if-match': current.headers.etag as string }, { role: 'analyst' });
  assert.equal(res.status, 200);
  assert.equal(res.body.role, 'analyst');
  assert.equal(res.headers.etag, `"${current.body.version + 1}"`);
  assert.equal((await page('/imports', cookie)).statusCode, 403, 'the new role applies at once');
  const [ev] = await rows<{ detail: { from: string; to: string } }>(sql`select detail from audit_events where action = 'user-role-changed' and entity_id = ${staff.lead!.id}`);
  assert.deepEqual(ev!.detail, { from: 'data-lead', to: 'analyst' });
});

test('resetting a password: the old one fails, the new one works; a generated one is returned once; sessions end', async () => {
  const cookie = (await sessionCookie(staff.reset!.email))!;
  const url = `/api/v1/users/${staff.reset!.id}/reset-password`;
  const short = await api(h, 'POST', url, l.as.administrator, { password: 'short' });
  assert.equal(short.status, 400);
  assert.equal(short.body.errors[0].field, '/password');
  const chosen = 'a brand new password 2';
  const res = await api(h, 'POST', url, l.as.administrator, { password: chosen });
  assert.equal(res.status, 200);
  assert.equal(res.body.generatedPassword, undefined);
  assert.equal((await page('/', cookie)).statusCode, 302, 'the old session ended');
  assert.equal(await sessionCookie(staff.reset!.email), undefined, 'the old password fails');
  assert.ok(await sessionCookie(staff.reset!.email, chosen), 'the new password works');

  const generated = await api(h, 'POST', url, l.as.administrator, {});
  assert.equal(generated.status, 200);
  assert.ok(generated.body.generatedPassword.length >= 12);
  assert.ok(await sessionCookie(staff.reset!.email, generated.body.generatedPassword));
  assert.equal(await sessionCookie(staff.reset!.email, chosen), undefined);
  const audited = await rows<{ detail: unknown }>(sql`select detail from audit_events where action = 'user-password-reset' and entity_id = ${staff.reset!.id}`);
  assert.equal(audited.length, 2);
  assert.doesNotMatch(JSON.stringify(audited), new RegExp(chosen), 'the audit log never holds a password');
});

test('an administrator cannot disable or demote the last administrator, nor disable themselves', async () => {
  const solo = await landlord(h);
  const only = await addUser(solo.id, 'only-admin', 'administrator');
  const disable = await api(h, 'POST', `/api/v1/users/${only.id}/disable`, solo.as.administrator);
  assert.equal(disable.status, 409);
  assert.match(disable.body.detail, /last administrator/);
  const current = await api(h, 'GET', `/api/v1/users/${only.id}`, solo.as.administrator);
  const demote = await api(h, 'PATCH', `/api/v1/users/${only.id}`, { ...solo.as.administrator, 'if-match': current.headers.etag as string }, { role: 'analyst' });
  assert.equal(demote.status, 409);
  assert.match(demote.body.detail, /last administrator/);

  // On the page, an administrator disabling their own account is told why not.
  await addUser(solo.id, 'second-admin', 'administrator');
  const cookie = (await sessionCookie(only.email))!;
  const list = await page('/users', cookie);
  assert.equal(list.statusCode, 200);
  const form = await page(`/users/${only.id}`, cookie);
  assert.equal(form.statusCode, 200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const res = await h.app.inject({
    method: 'POST', url: `/users/${only.id}/disable`,
    headers: { cookie: `${cookie}; ${form.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /There is a problem/);
  assert.match(res.body, /You cannot disable your own account/);
  assert.ok(await sessionCookie(only.email), 'still enabled');
});

test('two administrators disabling each other at once: exactly one succeeds, one administrator is left', { skip: !process.env.DATABASE_URL ? 'PGlite runs one transaction at a time, so there is no race to lose' : false }, async () => {
  const pair = await landlord(h);
  const x = await addUser(pair.id, 'admin-x', 'administrator');
  const y = await addUser(pair.id, 'admin-y', 'administrator');
  // One administrator's disabling of Y is in flight (not committed) while the API disables X.
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  let inFlight!: () => void;
  const started = new Promise<void>((r) => { inFlight = r; });
  const first = h.store.withOrg(pair.id, async (tx) => {
    const done = await disableUser({ actor: systemActor(pair.id, 'first administrator'), tx }, y.id);
    inFlight();
    await gate;
    return done;
  });
  await started;
  let answered = false;
  const second = api(h, 'POST', `/api/v1/users/${x.id}/disable`, pair.as.administrator).finally(() => { answered = true; });
  // Commit the first once the second has either answered (it did not wait: the bug) or is waiting for its lock.
  const waiting = async () => ((await rows<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`))[0]!.n > 0);
  while (!answered && !(await waiting())) await new Promise((r) => setTimeout(r, 10));
  release();
  await first;
  const res = await second;
  assert.equal(res.status, 409, 'the second sees that the first left one administrator');
  assert.match(res.body.detail, /last administrator/);
  const [left] = await rows<{ n: number }>(sql`select count(*)::int as n from users where organisation_id = ${pair.id} and role = 'administrator' and disabled_at is null`);
  assert.equal(left!.n, 1);
});

test('API tokens: listed without secrets; created with an expiry, the secret shown once; revoked tokens fail at once', async () => {
  const created = await api(h, 'POST', '/api/v1/api-tokens', l.as.administrator, { name: 'contractor sync', role: 'repairs-planner', days: 30 });
  assert.equal(created.status, 201);
  assert.match(created.body.token, /^hearth_/);
  const days = (Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt)) / 86_400_000;
  assert.ok(Math.abs(days - 30) < 0.01, `expires in 30 days, not ${days}`);
  const bearer = { authorization: `Bearer ${created.body.token}` };
  assert.equal((await api(h, 'GET', '/api/v1/homes', bearer)).status, 200);

  const list = await api(h, 'GET', '/api/v1/api-tokens', l.as.administrator);
  assert.equal(list.status, 200);
  const listed = list.body.items.find((t: { id: string }) => t.id === created.body.id);
  assert.equal(listed.name, 'contractor sync');
  assert.equal(listed.role, 'repairs-planner');
  assert.equal(listed.status, 'active');
  assert.equal(listed.createdBy.name, 'API token: administrator test token');
  assert.equal(listed.token, undefined);
  assert.doesNotMatch(JSON.stringify(list.body), new RegExp(`${created.body.token}|tokenHash|token_hash`), 'never the secret or its hash');
  assert.ok(list.body.items.every((t: { id: string }) => t.id !== otherTokenId), 'no other organisation’s tokens');

  const revoked = await api(h, 'POST', `/api/v1/api-tokens/${created.body.id}/revoke`, l.as.administrator);
  assert.equal(revoked.status, 200);
  assert.equal(revoked.body.status, 'revoked');
  assert.equal((await api(h, 'GET', '/api/v1/homes', bearer)).status, 401, 'a revoked token stops working at once');
  const [ev] = await rows<{ actor_name: string }>(sql`select actor_name from audit_events where action = 'token-revoked' and entity_id = ${created.body.id}`);
  assert.equal(ev!.actor_name, 'API token: administrator test token');
});

test('an expired token is refused; tokens expire after HEARTH_TOKEN_DAYS (90) by default', async () => {
  const t = await h.auth.addToken(l.id, 'short-lived', 'analyst');
  const [row] = await rows<{ days: number }>(sql`select extract(epoch from expires_at - created_at) / 86400 as days from api_tokens where id = ${t.id}`);
  assert.equal(Math.round(Number(row!.days)), 90);
  await h.store.system((tx) => tx.execute(sql`update api_tokens set expires_at = now() - interval '1 minute' where id = ${t.id}`));
  const res = await api(h, 'GET', '/api/v1/homes', { authorization: `Bearer ${t.token}` });
  assert.equal(res.status, 401);
  assert.match(String(res.headers['content-type']), /problem\+json/);
  const listed = (await api(h, 'GET', '/api/v1/api-tokens', l.as.administrator)).body.items.find((x: { id: string }) => x.id === t.id);
  assert.equal(listed.status, 'expired');
});

test('token creation names a bad field and refuses an Idempotency-Key (the secret is never stored)', async () => {
  const bad = await api(h, 'POST', '/api/v1/api-tokens', l.as.administrator, { name: 'x', role: 'analyst', days: 0 });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].field, '/days');
  const keyed = await api(h, 'POST', '/api/v1/api-tokens', { ...l.as.administrator, 'idempotency-key': 'abcdefgh-1234' }, { name: 'x', role: 'analyst' });
  assert.equal(keyed.status, 400);
  assert.equal(keyed.body.errors[0].field, 'header:Idempotency-Key');
});

test('only administrators manage accounts: other roles get 403 on every operation', async () => {
  const id = staff.officer!.id;
  for (const role of ['housing-officer', 'data-lead', 'analyst', 'compliance-lead'] as const) {
    const as = l.as[role];
    const calls = [
      await api(h, 'GET', '/api/v1/users', as),
      await api(h, 'GET', `/api/v1/users/${id}`, as),
      await api(h, 'POST', `/api/v1/users/${id}/disable`, as),
      await api(h, 'POST', `/api/v1/users/${id}/enable`, as),
      await api(h, 'PATCH', `/api/v1/users/${id}`, { ...as, 'if-match': '"1"' }, { role: 'administrator' }),
      await api(h, 'POST', `/api/v1/users/${id}/reset-password`, as, {}),
      await api(h, 'GET', '/api/v1/api-tokens', as),
      await api(h, 'POST', '/api/v1/api-tokens', as, { name: 'mine', role: 'administrator' }),
      await api(h, 'POST', `/api/v1/api-tokens/${otherTokenId}/revoke`, as),
    ];
    assert.deepEqual(calls.map((c) => c.status), calls.map(() => 403), role);
  }
  const cookie = (await sessionCookie(staff.officer!.email))!;
  assert.equal((await page('/users', cookie)).statusCode, 403);
  assert.doesNotMatch((await page('/', cookie)).body, /href="\/users"/, 'no link in the navigation');
  assert.equal((await api(h, 'GET', '/api/v1/users', {})).status, 401);
});

test('another organisation’s users and tokens are answered exactly like ids that do not exist', async () => {
  const A = l.as.administrator;
  const answer = async (id: string, tokenId: string) => {
    const current = await api(h, 'GET', `/api/v1/users/${id}`, A);
    const results = [
      current,
      await api(h, 'POST', `/api/v1/users/${id}/disable`, A),
      await api(h, 'POST', `/api/v1/users/${id}/enable`, A),
      await api(h, 'PATCH', `/api/v1/users/${id}`, { ...A, 'if-match': '"1"' }, { role: 'analyst' }),
      await api(h, 'POST', `/api/v1/users/${id}/reset-password`, A, { password: 'another long password' }),
      await api(h, 'POST', `/api/v1/api-tokens/${tokenId}/revoke`, A),
    ];
    return results.map((r) => ({ status: r.status, body: r.body }));
  };
  const theirs = await answer(otherUserId, otherTokenId);
  const random = await answer(randomUUID(), randomUUID());
  assert.deepEqual(theirs, random);
  assert.ok(theirs.every((r) => r.status === 404));
  // And nothing happened to them.
  const [u] = await rows<{ disabled_at: unknown; role: string }>(sql`select disabled_at, role from users where id = ${otherUserId}`);
  assert.deepEqual(u, { disabled_at: null, role: 'administrator' });
  assert.equal((await api(h, 'GET', '/api/v1/homes', other.as.administrator)).status, 200, 'their token still works');
});

test('the page: staff with role, last sign-in and status; a token created there is shown once; revoke from the page', async () => {
  const cookie = (await sessionCookie(staff.admin!.email))!;
  const list = await page('/users', cookie);
  assert.equal(list.statusCode, 200);
  assert.match((await page('/', cookie)).body, /href="\/users">Staff and API tokens/, 'under Manage on the administrator’s home page');
  assert.match(list.body, new RegExp(staff.officer!.email.replace(/\./g, '\\.')));
  assert.match(list.body, /govuk-tag[^"]*">\s*Active/);
  assert.doesNotMatch(list.body, /stranger/);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(list.body)![1]!;
  const cookies = `${cookie}; ${list.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`;
  const post = (url: string, fields: Record<string, string>) => h.app.inject({
    method: 'POST', url, headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });
  const empty = await post('/users/tokens', { name: '', role: 'analyst', days: '90' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /href="#name"/);
  const made = await post('/users/tokens', { name: 'page token', role: 'analyst', days: '7' });
  assert.equal(made.statusCode, 200);
  const secret = /(hearth_[A-Za-z0-9_-]{20,64})/.exec(made.body)?.[1];
  assert.ok(secret, 'the secret is shown once');
  assert.equal((await api(h, 'GET', '/api/v1/homes', { authorization: `Bearer ${secret}` })).status, 200);
  const again = await page('/users', cookie);
  assert.match(again.body, /page token/);
  assert.ok(!again.body.includes(secret!), 'and never again');
  const id = (await api(h, 'GET', '/api/v1/api-tokens', l.as.administrator)).body.items.find((t: { name: string }) => t.name === 'page token').id;
  const revoke = await post(`/users/tokens/${id}/revoke`, {});
  assert.equal(revoke.statusCode, 303);
  assert.equal((await api(h, 'GET', '/api/v1/homes', { authorization: `Bearer ${secret}` })).status, 401);
  // Without the CSRF token the form is refused.
  const forged = await h.app.inject({ method: 'POST', url: `/users/${staff.officer!.id}/disable`, headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
  assert.equal(forged.statusCode, 403);
  // Another organisation's user is a page that does not exist.
  assert.equal((await page(`/users/${otherUserId}`, cookie)).statusCode, 404);
});

test('the page: disable and reset a password (a generated one shown once)', async () => {
  const cookie = (await sessionCookie(staff.admin!.email))!;
  const victim = await addUser(l.id, 'page-victim', 'analyst');
  const victimCookie = (await sessionCookie(victim.email))!;
  const form = await page(`/users/${victim.id}`, cookie);
  assert.equal(form.statusCode, 200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const cookies = `${cookie}; ${form.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`;
  const post = (url: string, fields: Record<string, string>) => h.app.inject({
    method: 'POST', url, headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });
  // The role form carries the version it was drawn from: a change made since is refused, not overwritten.
  const drawnAt = /name="version" value="(\d+)"/.exec(form.body)![1]!;
  assert.equal((await post(`/users/${victim.id}/role`, { role: 'data-lead', version: drawnAt })).statusCode, 303);
  const stale = await post(`/users/${victim.id}/role`, { role: 'housing-officer', version: drawnAt });
  assert.equal(stale.statusCode, 400);
  assert.match(stale.body, /Someone changed this account/);
  assert.equal((await api(h, 'GET', `/api/v1/users/${victim.id}`, l.as.administrator)).body.role, 'data-lead');
  const short = await post(`/users/${victim.id}/password`, { password: 'too short' });
  assert.equal(short.statusCode, 400);
  assert.match(short.body, /href="#password"/);
  const reset = await post(`/users/${victim.id}/password`, { password: '' });
  assert.equal(reset.statusCode, 200);
  const shown = /data-generated-password>([^<]+)</.exec(reset.body)?.[1];
  assert.ok(shown && shown.length >= 12, 'a generated password is shown once');
  assert.ok(await sessionCookie(victim.email, shown));
  const disabled = await post(`/users/${victim.id}/disable`, {});
  assert.equal(disabled.statusCode, 303);
  assert.equal((await page('/', victimCookie)).statusCode, 302);
  assert.match((await page('/users', cookie)).body, /Disabled/);
});

test('a disabled user keeps no access through the tokens they made, nor through tokens those made; a token cannot outlive its maker', async () => {
  const leaver = await addUser(l.id, 'leaver', 'administrator');
  const actor = { kind: 'user' as const, id: leaver.id, name: 'Test leaver', organisationId: l.id, role: 'administrator' as const };
  const madeByLeaver = await h.store.withOrg(l.id, (tx) => createToken({ actor, tx }, { name: 'leaver’s script', role: 'administrator', days: 30 }));
  const asLeaverToken = { authorization: `Bearer ${madeByLeaver.token}` };
  const madeByToken = await api(h, 'POST', '/api/v1/api-tokens', asLeaverToken, { name: 'made by a token', role: 'administrator', days: 3650 });
  assert.equal(madeByToken.status, 201);
  assert.ok(Date.parse(madeByToken.body.expiresAt) <= madeByLeaver.expiresAt!.getTime(), 'a token made by a token expires no later than its maker');
  const asGrandchild = { authorization: `Bearer ${madeByToken.body.token}` };
  assert.equal((await api(h, 'GET', '/api/v1/homes', asGrandchild)).status, 200);

  assert.equal((await api(h, 'POST', `/api/v1/users/${leaver.id}/disable`, l.as.administrator)).status, 200);
  assert.equal((await api(h, 'GET', '/api/v1/homes', asLeaverToken)).status, 401, 'the token the leaver made stops at once');
  assert.equal((await api(h, 'GET', '/api/v1/homes', asGrandchild)).status, 401, 'and so does the token that token made');
  assert.equal((await api(h, 'POST', `/api/v1/users/${leaver.id}/enable`, asGrandchild)).status, 401, 'it cannot enable its maker again');
  const audited = await rows<{ entity_id: string }>(sql`select entity_id from audit_events where action = 'token-revoked' and entity_id in (${madeByLeaver.id}, ${madeByToken.body.id})`);
  assert.equal(audited.length, 2);
});

test('revoking a token revokes the tokens it made', async () => {
  const parent = await h.auth.addToken(l.id, 'parent', 'administrator');
  const child = await api(h, 'POST', '/api/v1/api-tokens', { authorization: `Bearer ${parent.token}` }, { name: 'child', role: 'analyst', days: 10 });
  assert.equal(child.status, 201);
  assert.equal((await api(h, 'POST', `/api/v1/api-tokens/${parent.id}/revoke`, l.as.administrator)).status, 200);
  assert.equal((await api(h, 'GET', '/api/v1/homes', { authorization: `Bearer ${child.body.token}` })).status, 401);
});
