// Issue 12: webhooks. An administrator adds an endpoint (its secret shown once); every write's event reaches the
// endpoints of its own organisation whose types match, POSTed to a real HTTP receiver on 127.0.0.1 and signed as
// Standard Webhooks say (the receiver verifies with the spec's reference library and with its own HMAC); a rotated
// secret signs beside the new one for 24 hours; failures are retried on the schedule, 410 and failing for a day
// disable the endpoint; workers at once never send one attempt twice; private addresses are refused without the
// development flag, when added and when delivering. Time is moved on through the worker's clock, never waited for.
process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE = '1';

import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { drain } from '../../src/platform/events/relay.ts';
import type { StoredEvent } from '../../src/platform/events/outbox.ts';
import { queueDeliveries, webhookFanOut } from '../../src/modules/webhooks/fan-out.ts';
import { deliverDue, type Result } from '../../src/modules/webhooks/worker.ts';
import { blockedReason } from '../../src/modules/webhooks/destination.ts';
import { RETRY_AFTER_SECONDS } from '../../src/modules/webhooks/codes.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); });

interface Received { headers: http.IncomingHttpHeaders; body: string }
type Answer = number | 'hang';

/** A real receiver on 127.0.0.1: answers each request with `answer(n)` (n counts from 0), or never ('hang'). */
async function receiver(t: TestContext, answer: (n: number, r: Received) => Answer = () => 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const a = answer(received.length, r);
      received.push(r);
      if (a !== 'hang') res.writeHead(a, { 'content-type': 'text/plain' }).end('a body Hearth never keeps');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hearth-events`, received };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const rows = async <T>(query: ReturnType<typeof sql>) => (await h.store.system((tx) => tx.execute(query))).rows as T[];

type Endpoint = { id: string; secret: string; status: string; disabledReason: string | null; failuresInARow: number; secrets: { expiresAt: string | null }[] };

/** Add an endpoint over the API as the landlord's administrator; removed (with its deliveries) when the test ends. */
async function addEndpoint(t: TestContext, l: Landlord, url: string, eventTypes: string[] = ['uk.hearth.home.']): Promise<Endpoint> {
  const r = await api(h, 'POST', '/api/v1/webhooks', l.as.administrator, { url, eventTypes, description: 'Test receiver' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  t.after(() => h.store.system((tx) => tx.execute(sql`delete from webhook_endpoints where organisation_id = ${l.id} and id = ${r.body.id}`)));
  return r.body as Endpoint;
}

const addHome = async (l: Landlord) => {
  const r = await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home());
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
};

/** Run the relay (with the webhooks subscriber) until the endpoint has `n` deliveries queued. */
async function queued(endpointId: string, n: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await drain(h.store, [webhookFanOut]);
    const [c] = await rows<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where endpoint_id = ${endpointId}`);
    if (c!.n >= n) return assert.equal(c!.n, n, 'deliveries queued');
    // Another test file's open transaction can hold the sequencer back a moment (only committed events get positions).
    if (Date.now() > deadline) assert.fail(`${c!.n} of ${n} deliveries queued`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const deliveriesOf = async (l: Landlord, endpointId: string) => {
  const r = await api(h, 'GET', `/api/v1/webhooks/${endpointId}/deliveries`, l.as.administrator);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items as { status: string; attempts: number; lastStatusCode: number | null; lastError: string | null; nextAttemptAt: string | null; eventId: string }[];
};
const endpointOf = async (l: Landlord, id: string) => (await api(h, 'GET', `/api/v1/webhooks/${id}`, l.as.administrator)).body as Endpoint;

/** The signatures in a webhook-signature header, and the one a secret makes (computed here, without the library). */
const signatures = (header: string | string[] | undefined) => String(header).split(' ').map((s) => { const [v, sig] = s.split(','); assert.equal(v, 'v1'); return sig!; });
const hmac = (secret: string, r: Received) => createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))
  .update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`).digest('base64');
const verify = (secret: string, r: Received) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>);

const sorted = (r: Result[]) => [...r].sort();

test('a write becomes a signed delivery that the receiver verifies with the secret shown when the endpoint was added', async (t) => {
  const l = await landlord(h);
  const rec = await receiver(t);
  const endpoint = await addEndpoint(t, l, rec.url);
  assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
  assert.equal(Buffer.from(endpoint.secret.slice(6), 'base64').length, 32);
  const read = await api(h, 'GET', `/api/v1/webhooks/${endpoint.id}`, l.as.administrator);
  assert.equal(read.status, 200);
  assert.ok(!JSON.stringify(read.body).includes(endpoint.secret.slice(6)), 'the secret is shown once, never read back');
  assert.equal(read.body.secrets.length, 1);

  const home = await addHome(l);
  await api(h, 'POST', '/api/v1/people', l.as['data-lead'], sample.person()); // not a type the endpoint chose
  await queued(endpoint.id, 1);
  assert.deepEqual(await deliverDue(h.store, { organisationId: l.id }), ['delivered']);

  assert.equal(rec.received.length, 1);
  const r = rec.received[0]!;
  assert.match(String(r.headers['content-type']), /^application\/cloudevents\+json/);
  const event = JSON.parse(r.body) as Record<string, unknown>;
  assert.equal(event.specversion, '1.0');
  assert.equal(event.type, 'uk.hearth.home.created');
  assert.equal(event.subject, home);
  assert.equal(event.source, `/organisations/${l.id}`);
  assert.equal(r.headers['webhook-id'], event.id, 'webhook-id is the CloudEvents id');
  assert.ok(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000) < 60);
  assert.deepEqual(verify(endpoint.secret, r), event, 'the reference library verifies it');
  assert.deepEqual(signatures(r.headers['webhook-signature']), [hmac(endpoint.secret, r)]);
  assert.throws(() => verify(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, r), /No matching signature/);

  const [d] = await deliveriesOf(l, endpoint.id);
  assert.deepEqual({ status: d!.status, attempts: d!.attempts, code: d!.lastStatusCode, next: d!.nextAttemptAt, event: d!.eventId },
    { status: 'delivered', attempts: 1, code: 200, next: null, event: event.id });
  // Nothing twice: the relay has moved on, the worker has nothing due, and the same event queued again adds nothing.
  await drain(h.store, [webhookFanOut]);
  assert.deepEqual(await deliverDue(h.store, { organisationId: l.id }), []);
  const [stored] = await rows<Record<string, unknown>>(sql`select * from events where organisation_id = ${l.id} and id = ${event.id as string}`);
  const again: StoredEvent = { organisationId: l.id, id: stored!.id as string, type: stored!.type as string, entityKind: 'home', subject: home, time: stored!.time as Date,
    actor: stored!.actor as string, correlationId: null, data: stored!.data, position: Number(stored!.position) };
  assert.equal(await h.store.system((tx) => queueDeliveries(tx, [again])), 0);
  assert.equal(rec.received.length, 1);
  // Audited.
  const audit = await rows<{ action: string }>(sql`select action from audit_events where organisation_id = ${l.id} and entity_kind = 'webhook-endpoint'`);
  assert.deepEqual(audit.map((a) => a.action), ['create']);
});

test("an organisation's events never reach another organisation's endpoint", async (t) => {
  const [a, b] = [await landlord(h), await landlord(h)];
  const [recA, recB] = [await receiver(t), await receiver(t)];
  const [endA, endB] = [await addEndpoint(t, a, recA.url, ['uk.hearth.']), await addEndpoint(t, b, recB.url, ['uk.hearth.'])];
  await addHome(a);
  await addHome(b);
  await addHome(b);
  await queued(endA.id, 1);
  await queued(endB.id, 2);
  // Scoped to one organisation (as every call in this file is: other test files' endpoints share the database),
  // the worker sends that organisation's deliveries only.
  assert.deepEqual(await deliverDue(h.store, { organisationId: a.id }), ['delivered']);
  assert.equal(recB.received.length, 0, "b's deliveries wait for b's turn");
  assert.deepEqual(sorted(await deliverDue(h.store, { organisationId: b.id })), ['delivered', 'delivered']);
  assert.deepEqual(recA.received.map((r) => JSON.parse(r.body).organisation), [a.id]);
  assert.deepEqual(recB.received.map((r) => JSON.parse(r.body).organisation), [b.id, b.id]);
  assert.ok(recA.received.every((r) => verify(endA.secret, r)) && recB.received.every((r) => verify(endB.secret, r)));
  assert.throws(() => verify(endA.secret, recB.received[0]!), 'one organisation\'s secret does not verify another\'s deliveries');
  // Another organisation's endpoint is not found, whatever the call.
  assert.equal((await api(h, 'GET', `/api/v1/webhooks/${endB.id}`, a.as.administrator)).status, 404);
  assert.equal((await api(h, 'GET', `/api/v1/webhooks/${endB.id}/deliveries`, a.as.administrator)).status, 404);
  assert.equal((await api(h, 'POST', `/api/v1/webhooks/${endB.id}/disable`, a.as.administrator)).status, 404);
  assert.deepEqual((await api(h, 'GET', '/api/v1/webhooks', a.as.administrator)).body.items.map((e: Endpoint) => e.id), [endA.id]);
});

test('after a rotation each delivery is signed with the old and the new secret for 24 hours, then with the new one only', async (t) => {
  const l = await landlord(h);
  const rec = await receiver(t);
  const endpoint = await addEndpoint(t, l, rec.url);
  const rotated = await api(h, 'POST', `/api/v1/webhooks/${endpoint.id}/rotate-secret`, l.as.administrator);
  assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
  const newSecret = rotated.body.secret as string;
  assert.notEqual(newSecret, endpoint.secret);
  const until = rotated.body.secrets.map((s: { expiresAt: string | null }) => s.expiresAt).filter(Boolean) as string[];
  assert.equal(until.length, 1, 'the old secret has an end');
  assert.ok(Math.abs(new Date(until[0]!).getTime() - Date.now() - 24 * 3600_000) < 60_000, 'in 24 hours');

  await addHome(l);
  await queued(endpoint.id, 1);
  assert.deepEqual(await deliverDue(h.store, { organisationId: l.id }), ['delivered']);
  const first = rec.received[0]!;
  assert.equal(signatures(first.headers['webhook-signature']).length, 2);
  assert.ok(verify(endpoint.secret, first), 'the old secret verifies');
  assert.ok(verify(newSecret, first), 'the new secret verifies');

  // 23 hours on: still both.
  const start = Date.now();
  await addHome(l);
  await queued(endpoint.id, 2);
  assert.deepEqual(await deliverDue(h.store, { organisationId: l.id, now: () => new Date(start + 23 * 3600_000) }), ['delivered']);
  assert.deepEqual(signatures(rec.received[1]!.headers['webhook-signature']), [hmac(endpoint.secret, rec.received[1]!), hmac(newSecret, rec.received[1]!)]);
  // 25 hours on: the new one only.
  await addHome(l);
  await queued(endpoint.id, 3);
  assert.deepEqual(await deliverDue(h.store, { organisationId: l.id, now: () => new Date(start + 25 * 3600_000) }), ['delivered']);
  assert.deepEqual(signatures(rec.received[2]!.headers['webhook-signature']), [hmac(newSecret, rec.received[2]!)]);
  const audit = await rows<{ action: string }>(sql`select action from audit_events where organisation_id = ${l.id} and entity_kind = 'webhook-endpoint' order by at, id`);
  assert.deepEqual(audit.map((a) => a.action), ['create', 'webhook-secret-rotated']);
});

test('a receiver that answers 500 is tried again 5 seconds later, and the delivery succeeds', async (t) => {
  const l = await landlord(h);
  const rec = await receiver(t, (n) => (n === 0 ? 500 : 200));
  const endpoint = await addEndpoint(t, l, rec.url);
  await addHome(l);
  await queued(endpoint.id, 1);
  const t0 = Date.now();
  assert.deepEqual(await deliverDue(h.store, { organisationId: l.id, now: () => new Date(t0) }), ['retrying']);
  let [d] = await deliveriesOf(l, endpoint.id);
  assert.deepEqual({ status: d!.status, attempts: d!.attempts, code: d!.lastStatusCode, error: d!.lastError, next: d!.nextAttemptAt },
    { status: 'pending', attempts: 1, code: 500, error: 'HTTP 500', next: new Date(t0 + 5000).toISOString() });
  assert.deepEqual(await deliverDue(h.store, { organisationId: l.id, now: () => new Date(t0 + 4000) }), [], 'not due yet');
  assert.deepEqual(await deliverDue(h.store, { organisationId: l.id, now: () => new Date(t0 + 5000) }), ['delivered']);
  [d] = await deliveriesOf(l, endpoint.id);
  assert.deepEqual({ status: d!.status, attempts: d!.attempts, code: d!.lastStatusCode, error: d!.lastError }, { status: 'delivered', attempts: 2, code: 200, error: null });
  assert.equal(rec.received.length, 2);
  assert.equal(rec.received[0]!.headers['webhook-id'], rec.received[1]!.headers['webhook-id'], 'a retry is the same message');
});

test('a receiver that does not answer in time: the attempt ends at the time limit and is tried again', async (t) => {
  const l = await landlord(h);
  const rec = await receiver(t, () => 'hang');
  const endpoint = await addEndpoint(t, l, rec.url);
  await addHome(l);
  await queued(endpoint.id, 1);
  const began = Date.now();
  assert.deepEqual(await deliverDue(h.store, { organisationId: l.id, timeoutMs: 300 }), ['retrying']);
  assert.ok(Date.now() - began < 5000, 'the attempt was cut off');
  const [d] = await deliveriesOf(l, endpoint.id);
  assert.deepEqual({ status: d!.status, code: d!.lastStatusCode, error: d!.lastError }, { status: 'pending', code: null, error: 'no answer within 0.3 s' });
  assert.equal(rec.received.length, 1);
});

test('410 Gone disables the endpoint at once; nothing more is queued for it until it is enabled', async (t) => {
  const l = await landlord(h);
  const rec = await receiver(t, () => 410);
  const endpoint = await addEndpoint(t, l, rec.url);
  await addHome(l);
  await queued(endpoint.id, 1);
  assert.deepEqual(await deliverDue(h.store, { organisationId: l.id }), ['gone']);
  const after = await endpointOf(l, endpoint.id);
  assert.equal(after.status, 'disabled');
  assert.match(after.disabledReason!, /410 Gone/);
  const [d] = await deliveriesOf(l, endpoint.id);
  assert.deepEqual({ status: d!.status, code: d!.lastStatusCode }, { status: 'failed', code: 410 });
  await addHome(l);
  await drain(h.store, [webhookFanOut]);
  assert.equal((await deliveriesOf(l, endpoint.id)).length, 1, 'a disabled endpoint gets no new deliveries');
  assert.deepEqual(await deliverDue(h.store, { organisationId: l.id }), []);
  const audit = await rows<{ action: string; actor_name: string; detail: { reason: string } }>(sql`select action, actor_name, detail from audit_events
    where organisation_id = ${l.id} and action = 'webhook-disabled'`);
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.actor_name, 'Hearth webhooks');
  assert.match(audit[0]!.detail.reason, /410/);
  const enabled = await api(h, 'POST', `/api/v1/webhooks/${endpoint.id}/enable`, l.as.administrator);
  assert.deepEqual([enabled.body.status, enabled.body.disabledReason], ['active', null]);
});

test('an unreachable receiver is tried on the schedule (5 s … 10 h), then the delivery fails and the endpoint is disabled', async (t) => {
  const l = await landlord(h);
  const endpoint = await addEndpoint(t, l, `http://127.0.0.1:${await closedPort()}/hearth-events`);
  await addHome(l);
  await queued(endpoint.id, 1);
  let now = Date.now();
  const waits: number[] = [];
  for (let attempt = 1; attempt <= RETRY_AFTER_SECONDS.length + 1; attempt++) {
    const result = await deliverDue(h.store, { organisationId: l.id, now: () => new Date(now) });
    const [d] = await deliveriesOf(l, endpoint.id);
    assert.equal(d!.attempts, attempt);
    assert.equal(d!.lastError, 'connection refused');
    if (attempt <= RETRY_AFTER_SECONDS.length) {
      assert.deepEqual(result, ['retrying'], `attempt ${attempt}`);
      waits.push((new Date(d!.nextAttemptAt!).getTime() - now) / 1000);
      now = new Date(d!.nextAttemptAt!).getTime();
    } else {
      assert.deepEqual(result, ['failed'], `attempt ${attempt}`);
      assert.equal(d!.status, 'failed');
    }
  }
  assert.deepEqual(waits, [5, 300, 1800, 7200, 18000, 36000, 36000]);
  const after = await endpointOf(l, endpoint.id);
  assert.equal(after.status, 'disabled');
  assert.match(after.disabledReason!, /failed for more than 24 hours \(the last: connection refused\)/);
  assert.equal(after.failuresInARow, 1);
});

