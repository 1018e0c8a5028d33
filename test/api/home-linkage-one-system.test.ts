// Homes of one source system are linked in the database (homesByUprnSql), not in memory: the result must be exactly
// what the in-memory rules (clusterHomes) give for the same homes, and homes of two systems still take the full rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { relinkHomes } from '../../src/modules/linkage/service.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { clusterHomes } from '../../src/modules/linkage/homes.ts';
import { homesForLinkage, homesFromOneSystem } from '../../src/modules/homes/linkage.ts';

let h: Harness; let l: Landlord;
before(async () => { h = await harness(); l = await landlord(h); });
after(() => h.close());

/** A home at a number on Moor Road, LS6 1AA, with no flat or building name (and no UPRN unless given). */
const onMoorRoad = (buildingNumber: string, extra: Record<string, unknown> = {}) => {
  const { subBuilding: _s, buildingName: _b, uprn: _u, ...home } = sample.home({ street: 'Moor Road', buildingNumber });
  return { ...home, ...extra };
};

const clusters = async (org: string) => (await h.store.withOrg(org, (tx) => tx.execute(sql`select home_id, cluster_id, how from home_clusters
  where organisation_id = ${org} order by home_id`))).rows as { home_id: string; cluster_id: string; how: string }[];

test('one system: the database links by UPRN exactly as the in-memory rules do (same UPRN one home, same address alone)', async () => {
  const A = l.as.administrator;
  const homes = [
    onMoorRoad('1', { uprn: '100023336956' }),
    onMoorRoad('1', { uprn: '100023336956', street: 'Moor Rd' }), // the same UPRN: one home
    onMoorRoad('1A', { uprn: '100023336956' }),
    onMoorRoad('3'),
    onMoorRoad('3'), // one system, the same address, no UPRN: two homes (the address rule links only across systems)
    sample.home({ uprn: '100023336957' }),
  ];
  for (const home of homes) assert.equal((await api(h, 'POST', '/api/v1/homes', A, home)).status, 201);
  const inMemory = await h.store.withOrg(l.id, async (tx) => {
    assert.equal(await homesFromOneSystem({ actor: systemActor(l.id), tx }), true);
    return clusterHomes(await homesForLinkage({ actor: systemActor(l.id), tx }));
  });
  const summary = await h.store.withOrg(l.id, (tx) => relinkHomes({ actor: systemActor(l.id), tx }));
  const stored = await clusters(l.id);
  assert.deepEqual(stored.map((c) => [c.home_id, c.cluster_id, c.how]), inMemory.map((c) => [c.homeId, c.clusterId, c.how]).sort((a, b) => a[0]!.localeCompare(b[0]!)));
  assert.equal(stored.filter((c) => c.how === 'uprn').length, 3, 'the three rows with one UPRN are one home');
  assert.deepEqual(summary, { homeRecords: 6, homes: 4, linkedHomes: 1 });
});

test('homes of two systems are not from one system, so they take the full rules (address links across systems)', async () => {
  const other = await landlord(h);
  const A = other.as.administrator;
  for (const system of ['crm', 'repairs']) {
    const res = await api(h, 'POST', '/api/v1/homes', A, onMoorRoad('5', { sourceReferences: [{ system, id: `${system}-5` }] }));
    assert.equal(res.status, 201);
  }
  assert.equal(await h.store.withOrg(other.id, (tx) => homesFromOneSystem({ actor: systemActor(other.id), tx })), false);
  await h.store.withOrg(other.id, (tx) => relinkHomes({ actor: systemActor(other.id), tx }));
  assert.deepEqual((await clusters(other.id)).map((c) => c.how), ['address', 'address']);
});
