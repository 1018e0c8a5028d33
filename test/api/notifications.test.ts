// Issue 14: messages to residents. The local provider renders Hearth's words with the personalisation and keeps the
// message; a missing placeholder is the caller's error, named. With GOV.UK Notify (a real HTTP double on 127.0.0.1,
// never the internet) a message is queued in the caller's transaction and sent only after it commits, with a JWT
// (HS256, iss = service id, iat) and Notify's request body; a 400, a 500 or no answer is recorded on the message as
// failed, never thrown into the caller's work. Administrators see their own organisation's messages on /notifications;
// a housing officer is refused.
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { staffSession } from '../support/staff.ts';
import { loadConfig } from '../../src/config.ts';
import { systemActor, type Actor } from '../../src/platform/auth/actor.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import { notify, messagesFor, sendQueued, useMessageProvider, messageProvider, type NotifyInput } from '../../src/modules/notifications/service.ts';
import { LocalProvider, NotifyProvider, notifyJwt, parseApiKey } from '../../src/modules/notifications/providers.ts';
import { MissingPersonalisation, TEMPLATE_NAMES, placeholdersOfTemplate, render } from '../../src/modules/notifications/templates.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); });

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const API_KEY = `hearth-test-key-${SERVICE_ID}-${SECRET}`;
const templateIds = Object.fromEntries(TEMPLATE_NAMES.map((t, i) => [t, {
  email: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, sms: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
}]));

const reported = (extra: Partial<NotifyInput> = {}): NotifyInput => ({
  channel: 'email', to: 'resident@example.org', template: 'repair-reported', reference: 'R-2026-000123',
  personalisation: {
    reference: 'R-2026-000123', what: 'The kitchen tap drips all the time', priority: 'Routine: we aim to finish it within 20 working days',
    next_steps: 'We will come on Tuesday 9 June 2026, morning (8am to 1pm).', find_url: 'https://hearth.example/repairs/find',
  },
  about: { kind: 'repair-request', id: '0190a8c2-0000-7000-8000-000000000001' },
  ...extra,
});

const as = (organisationId: string, role: Actor['role'] = 'administrator'): Actor => ({ ...systemActor(organisationId), role });
const inOrg = <T>(organisationId: string, work: (ctx: Ctx) => Promise<T>, role: Actor['role'] = 'administrator') =>
  h.store.withOrg(organisationId, (tx) => work({ actor: as(organisationId, role), tx }));

/** Use `provider` for this test only. */
function using(t: TestContext, provider: ReturnType<typeof messageProvider>) {
  const before = messageProvider();
  useMessageProvider(provider);
  t.after(() => useMessageProvider(before));
}

interface Received { method: string; url: string; headers: http.IncomingHttpHeaders; body: any } // eslint-disable-line @typescript-eslint/no-explicit-any
type Answer = { status: number; body: unknown } | 'hang';

/** GOV.UK Notify's double on 127.0.0.1: records each request, answers `answer(request)`. */
async function notifyDouble(t: TestContext, answer: (r: Received) => Answer) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method!, url: req.url!, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
      received.push(r);
      const a = answer(r);
      if (a === 'hang') return;
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { received, provider: (timeoutMs?: number) => new NotifyProvider({ apiKey: API_KEY, baseUrl, templates: templateIds, timeoutMs }) };
}

/** What Notify answers to a send: its id, our reference, its own rendering of the content. */
const created = (r: Received, id: string) => ({
  status: 201,
  body: {
    id, reference: r.body.reference ?? null, uri: `https://api.notifications.service.gov.uk/v2/notifications/${id}`,
    content: r.url.endsWith('/email') ? { subject: `Notify subject for ${r.body.personalisation.reference}`, body: `Notify body: ${r.body.personalisation.what ?? ''}`, from_email: 'repairs@notifications.service.gov.uk' } : { body: `Notify text ${r.body.personalisation.reference}`, from_number: 'Hearth' },
    template: { id: r.body.template_id, version: 3, uri: 'https://api.notifications.service.gov.uk/v2/template/x' },
  },
});

