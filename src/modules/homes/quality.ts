// Data quality checks of homes and blocks (composed into the report by src/modules/data-quality). SQL for this
// module's own tables only; each check is a condition on one row `r`, or a query for checks across rows.
import { sql, type SQL } from 'drizzle-orm';
import { POSTCODE_REGEX } from 'postcode';
import type { TableChecks } from '../../platform/quality/checks.ts';
import { PROPERTY_TYPES } from './codes.ts';

/**
 * A UK postcode, as the `postcode` package's isValid() judges it, in SQL (case-insensitive, after trimming):
 * the package's own expression, which PostgreSQL's regular expressions read the same way.
 */
export const UK_POSTCODE_PATTERN = POSTCODE_REGEX.source;
export const isUkPostcodeSql = (value: SQL) => sql`(btrim(${value}) ~* ${UK_POSTCODE_PATTERN})`;

/**
 * A UPRN: 1 to 12 digits, and not zero. (Written without a bounded repetition such as [0-9]{1,12}, which
 * PostgreSQL's regular expressions run several times slower: this is evaluated for every home.)
 */
const isValidUprn = (value: SQL) => sql`(${value} !~ '[^0-9]' and length(${value}) between 1 and 12 and ltrim(${value}, '0') <> '')`;

const present = (value: SQL) => sql`(coalesce(btrim(${value}), '') <> '')`;

/** A home's address in one line, as formatAddress() writes it, over the homes row of alias `a`. */
export function homeLabelSql(a: string): SQL {
  const c = (name: string) => sql.raw(`${a}.${name}`);
  return sql`coalesce(nullif(concat_ws(', ',
    nullif(concat_ws(', ', nullif(${c('sub_building')}, ''), nullif(${c('building_name')}, '')), ''),
    nullif(concat_ws(' ', nullif(${c('building_number')}, ''), nullif(${c('street')}, '')), ''),
    nullif(${c('locality')}, ''), nullif(${c('town')}, ''), nullif(${c('postcode')}, '')), ''),
    'Home ' || coalesce(${c('reference')}, ${c('id')}::text))`;
}

/** SQL: the one-line address of the home with this id, for other modules' check labels. */
export function homeLabelByIdSql(organisationId: string, homeId: SQL): SQL {
  return sql`(select ${homeLabelSql('h')} from homes h where h.organisation_id = ${organisationId} and h.id = ${homeId})`;
}

/** The address as a comparison key: letters and digits of flat, building, number, street and postcode. */
const addressKey = (a: string) => sql`lower(regexp_replace(concat_ws(' ', ${sql.raw(`${a}.sub_building`)}, ${sql.raw(`${a}.building_name`)},
  ${sql.raw(`${a}.building_number`)}, ${sql.raw(`${a}.street`)}, ${sql.raw(`${a}.postcode`)}), '[^[:alnum:]]', '', 'g'))`;

const KNOWN_TYPES = Object.keys(PROPERTY_TYPES).filter((t) => t !== 'other');
const knownType = sql`r.property_type in (${sql.join(KNOWN_TYPES.map((t) => sql`${t}`), sql`, `)})`;

/**
 * Homes sharing a UPRN: with different addresses (one UPRN, two places), or the same address (one home twice).
 * Window functions over the homes in UPRN order, no join: the plan cannot turn quadratic on a table that has
 * never been analysed (PGlite is never), and addresses are compared only for UPRNs on more than one home.
 */
function sharedUprnSql(organisationId: string, addresses: 'different' | 'same'): SQL {
  return sql`select x.id, x.uprn as sort,
      ${addresses === 'different'
        ? sql`'UPRN ' || x.uprn || ' is on ' || x.homes || ' homes: ' || x.labels`
        : sql`'UPRN ' || x.uprn || ' and this address are on ' || x.homes || ' home records'`} as detail
    from (
      select s.id, s.uprn, s.homes, min(s.key) over u as lowest, max(s.key) over u as highest, string_agg(s.label, '; ') over u as labels
      from (
        select h.id, h.uprn, h.homes, ${addressKey('h')} as key, ${homeLabelSql('h')} as label
        from (select h.id, h.uprn, h.reference, h.sub_building, h.building_name, h.building_number, h.street, h.locality, h.town, h.postcode,
                count(*) over (partition by h.uprn collate "C") as homes from homes h
              where h.organisation_id = ${organisationId} and ${isValidUprn(sql`h.uprn`)}) h
        where h.homes > 1) s
      window u as (partition by s.uprn collate "C" order by s.label, s.id rows between unbounded preceding and unbounded following)) x
    where x.lowest ${addresses === 'different' ? sql`<>` : sql`=`} x.highest`;
}