test('three deliveries in a row given up disable an endpoint, even when others got through', async (t) => {
  const l = await landlord(h);
  const rec = await receiver(t, (n) => (n === 0 ? 200 : 503));
  const endpoint = await addEndpoint(t, l, rec.url);
  for (let i = 0; i < 4; i++) await addHome(l);
  await queued(endpoint.id, 4);
  let now = Date.now() + 1000;
  assert.deepEqual(sorted(await deliverDue(h.store, { organisationId: l.id, now: () => new Date(now) })), ['delivered', 'retrying', 'retrying', 'retrying']);
  for (const wait of RETRY_AFTER_SECONDS) {
    now += wait * 1000;
    const results = await deliverDue(h.store, { organisationId: l.id, now: () => new Date(now) });
    assert.equal(results.length, 3);
    if ((await endpointOf(l, endpoint.id)).status === 'disabled') break;
  }
  const after = await endpointOf(l, endpoint.id);
  assert.equal(after.status, 'disabled');
  assert.match(after.disabledReason!, /^3 deliveries in a row failed after 8 attempts each \(the last: HTTP 503\)/);
  assert.deepEqual((await deliveriesOf(l, endpoint.id)).map((d) => d.status).sort(), ['delivered', 'failed', 'failed', 'failed']);
});

