// Data quality checks of people (composed into the report by src/modules/data-quality). SQL for this module's own
// table and its own source references; who is a tenant of which home comes from fragments the tenancies module gives.
import { sql, type SQL } from 'drizzle-orm';
import { POSTCODE_REGEX } from 'postcode';
import type { TableChecks } from '../../platform/quality/checks.ts';

const longDate = (d: SQL) => sql`to_char(${d}, 'FMDD FMMonth YYYY')`;
const yearsBetween = (from: SQL, to: SQL) => sql`extract(year from age(${to}, ${from}))::int`;

/** Youngest age at which someone can hold a tenancy, in this check (a minor cannot hold a legal tenancy). */
export const MIN_TENANT_AGE = 16;
/** Oldest believable age: older than this and the date of birth is almost certainly wrong (or the person has died). */
export const MAX_AGE = 110;

const NAME_PUNCTUATION = ' -\'’.,';
/** Name as compared across records: given and family name in lower case, without spaces, hyphens, apostrophes or full stops. */
const nameKey = (a: string) => sql`translate(lower(${sql.raw(`${a}.given_name`)}), ${NAME_PUNCTUATION}, '') || '|' ||
  translate(lower(${sql.raw(`${a}.family_name`)}), ${NAME_PUNCTUATION}, '')`;

export interface TenancyFragments {
  /** SELECT of person_id, role, tenancy_id, reference, home_id, began: every lead or joint tenant membership. */
  memberships: SQL;
  /** SELECT of (person_id, home_id): the homes each person is or was a member of a tenancy of. */
  memberHomes: SQL;
  /** SELECT of person_id: every lead or joint tenant, once. */
  tenants: SQL;
}

/**
 * The same person in two sources with two dates of birth, before record linkage: two records with the same
 * normalised given and family name, at the same home (through a tenancy) or the same address postcode, with
 * different dates of birth, from different source systems (a record without a source reference counts as entered
 * in Hearth).
 */
function sameNameDifferentBirthSql(organisationId: string, t: TenancyFragments): SQL {
  // Each person's places (address postcode; homes through tenancies, from the tenancies module's fragment), then,
  // by a window over (name, place), the records whose place has another record of the name with another date of
  // birth; only those few are compared pair by pair. The joins are index lookups by primary key, so the plan
  // stays linear on a table that has never been analysed (PGlite is never).
  return sql`with places as (
      select p.id, ${nameKey('p')} as name_key, p.date_of_birth as dob, upper(replace(p.address->>'postcode', ' ', '')) as postcode, null::uuid as home_id
      from people p
      where p.organisation_id = ${organisationId} and p.date_of_birth is not null and coalesce(btrim(p.address->>'postcode'), '') <> ''
      union all
      select p.id, ${nameKey('p')}, p.date_of_birth, null, mh.home_id
      from (${t.memberHomes}) mh join people p on p.organisation_id = ${organisationId} and p.id = mh.person_id
      where p.date_of_birth is not null),
    candidates as (
      select id, name_key, dob, postcode, home_id from (
        select pl.*, min(pl.dob) over w as earliest, max(pl.dob) over w as latest
        from places pl window w as (partition by pl.name_key collate "C", pl.postcode collate "C", pl.home_id)) x
      where x.earliest <> x.latest),
    systems as (
      select sr.record_id as id, array_agg(distinct sr.source_system order by sr.source_system) as systems from source_references sr
      where sr.organisation_id = ${organisationId} and sr.entity_kind = 'person' and sr.record_id in (select id from candidates)
      group by sr.record_id),
    pairs as (
      select a.id, b.id as other, a.name_key, a.dob, b.dob as other_dob, bool_or(a.home_id is not null) as same_home,
        coalesce(sa.systems, array['Hearth']) as systems, coalesce(sb.systems, array['Hearth']) as other_systems
      from candidates a join candidates b on b.name_key = a.name_key and b.postcode is not distinct from a.postcode
        and b.home_id is not distinct from a.home_id and b.id <> a.id and b.dob <> a.dob
      left join systems sa on sa.id = a.id
      left join systems sb on sb.id = b.id
      group by a.id, b.id, a.name_key, a.dob, b.dob, sa.systems, sb.systems)
    select pr.id, pr.name_key as sort,
      'Born ' || ${longDate(sql`pr.dob`)} || ' (' || array_to_string(pr.systems, ', ') || '); '
      || string_agg('also recorded born ' || ${longDate(sql`pr.other_dob`)} || ' (' || array_to_string(pr.other_systems, ', ') || ')'
        || case when pr.same_home then ' at the same home' else ' at the same postcode' end, '; ' order by pr.other_dob, pr.other) as detail
    from pairs pr
    -- From different source systems: not both from one and the same single system.
    where not (pr.systems = pr.other_systems and cardinality(pr.systems) = 1)
    group by pr.id, pr.name_key, pr.dob, pr.systems`;
}

/** One record whose sources (after linkage, a record can have several) gave different dates of birth. */
function sourcesDisagreeSql(organisationId: string): SQL {
  return sql`select sr.record_id as id, null as sort,
      string_agg(sr.source_system || ' ' || sr.source_id || ' gives ' || (sr.source_values->>'dateOfBirth'), '; ' order by sr.source_system, sr.source_id) as detail
    from source_references sr join people p on p.organisation_id = sr.organisation_id and p.id = sr.record_id
    where sr.organisation_id = ${organisationId} and sr.entity_kind = 'person' and coalesce(sr.source_values->>'dateOfBirth', '') <> ''
    group by sr.record_id
    having count(distinct sr.source_values->>'dateOfBirth') > 1`;
}

