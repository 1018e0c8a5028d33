// One search box for staff: a name, an address, a postcode, a UPRN, a phone number, a tenancy reference or a hazard
// report reference. A person linked across several source records (record linkage) is one result, shown as their best
// record says; each person found says why. "My patch" narrows homes, people (by their home), tenancies and hazard
// reports to the homes of the signed-in officer's patch.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';
import { searchHomes, homeRecords, formatAddress, normalisePostcode } from '../homes/index.ts';
import { searchPeople, displayPhone, type PostalAddress } from '../people/index.ts';
import { tenancyService } from '../tenancies/index.ts';
import { searchHazardReports } from '../hazards/index.ts';
import { patchScope } from '../../platform/modules.ts';
import { linkedRecordsJsonSql, sourceRankingJsonSql, survive, type LinkedRecord, type SourceRanking } from '../linkage/index.ts';

export const MAX_TERM = 100;
/** At most this many of each kind of result. */
export const LIMIT = 25;

/** A person in the results: one real person (every record linked as them), as their best record has them. */
export interface PersonResult {
  /** The person's id: their golden record's (the smallest id of the records linked as them). */
  id: string;
  title: string | null;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  dateOfBirth: string | null;
  /** Their correspondence address, or the address of their home; null when neither is known. */
  address: string | null;
  /** Their phone number as people write it, when the phone number is why they matched. */
  phone: string | null;
  /** Why they matched, in staff's words. */
  reasons: string[];
  /** How many source records are this person. */
  records: number;
}

const isPostcode = (term: string) => {
  const p = normalisePostcode(term);
  return p && /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/.test(p) ? p : null;
};

export async function search(ctx: Ctx, rawTerm: string, options: { mine?: boolean } = {}) {
  const term = rawTerm.trim().slice(0, MAX_TERM);
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const patch = options.mine ? await patchScope(ctx, true) : null;
  const scope = patch?.homeIds ?? null;
  const empty = { term, mine: !!options.mine, patchless: options.mine === true && scope === null, homes: [], people: [] as PersonResult[], tenancies: [], hazards: [] };
  if (!term) return empty;
  const patchHomes = scope ? new Set(scope) : null;
  const inScope = (homeId: string | null | undefined) => !patchHomes || (!!homeId && patchHomes.has(homeId));
  const postcode = isPostcode(term);

  const tenancies = (await tenancyService.findByReference(ctx, term)).filter((t) => inScope(t.homeId));
  // Homes (only the patch's when narrowed to it); more for a postcode, whose homes' people match too.
  const homesFound = await searchHomes(ctx, term, postcode ? 200 : LIMIT, scope);
  const homes = homesFound.slice(0, LIMIT);
  const members = tenancies.length ? (await tenancyService.getMany(ctx, tenancies.map((t) => t.id))).flatMap((t) => t.members.map((m) => m.personId)) : [];
  const matches = await searchPeople(ctx, term, LIMIT * 4, {
    homeIds: scope, personIds: patch?.personIds ?? null, postcode,
    also: [{ personIds: members, reason: 'Tenancy reference matches' }, { homeIds: postcode ? homesFound.map((h) => h.id) : [], reason: 'Postcode matches' }],
  });
  const hazards = (await searchHazardReports(ctx, term, scope ? 500 : LIMIT)).filter((r) => inScope(r.homeId)).slice(0, LIMIT);
  const tenancyHomes = await homeRecords.getMany(ctx, tenancies.map((t) => t.homeId));
  return {
    ...empty,
    homes,
    people: await onePerPerson(ctx, matches),
    tenancies: tenancies.map((t) => {
      const home = tenancyHomes.find((h) => h.id === t.homeId);
      return { ...t, homeAddress: home ? formatAddress(home) : null };
    }),
    hazards,
  };
}

/**
 * The people found, one result per real person (the records linked as one person are one result, where the best
 * of them ranked), each as their golden record has them, with the reasons any of their records matched. Two
 * statements: the linked records of every person found, and the homes of those with no address of their own.
 */
async function onePerPerson(ctx: Ctx, matches: Awaited<ReturnType<typeof searchPeople>>): Promise<PersonResult[]> {
  if (!matches.length) return [];
  const org = sql`${ctx.actor.organisationId}::uuid`;
  const ids = matches.map((m) => m.person.id);
  const rows = (await ctx.tx.execute(sql`select x.id::text as id, ${linkedRecordsJsonSql(org, sql`x.id`)} as records, ${sourceRankingJsonSql(org)} as ranking
    from unnest(${sql.param(ids)}::uuid[]) as x(id)`)).rows as { id: string; records: LinkedRecord[] | string; ranking: SourceRanking | string | null }[];
  const parse = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) as T : v);
  const linkedOf = new Map(rows.map((r) => [r.id, parse(r.records)]));
  const ranking = rows[0]?.ranking ? parse(rows[0].ranking) : null;

  const byPerson = new Map<string, { result: PersonResult; homeId: string | null }>();
  for (const m of matches) {
    const records = linkedOf.get(m.person.id)?.filter((r) => r.values) ?? [];
    const golden = survive(records.length ? records : [], ranking);
    const id = golden.id || m.person.id;
    const seen = byPerson.get(id);
    if (seen) {
      for (const r of m.reasons) if (!seen.result.reasons.includes(r)) seen.result.reasons.push(r);
      continue;
    }
    const f = golden.fields;
    const v = <T>(field: keyof typeof f, fallback: T): T => ((f[field]?.value ?? fallback) as T);
    const address = v<PostalAddress | null>('address', null);
    const phone = m.reasons.includes('Phone number matches') ? v<string | null>('phone', null) : null;
    byPerson.set(id, {
      result: {
        id, title: v('title', m.person.title), givenName: v('givenName', m.person.givenName), familyName: v('familyName', m.person.familyName),
        preferredName: v('preferredName', m.person.preferredName), dateOfBirth: v('dateOfBirth', m.person.dateOfBirth),
        address: address && Object.keys(address).length ? formatAddress(address) : null,
        phone: phone ? displayPhone(phone) : null,
        reasons: [...m.reasons], records: Math.max(records.length, 1),
      },
      homeId: v<string | null>('homeId', m.person.homeId),
    });
    if (byPerson.size >= LIMIT) break;
  }
  const results = [...byPerson.values()];
  const homes = await homeRecords.getMany(ctx, [...new Set(results.filter((r) => !r.result.address && r.homeId).map((r) => r.homeId!))]);
  for (const r of results) {
    if (r.result.address || !r.homeId) continue;
    const home = homes.find((h) => h.id === r.homeId);
    if (home) r.result.address = formatAddress(home);
  }
  return results.map((r) => r.result);
}
