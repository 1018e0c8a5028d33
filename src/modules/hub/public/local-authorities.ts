// The local authority districts the hub's public pages name and group by region: England's 296 districts in their 9
// regions and Wales's 22 under the nation (ONS codes, December 2023 boundaries), from the committed
// reference/local-authorities.csv (its source: docs/hub-public-site.md). A code list, so a Citus reference table.
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/store.ts';

export interface LocalAuthority { code: string; name: string; regionCode: string; regionName: string }

export const LOCAL_AUTHORITIES_FILE = new URL('../reference/local-authorities.csv', import.meta.url).pathname;
const HEADER = ['code', 'name', 'region_code', 'region_name'];
const CODE = /^(E0[6-9]|W06)[0-9]{6}$/;
const REGION = /^(E12|W92)[0-9]{6}$/;

/** The committed list, checked: errors name the file, row and column. */
export function readLocalAuthorities(file = LOCAL_AUTHORITIES_FILE): LocalAuthority[] {
  const rows = parse(fs.readFileSync(file, 'utf8'), { skip_empty_lines: true }) as string[][];
  const name = 'local-authorities.csv';
  if (rows[0]?.join(',') !== HEADER.join(',')) throw new Error(`${name}, row 1: the header must be ${HEADER.join(',')}`);
  const seen = new Set<string>();
  return rows.slice(1).map((r, i) => {
    const row = i + 2;
    if (r.length !== 4) throw new Error(`${name}, row ${row}: has ${r.length} columns, not 4`);
    const [code, laName, regionCode, regionName] = r as [string, string, string, string];
    if (!CODE.test(code)) throw new Error(`${name}, row ${row}, column code: "${code}" is not an ONS local authority district code`);
    if (seen.has(code)) throw new Error(`${name}, row ${row}, column code: ${code} is listed twice`);
    if (!laName.trim()) throw new Error(`${name}, row ${row}, column name: is empty`);
    if (!REGION.test(regionCode)) throw new Error(`${name}, row ${row}, column region_code: "${regionCode}" is not an ONS region or nation code`);
    if (!regionName.trim()) throw new Error(`${name}, row ${row}, column region_name: is empty`);
    seen.add(code);
    return { code, name: laName, regionCode, regionName };
  });
}

/**
 * Put the list into hub.local_authorities (insert or update by code; a district no longer listed is kept, as homes
 * may still name it). Idempotent: run at migrate or start.
 */
export async function loadLocalAuthorities(db: Db, list: readonly LocalAuthority[] = readLocalAuthorities()): Promise<number> {
  const rows = list.map((l) => ({ c: l.code, n: l.name, rc: l.regionCode, rn: l.regionName }));
  await db.execute(sql`INSERT INTO hub.local_authorities (code, name, region_code, region_name)
    SELECT c, n, rc, rn FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(c text, n text, rc text, rn text)
    ON CONFLICT (code) DO UPDATE SET name = excluded.name, region_code = excluded.region_code, region_name = excluded.region_name
    WHERE (hub.local_authorities.name, hub.local_authorities.region_code, hub.local_authorities.region_name)
      IS DISTINCT FROM (excluded.name, excluded.region_code, excluded.region_name)`);
  return rows.length;
}

/** A council's name as people write it, reduced to the district's: "Leeds City Council", "London Borough of Hackney" → "leeds", "hackney". */
export function districtKey(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ').replace(/[’']/g, '').replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\b(the )?(royal |london )?borough of\b/g, ' ').replace(/\bcity of\b/g, ' ').replace(/\bcounty of\b/g, ' ')
    .replace(/\b(metropolitan |district |county |city |borough |unitary )*(council|corporation)\b/g, ' ')
    .replace(/\b(city|county|district|borough|metropolitan|mbc|dc|cc)\s*$/g, ' ')
    .replace(/\s+/g, ' ').trim();
}

let byKey: Map<string, string> | undefined;
/**
 * The ONS code of a local authority given by its code or its name in the landlord's own words ("Leeds City Council",
 * "LB Hackney" is not guessed): undefined when it is neither. Names that two districts share resolve to neither.
 */
export function localAuthorityCodeOf(value: string | null | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^(E0[6-9]|W06|S12|N09)[0-9]{6}$/i.test(v)) return v.toUpperCase();
  if (!byKey) {
    const counts = new Map<string, string | null>();
    for (const la of readLocalAuthorities()) {
      const k = districtKey(la.name);
      counts.set(k, counts.has(k) ? null : la.code);
    }
    byKey = new Map([...counts].filter((e): e is [string, string] => e[1] !== null));
  }
  return byKey.get(districtKey(v));
}
