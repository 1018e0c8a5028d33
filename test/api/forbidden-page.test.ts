// Issue 13, defect 8: a signed-in user refused a page for their role saw "Forbidden" and "Your role does not allow
// this". They now see what they cannot do, why, who to ask, and the parts of Hearth they can use; the API still
// answers problem+json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness } from '../support/harness.ts';
import type { Role } from '../../src/platform/auth/roles.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h?.close(); });

async function signedIn(orgId: string, role: Role) {
  const password = 'a long test password 1';
  const email = `${role}.${orgId.slice(-8)}@example.org`;
  await h.auth.addUser({ organisationId: orgId, email, name: `Test ${role}`, role, password });
  return `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const h1 = (html: string) => text(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '').trim();

test('a role that may not load files is told so in words, with who to ask and what it can do instead', async () => {
  const org = await landlord(h);
  const cookie = await signedIn(org.id, 'analyst');
  for (const url of ['/imports', '/imports/new']) {
    const res = await h.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(res.statusCode, 403, url);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.equal(h1(res.body), 'You cannot load files or see what was loaded', url);
    assert.match(res.body, /<title>You cannot load files or see what was loaded – Hearth<\/title>/);
    const words = text(res.body);
    assert.doesNotMatch(words, /Forbidden|does not allow this/);
    assert.match(words, /You are signed in as a read-only analyst, and your role does not include this\./);
    assert.match(words, /If you need this done, ask an administrator or data lead\./);
    assert.match(words, /What you can do/);
    assert.match(res.body, /<li><a class="govuk-link" href="\/search">Search<\/a><\/li>/, 'a part of Hearth the analyst can use');
    assert.doesNotMatch(res.body, /<li><a class="govuk-link" href="\/imports">/, 'not the one refused');
  }
});

test('administrators’ pages say who manages them', async () => {
  const org = await landlord(h);
  const cookie = await signedIn(org.id, 'housing-officer');
  const users = await h.app.inject({ method: 'GET', url: '/users', headers: { cookie } });
  assert.equal(users.statusCode, 403);
  assert.equal(h1(users.body), 'You cannot manage staff accounts and API tokens');
  assert.match(text(users.body), /Only administrators manage staff accounts and API tokens\. If you need this done, ask an administrator\./);
  const hooks = await h.app.inject({ method: 'GET', url: '/webhooks', headers: { cookie } });
  assert.equal(hooks.statusCode, 403);
  assert.equal(h1(hooks.body), 'You cannot manage webhooks');
  assert.doesNotMatch(text(hooks.body), /Forbidden/);
});

test('a page the role may see but not act on: the action refused, and whom to ask, said once', async () => {
  const org = await landlord(h);
  const home = await api(h, 'POST', '/api/v1/homes', org.as.administrator, sample.home());
  assert.equal(home.status, 201, JSON.stringify(home.body));
  const cookie = await signedIn(org.id, 'analyst');
  const res = await h.app.inject({ method: 'GET', url: `/homes/${home.body.id}/hazards/new`, headers: { cookie } });
  assert.equal(res.statusCode, 403);
  assert.match(h1(res.body), /^You cannot .*hazard/); // the hazards module's own words for what it refused
  assert.doesNotMatch(text(res.body), /Forbidden/);
  // The hazards module says whom to ask, so the page does not add a second answer.
  assert.match(text(res.body), /Ask a housing officer or compliance lead/);
  assert.doesNotMatch(text(res.body), /If you need this done/);
});

test('the API still answers a refusal with problem+json', async () => {
  const org = await landlord(h);
  const res = await api(h, 'GET', '/api/v1/imports', org.as.analyst);
  assert.equal(res.status, 403);
  assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
  assert.equal(res.body.title, 'Forbidden');
  assert.equal(res.body.status, 403);
});

test('a form posted without its CSRF token: "The form has expired", not "Forbidden"', async () => {
  const org = await landlord(h);
  const cookie = await signedIn(org.id, 'data-lead');
  const res = await h.app.inject({ method: 'POST', url: '/webhooks', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'url=https%3A%2F%2Fexample.org' });
  assert.equal(res.statusCode, 403);
  assert.equal(h1(res.body), 'The form has expired');
  assert.match(text(res.body), /Go back, reload the page and try again\./);
  assert.doesNotMatch(text(res.body), /Forbidden/);
});