test('several workers at once never send the same attempt twice', async (t) => {
  const l = await landlord(h);
  const rec = await receiver(t);
  const endpoint = await addEndpoint(t, l, rec.url);
  for (let i = 0; i < 12; i++) await addHome(l);
  await queued(endpoint.id, 12);
  const worker = async () => { let n = 0; for (let got; (got = await deliverDue(h.store, { organisationId: l.id, batch: 2, parallel: 2 })).length;) n += got.length; return n; };
  const sent = await Promise.all([worker(), worker(), worker()]);
  assert.equal(sent.reduce((a, b) => a + b, 0), 12);
  const ids = rec.received.map((r) => r.headers['webhook-id']);
  assert.equal(ids.length, 12);
  assert.equal(new Set(ids).size, 12, 'each event once');
  assert.ok((await deliveriesOf(l, endpoint.id)).every((d) => d.status === 'delivered' && d.attempts === 1));
  // The delivery log in pages, newest first.
  const page1 = await api(h, 'GET', `/api/v1/webhooks/${endpoint.id}/deliveries?limit=5`, l.as.administrator);
  const page2 = await api(h, 'GET', `/api/v1/webhooks/${endpoint.id}/deliveries?limit=5&cursor=${page1.body.nextCursor}`, l.as.administrator);
  const page3 = await api(h, 'GET', `/api/v1/webhooks/${endpoint.id}/deliveries?limit=5&cursor=${page2.body.nextCursor}`, l.as.administrator);
  const seen = [...page1.body.items, ...page2.body.items, ...page3.body.items].map((d: { eventId: string }) => d.eventId);
  assert.deepEqual([page1.body.items.length, page2.body.items.length, page3.body.items.length, page3.body.nextCursor], [5, 5, 2, null]);
  assert.equal(new Set(seen).size, 12);
  assert.equal((await api(h, 'GET', `/api/v1/webhooks/${endpoint.id}/deliveries?status=failed`, l.as.administrator)).body.items.length, 0);
});

