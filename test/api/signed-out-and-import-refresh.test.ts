// Issue 13, defect 10: after signing out the sign-in page says "You have signed out" (a GOV.UK success banner); the
// page of an import that is waiting or running reloads itself without JavaScript (the HTTP Refresh header, as a meta refresh), and stops once the
// import has finished.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness, type Landlord } from '../support/harness.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { startImport } from '../../src/modules/ingest/service.ts';
import { suggestForFile } from '../../src/modules/ingest/suggest.ts';

let h: Harness;
let a: Landlord;
const email = () => `lead.${a.id.slice(-8)}@example.org`;
const password = 'a long test password 1';
/** A new session of the data lead (the first test signs its own out). */
const signIn = async () => `hearth_session=${(await h.auth.signIn(email(), password))!.token}`;

before(async () => {
  h = await harness();
  a = await landlord(h);
  await h.auth.addUser({ organisationId: a.id, email: email(), name: 'Test lead', role: 'data-lead', password });
});
after(() => h.close());

const cookiesOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.filter((c) => c.value).map((c) => `${c.name}=${c.value}`);

test('signing out leads to the sign-in page saying "You have signed out" in a success banner', async () => {
  const session = await signIn();
  const home = await h.app.inject({ method: 'GET', url: '/', headers: { cookie: session } });
  assert.equal(home.statusCode, 200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)![1]!;
  const out = await h.app.inject({
    method: 'POST', url: '/sign-out', headers: { cookie: [session, ...cookiesOf(home)].join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  assert.equal(out.statusCode, 303);
  const location = String(out.headers.location);
  assert.match(location, /^\/sign-in(\?|$)/);
  const page = await h.app.inject({ method: 'GET', url: location });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /govuk-notification-banner--success/);
  assert.match(page.body, /role="alert"/);
  assert.match(page.body, /You have signed out/);
  // The plain sign-in page says nothing of the kind.
  const plain = await h.app.inject({ method: 'GET', url: '/sign-in' });
  assert.doesNotMatch(plain.body, /You have signed out/);
});

test('an import waiting or running refreshes itself every 5 seconds without JavaScript; a finished one does not', async () => {
  const session = await signIn();
  fs.mkdirSync(h.config.uploadDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(h.config.uploadDir, 'refresh-'));
  const file = path.join(dir, 'homes.csv');
  fs.writeFileSync(file, 'Property ref,Address line 1,Postcode\nR1,1 High Street,LS6 1AA\n');
  const s = await suggestForFile(file, { kind: 'homes', sourceSystem: 'refresh-test' });
  // Created but not queued: it stays waiting, as an import does until a worker takes it.
  const started = await h.store.withOrg(a.id, (tx) => startImport({ actor: systemActor(a.id), tx }, {
    sourceSystem: 'refresh-test', kind: 'homes', fileName: 'homes.csv', path: file, stored: false, profile: s.profile!, headers: s.headers,
  }));
  const url = `/imports/${started.import.id}`;
  const waiting = await h.app.inject({ method: 'GET', url, headers: { cookie: session } });
  assert.equal(waiting.statusCode, 200);
  assert.equal(waiting.headers.refresh, '5', 'the Refresh header: browsers reload the page, no JavaScript');
  // A way to stop it (WCAG 2.2.1), which stops it.
  assert.match(waiting.body, new RegExp(`href="${url}\\?auto=0"[^>]*>Stop updating automatically`));
  const stopped = await h.app.inject({ method: 'GET', url: `${url}?auto=0`, headers: { cookie: session } });
  assert.equal(stopped.headers.refresh, undefined);
  // The CSP has no rule a meta refresh would break (it is not script), so it is not blocked.
  assert.doesNotMatch(String(waiting.headers['content-security-policy']), /navigate-to/);

  // Finished: no refresh.
  await h.store.withOrg(a.id, (tx) => tx.execute(
    sql`update imports set status = 'completed', finished_at = now() where id = ${started.import.id}`));
  const done = await h.app.inject({ method: 'GET', url, headers: { cookie: session } });
  assert.equal(done.statusCode, 200);
  assert.equal(done.headers.refresh, undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});
