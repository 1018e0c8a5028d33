// The hub's push API (src/modules/hub/push): signed batches taken in with per-record errors; a replay answered
// without applying anything; the same id with another body, a tampered body, another publisher's key, an old
// timestamp, an unknown or revoked key, a batch for another landlord and an oversized body each refused with the
// header or field at fault; and the client's round trip.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Command } from 'commander';
import type { CliKit } from '../../src/platform/cli.ts';
import { harness, type Harness } from '../support/harness.ts';
import { upsertPublisher } from '../../src/modules/hub/intake.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';
import { activeSecret, createKey, listKeys, revokeKey, type NewKey } from '../../src/modules/hub/push/credentials.ts';
import { pushBatch, pushHeaders, PushRefused, PUSH_PATH } from '../../src/modules/hub/push/client.ts';
import { hubCommands } from '../../src/modules/hub/push/commands.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => { await h.close(); });

let n = 0;
/** A publisher of this file's own (test files share one PostgreSQL database) with a key. */
async function publisher(): Promise<{ p: string; key: NewKey }> {
  const p = `Q${String.fromCharCode(65 + (process.pid % 26))}${String((Date.now() + ++n * 7919) % 10000).padStart(4, '0')}`;
  return h.store.system(async (db) => {
    await upsertPublisher(db, { publisher: p, name: `Push test ${p}`, kind: 'private-registered-provider' });
    return { p, key: await createKey(db, p) };
  });
}

const home = (ref: string, extra: Record<string, unknown> = {}) => ({ ...EXAMPLE_HOME, landlordReference: ref, uprn: undefined, ...extra });
const batchOf = (p: string, records: unknown[]) => JSON.stringify({ standard: '1.0', publisher: p, records });
const rows = async (q: ReturnType<typeof sql>) => (await h.store.system((db) => db.execute(q))).rows as Record<string, unknown>[];
const homesOf = async (p: string) => (await rows(sql`SELECT landlord_reference FROM hub.homes WHERE publisher = ${p} ORDER BY 1`)).map((r) => r.landlord_reference);

