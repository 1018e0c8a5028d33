// The hub's schema against Citus's rules (src/modules/hub/scaling.ts, docs/hub-scaling.md), on the live schema the
// migrations make: every hub table is planned (distributed by publisher, or a reference table), every primary and unique
// key of a distributed table holds the publisher, foreign keys join on it. And the checker itself finds breaks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, type Harness } from '../support/harness.ts';
import { distributionPlan, scalingRuleBreaks, DISTRIBUTED_TABLES } from '../../src/modules/hub/scaling.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); });

test("the hub's live schema follows Citus's rules", async () => {
  assert.deepEqual(await h.store.system((db) => scalingRuleBreaks(db)), []);
});

test('the plan distributes parents first, each co-located with the publishers', () => {
  const plan = distributionPlan();
  assert.match(plan[0]!, /create_reference_table\('hub\.local_authorities'\)/);
  assert.equal(plan.filter((s) => s.includes('create_distributed_table')).length, DISTRIBUTED_TABLES.length);
  const distributed = plan.filter((s) => s.includes('create_distributed_table'));
  assert.match(distributed[0]!, /create_distributed_table\('hub\.publishers', 'publisher'\);/);
  assert.ok(distributed.slice(1).every((s) => s.includes("colocate_with => 'hub.publishers'")));
  assert.ok(plan.indexOf(distributed[0]!) > plan.findLastIndex((s) => s.includes('create_reference_table')), 'reference tables first');
});

test('the checker finds a unique key without the publisher, an unplanned table and a foreign key off the publisher', async () => {
  // In a transaction that the throw rolls back, so the schema other tests see is untouched.
  const breaks = await h.store.system(async (db) => {
    // WHERE false: the index holds no row, so other test files' homes (one shared database) never make it fail to build.
    await db.execute(sql`CREATE UNIQUE INDEX hub_homes_uprn_only ON hub.homes (uprn) WHERE false`);
    await db.execute(sql`CREATE TABLE hub.stray (publisher text NOT NULL, id text NOT NULL, PRIMARY KEY (publisher, id))`);
    // NOT VALID: other test files' blocks (one shared database) are not checked against it.
    await db.execute(sql`ALTER TABLE hub.blocks ADD CONSTRAINT blocks_wrongly_keyed FOREIGN KEY (block_reference) REFERENCES hub.publishers (publisher) NOT VALID`);
    const found = await scalingRuleBreaks(db);
    throw Object.assign(new Error('rollback'), { found });
  }).catch((e: { found?: Awaited<ReturnType<typeof scalingRuleBreaks>> }) => e.found ?? []);
  const rules = breaks.map((b) => `${b.table}: ${b.rule}`);
  assert.ok(rules.some((r) => /^homes: unique key hub_homes_uprn_only \(uprn\) lacks publisher/.test(r)), rules.join('\n'));
  assert.ok(rules.some((r) => /^stray: is neither distributed by publisher nor a reference table/.test(r)), rules.join('\n'));
  assert.ok(rules.some((r) => /^blocks: foreign key blocks_wrongly_keyed to publishers does not join publisher to publisher/.test(r)), rules.join('\n'));
  assert.deepEqual(await h.store.system((db) => scalingRuleBreaks(db)), [], 'the changes were rolled back');
});
