// The journey helper on a test-only route (no module uses a journey yet: the existing forms are single pages): a repair
// reported in two steps, checked, and sent once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { journeyTestApp } from './fixtures/journey-app.ts';
import { SESSION_COOKIE } from '../session.ts';

const { app, written } = await journeyTestApp();
after(() => app.close());

const base = '/test/homes/h1/repairs/report';
const as = (session: string) => ({ cookie: `${SESSION_COOKIE}=${session}` });
const get = (url: string, session = 's1') => app.inject({ method: 'GET', url, headers: as(session) });
const post = (url: string, fields: Record<string, string>, session = 's1') => app.inject({
  method: 'POST', url, headers: { ...as(session), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: 'csrf-ok', ...fields }).toString(),
});

test('a journey: each step in turn, errors on the step, check answers with Change links, sent once', async () => {
  assert.equal((await get(base)).headers.location, `${base}/what`);
  assert.equal((await get(`${base}/when`)).headers.location, `${base}/what`, 'no step before the ones ahead are answered');
  assert.equal((await get(`${base}/check`)).headers.location, `${base}/what`);

  const empty = await post(`${base}/what`, { description: '  ' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /<title>Error: What needs repairing\?/);
  assert.match(empty.body, /govuk-error-summary[\s\S]*href="#description">Enter what needs repairing/);
  assert.equal((await post(`${base}/what`, { description: ' Leaking tap ' })).headers.location, `${base}/when`);

  const future = await post(`${base}/when`, { 'startedOn-day': '1', 'startedOn-month': '1', 'startedOn-year': '2999' });
  assert.equal(future.statusCode, 400);
  assert.ok(future.body.includes('href="#startedOn-day">The date it started must be today or in the past'));
  assert.ok(future.body.includes('value="2999"'), 'what was typed is drawn again');
  assert.equal((await post(`${base}/when`, { 'startedOn-day': '3', 'startedOn-month': '2', 'startedOn-year': '2026' })).headers.location, `${base}/check`);

  const check = await get(`${base}/check`);
  assert.equal(check.statusCode, 200);
  assert.match(check.body, /govuk-summary-list/);
  assert.match(check.body, /Leaking tap/);
  assert.match(check.body, /2026-02-03/);
  assert.match(check.body, new RegExp(`href="${base}/what\\?change=1"[^>]*>\\s*Change<span class="govuk-visually-hidden"> what needs repairing</span>`));

  // A change goes back to the check page, not on to the next step.
  const change = await get(`${base}/what?change=1`);
  assert.ok(change.body.includes('value=" Leaking tap "'), 'as it was typed');
  assert.equal((await post(`${base}/what?change=1`, { description: 'Leaking kitchen tap' })).headers.location, `${base}/check`);

  const formToken = /name="formToken" value="([^"]+)"/.exec((await get(`${base}/check`)).body)![1]!;
  const stolen = await post(`${base}/check`, { formToken }, 's2');
  assert.equal(stolen.headers.location, `${base}/what`, 'another session\'s token sends nothing');
  assert.equal(written.length, 0);
  const sent = await post(`${base}/check`, { formToken });
  assert.equal(sent.statusCode, 303);
  assert.equal(sent.headers.location, '/test/repairs/1');
  assert.equal(written.length, 1);
  assert.deepEqual(written[0], { home: 'h1', description: 'Leaking kitchen tap', startedOn: '2026-02-03' });
});

test('a double click on the check page writes once; both go to what was made', async () => {
  await post(`${base}/what`, { description: 'Broken window' }, 's3');
  await post(`${base}/when`, { 'startedOn-day': '1', 'startedOn-month': '3', 'startedOn-year': '2026' }, 's3');
  const formToken = /name="formToken" value="([^"]+)"/.exec((await get(`${base}/check`, 's3')).body)![1]!;
  const before = written.length;
  const [one, two] = await Promise.all([post(`${base}/check`, { formToken }, 's3'), post(`${base}/check`, { formToken }, 's3')]);
  assert.equal(written.length, before + 1);
  assert.equal(one.statusCode, 303);
  assert.equal(two.headers.location, one.headers.location);
  const again = await post(`${base}/check`, { formToken }, 's3');
  assert.equal(again.headers.location, one.headers.location, 'sent again later: still the one report');
  assert.equal(written.length, before + 1);
  // The answers were forgotten: a new journey starts empty.
  assert.equal((await get(`${base}/check`, 's3')).headers.location, `${base}/what`);
});

test('answers belong to one session and one journey URL; a post without the CSRF token is refused', async () => {
  await post(`${base}/what`, { description: 'Damp' }, 's4');
  assert.equal((await get(`${base}/when`, 's5')).headers.location, `${base}/what`, 'another session has none');
  assert.equal((await get('/test/homes/h2/repairs/report/when', 's4')).headers.location, '/test/homes/h2/repairs/report/what', 'another home has none');
  const refused = await app.inject({ method: 'POST', url: `${base}/what`, headers: { ...as('s4'), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'description=x' });
  assert.equal(refused.statusCode, 403);
  assert.equal((await get(`${base}/nope`, 's4')).statusCode, 404);
});
