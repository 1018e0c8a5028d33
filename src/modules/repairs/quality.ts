// Data quality checks of repairs (composed into the report by src/modules/data-quality). SQL for this module's own table.
import { sql } from 'drizzle-orm';
import type { TableChecks } from '../../platform/quality/checks.ts';

export function repairChecks(organisationId: string): TableChecks {
  return {
    kind: 'repairs', title: 'Repairs', table: sql`repairs`, organisationId, page: null,
    label: sql`'Job ' || r.job_reference`,
    order: sql`r.job_reference`,
    checks: [
      {
        id: 'repairs.home-not-linked', kind: 'repairs', dimension: 'completeness', of: 'repairs',
        title: 'Repairs not linked to a home',
        why: 'A repair whose home matched none of your homes is missing from that home’s history and from the damp and mould register; it is linked as soon as its home is loaded or its reference corrected.',
        fails: sql`r.home_id is null`,
        detail: sql`'It named ' || coalesce(r.home_named, 'no home')`,
      },
    ],
  };
}
