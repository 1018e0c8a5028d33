// How the hub's schema scales out on Citus (docs/hub-scaling.md; decision 0026): every table that holds a publisher's
// data is distributed by `publisher` and co-located with hub.publishers; code lists are reference tables (a copy on
// every node). The plan is data, so the same list drives the SQL the documentation shows and the test that checks the
// live schema against Citus's rules (scaling.test in test/api/hub-scaling.test.ts), so a new table cannot slip in
// unplanned or break a rule.
import type { Db } from '../../platform/db/store.ts';
import { distributionStatements, ruleBreaks, type DistributionPlan } from '../../platform/db/distribution.ts';

export const HUB_SCHEMA = 'hub';
/** The distribution column of every distributed hub table. */
export const DISTRIBUTION_COLUMN = 'publisher';

/** Tables copied to every node: small code lists that distributed tables join to. */
export const REFERENCE_TABLES: readonly string[] = ['local_authorities', 'operators'];
/**
 * Distributed tables, parents before children (Citus distributes a table only after the tables its foreign keys point
 * at), each co-located with hub.publishers so a publisher's rows of every table are on one node.
 */
export const DISTRIBUTED_TABLES: readonly string[] = ['publishers', 'credentials', 'sources', 'batches', 'homes', 'blocks', 'area_counts', 'measures', 'measure_values'];

/** The hub's plan, as the platform's distribution (src/platform/db/distribution.ts) takes it: the manifest's `distribution`. */
export const HUB_DISTRIBUTION: DistributionPlan = { schema: HUB_SCHEMA, column: DISTRIBUTION_COLUMN, reference: REFERENCE_TABLES, distributed: DISTRIBUTED_TABLES };

/** The statements that distribute the hub on a Citus coordinator, in order. */
export function distributionPlan(): string[] {
  return distributionStatements([HUB_DISTRIBUTION]);
}

/** What in the live hub schema breaks Citus's rules for the plan above (the platform's checker, on the hub's plan). */
export async function scalingRuleBreaks(db: Db): Promise<{ table: string; rule: string }[]> {
  return (await ruleBreaks(db, HUB_DISTRIBUTION)).map(({ table, rule }) => ({ table, rule }));
}