export function homeChecks(organisationId: string): TableChecks {
  const hasUprn = sql`${present(sql`r.uprn`)}`;
  return {
    kind: 'homes', title: 'Homes', table: sql`homes`, organisationId, page: 'homes',
    label: homeLabelSql('r'),
    order: sql`r.postcode, r.street, r.building_number, r.sub_building`,
    checks: [
      {
        id: 'homes.uprn-missing', kind: 'homes', dimension: 'completeness', of: 'homes',
        title: 'Homes without a UPRN',
        why: 'Without a UPRN a home cannot be matched to national data such as EPCs or the building safety register, or to the same home in your other systems.',
        fails: sql`not ${hasUprn}`,
      },
      {
        id: 'homes.postcode-missing', kind: 'homes', dimension: 'completeness', of: 'homes',
        title: 'Homes without a postcode',
        why: 'Without a postcode a home is hard to find by address, cannot be checked against its UPRN and is left out of reporting by area.',
        fails: sql`not ${present(sql`r.postcode`)}`,
      },
      {
        id: 'homes.type-unknown', kind: 'homes', dimension: 'completeness', of: 'homes',
        title: 'Homes whose property type is “Other” or not known',
        why: 'Property type is reported in statutory returns (SDR and CORE lettings) and decides duties such as fire safety checks for flats.',
        fails: sql`not ${knownType}`,
        detail: sql`'Recorded as ' || coalesce(nullif(r.property_type, ''), 'blank')`,
      },
      {
        id: 'homes.flat-without-block', kind: 'homes', dimension: 'completeness', of: 'flats and maisonettes',
        title: 'Flats and maisonettes not linked to their block',
        why: 'A flat not linked to its building is missed when the building’s height, higher-risk status or fire risk assessment is checked.',
        fails: sql`r.property_type in ('flat', 'maisonette') and r.block_id is null`,
        among: sql`r.property_type in ('flat', 'maisonette')`,
      },
      {
        id: 'homes.uprn-invalid', kind: 'homes', dimension: 'validity', of: 'homes with a UPRN',
        title: 'UPRNs that are not 1 to 12 digits',
        why: 'A UPRN is a number of up to 12 digits; anything else was mistyped or damaged (often by a spreadsheet), so the home will not match national data.',
        fails: sql`${hasUprn} and not ${isValidUprn(sql`r.uprn`)}`,
        among: hasUprn,
        detail: sql`'UPRN recorded as “' || r.uprn || '”'`,
      },
      {
        id: 'homes.postcode-invalid', kind: 'homes', dimension: 'validity', of: 'homes with a postcode',
        title: 'Postcodes that are not valid UK postcodes',
        why: 'Post, address search and matching to a UPRN all fail on a postcode that cannot exist.',
        fails: sql`${present(sql`r.postcode`)} and not ${isUkPostcodeSql(sql`r.postcode`)}`,
        among: present(sql`r.postcode`),
        detail: sql`'Postcode recorded as “' || r.postcode || '”'`,
      },
      {
        id: 'homes.uprn-shared', kind: 'homes', dimension: 'contradiction', of: 'homes with a valid UPRN', fixFirst: true,
        title: 'The same UPRN on homes with different addresses',
        why: 'A UPRN identifies one place; on two addresses at least one is wrong, and safety records or repairs matched by UPRN go to the wrong home.',
        flagged: sharedUprnSql(organisationId, 'different'),
        among: isValidUprn(sql`r.uprn`),
      },
      {
        id: 'homes.recorded-twice', kind: 'homes', dimension: 'contradiction', of: 'homes with a valid UPRN',
        title: 'Homes recorded more than once (same UPRN and address)',
        why: 'Two records of one home split its history: tenancies, repairs and safety checks land on one record and are missing from the other.',
        flagged: sharedUprnSql(organisationId, 'same'),
        among: isValidUprn(sql`r.uprn`),
      },
    ],
  };
}

/** Height and storeys agree if the height lies within 2 m for each storey below the top and 5 m for each storey. */
const MIN_STOREY_METRES = 2;
const MAX_STOREY_METRES = 5;

export function blockChecks(organisationId: string): TableChecks {
  const both = sql`(r.height_metres is not null and r.storeys is not null)`;
  return {
    kind: 'blocks', title: 'Blocks', table: sql`blocks`, organisationId, page: 'blocks',
    label: sql`r.name || coalesce(', ' || nullif(r.postcode, ''), '')`,
    order: sql`r.name`,
    checks: [
      {
        id: 'blocks.height-missing', kind: 'blocks', dimension: 'completeness', of: 'blocks',
        title: 'Blocks without a height',
        why: 'Height is one test of a higher-risk building under the Building Safety Act (18 metres or more, with at least 2 homes), and must be registered.',
        fails: sql`r.height_metres is null`,
        detail: sql`case when r.storeys is not null then r.storeys || ' storeys recorded' end`,
      },
      {
        id: 'blocks.storeys-missing', kind: 'blocks', dimension: 'completeness', of: 'blocks',
        title: 'Blocks without a number of storeys',
        why: 'Storeys are the other test of a higher-risk building (7 or more), and are needed to register one and to plan its evacuation.',
        fails: sql`r.storeys is null`,
        detail: sql`case when r.height_metres is not null then r.height_metres || ' m recorded' end`,
      },
      {
        id: 'blocks.height-and-storeys-missing', kind: 'blocks', dimension: 'completeness', of: 'blocks', fixFirst: true,
        title: 'Blocks with neither height nor storeys',
        why: 'With neither, nobody can tell from the record whether the building is higher-risk, so it may be missing from the building safety register.',
        fails: sql`r.height_metres is null and r.storeys is null`,
        detail: sql`case when r.residential_units is not null then r.residential_units || ' homes' end`,
      },
      {
        id: 'blocks.height-storeys-inconsistent', kind: 'blocks', dimension: 'validity', of: 'blocks with both height and storeys', fixFirst: true,
        title: 'Blocks whose height does not fit their storeys',
        why: `A height outside ${MIN_STOREY_METRES} to ${MAX_STOREY_METRES} metres a storey means the height or the storeys are wrong, and either can put a building on the wrong side of the 18 metre or 7 storey line.`,
        fails: sql`${both} and (r.storeys < 1 or r.height_metres < 0
          or r.height_metres < ${MIN_STOREY_METRES}::numeric * (r.storeys - 1) or r.height_metres > ${MAX_STOREY_METRES}::numeric * r.storeys)`,
        among: both,
        detail: sql`r.height_metres::float8 || ' m with ' || r.storeys || case when r.storeys = 1 then ' storey' else ' storeys' end`,
      },
    ],
  };
}
