// Data quality checks of tenancies (composed into the report by src/modules/data-quality). SQL for this module's
// own tables only: a tenancy's home is named by a fragment the homes module gives.
import { sql, type SQL } from 'drizzle-orm';
import type { TableChecks } from '../../platform/quality/checks.ts';

const longDate = (d: SQL) => sql`to_char(${d}, 'FMDD FMMonth YYYY')`;

/**
 * SQL: a SELECT of every tenant (lead or joint) membership: person_id, role, tenancy_id, reference, home_id, and
 * began (the member's own start date, else the tenancy's). For other modules' checks of people.
 */
export function tenantMembershipsSql(organisationId: string): SQL {
  return sql`select m.person_id, m.role, t.id as tenancy_id, t.reference, t.home_id, coalesce(m.start_date, t.start_date) as began
    from tenancy_members m join tenancies t on t.organisation_id = m.organisation_id and t.id = m.tenancy_id
    where m.organisation_id = ${organisationId} and m.role in ('lead', 'joint')`;
}

/** SQL: a SELECT of the person_id of every lead or joint tenant (once each), for other modules' checks. */
export function tenantsSql(organisationId: string): SQL {
  return sql`select m.person_id from tenancy_members m
    where m.organisation_id = ${organisationId} and m.role in ('lead', 'joint') group by m.person_id`;
}

/** SQL: a SELECT of (person_id, home_id) for every membership of a tenancy of a home (a pair may repeat), for other modules' checks. */
export function memberHomesSql(organisationId: string): SQL {
  return sql`select m.person_id, t.home_id
    from tenancy_members m join tenancies t on t.organisation_id = m.organisation_id and t.id = m.tenancy_id
    where m.organisation_id = ${organisationId}`;
}

export function tenancyChecks(organisationId: string, homes: { label: (homeId: SQL) => SQL }): TableChecks {
  return {
    kind: 'tenancies', title: 'Tenancies', table: sql`tenancies`, organisationId, page: 'homes',
    label: sql`'Tenancy ' || r.reference || coalesce(', ' || ${homes.label(sql`r.home_id`)}, '')`,
    linkId: sql`r.home_id`,
    order: sql`r.reference`,
    checks: [
      {
        id: 'tenancies.lead-missing', kind: 'tenancies', dimension: 'completeness', of: 'tenancies',
        title: 'Tenancies without a lead tenant',
        why: 'Without a lead tenant nobody is recorded as responsible for the rent and the home, and statutory returns such as CORE cannot be made.',
        flagged: sql`select t.id, case
            when count(m.person_id) = 0 then 'Nobody recorded on the tenancy'
            when count(*) filter (where m.role = 'joint') > 0 then 'Joint tenants only; none is marked as the lead tenant'
            else 'Household members only; no tenant recorded' end
            || case when t.end_date is not null then ' (ended ' || ${longDate(sql`t.end_date`)} || ')' else '' end as detail,
            null as sort
          from tenancies t left join tenancy_members m on m.organisation_id = t.organisation_id and m.tenancy_id = t.id
          where t.organisation_id = ${organisationId}
          group by t.id, t.end_date
          having not coalesce(bool_or(m.role = 'lead'), false)`,
      },
      {
        id: 'tenancies.current-overlap', kind: 'tenancies', dimension: 'completeness', of: 'current tenancies (no end date)', fixFirst: true,
        title: 'Current tenancies on a home that has another current tenancy',
        why: 'Two open tenancies on one home usually mean an end date was never recorded, so rent, repairs and safety notices may go to a former tenant.',
        // Window functions over the open tenancies in home order, no join (see homes/quality.ts).
        flagged: sql`select o.id, o.home_id::text as sort, 'Current tenancies of this home: ' || o.tenancies as detail
          from (
            select t.id, t.home_id, string_agg(t.reference || ' (from ' || ${longDate(sql`t.start_date`)} || ')', '; ') over (partition by t.home_id
                order by t.start_date, t.reference, t.id rows between unbounded preceding and unbounded following) as tenancies
            from (select t.*, count(*) over (partition by t.home_id) as open from tenancies t
                  where t.organisation_id = ${organisationId} and t.end_date is null) t
            where t.open > 1) o`,
        among: sql`r.end_date is null`,
      },
      {
        id: 'tenancies.type-unknown', kind: 'tenancies', dimension: 'completeness', of: 'tenancies',
        title: 'Tenancies whose type or tenure is not known',
        why: 'Tenancy type and tenure decide a tenant’s rights (succession, right to buy, grounds for possession) and are reported in CORE and the SDR.',
        fails: sql`r.tenancy_type = 'unknown' or r.tenure = 'unknown'`,
        detail: sql`case when r.tenancy_type = 'unknown' and r.tenure = 'unknown' then 'Type and tenure not known'
          when r.tenancy_type = 'unknown' then 'Type not known' else 'Tenure not known' end`,
      },
      {
        id: 'tenancies.end-before-start', kind: 'tenancies', dimension: 'validity', of: 'ended tenancies',
        title: 'Tenancies that end before they start',
        why: 'One of the two dates is wrong, so the tenancy’s length, arrears and who lived in the home when are all in doubt.',
        fails: sql`r.end_date < r.start_date`,
        among: sql`r.end_date is not null`,
        detail: sql`'Starts ' || ${longDate(sql`r.start_date`)} || ', ends ' || ${longDate(sql`r.end_date`)}`,
      },
    ],
  };
}