interface Push { publisher: string; key: NewKey; body: string; id?: string; at?: Date; sent?: string; headers?: Record<string, string | undefined> }
/** A signed POST through the real app: `sent` is a body other than the one signed; `headers` replace or remove signed ones. */
async function push(o: Push) {
  const signed = pushHeaders({ publisher: o.publisher, keyId: o.key.keyId, secret: o.key.secret, id: o.id ?? randomUUID(), at: o.at ?? new Date(), body: o.body });
  const headers = Object.fromEntries(Object.entries({ ...signed, ...o.headers }).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await h.app.inject({ method: 'POST', url: PUSH_PATH, headers, payload: o.sent ?? o.body });
  return { status: res.statusCode, type: String(res.headers['content-type']), body: res.json() as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function assertProblem(r: Awaited<ReturnType<typeof push>>, status: number, field: string, detail: RegExp) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.match(r.type, /^application\/problem\+json/);
  assert.match(r.body.detail, detail);
  assert.ok((r.body.errors as { field: string }[]).some((e) => e.field === field), `an error names ${field}: ${JSON.stringify(r.body.errors)}`);
}

test('a signed batch is taken in: good records applied, bad ones answered with their index and field', async () => {
  const { p, key } = await publisher();
  const r = await push({ publisher: p, key, body: batchOf(p, [
    home('A1'), home('A2', { bedrooms: 99 }), { ...EXAMPLE_MEASURES, landlord: p }, { ...EXAMPLE_MEASURES, landlord: 'L0001', tenureGroup: 'LCHO' },
  ]) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.replayed, false);
  assert.deepEqual([r.body.records, r.body.accepted, r.body.rejected], [4, 2, 2]);
  assert.deepEqual(r.body.errors.map((e: { index: number; field: string }) => [e.index, e.field]), [[1, '/bedrooms'], [3, '/landlord']]);
  assert.match(r.body.errors[1].message, /is not the publisher/, "measures about another landlord are that record's error");
  assert.deepEqual(await homesOf(p), ['A1']);
  assert.deepEqual((await rows(sql`SELECT tenure_group FROM hub.measures WHERE publisher = ${p}`)).map((x) => x.tenure_group), ['LCRA']);
  assert.equal((await rows(sql`SELECT 1 FROM hub.measures WHERE publisher = 'L0001' AND tenure_group = 'LCHO' AND record->>'landlord' = 'L0001'
    AND updated_at > now() - interval '1 minute'`)).length, 0, 'nothing was written for the other landlord');
});

test('the same id and body again is answered from its first arrival and applies nothing; another body under it is a 409', async () => {
  const { p, key } = await publisher();
  const id = randomUUID();
  const body = batchOf(p, [home('R1')]);
  assert.equal((await push({ publisher: p, key, id, body })).status, 200);
  // R1 withdrawn by a later batch: a replay of the first must not bring it back.
  assert.equal((await push({ publisher: p, key, body: batchOf(p, [{ type: 'deletion', kind: 'home', landlordReference: 'R1', deleted: true }]) })).status, 200);
  const again = await push({ publisher: p, key, id, body });
  assert.equal(again.status, 200);
  assert.equal(again.body.replayed, true);
  assert.equal(again.body.accepted, 1);
  assert.deepEqual(await homesOf(p), []);
  assert.equal((await rows(sql`SELECT 1 FROM hub.batches WHERE publisher = ${p} AND id = ${id}`)).length, 1);

  const other = await push({ publisher: p, key, id, body: batchOf(p, [home('R2')]) });
  assertProblem(other, 409, 'headers:/webhook-id', /received before with a different body/);
  assert.deepEqual(await homesOf(p), []);
});

test('a tampered body, another publisher\'s key, an unknown or revoked key are refused naming the header', async () => {
  const { p, key } = await publisher();
  const other = await publisher();
  const body = batchOf(p, [home('T1')]);

  assertProblem(await push({ publisher: p, key, body, sent: body.replace('"bedrooms":2', '"bedrooms":3') }), 401, 'headers:/webhook-signature', /does not match the body/);
  // Signed with the other publisher's secret under this publisher's key id; and under the other's key id.
  assertProblem(await push({ publisher: p, key: { keyId: key.keyId, secret: other.key.secret }, body }), 401, 'headers:/webhook-signature', /does not match/);
  assertProblem(await push({ publisher: p, key: other.key, body }), 401, 'headers:/hub-key', new RegExp(`is not a key of publisher ${p}`));
  assertProblem(await push({ publisher: p, key: { keyId: 'hk_nosuchkey', secret: key.secret }, body }), 401, 'headers:/hub-key', /is not a key/);

  await h.store.system((db) => revokeKey(db, p, key.keyId));
  assertProblem(await push({ publisher: p, key, body }), 401, 'headers:/hub-key', /was revoked at .*: sign with a current key/);
  assert.deepEqual(await homesOf(p), [], 'nothing refused was applied');
  assert.equal((await rows(sql`SELECT 1 FROM hub.batches WHERE publisher = ${p}`)).length, 0);
});

test('a timestamp more than five minutes off is refused as replayed or a wrong clock; missing headers are named', async () => {
  const { p, key } = await publisher();
  const body = batchOf(p, [home('C1')]);
  assertProblem(await push({ publisher: p, key, body, at: new Date(Date.now() - 10 * 60_000) }), 401, 'headers:/webhook-timestamp', /10 minutes behind .*replayed or the sender's clock is wrong/);
  assertProblem(await push({ publisher: p, key, body, at: new Date(Date.now() + 7 * 60_000) }), 401, 'headers:/webhook-timestamp', /ahead of/);
  for (const name of ['hub-publisher', 'hub-key', 'webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    assertProblem(await push({ publisher: p, key, body, headers: { [name]: undefined } }), 401, `headers:/${name}`, new RegExp(`^${name}: is missing`));
  }
  assert.deepEqual(await homesOf(p), []);
});

test('a publisher cannot push another landlord\'s batch; a bad envelope is a 422 naming the field', async () => {
  const { p, key } = await publisher();
  const victim = await publisher();
  assertProblem(await push({ publisher: p, key, body: batchOf(victim.p, [home('V1')]) }), 403, '/publisher', /a publisher writes only its own data/);
  assert.deepEqual(await homesOf(victim.p), []);

  assertProblem(await push({ publisher: p, key, body: JSON.stringify({ standard: '9.9', publisher: p, records: [] }) }), 422, '/standard', /standard/);
  assertProblem(await push({ publisher: p, key, body: JSON.stringify({ standard: '1.0', publisher: p, records: [], extra: 1 }) }), 422, '/extra', /not a field of a batch/);
  assertProblem(await push({ publisher: p, key, body: batchOf(p, [home('N\u0000UL')]) }), 422, '/records/0/landlordReference', /NUL character/);
  assertProblem(await push({ publisher: p, key, body: '{"standard":' }), 400, '/', /not valid JSON/);
  assert.deepEqual(await homesOf(p), []);
});

test('a body over 20 MB is a 413 saying the limit; a body that is not JSON is a 415', async () => {
  const { p, key } = await publisher();
  const big = `{"standard":"1.0","publisher":"${p}","records":["${'x'.repeat(21 * 1024 * 1024)}"]}`;
  assertProblem(await push({ publisher: p, key, body: big }), 413, '/', /larger than the hub accepts \(20 MB\)/);
  const res = await h.app.inject({ method: 'POST', url: PUSH_PATH, headers: { 'content-type': 'text/plain' }, payload: 'hello' });
  assert.equal(res.statusCode, 415);
  assert.match(res.json().detail, /application\/json/);
});

test('keys: made for a registered publisher only, listed without secrets, revoked once', async () => {
  const { p, key } = await publisher();
  await assert.rejects(h.store.system((db) => createKey(db, 'ZZ9999')), /no publisher ZZ9999 .*hearth hub add-publisher/);
  assert.match(key.keyId, /^hk_[A-Za-z0-9_-]{16}$/);
  assert.match(key.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.deepEqual(await h.store.system((db) => activeSecret(db, p, key.keyId)), { ok: true, secret: key.secret });
  assert.equal(await h.store.system((db) => revokeKey(db, p, key.keyId)), true);
  assert.equal(await h.store.system((db) => revokeKey(db, p, key.keyId)), false);
  await assert.rejects(h.store.system((db) => revokeKey(db, p, 'hk_nope')), /has no key hk_nope/);
  const listed = await h.store.system((db) => listKeys(db, p));
  assert.equal(listed.length, 1);
  assert.ok(listed[0]!.revokedAt);
  assert.ok(!('secret' in listed[0]!));
});

test('the client signs and sends a batch, is answered with the receipt, and throws the hub\'s reason when refused', async () => {
  const { p, key } = await publisher();
  // fetch over app.inject: the whole HTTP stack of the app, without a socket.
  const viaApp: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    assert.equal(url.origin, 'https://hub.example.org');
    const res = await h.app.inject({
      method: 'POST', url: url.pathname, headers: init?.headers as Record<string, string>, payload: String(init?.body),
    });
    return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type']) } });
  };
  const o = { url: 'https://hub.example.org/', publisher: p, keyId: key.keyId, secret: key.secret, fetch: viaApp };
  const id = randomUUID();
  const batch = { standard: '1.0' as const, publisher: p, records: [home('K1'), home('K2', { bedrooms: -1 })] };
  const first = await pushBatch({ ...o, id, batch });
  assert.deepEqual({ ...first, errors: first.errors.map((e) => e.field) }, { id, records: 2, accepted: 1, rejected: 1, replayed: false, errors: ['/bedrooms'] });
  assert.equal((await pushBatch({ ...o, id, batch })).replayed, true);
  assert.deepEqual(await homesOf(p), ['K1']);

  const refused = await pushBatch({ ...o, batch: { ...batch, publisher: 'L0001' } }).then(() => undefined, (err: unknown) => err);
  assert.ok(refused instanceof PushRefused);
  assert.equal(refused.status, 403);
  assert.match(refused.message, /^the hub refused the batch \(403 Forbidden\): publisher: is L0001, .*writes only its own data/);
  assert.deepEqual(refused.errors.map((e) => e.field), ['/publisher']);
});

test('hearth hub add-publisher, key, keys and revoke-key', async () => {
  const out: string[] = [];
  const kit = {
    loadConfig: () => h.config,
    withStore: (_config, work) => work(h.store),
    fail: (message: string) => { throw new Error(message); },
  } as Partial<CliKit> as CliKit;
  const hearth = async (...args: string[]) => {
    const program = new Command().exitOverride();
    hubCommands(program, kit);
    out.length = 0;
    const log = console.log;
    console.log = (line: string) => { out.push(line); };
    try { await program.parseAsync(['node', 'hearth', 'hub', ...args]); } finally { console.log = log; }
    return JSON.parse(out.join('\n')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const p = `QY${String((Date.now() + process.pid) % 10000).padStart(4, '0')}`;
  assert.deepEqual(await hearth('add-publisher', '--registration', p, '--name', 'Moor Homes', '--kind', 'local-authority', '--json'),
    { ok: true, publisher: p, name: 'Moor Homes', kind: 'local-authority', region: null });
  await assert.rejects(hearth('add-publisher', '--registration', 'Leeds', '--name', 'X', '--json'), /--registration \("Leeds"\) must be a Regulator of Social Housing registration number/);
  const key = await hearth('key', '--registration', p, '--json');
  assert.match(key.keyId, /^hk_/);
  assert.deepEqual(await h.store.system((db) => activeSecret(db, p, key.keyId)), { ok: true, secret: key.secret });
  const keys = await hearth('keys', '--registration', p, '--json') as unknown as { keyId: string; secret?: string }[];
  assert.deepEqual(keys.map((k) => [k.keyId, k.secret]), [[key.keyId, undefined]]);
  assert.equal((await hearth('revoke-key', '--registration', p, '--key', key.keyId, '--json')).revoked, true);
  assert.equal((await h.store.system((db) => activeSecret(db, p, key.keyId))).ok, false);
  await assert.rejects(hearth('key', '--registration', 'QX0000', '--json'), /no publisher QX0000/);
});
