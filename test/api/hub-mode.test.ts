// Hub mode (`hearth hub start`): the same Hearth with the hub's public site as its front page. A visitor without a
// session who asks for / is sent there; staff still sign in; the setting takes only a path on this server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from '../support/harness.ts';
import { loadConfig } from '../../src/config.ts';

let h: Harness;
before(async () => { h = await harness({ frontPage: '/hub' }); });
after(async () => { await h.close(); });

test('a visitor without a session lands on the public site; sign-in is where it was', async () => {
  const front = await h.app.inject({ method: 'GET', url: '/' });
  assert.equal(front.statusCode, 303);
  assert.equal(front.headers.location, '/hub');
  const hub = await h.app.inject({ method: 'GET', url: '/hub' });
  assert.equal(hub.statusCode, 200);
  assert.match(hub.body, /Social housing data/);
  const signIn = await h.app.inject({ method: 'GET', url: '/sign-in' });
  assert.equal(signIn.statusCode, 200);
  // With a session cookie, / is the staff home page's business (here: an unknown session, sent to sign in).
  const withCookie = await h.app.inject({ method: 'GET', url: '/', cookies: { hearth_session: 'not-a-session' } });
  assert.notEqual(withCookie.headers.location, '/hub');
});

test('the front page is a path on this server, never another site', () => {
  assert.equal(loadConfig({ HEARTH_FRONT_PAGE: '/hub' }).frontPage, '/hub');
  assert.equal(loadConfig({}).frontPage, null);
  for (const bad of ['https://evil.example', '//evil.example', '/hub?x=https://evil', 'hub']) {
    assert.throws(() => loadConfig({ HEARTH_FRONT_PAGE: bad }), /HEARTH_FRONT_PAGE must be a path on this server/, bad);
  }
});
