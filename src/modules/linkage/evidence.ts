// What a pair's comparisons say, in plain English for staff ("Same date of birth", "Different postcode", "Both have no
// address"), from each comparison's field and level: the engine's labels (with the normalised values) and weights stay
// behind the "How the score was worked out" details.
import type { FieldComparison, PersonRecord } from './types.ts';

export type EvidenceSide = 'for' | 'against' | 'unknown';
export interface Evidence { text: string; side: EvidenceSide }

type Part = 'given' | 'family' | 'dateOfBirth' | 'address' | 'phone' | 'email';

const WHAT: Record<Part, string> = {
  given: 'given name', family: 'family name', dateOfBirth: 'date of birth', address: 'address', phone: 'phone number', email: 'email address',
};

const SAID: Record<Part, Record<string, string>> = {
  given: {
    exact: 'Same given name', nickname: 'Given names are forms of the same name (such as Bob and Robert)',
    'jaro-winkler-0.92': 'Given names are spelt almost the same', phonetic: 'Given names sound the same',
    'jaro-winkler-0.80': 'Given names are a little alike', initial: 'Given names start with the same letter',
    swapped: 'Given and family names are the other way round', else: 'Different given name',
  },
  family: {
    exact: 'Same family name', 'jaro-winkler-0.92': 'Family names are spelt almost the same', phonetic: 'Family names sound the same',
    part: 'One family name is part of the other (double-barrelled)', 'jaro-winkler-0.80': 'Family names are a little alike', else: 'Different family name',
  },
  dateOfBirth: {
    exact: 'Same date of birth', transposed: 'Dates of birth have the day and month the other way round',
    'one-digit': 'Dates of birth differ by one digit', year: 'Born in the same year, on different dates', else: 'Different date of birth',
  },
  address: {
    uprn: 'Same property', exact: 'Same address', similar: 'Addresses are almost the same',
    postcode: 'Different address in the same postcode', district: 'Different postcode in the same area', else: 'Different postcode',
  },
  phone: { exact: 'Same phone number', 'one-digit': 'Phone numbers differ by one digit', else: 'Different phone number' },
  email: { exact: 'Same email address', similar: 'Email addresses are almost the same', else: 'Different email address' },
};

const partOf = (c: FieldComparison): Part => (c.field === 'name' ? (c.comparison === 'family' ? 'family' : 'given') : c.field);

/** Whether a record has the field linkage compared (its home's address counts as an address). */
function has(r: PersonRecord | null, part: Part): boolean {
  if (!r) return false;
  switch (part) {
    case 'given': return !!r.givenName;
    case 'family': return !!r.familyName;
    case 'dateOfBirth': return !!r.dateOfBirth;
    case 'address': return !!(r.uprn || r.postcode || r.address);
    case 'phone': return !!r.phone;
    case 'email': return !!r.email;
  }
}

/**
 * One comparison in plain words, and which way it points. `a` and `b`: the two records as linkage compared them (to
 * tell "Both have no address" from "Address missing for one record"); without them, the stored label decides.
 */
export function evidenceFor(c: FieldComparison, a: PersonRecord | null, b: PersonRecord | null): Evidence {
  const part = partOf(c);
  if (c.level === 'null') {
    const both = a && b ? !has(a, part) && !has(b, part) : /^Both/.test(c.label);
    return { text: both ? `Both have no ${WHAT[part]}` : `${WHAT[part][0]!.toUpperCase()}${WHAT[part].slice(1)} missing for one record`, side: 'unknown' };
  }
  const text = SAID[part][c.level] ?? SAID[part].else!;
  return { text, side: c.weight > 0 ? 'for' : c.weight < 0 ? 'against' : 'unknown' };
}

/** Every comparison of a pair in plain words, grouped: what points to one person, to different people, and what can't be told. */
export function evidence(comparisons: FieldComparison[], a: PersonRecord | null, b: PersonRecord | null): Record<EvidenceSide, string[]> {
  const out: Record<EvidenceSide, string[]> = { for: [], against: [], unknown: [] };
  for (const c of comparisons) { const e = evidenceFor(c, a, b); out[e.side].push(e.text); }
  return out;
}
