// Issue 13, defect 1: a legal clock starts from what the reporter says. A hazard report given no time is never dated
// "now" by default: the form is not prefilled with today's date and time, a blank date or time is an error, and "now"
// is recorded only when the user chooses "It was reported just now". Over the API, a missing reportedAt is a 400
// naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { hazardsOfHome } from '../../src/modules/hazards/service.ts';
import { ukWallClock } from '../../src/platform/uk-time.ts';

let h: Harness;
let a: Landlord;
let homeId: string;

before(async () => {
  h = await harness();
  a = await landlord(h);
  const r = await api(h, 'POST', '/api/v1/homes', a.as.administrator, sample.home());
  assert.equal(r.status, 201, JSON.stringify(r.body));
  homeId = r.body.id as string;
});
after(() => h.close());

const reports = () => h.store.withOrg(a.id, (tx) => hazardsOfHome({ actor: systemActor(a.id, 'Test'), tx }, homeId));

test('API: a report without reportedAt is a 400 naming the field, and nothing is written', async () => {
  const r = await api(h, 'POST', `/api/v1/homes/${homeId}/hazard-reports`, a.as['housing-officer'],
    { hazard: 'damp-and-mould', severity: 'significant', description: 'Black mould on the bedroom ceiling' });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.ok(r.body.errors.some((e: { field: string }) => e.field === '/reportedAt'), JSON.stringify(r.body));
  assert.equal((await reports()).length, 0);
});

async function officerForm() {
  const email = `officer.${a.id.slice(-8)}@example.org`;
  const password = 'a long test password 1';
  await h.auth.addUser({ organisationId: a.id, email, name: 'Test officer', role: 'housing-officer', password });
  const session = `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
  const form = await h.app.inject({ method: 'GET', url: `/homes/${homeId}/hazards/new`, headers: { cookie: session } });
  assert.equal(form.statusCode, 200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const cookie = `${session}; ${form.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`;
  const tokenOf = (body: string) => /name="formToken" value="([^"]+)"/.exec(body)![1]!;
  const post = (fields: Record<string, string>) => h.app.inject({
    method: 'POST', url: `/homes/${homeId}/hazards/new`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });
  const fresh = async () => tokenOf((await h.app.inject({ method: 'GET', url: `/homes/${homeId}/hazards/new`, headers: { cookie } })).body);
  return { form, post, fresh, formToken: tokenOf(form.body) };
}

const summary = (body: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(body)?.[0] ?? body.slice(0, 500);
const what = { hazard: 'damp-and-mould', severity: 'significant', description: 'Mould behind the bath' };

test('form: not prefilled with today; blank date or time is an error; "It was reported just now" records now when chosen', async () => {
  const { form, post, fresh, formToken } = await officerForm();
  // Nothing typed into the date and time boxes: an untouched form must not say "today, now".
  for (const box of ['reportedAt-day', 'reportedAt-month', 'reportedAt-year', 'reportedAtTime']) {
    const input = new RegExp(`<input[^>]*name="${box}"[^>]*>`).exec(form.body)?.[0] ?? '';
    assert.ok(input, box);
    assert.doesNotMatch(input, /value="[^"]+"/, `${box} is empty`);
  }
  assert.match(form.body, /It was reported just now/);

  // Blank date and time, no choice of "now": GOV.UK errors, nothing saved.
  const blank = await post({ formToken, ...what, 'reportedAt-day': '', 'reportedAt-month': '', 'reportedAt-year': '', reportedAtTime: '' });
  assert.equal(blank.statusCode, 400);
  assert.match(blank.body, /Enter the date the hazard was reported/);
  assert.match(blank.body, /Enter the time the hazard was reported/);
  // A date without a time is still an error about the time.
  const noTime = await post({ formToken, ...what, 'reportedAt-day': '2', 'reportedAt-month': '3', 'reportedAt-year': '2026', reportedAtTime: '' });
  assert.equal(noTime.statusCode, 400);
  assert.match(noTime.body, /Enter the time the hazard was reported/);
  assert.doesNotMatch(noTime.body, /Enter the date the hazard was reported/);
  assert.equal((await reports()).length, 0, 'nothing saved');

  // Chosen "now": recorded as the time of the post.
  const before = Date.now();
  const now = await post({ formToken: await fresh(), ...what, reportedNow: 'yes', location: 'Chosen now' });
  assert.equal(now.statusCode, 303, summary(now.body));
  const saved = (await reports()).find((r) => r.location === 'Chosen now')!;
  assert.ok(saved);
  const at = new Date(saved.reportedAt).getTime();
  assert.ok(at >= Math.floor(before / 60_000) * 60_000 && at <= Date.now(), `${new Date(at).toISOString()} is the time it was chosen`);

  // "Now" chosen and a date typed as well: which one is meant is not guessed.
  const both = await post({ formToken: await fresh(), ...what, reportedNow: 'yes', 'reportedAt-day': '2', 'reportedAt-month': '3', 'reportedAt-year': '2026', reportedAtTime: '9:30am' });
  assert.equal(both.statusCode, 400);
  assert.match(summary(both.body), /href="#reportedNow">Enter when the hazard was reported, or select ‘It was reported just now’, not both/);

  // A date and time given: exactly that.
  const given = await post({ formToken: await fresh(), ...what, 'reportedAt-day': '2', 'reportedAt-month': '3', 'reportedAt-year': '2026',
    reportedAtTime: '9:30am', location: 'Given time' });
  assert.equal(given.statusCode, 303, summary(given.body));
  const dated = (await reports()).find((r) => r.location === 'Given time')!;
  assert.deepEqual(ukWallClock(new Date(dated.reportedAt)), { date: '2026-03-02', time: '09:30' });
});