function tenantUnder16Sql(organisationId: string, t: TenancyFragments): SQL {
  return sql`select p.id, null as sort,
      string_agg(case when ms.role = 'lead' then 'Lead tenant' else 'Joint tenant' end || ' of ' || ms.reference || ' from ' || ${longDate(sql`ms.began`)}
        || case when p.date_of_birth > ms.began then ', before they were born' else ', aged ' || ${yearsBetween(sql`p.date_of_birth`, sql`ms.began`)} end,
        '; ' order by ms.began, ms.reference) || '; born ' || ${longDate(sql`p.date_of_birth`)} as detail
    from (${t.memberships}) ms join people p on p.organisation_id = ${organisationId} and p.id = ms.person_id
    -- (A date of birth in the future is the future-date check's.)
    where p.date_of_birth > (ms.began - make_interval(years => ${MIN_TENANT_AGE}))::date and p.date_of_birth <= current_date
    group by p.id, p.date_of_birth`;
}

export function personChecks(organisationId: string, tenancies: TenancyFragments): TableChecks {
  const postcode = sql`(r.address->>'postcode')`;
  const hasPostcode = sql`(coalesce(btrim(${postcode}), '') <> '')`;
  return {
    kind: 'people', title: 'People', table: sql`people`, organisationId, page: 'people',
    label: sql`concat_ws(' ', nullif(r.title, ''), r.given_name, r.family_name)`,
    order: sql`r.family_name, r.given_name`,
    checks: [
      {
        id: 'people.birth-date-missing', kind: 'people', dimension: 'completeness', of: 'people',
        title: 'People without a date of birth',
        why: 'Without a date of birth a person cannot be told apart from someone of the same name, or checked as old enough to hold a tenancy.',
        fails: sql`r.date_of_birth is null`,
      },
      {
        id: 'people.contact-missing', kind: 'people', dimension: 'completeness', of: 'people',
        title: 'People with no phone number or email address',
        why: 'With no way to reach them, repair appointments, safety notices and urgent messages about their home cannot get through.',
        fails: sql`jsonb_array_length(coalesce(r.contact_points, '[]'::jsonb)) = 0`,
      },
      {
        id: 'people.birth-date-future', kind: 'people', dimension: 'validity', of: 'people with a date of birth',
        title: 'Dates of birth in the future',
        why: 'A date of birth that has not happened yet was mistyped, so the person’s age and identity checks are wrong.',
        fails: sql`r.date_of_birth > current_date`,
        among: sql`r.date_of_birth is not null`,
        detail: sql`'Born ' || ${longDate(sql`r.date_of_birth`)}`,
      },
      {
        id: 'people.birth-date-too-old', kind: 'people', dimension: 'validity', of: 'people with a date of birth',
        title: `Dates of birth that make someone older than ${MAX_AGE}`,
        why: 'The date is almost certainly wrong (often a placeholder such as 1 January 1900), or the person has died and the record needs updating.',
        fails: sql`r.date_of_birth < (current_date - make_interval(years => ${MAX_AGE}))::date`,
        among: sql`r.date_of_birth is not null`,
        detail: sql`'Born ' || ${longDate(sql`r.date_of_birth`)} || ', aged ' || ${yearsBetween(sql`r.date_of_birth`, sql`current_date`)}`,
      },
      {
        id: 'people.tenant-under-16', kind: 'people', dimension: 'validity', of: 'lead and joint tenants', fixFirst: true,
        title: `Tenants who were under ${MIN_TENANT_AGE} when their tenancy began`,
        why: 'A child cannot hold a tenancy, so either the date of birth is wrong or the wrong person is recorded as the tenant.',
        flagged: tenantUnder16Sql(organisationId, tenancies),
        total: sql`select count(*) from (${tenancies.tenants}) tenants`,
      },
      {
        id: 'people.postcode-invalid', kind: 'people', dimension: 'validity', of: 'people with a postal address postcode',
        title: 'Postal addresses with a postcode that is not a valid UK postcode',
        why: 'Letters sent to an address with a postcode that cannot exist may never arrive.',
        fails: sql`${hasPostcode} and not (btrim(${postcode}) ~* ${POSTCODE_REGEX.source})`,
        among: hasPostcode,
        detail: sql`'Postcode recorded as “' || ${postcode} || '”'`,
      },
      {
        id: 'people.same-name-different-birth-date', kind: 'people', dimension: 'contradiction', of: 'people with a date of birth', fixFirst: true,
        title: 'The same person in two sources with different dates of birth',
        why: 'Records with the same name at the same home or postcode but different dates of birth are one person mistyped or two people confused; either way identity, age and safeguarding checks can go wrong.',
        flagged: sameNameDifferentBirthSql(organisationId, tenancies),
        among: sql`r.date_of_birth is not null`,
      },
      {
        id: 'people.sources-disagree-birth-date', kind: 'people', dimension: 'contradiction', of: 'people', fixFirst: true,
        title: 'People whose source systems give different dates of birth',
        why: 'The systems this record was joined from disagree about who the person is; until one date is confirmed, age and identity checks cannot be trusted.',
        flagged: sourcesDisagreeSql(organisationId),
      },
    ],
  };
}
