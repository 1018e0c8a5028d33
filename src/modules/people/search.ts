// Finding people for the search box: by any words of their names, a phone number, an email address or a postcode,
// ranked so that a family name typed in full comes first ("Smith" before "Smith-Jones"), then the given name; each
// result says why it matched, in staff's words. Callers may narrow it to people at some homes ("my patch") and add
// people they found another way (the members of a tenancy whose reference matched).
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';
import { escapeLike } from '../../platform/db/like.ts';
import { people } from './schema.ts';
import type { Person } from './service.ts';

export interface PersonMatch {
  person: Person;
  /** Why the person matched ("Family name matches", "Phone number matches"), most telling first. */
  reasons: string[];
}

export interface PersonSearchOptions {
  /** Only people whose home is one of these (null or absent: everyone). */
  homeIds?: readonly string[] | null;
  /** Only these people (a patch's: the members of its tenancies and people recorded at its homes); before `homeIds`. */
  personIds?: readonly string[] | null;
  /** The term as a normalised postcode ("LS6 4QE"), when it is one: people whose own address has it match. */
  postcode?: string | null;
  /** People found another way, with the reason: members of a matching tenancy, people at homes with the postcode. */
  also?: { personIds?: readonly string[]; homeIds?: readonly string[]; reason: string }[];
}

/** The digits of a phone number that identify it whatever way it is written: no +44, no leading 0. */
export function phoneDigits(term: string): string | null {
  if (!/^[\d\s()+-]+$/.test(term.trim())) return null;
  const digits = term.replace(/\D/g, '').replace(/^(0044|44|0)/, '');
  return digits.length >= 6 ? digits : null;
}

const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();
/** The parts of a name ("Smith-Jones" → smith, jones), to match a word to a part of a double-barrelled name. */
const parts = (s: string | null | undefined) => lower(s).split(/[^\p{L}\p{N}']+/u).filter(Boolean);

/**
 * People matching the term, best first: an exact family name, then a family name that starts with or contains a word
 * typed (double-barrelled names), then anything else that matched; within each, an exact given name first; then by
 * name. At most `limit`, each with why it matched.
 */
export async function searchPeople(ctx: Ctx, term: string, limit = 20, options: PersonSearchOptions = {}): Promise<PersonMatch[]> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const words = term.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 6);
  if (!words.length) return [];
  const phone = phoneDigits(term);
  const email = term.includes('@') ? term.trim().toLowerCase() : null;
  const also = (options.also ?? []).filter((a) => a.personIds?.length || a.homeIds?.length);

  const p = people;
  const matches: SQL[] = [sql`(${sql.join(words.map((w) => sql`${p.searchText} like ${'%' + escapeLike(w) + '%'}`), sql` and `)})`];
  const phoneMatch = phone ? sql`exists (select 1 from jsonb_array_elements(${p.contactPoints}) c
    where c->>'system' = 'phone' and regexp_replace(c->>'value', '[^0-9]', '', 'g') like ${'%' + phone})` : null;
  if (phoneMatch) matches.push(phoneMatch);
  if (options.postcode) matches.push(sql`upper(replace(${p.address}->>'postcode', ' ', '')) = ${options.postcode.replace(/\s/g, '').toUpperCase()}`);
  for (const a of also) {
    if (a.personIds?.length) matches.push(sql`${p.id} = any(${sql.param([...a.personIds])}::uuid[])`);
    if (a.homeIds?.length) matches.push(sql`${p.homeId} = any(${sql.param([...a.homeIds])}::uuid[])`);
  }
  const scope = options.personIds ? sql` and ${p.id} = any(${sql.param([...options.personIds])}::uuid[])`
    : options.homeIds ? sql` and ${p.homeId} = any(${sql.param([...options.homeIds])}::uuid[])` : sql``;
  const wordList = sql.param(words);
  const prefixes = sql.param(words.map((w) => escapeLike(w) + '%'));
  // A name's parts with a space before each ("smith-jones" → " smith jones"), to match a word to the start of any part.
  const partsOf = (c: SQL | typeof p.familyName | typeof p.givenName) => sql`(' ' || regexp_replace(lower(${c}), '[^[:alnum:]'']+', ' ', 'g'))`;
  // 0: the family name is a word typed; 1: it, or a part of it, starts with one (double-barrelled names); 2: anything else.
  const familyRank = sql`case when lower(${p.familyName}) = any(${wordList}::text[]) then 0
    when ${partsOf(p.familyName)} like any(select '% ' || x from unnest(${prefixes}::text[]) x) then 1 else 2 end`;
  const givenRank = sql`case when lower(${p.givenName}) = any(${wordList}::text[]) or lower(${p.preferredName}) = any(${wordList}::text[]) then 0
    when ${partsOf(p.givenName)} like any(select '% ' || x from unnest(${prefixes}::text[]) x) then 1 else 2 end`;
  const rows = await ctx.tx.select().from(p)
    .where(sql`${p.organisationId} = ${ctx.actor.organisationId} and (${sql.join(matches, sql` or `)})${scope}`)
    .orderBy(familyRank, givenRank, sql`lower(${p.familyName})`, sql`lower(${p.givenName})`, p.id)
    .limit(limit) as Person[];

  return rows.map((person) => ({ person, reasons: reasonsFor(person, words, { phone, email, postcode: options.postcode ?? null, also }) }));
}

function reasonsFor(person: Person, words: string[], by: { phone: string | null; email: string | null; postcode: string | null; also: NonNullable<PersonSearchOptions['also']> }): string[] {
  const reasons: string[] = [];
  const add = (r: string) => { if (!reasons.includes(r)) reasons.push(r); };
  const name = (label: string, value: string | null | undefined) => {
    if (!value) return;
    const v = lower(value);
    if (words.includes(v) || (words.length > 1 && words.join(' ') === v)) add(`${label} matches`);
    else if (words.some((w) => v.startsWith(w) || parts(value).some((x) => x === w || x.startsWith(w)))) add(`${label} partly matches`);
  };
  name('Family name', person.familyName);
  name('Given name', person.givenName);
  name('Preferred name', person.preferredName);
  if (person.middleNames) name('Middle name', person.middleNames);
  const contacts = person.contactPoints ?? [];
  const phones = contacts.filter((c) => c.system === 'phone');
  if ((by.phone && phones.some((c) => c.value.replace(/\D/g, '').endsWith(by.phone!)))
    || phones.some((c) => words.every((w) => lower(c.value).includes(w)))) add('Phone number matches');
  if (contacts.some((c) => c.system === 'email' && (lower(c.value) === by.email || words.every((w) => lower(c.value).includes(w))))) add('Email address matches');
  if (by.postcode && person.address?.postcode && person.address.postcode.replace(/\s/g, '').toUpperCase() === by.postcode.replace(/\s/g, '').toUpperCase()) add('Postcode matches');
  for (const a of by.also) {
    if (a.personIds?.includes(person.id) || (person.homeId && a.homeIds?.includes(person.homeId))) add(a.reason);
  }
  if (!reasons.length) add('Name or contact details match');
  return reasons;
}