const rowOf = async (organisationId: string, id: string) => (await h.store.system((tx) => tx.execute(sql`select status, provider, provider_id, subject, body, error, personalisation, recipient, template_id
  from notifications where organisation_id = ${organisationId} and id = ${id}`))).rows[0] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('the local provider renders the personalisation into the subject and body and keeps the message as sent', async () => {
  const org = await landlord(h);
  const m = await inOrg(org.id, (ctx) => notify(ctx, reported()));
  assert.equal(m.status, 'sent');
  assert.equal(m.provider, 'local');
  assert.equal(m.subject, 'Repair reported: your reference is R-2026-000123');
  for (const words of ['Your reference is R-2026-000123.', 'The kitchen tap drips all the time', 'Routine: we aim to finish it within 20 working days',
    'We will come on Tuesday 9 June 2026, morning (8am to 1pm).', 'go to https://hearth.example/repairs/find and enter your reference and postcode']) {
    assert.ok(m.body.includes(words), words);
  }
  assert.doesNotMatch(m.body, /\(\(/, 'every placeholder is filled');
  const row = await rowOf(org.id, m.id);
  assert.equal(row.status, 'sent');
  assert.equal(row.body, m.body);
  assert.equal(row.recipient, 'resident@example.org');
  assert.equal(row.template_id, 'repair-reported');
  assert.deepEqual(row.personalisation, reported().personalisation);

  // A text message is the short one, with no subject; a resident's own words are kept as written, never as placeholders.
  const sms = await inOrg(org.id, (ctx) => notify(ctx, reported({ channel: 'sms', to: '07700 900 982', personalisation: { ...reported().personalisation, next_steps: 'Call ((us)).' } })));
  assert.equal(sms.subject, null);
  assert.equal(sms.body, 'We have your repair request. Your reference is R-2026-000123. Call ((us)). To check or change it: https://hearth.example/repairs/find');
  assert.ok(sms.body.length <= 306, 'two text messages at most');
});

test('a missing personalisation key is an error naming it, and nothing is kept', async () => {
  const org = await landlord(h);
  const { find_url: _, priority: __, ...rest } = reported().personalisation;
  await assert.rejects(inOrg(org.id, (ctx) => notify(ctx, reported({ personalisation: rest }))), (err: unknown) => {
    assert.ok(err instanceof MissingPersonalisation);
    assert.deepEqual(err.missing, ['priority', 'find_url']);
    assert.match(err.message, /repair-reported email needs personalisation for priority, find_url/);
    return true;
  });
  assert.deepEqual(await inOrg(org.id, (ctx) => messagesFor(ctx)), []);
  // Every template's placeholders, in each channel, are checked the same way.
  for (const t of TEMPLATE_NAMES) {
    for (const c of ['email', 'sms'] as const) {
      const keys = placeholdersOfTemplate(t, c);
      assert.ok(keys.length > 0, `${t} ${c}`);
      assert.throws(() => render(t, c, Object.fromEntries(keys.slice(1).map((k) => [k, 'x']))), new RegExp(`personalisation for ${keys[0]}`));
    }
  }
});

test('the GOV.UK Notify provider signs a JWT from the API key and posts Notify’s request body, after the caller commits', async (t) => {
  const org = await landlord(h);
  let n = 0;
  const notifyApi = await notifyDouble(t, (r) => created(r, `bfb50d92-100d-4b8b-b559-14fa3b09${String(++n).padStart(4, '0')}`));
  const provider = notifyApi.provider();
  using(t, provider);

  // Queued in the caller's transaction: nothing goes to Notify while the caller's work is uncommitted.
  const queued = await inOrg(org.id, async (ctx) => {
    const email = await notify(ctx, reported());
    const text = await notify(ctx, reported({ channel: 'sms', to: '+447700900982', template: 'appointment-booked', personalisation: { reference: 'R-2026-000123', date: 'Tuesday 9 June 2026', slot: 'morning (8am to 1pm)', find_url: 'https://hearth.example/repairs/find' } }));
    return [email, text];
  });
  assert.deepEqual(queued.map((m) => [m.status, m.provider]), [['queued', 'notify'], ['queued', 'notify']]);
  assert.equal(queued[0]!.subject, 'Repair reported: your reference is R-2026-000123', 'Hearth’s rendering until Notify has sent it');
  assert.equal(notifyApi.received.length, 0);

  const before = Math.floor(Date.now() / 1000);
  const outcomes = await sendQueued(h.store, provider, { organisationId: org.id });
  assert.deepEqual(outcomes.map((o) => o.status), ['sent', 'sent']);
  assert.equal(notifyApi.received.length, 2);

  const [email, sms] = notifyApi.received;
  assert.equal(email!.method, 'POST');
  assert.equal(email!.url, '/v2/notifications/email');
  assert.deepEqual(email!.body, { email_address: 'resident@example.org', template_id: templateIds['repair-reported']!.email, personalisation: reported().personalisation, reference: 'R-2026-000123' });
  assert.equal(sms!.url, '/v2/notifications/sms');
  assert.deepEqual(sms!.body, {
    phone_number: '+447700900982', template_id: templateIds['appointment-booked']!.sms, reference: 'R-2026-000123',
    personalisation: { reference: 'R-2026-000123', date: 'Tuesday 9 June 2026', slot: 'morning (8am to 1pm)', find_url: 'https://hearth.example/repairs/find' },
  });
  assert.match(email!.headers['content-type']!, /^application\/json/);

  // The bearer token: a JWT whose signature the key's secret verifies, issued by the service, now.
  const token = /^Bearer (.+)$/.exec(email!.headers.authorization!)![1]!;
  const [header, payload, signature] = token.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { typ: 'JWT', alg: 'HS256' });
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  assert.deepEqual(Object.keys(claims).sort(), ['iat', 'iss']);
  assert.equal(claims.iss, SERVICE_ID);
  assert.ok(claims.iat >= before - 1 && claims.iat <= Math.floor(Date.now() / 1000), 'issued now');
  assert.equal(signature, createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url'));
  assert.notEqual(signature, createHmac('sha256', SERVICE_ID).update(`${header}.${payload}`).digest('base64url'), 'signed by the secret, not the service id');
  assert.deepEqual(parseApiKey(API_KEY), { serviceId: SERVICE_ID, secret: SECRET });
  assert.equal(notifyJwt(API_KEY, new Date('2026-06-09T10:00:00Z')).split('.')[1], Buffer.from(JSON.stringify({ iss: SERVICE_ID, iat: 1780999200 })).toString('base64url'));

  // Kept as Notify rendered it, with Notify's id.
  const [sentSms, sentEmail] = await inOrg(org.id, (ctx) => messagesFor(ctx));
  assert.equal(sentEmail!.status, 'sent');
  assert.equal(sentEmail!.providerId, 'bfb50d92-100d-4b8b-b559-14fa3b090001');
  assert.equal(sentEmail!.subject, 'Notify subject for R-2026-000123');
  assert.equal(sentEmail!.body, 'Notify body: The kitchen tap drips all the time');
  assert.equal(sentSms!.body, 'Notify text R-2026-000123');
  assert.equal(sentSms!.subject, null);

  // Sent once: nothing is queued any more.
  assert.deepEqual(await sendQueued(h.store, provider, { organisationId: org.id }), []);
  assert.equal(notifyApi.received.length, 2);
});

test('work that rolls back sends nothing', async (t) => {
  const org = await landlord(h);
  const notifyApi = await notifyDouble(t, (r) => created(r, 'bfb50d92-100d-4b8b-b559-14fa3b091cda'));
  const provider = notifyApi.provider();
  using(t, provider);
  await assert.rejects(inOrg(org.id, async (ctx) => {
    await notify(ctx, reported());
    throw new Error('the repair could not be saved');
  }), /could not be saved/);
  assert.deepEqual(await sendQueued(h.store, provider, { organisationId: org.id }), []);
  assert.equal(notifyApi.received.length, 0);
});

test('GOV.UK Notify refusing (400), failing (500) or not answering is recorded on the message as failed, and the caller’s work stands', async (t) => {
  const org = await landlord(h);
  const notifyApi = await notifyDouble(t, (r) => {
    switch (r.body.reference) {
      case 'BAD': return { status: 400, body: { status_code: 400, errors: [{ error: 'BadRequestError', message: 'Can’t send to this recipient using a team-only API key' }] } };
      case 'DOWN': return { status: 500, body: { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] } };
      case 'SLOW': return 'hang';
      default: return created(r, 'bfb50d92-100d-4b8b-b559-14fa3b091cda');
    }
  });
  const provider = notifyApi.provider(300);
  using(t, provider);

  // The caller's work and its messages, in one transaction, which commits whatever Notify later answers.
  const ids = await inOrg(org.id, async (ctx) => {
    const out = [];
    for (const reference of ['BAD', 'DOWN', 'SLOW', 'GOOD']) out.push((await notify(ctx, reported({ reference }))).id);
    return out;
  });

  const outcomes = await sendQueued(h.store, provider, { organisationId: org.id });
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  assert.equal(byId.get(ids[0]!)!.status, 'failed');
  assert.equal(byId.get(ids[1]!)!.status, 'failed');
  assert.equal(byId.get(ids[2]!)!.status, 'failed');
  assert.equal(byId.get(ids[3]!)!.status, 'sent', 'one failure does not stop the others');

  const [bad, down, slow, good] = await Promise.all(ids.map((id) => rowOf(org.id, id)));
  assert.equal(bad.status, 'failed');
  assert.equal(bad.error, 'GOV.UK Notify answered 400: BadRequestError: Can’t send to this recipient using a team-only API key');
  assert.equal(down.status, 'failed');
  assert.equal(down.error, 'GOV.UK Notify answered 500: Exception: Internal server error');
  assert.equal(slow.status, 'failed');
  assert.equal(slow.error, 'GOV.UK Notify did not answer in time');
  assert.equal(good.status, 'sent');
  assert.equal(bad.subject, 'Repair reported: your reference is R-2026-000123', 'what would have been said is kept');

  // Failed messages are not tried again (a resident must not get one twice); the page shows why.
  assert.deepEqual(await sendQueued(h.store, provider, { organisationId: org.id }), []);
  assert.equal(notifyApi.received.length, 4);

  // Notify that cannot be reached at all is the same: recorded, not thrown.
  const unreachable = new NotifyProvider({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:1', templates: templateIds, timeoutMs: 2000 });
  useMessageProvider(unreachable);
  const lost = await inOrg(org.id, (ctx) => notify(ctx, reported({ reference: 'NOWHERE' })));
  const [o] = await sendQueued(h.store, unreachable, { organisationId: org.id });
  assert.equal(o!.id, lost.id);
  assert.equal(o!.status, 'failed');
  assert.match((await rowOf(org.id, lost.id)).error, /could not be reached|fetch failed/);
});

test('an organisation sees only its own messages, and only those about one thing when asked', async () => {
  const a = await landlord(h);
  const b = await landlord(h);
  const mine = await inOrg(a.id, (ctx) => notify(ctx, reported()));
  const other = await inOrg(a.id, (ctx) => notify(ctx, reported({ about: { kind: 'repair-request', id: '0190a8c2-0000-7000-8000-000000000002' } })));
  const theirs = await inOrg(b.id, (ctx) => notify(ctx, reported({ to: 'someone.else@example.org' })));
  assert.deepEqual((await inOrg(a.id, (ctx) => messagesFor(ctx))).map((m) => m.id), [other.id, mine.id], 'newest first');
  assert.deepEqual((await inOrg(b.id, (ctx) => messagesFor(ctx))).map((m) => m.id), [theirs.id]);
  assert.deepEqual((await inOrg(a.id, (ctx) => messagesFor(ctx, { about: reported().about! }))).map((m) => m.id), [mine.id]);
  assert.deepEqual((await inOrg(a.id, (ctx) => messagesFor(ctx, { limit: 1 }))).map((m) => m.id), [other.id]);
  await assert.rejects(inOrg(a.id, (ctx) => messagesFor(ctx), 'housing-officer'), { status: 403 });
});

test('"Messages sent" lists an administrator’s messages as the resident reads them, says the local provider sends nothing, and refuses a housing officer', async () => {
  const org = await landlord(h);
  const other = await landlord(h);
  await inOrg(org.id, (ctx) => notify(ctx, reported()));
  await inOrg(org.id, (ctx) => notify(ctx, reported({ channel: 'sms', to: '07700 900 982', template: 'repair-completed', personalisation: { reference: 'R-2026-000123' } })));
  await inOrg(other.id, (ctx) => notify(ctx, reported({ to: 'not.ours@example.org' })));

  const admin = await staffSession(h, org.id, 'administrator', 'Ada Admin', `ada.${org.id.slice(-8)}@example.org`);
  const res = await admin.get('/notifications');
  assert.equal(res.statusCode, 200);
  const words = res.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  assert.match(words, /Messages sent/);
  assert.match(words, /Messages are not being sent: this is the local provider for development/);
  assert.match(words, /Email to resident@example\.org/);
  assert.match(words, /Repair reported: your reference is R-2026-000123/);
  assert.match(words, /The kitchen tap drips all the time/);
  assert.match(words, /Text message to 07700 900 982/);
  assert.match(words, /Repair R-2026-000123 is finished\./);
  assert.ok(words.indexOf('Text message to') < words.indexOf('Email to resident'), 'newest first');
  assert.doesNotMatch(words, /not\.ours@example\.org/, 'not another organisation’s');
  // A page seldom visited: under "Manage" on the administrator's home page, not in the service navigation.
  const home = (await admin.get('/')).body;
  assert.match(home, /<li><a class="govuk-link" href="\/notifications">Messages<\/a>: messages to residents/, 'under Manage on the home page');
  assert.doesNotMatch(home, /govuk-service-navigation__link" href="\/notifications"/, 'not in the service navigation');

  const officer = await staffSession(h, org.id, 'housing-officer', 'Olu Officer', `olu.${org.id.slice(-8)}@example.org`);
  const refused = await officer.get('/notifications');
  assert.equal(refused.statusCode, 403);
  assert.doesNotMatch(refused.body, /resident@example\.org/);
  assert.doesNotMatch(refused.body, /href="\/notifications"/, 'not in a housing officer’s navigation');
  assert.doesNotMatch((await officer.get('/')).body, /href="\/notifications"/, 'nor on their home page');
});

test('the provider follows the settings: GOV.UK Notify with an API key and its templates, else the local provider', () => {
  const base = { HEARTH_DATA_DIR: '.cache/test-data' };
  const local = loadConfig(base);
  assert.equal(local.notifyApiKey, undefined);
  assert.equal(local.notifyBaseUrl, 'https://api.notifications.service.gov.uk');
  assert.ok(new LocalProvider().templateId('repair-reported', 'sms').includes('repair-reported'));

  const withKey = loadConfig({ ...base, HEARTH_NOTIFY_API_KEY: API_KEY, HEARTH_NOTIFY_TEMPLATES: JSON.stringify(templateIds) });
  assert.equal(withKey.notifyApiKey, API_KEY);
  assert.deepEqual(withKey.notifyTemplates, templateIds);
  assert.throws(() => loadConfig({ ...base, HEARTH_NOTIFY_API_KEY: API_KEY }), /HEARTH_NOTIFY_TEMPLATES .*required with HEARTH_NOTIFY_API_KEY/);
  assert.throws(() => loadConfig({ ...base, HEARTH_NOTIFY_API_KEY: 'not-a-key' }), (err: Error) => /HEARTH_NOTIFY_API_KEY/.test(err.message) && !err.message.includes('not-a-key'));
  assert.throws(() => loadConfig({ ...base, HEARTH_NOTIFY_TEMPLATES: '{"repair-reported": {"letter": "x"}}' }), /only "email" and "sms"/);
  assert.throws(() => loadConfig({ ...base, HEARTH_NOTIFY_BASE_URL: 'http://notify.example' }), /HEARTH_NOTIFY_BASE_URL/);
  // A template without a Notify template in each channel stops Hearth at start, not at a resident's confirmation.
  const { 'repair-completed': _, ...fewer } = templateIds;
  assert.throws(() => new NotifyProvider({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:1', templates: fewer }), /no GOV.UK Notify template for repair-completed \(email\), repair-completed \(sms\)/);
});
