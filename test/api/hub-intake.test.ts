// The hub's intake (src/modules/hub/intake.ts) on the real database: records applied in order, bad ones kept as errors
// without refusing the rest, a landlord writing only its own measures, the same batch id answered from its first
// arrival, and another body under that id refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, type Harness } from '../support/harness.ts';
import { BatchConflict, receive, upsertPublisher } from '../../src/modules/hub/intake.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); });

let n = 0;
async function publisher(): Promise<string> {
  const p = `H${String((process.pid * 7 + Date.now() + ++n) % 10000).padStart(4, '0')}`;
  await h.store.system((db) => upsertPublisher(db, { publisher: p, name: `Hub test ${p}`, kind: 'private-registered-provider' }));
  return p;
}

const home = (ref: string, extra: Record<string, unknown> = {}) => ({ ...EXAMPLE_HOME, landlordReference: ref, uprn: undefined, ...extra });
const rows = async (q: ReturnType<typeof sql>) => (await h.store.system((db) => db.execute(q))).rows as Record<string, unknown>[];

test('good records are applied and bad ones kept as errors naming the record and field', async () => {
  const p = await publisher();
  const r = await h.store.system((db) => receive(db, {
    publisher: p, id: 'b1', via: 'push', body: 'one',
    records: [home('A1'), home('A2', { bedrooms: 99 }), { ...EXAMPLE_MEASURES, landlord: p }, home('A3', { name: 'Robert Morgan' })],
  }));
  assert.equal(r.records, 4);
  assert.equal(r.accepted, 2);
  assert.equal(r.rejected, 2);
  assert.deepEqual(r.errors.map((e) => [e.index, e.field]), [[1, '/bedrooms'], [3, '/name']]);
  const homes = await rows(sql`SELECT landlord_reference, tenure_group, block_reference FROM hub.homes WHERE publisher = ${p} ORDER BY 1`);
  assert.deepEqual(homes.map((x) => x.landlord_reference), ['A1']);
  assert.equal(homes[0]!.tenure_group, 'LCRA');
  const blocks = await rows(sql`SELECT block_reference, higher_risk FROM hub.blocks WHERE publisher = ${p}`);
  assert.deepEqual(blocks, [{ block_reference: 'BLK-0042', higher_risk: true }]);
  // Counted per local authority for the national pages and BI.
  assert.deepEqual(await rows(sql`SELECT local_authority, homes, lcra_homes, lcho_homes, blocks, higher_risk_blocks FROM hub.area_counts WHERE publisher = ${p}`),
    [{ local_authority: 'E08000035', homes: 1, lcra_homes: 1, lcho_homes: 0, blocks: 1, higher_risk_blocks: 1 }]);
  const values = await rows(sql`SELECT measure, numerator, denominator FROM hub.measure_values WHERE publisher = ${p} AND measure IN ('tp01', 'dm_open') ORDER BY 1`);
  assert.deepEqual(values.map((v) => [v.measure, Number(v.numerator), v.denominator === null ? null : Number(v.denominator)]), [['dm_open', 41, null], ['tp01', 820, 1110]]);
});

test('records apply in order: a deletion then the same home again keeps it; a later deletion removes it and its empty block', async () => {
  const p = await publisher();
  await h.store.system((db) => receive(db, { publisher: p, id: 'b1', via: 'push', body: '1', records: [home('X1'), home('X2', { block: undefined })] }));
  await h.store.system((db) => receive(db, {
    publisher: p, id: 'b2', via: 'push', body: '2',
    records: [{ type: 'deletion', kind: 'home', landlordReference: 'X2', deleted: true }, home('X2', { block: undefined, bedrooms: 3 }),
      { type: 'deletion', kind: 'home', landlordReference: 'X1', deleted: true }],
  }));
  const homes = await rows(sql`SELECT landlord_reference, bedrooms FROM hub.homes WHERE publisher = ${p}`);
  assert.deepEqual(homes, [{ landlord_reference: 'X2', bedrooms: 3 }]);
  assert.equal((await rows(sql`SELECT 1 FROM hub.blocks WHERE publisher = ${p}`)).length, 0, 'the block went with its last home');
  assert.deepEqual(await rows(sql`SELECT homes, blocks FROM hub.area_counts WHERE publisher = ${p}`), [{ homes: 1, blocks: 0 }], 'counted again');
});

test('a deletion by UPRN withdraws the home with that UPRN', async () => {
  const p = await publisher();
  await h.store.system((db) => receive(db, { publisher: p, id: 'b1', via: 'feed', body: '1', records: [home('U1', { uprn: '100023336956' }), home('U2', { uprn: '100023336957' })] }));
  await h.store.system((db) => receive(db, { publisher: p, id: 'b2', via: 'feed', body: '2', records: [{ type: 'deletion', kind: 'home', uprn: '100023336956', deleted: true }] }));
  assert.deepEqual((await rows(sql`SELECT landlord_reference FROM hub.homes WHERE publisher = ${p}`)).map((x) => x.landlord_reference), ['U2']);
});

test("a publisher cannot write another landlord's measures", async () => {
  const p = await publisher();
  const r = await h.store.system((db) => receive(db, { publisher: p, id: 'b1', via: 'push', body: '1', records: [{ ...EXAMPLE_MEASURES, landlord: 'L0001' }] }));
  assert.equal(r.accepted, 0);
  assert.match(r.errors[0]!.message, /is not the publisher/);
  assert.equal((await rows(sql`SELECT 1 FROM hub.measures WHERE publisher IN (${p}, 'L0001')`)).length, 0);
});

test('the same id and body is answered from its first arrival; another body under that id is refused', async () => {
  const p = await publisher();
  const first = await h.store.system((db) => receive(db, { publisher: p, id: 'same', via: 'push', body: 'body', records: [home('R1')] }));
  const again = await h.store.system((db) => receive(db, { publisher: p, id: 'same', via: 'push', body: 'body', records: [home('R1'), home('R2')] }));
  assert.equal(first.replayed, false);
  assert.equal(again.replayed, true);
  assert.equal(again.accepted, 1);
  await assert.rejects(h.store.system((db) => receive(db, { publisher: p, id: 'same', via: 'push', body: 'other', records: [home('R3')] })), BatchConflict);
  assert.deepEqual((await rows(sql`SELECT landlord_reference FROM hub.homes WHERE publisher = ${p}`)).map((x) => x.landlord_reference), ['R1']);
});

test('the same batch arriving twice at once is applied once', async () => {
  const p = await publisher();
  const records = Array.from({ length: 200 }, (_, i) => home(`C${i}`));
  const results = await Promise.allSettled([1, 2, 3].map(() => h.store.system((db) => receive(db, { publisher: p, id: 'race', via: 'push', body: 'race', records }))));
  const receipts = results.map((r) => { assert.equal(r.status, 'fulfilled'); return (r as PromiseFulfilledResult<Awaited<ReturnType<typeof receive>>>).value; });
  assert.equal(receipts.filter((r) => !r.replayed).length, 1);
  const batches = await rows(sql`SELECT accepted FROM hub.batches WHERE publisher = ${p}`);
  assert.deepEqual(batches, [{ accepted: 200 }]);
});