test('private, loopback, link-local and other internal addresses are refused without the development flag, when added and when delivering', async (t) => {
  const l = await landlord(h);
  const rec = await receiver(t);
  const endpoint = await addEndpoint(t, l, rec.url); // with the flag
  const loopbackHttps = await addEndpoint(t, l, 'https://127.0.0.1:9/hearth-events');
  delete process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE;
  try {
    const refused = {
      'https://127.0.0.1/hook': /127\.0\.0\.1 is a loopback address/,
      'https://10.0.0.1/hook': /10\.0\.0\.1 is a private address/,
      'https://192.168.1.20/hook': /private address/,
      'https://169.254.169.254/latest/meta-data/': /link-local address \(such as a cloud metadata service\)/,
      'https://100.64.0.1/': /carrier-grade NAT/,
      'https://[::1]/hook': /::1 is a loopback address/,
      'https://[fd12:3456::1]/': /unique local address/,
      'https://[::ffff:10.0.0.1]/': /IPv4-mapped/,
      'https://[::ffff:169.254.169.254]/': /IPv4-mapped/,
      'https://2130706433/': /127\.0\.0\.1 is a loopback address/, // 127.0.0.1 written as a number
      'https://localhost:8443/hook': /its host localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/,
      'http://example.org/hook': /must use https/,
      'https://user:pw@example.org/': /user name or password/,
      'ftp://example.org/': /must use https/,
    };
    for (const [url, message] of Object.entries(refused)) {
      const r = await api(h, 'POST', '/api/v1/webhooks', l.as.administrator, { url, eventTypes: ['uk.hearth.'] });
      assert.equal(r.status, 400, `${url}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.errors[0].field, '/url', url);
      assert.match(r.body.errors[0].message, message, url);
    }
    // A URL changed to an internal one is refused too.
    const etag = `"${(await endpointOf(l, endpoint.id) as unknown as { version: number }).version}"`;
    const patched = await api(h, 'PATCH', `/api/v1/webhooks/${endpoint.id}`, { ...l.as.administrator, 'if-match': etag }, { url: 'https://10.1.2.3/' });
    assert.equal(patched.status, 400);
    // At delivery time the address is checked again: the loopback receiver added with the flag gets nothing now.
    await addHome(l);
    await queued(endpoint.id, 1);
    await queued(loopbackHttps.id, 1);
    assert.deepEqual(await deliverDue(h.store, { organisationId: l.id }), ['retrying', 'retrying']);
    assert.match((await deliveriesOf(l, endpoint.id))[0]!.lastError!, /^refused: must use https/);
    assert.match((await deliveriesOf(l, loopbackHttps.id))[0]!.lastError!, /^refused: 127\.0\.0\.1 is a loopback address/);
    assert.equal(rec.received.length, 0);
  } finally {
    process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE = '1';
  }
  // With the flag, http is still only for loopback.
  const r = await api(h, 'POST', '/api/v1/webhooks', l.as.administrator, { url: 'http://10.0.0.1/hook', eventTypes: ['uk.hearth.'] });
  assert.equal(r.status, 400);
  assert.match(r.body.errors[0].message, /must use https \(http only to a loopback address\)/);
  // And the address rules themselves.
  for (const a of ['127.0.0.1', '10.1.1.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::a00:1', '2002:a00:1::1', '2001:db8::1']) {
    assert.ok(blockedReason(a), `${a} is refused`);
  }
  for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4009:81e::200e']) assert.equal(blockedReason(a), undefined, `${a} is public`);
});

test('only administrators manage webhooks; event types are checked and named in errors', async (t) => {
  const l = await landlord(h);
  const rec = await receiver(t);
  for (const role of ['housing-officer', 'data-lead', 'analyst'] as const) {
    assert.equal((await api(h, 'GET', '/api/v1/webhooks', l.as[role])).status, 403, role);
    const r = await api(h, 'POST', '/api/v1/webhooks', l.as[role], { url: rec.url, eventTypes: ['uk.hearth.'] });
    assert.equal(r.status, 403, role);
  }
  const bad = await api(h, 'POST', '/api/v1/webhooks', l.as.administrator, { url: rec.url, eventTypes: ['uk.hearth.home.created', 'uk.hearth.home'] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].field, '/eventTypes/1');
  const empty = await api(h, 'POST', '/api/v1/webhooks', l.as.administrator, { url: rec.url, eventTypes: [] });
  assert.equal(empty.status, 400);
  const keyed = await api(h, 'POST', '/api/v1/webhooks', { ...l.as.administrator, 'idempotency-key': 'a-key-12345' }, { url: rec.url, eventTypes: ['uk.hearth.'] });
  assert.equal(keyed.status, 400, 'an answer holding a secret is never replayed');
  // Change and delete.
  const endpoint = await addEndpoint(t, l, rec.url);
  const read = await api(h, 'GET', `/api/v1/webhooks/${endpoint.id}`, l.as.administrator);
  const changed = await api(h, 'PATCH', `/api/v1/webhooks/${endpoint.id}`, { ...l.as.administrator, 'if-match': read.headers.etag as string }, { eventTypes: ['uk.hearth.repair.created'] });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.deepEqual(changed.body.eventTypes, ['uk.hearth.repair.created']);
  const stale = await api(h, 'PATCH', `/api/v1/webhooks/${endpoint.id}`, { ...l.as.administrator, 'if-match': read.headers.etag as string }, { description: 'x' });
  assert.equal(stale.status, 412);
  const deleted = await h.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${endpoint.id}`, headers: l.as.administrator });
  assert.equal(deleted.statusCode, 204);
  assert.equal((await api(h, 'GET', `/api/v1/webhooks/${endpoint.id}`, l.as.administrator)).status, 404);
  const audit = await rows<{ action: string }>(sql`select action from audit_events where organisation_id = ${l.id} and entity_id = ${endpoint.id} order by at, id`);
  assert.deepEqual(audit.map((a) => a.action), ['create', 'update', 'delete']);
});

test('the pages: administrators list, add (secret shown once), view with the delivery log, disable, rotate and delete; others cannot', async (t) => {
  const l = await landlord(h);
  const rec = await receiver(t);
  const password = 'a long test password 1';
  await h.auth.addUser({ organisationId: l.id, email: `admin.${l.id.slice(-8)}@example.org`, name: 'Test admin', role: 'administrator', password });
  await h.auth.addUser({ organisationId: l.id, email: `officer.${l.id.slice(-8)}@example.org`, name: 'Test officer', role: 'housing-officer', password });
  const session = async (who: string) => `hearth_session=${(await h.auth.signIn(`${who}.${l.id.slice(-8)}@example.org`, password))!.token}`;
  const admin = await session('admin');
  const get = (url: string, cookie = admin) => h.app.inject({ method: 'GET', url, headers: { cookie } });
  const csrfOf = (res: Awaited<ReturnType<typeof get>>) => {
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    assert.ok(token, 'the form carries a CSRF token');
    return { token, cookie: `${admin}; ${res.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}` };
  };
  const post = async (from: string, url: string, fields: Record<string, string | string[]>) => {
    const { token, cookie } = csrfOf(await get(from));
    const form = new URLSearchParams({ _csrf: token });
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) form.append(k, x);
    return h.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
  };

  const list = await get('/webhooks');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /<h1 class="govuk-heading-l">Webhooks<\/h1>/);
  assert.match(list.body, /There are no webhook endpoints/);
  assert.match((await get('/')).body, /<li><a class="govuk-link" href="\/webhooks">Webhooks<\/a>: where Hearth sends/, 'under Manage on the home page');
  assert.match(list.body, /action="\/webhooks"/);

  const invalid = await post('/webhooks', '/webhooks', { url: 'ftp://example.org/', eventTypes: 'uk.hearth.' });
  assert.equal(invalid.statusCode, 400);
  assert.match(invalid.body, /There is a problem/);
  assert.match(invalid.body, /The URL must use https/);
  const none = await post('/webhooks', '/webhooks', { url: rec.url });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Select the events to send/);

  const added = await post('/webhooks', '/webhooks', { url: rec.url, description: 'Repairs contractor', eventTypes: ['uk.hearth.home.', 'uk.hearth.repair.'], otherEventTypes: 'uk.hearth.note.created' });
  assert.equal(added.statusCode, 200, added.body.slice(0, 500));
  const secret = /data-secret>(whsec_[^<]+)</.exec(added.body)?.[1];
  assert.ok(secret, 'the secret is shown');
  const [row] = await rows<{ id: string; event_types: string[] }>(sql`select id, event_types from webhook_endpoints where organisation_id = ${l.id}`);
  t.after(() => h.store.system((tx) => tx.execute(sql`delete from webhook_endpoints where organisation_id = ${l.id}`)));
  assert.deepEqual(row!.event_types, ['uk.hearth.home.', 'uk.hearth.repair.', 'uk.hearth.note.created']);
  assert.ok(!(await get('/webhooks')).body.includes(secret!), 'and never again');

  await addHome(l);
  await queued(row!.id, 1);
  await deliverDue(h.store, { organisationId: l.id });
  const page = await get(`/webhooks/${row!.id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Repairs contractor/);
  assert.match(page.body, /uk\.hearth\.home\.created/, 'the delivery log');
  assert.match(page.body, /Delivered/);
  assert.match(page.body, /HTTP 200/);
  for (const action of ['disable', 'event-types', 'rotate']) assert.match(page.body, new RegExp(`action="/webhooks/${row!.id}/${action}"`));
  assert.equal([...page.body.matchAll(/name="_csrf"/g)].length, 4, 'every form carries the token (sign out, disable, events, rotate)');

  const disabled = await post(`/webhooks/${row!.id}`, `/webhooks/${row!.id}/disable`, {});
  assert.equal(disabled.statusCode, 303);
  assert.match((await get(`/webhooks/${row!.id}`)).body, /Disabled by Test admin/);
  const forged = await h.app.inject({ method: 'POST', url: `/webhooks/${row!.id}/enable`, headers: { cookie: admin, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
  assert.equal(forged.statusCode, 403, 'no CSRF token, no change');

  const rotated = await post(`/webhooks/${row!.id}`, `/webhooks/${row!.id}/rotate`, {});
  assert.equal(rotated.statusCode, 200);
  const newSecret = /data-secret>(whsec_[^<]+)</.exec(rotated.body)?.[1];
  assert.ok(newSecret && newSecret !== secret);
  assert.match(rotated.body, /For the next 24 hours/);

  const confirm = await get(`/webhooks/${row!.id}/delete`);
  assert.equal(confirm.statusCode, 200);
  assert.match(confirm.body, /Delete this webhook endpoint\?/);
  const deleted = await post(`/webhooks/${row!.id}/delete`, `/webhooks/${row!.id}/delete`, {});
  assert.equal(deleted.statusCode, 303);
  assert.equal(deleted.headers.location, '/webhooks');
  assert.equal((await get(`/webhooks/${row!.id}`)).statusCode, 404);

  const officer = await session('officer');
  assert.equal((await get('/webhooks', officer)).statusCode, 403);
  assert.doesNotMatch((await get('/', officer)).body, /href="\/webhooks"/, 'no link for other roles');
});

test("a sensitive kind's events (person alerts) never reach a webhook: not chosen by name, not sent to \"every event\"", async (t) => {
  const l = await landlord(h);
  for (const types of [['uk.hearth.person-alert.'], ['uk.hearth.home.', 'uk.hearth.person-alert.created']]) {
    const r = await api(h, 'POST', '/api/v1/webhooks', l.as.administrator, { url: 'http://127.0.0.1:9/hearth-events', eventTypes: types });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.errors[0].field, `/eventTypes/${types.length - 1}`);
    assert.match(r.body.errors[0].message, /sensitive records/);
  }
  const rec = await receiver(t);
  const endpoint = await addEndpoint(t, l, rec.url, ['uk.hearth.']);
  const person = await api(h, 'POST', '/api/v1/people', l.as['data-lead'], sample.person());
  assert.equal(person.status, 201);
  const alert = await api(h, 'POST', '/api/v1/alerts', l.as['housing-officer'], {
    personId: person.body.id, hactCode: '10', category: 'RISK', confidentiality: 'confidential', startDate: '2024-01-01', description: 'Dog in the property' });
  assert.equal(alert.status, 201, JSON.stringify(alert.body));
  await addHome(l); // after the alert: once its delivery is queued, the alert's event has been through the fan-out
  await queued(endpoint.id, 2);
  const [written] = await rows<{ n: number }>(sql`select count(*)::int as n from events where organisation_id = ${l.id} and type = 'uk.hearth.person-alert.created'`);
  assert.equal(written!.n, 1, 'the alert has its event in the outbox (for subscribers inside Hearth)');
  assert.deepEqual(sorted(await deliverDue(h.store, { organisationId: l.id })), ['delivered', 'delivered']);
  assert.deepEqual(rec.received.map((r) => JSON.parse(r.body).type).sort(), ['uk.hearth.home.created', 'uk.hearth.person.created']);
  const page = await api(h, 'GET', '/webhooks/new', l.as.administrator);
  assert.ok(!String(page.body).includes('person-alert'), 'the page does not offer person alerts');
});
