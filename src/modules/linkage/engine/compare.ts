// Field normalisation and comparison levels for people (the γ of the Fellegi–Sunter model).
// Phonetics: `double-metaphone` (wooorm; maintained, no dependencies). Jaro–Winkler: a small implementation here —
// the npm packages checked were either unmaintained (jaro-winkler 0.2.8), pulled in large dependency trees (natural,
// talisman) or wrong (@skyra/jaro-winkler 1.1.1 gives a prefix bonus of 5 instead of at most 4, so
// jw("robertson","robertsen") = 0.963, not 0.956) and allocated per call; this one reuses its buffers.
// Records are prepared once into integer-indexed columns (interned strings, phonetic codes, dates as yyyymmdd ints);
// comparing two records is then integer work, with Jaro–Winkler only when the cheap levels fail.
import { doubleMetaphone } from 'double-metaphone';
import type { FieldComparison, PersonRecord } from '../types.ts';
import { NICKNAMES } from './nicknames.ts';

// ---------- Jaro–Winkler ----------
let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

/** Jaro similarity in [0, 1]. */
export function jaro(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return la === lb ? 1 : 0;
  if (a === b) return 1;
  if (la > flagsA.length) flagsA = new Uint8Array(la * 2);
  if (lb > flagsB.length) flagsB = new Uint8Array(lb * 2);
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    const lo = i > window ? i - window : 0;
    const hi = Math.min(i + window + 1, lb);
    for (let j = lo; j < hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let t = 0;
  for (let i = 0, j = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) t++;
    j++;
  }
  return (matches / la + matches / lb + (matches - t / 2) / matches) / 3;
}

/** Jaro–Winkler (Winkler 1990): the Jaro score boosted by up to 4 common leading characters (p = 0.1), when Jaro > 0.7. */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j <= 0.7) return j;
  const max = Math.min(4, a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return j + p * 0.1 * (1 - j);
}

// ---------- normalisation ----------
const TITLES = new Set(['mr', 'mrs', 'miss', 'ms', 'mx', 'dr', 'prof', 'rev', 'sir', 'dame', 'lady', 'lord', 'master']);

/** Lower case, accents removed, apostrophes dropped (O'Brien → obrien), hyphens and other separators to one space. */
/** True when s is only ASCII letters (the usual name: no accents, separators or titles to deal with). */
function plainLetters(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k) | 32;
    if (c < 97 || c > 122) return false;
  }
  return true;
}

export function normaliseName(s: string | null | undefined): string {
  if (!s) return '';
  if (plainLetters(s)) return s.toLowerCase();
  let t = s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  t = t.replace(/['’`]/g, '').replace(/[^a-z]+/g, ' ').trim();
  if (t.indexOf(' ') > 0) {
    const words = t.split(' ');
    while (words.length > 1 && TITLES.has(words[0]!)) words.shift();
    t = words.join(' ');
  }
  return t;
}

/** True when s is lower-case ASCII letters and digits in words separated by single spaces (already normal). */
function plainAddress(s: string): boolean {
  const n = s.length;
  if (n === 0 || s.charCodeAt(0) === 32 || s.charCodeAt(n - 1) === 32) return false;
  let prevSpace = false;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c === 32) {
      if (prevSpace) return false;
      prevSpace = true;
    } else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) prevSpace = false;
    else return false;
  }
  return true;
}

export function normaliseAddress(s: string | null | undefined): string {
  if (!s) return '';
  if (plainAddress(s)) return s;
  const lower = s.toLowerCase();
  if (plainAddress(lower)) return lower;
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’`]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

export function normalisePostcode(s: string | null | undefined): string {
  if (!s) return '';
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** The outward code of a UK postcode ("LS61AA" → "LS6"); '' when it does not look like a UK postcode. */
export function postcodeOutward(pc: string): string {
  return pc.length >= 5 && /[A-Z]/.test(pc[0]!) ? pc.slice(0, pc.length - 3) : '';
}

/** ISO (or yyyymmdd, or dd/mm/yyyy) date → yyyymmdd as an integer; 0 when missing or unreadable. */
const digitAt = (s: string, k: number) => {
  const c = s.charCodeAt(k) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

export function dobToInt(s: string | null | undefined): number {
  if (!s) return 0;
  // fast path: yyyy-mm-dd
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    let v = 0;
    let ok = true;
    for (const k of [0, 1, 2, 3, 5, 6, 8, 9]) {
      const d = digitAt(s, k);
      if (d < 0) {
        ok = false;
        break;
      }
      v = v * 10 + d;
    }
    if (ok) return v;
  }
  let m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(s.trim());
  if (m) return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s.trim());
  if (m) return Number(m[3]) * 10000 + Number(m[2]) * 100 + Number(m[1]);
  return 0;
}

export function normalisePhone(s: string | null | undefined): string {
  if (!s) return '';
  let d = s.replace(/\D/g, '');
  if (d.startsWith('44')) d = '0' + d.slice(2);
  return d;
}

export function normaliseEmail(s: string | null | undefined): string {
  return s ? s.trim().toLowerCase() : '';
}

/** Primary double-metaphone code of the first word ('' when none). */
export function phonetic(name: string): string {
  if (!name) return '';
  const sp = name.indexOf(' ');
  return doubleMetaphone(sp > 0 ? name.slice(0, sp) : name)[0];
}

// ---------- prepared columns ----------
/** An interning dictionary: string → small integer, with the strings and their counts (for term frequencies). */
export class Dict {
  map = new Map<string, number>();
  values: string[] = [];
  counts: number[] = [];
  id(s: string): number {
    if (!s) return -1;
    let i = this.map.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.map.set(s, i);
      this.values.push(s);
      this.counts.push(0);
    }
    this.counts[i]!++;
    return i;
  }
}

/** Records as integer columns (struct of arrays); -1 / 0 = missing. */
export interface Prepared {
  n: number;
  ids: string[];
  given: Int32Array;
  givenMeta: Int32Array;
  family: Int32Array;
  familyMeta: Int32Array;
  dob: Int32Array;
  dobId: Int32Array;
  address: Int32Array;
  postcode: Int32Array;
  outward: Int32Array;
  uprn: Int32Array;
  phone: Int32Array;
  email: Int32Array;
  dicts: {
    given: Dict; family: Dict; meta: Dict; address: Dict; postcode: Dict; uprn: Dict; phone: Dict; email: Dict; dob: Dict;
  };
  /** Per given-name dictionary id: the formal-name ids (in dicts.given) it may stand for, or null. */
  givenFormal: (Int32Array | null)[];
}

export function prepare(records: readonly PersonRecord[]): Prepared {
  const n = records.length;
  const dicts = {
    given: new Dict(), family: new Dict(), meta: new Dict(), address: new Dict(), postcode: new Dict(), uprn: new Dict(),
    phone: new Dict(), email: new Dict(), dob: new Dict(),
  };
  const p: Prepared = {
    n, ids: new Array<string>(n), given: new Int32Array(n), givenMeta: new Int32Array(n), family: new Int32Array(n),
    familyMeta: new Int32Array(n), dob: new Int32Array(n), dobId: new Int32Array(n), address: new Int32Array(n), postcode: new Int32Array(n),
    outward: new Int32Array(n), uprn: new Int32Array(n), phone: new Int32Array(n), email: new Int32Array(n), dicts,
    givenFormal: [],
  };
  // names, addresses, postcodes and dates repeat a lot: each distinct raw value is normalised once
  const metaOf = new Map<number, number>(); // name dict id → phonetic dict id
  const meta = (d: Dict, id: number) => {
    if (id < 0) return -1;
    const key = d === dicts.given ? id : -2 - id;
    let m = metaOf.get(key);
    if (m === undefined) {
      const code = phonetic(d.values[id]!);
      m = dicts.meta.map.get(code) ?? dicts.meta.id(code);
      metaOf.set(key, m);
    }
    return m;
  };
  const interned = (d: Dict, norm: (s: string) => string) => {
    const cache = new Map<string, number>();
    return (raw: string | null | undefined): number => {
      if (!raw) return -1;
      let id = cache.get(raw);
      if (id === undefined) {
        id = d.id(norm(raw));
        cache.set(raw, id);
      } else if (id >= 0) d.counts[id]!++;
      return id;
    };
  };
  const givenId = interned(dicts.given, normaliseName);
  const familyId = interned(dicts.family, normaliseName);
  const addressId = interned(dicts.address, normaliseAddress);
  // phones, emails and UPRNs are nearly unique and cheap to normalise: a cache would only add a map lookup
  const phoneId = (s: string | null | undefined) => dicts.phone.id(normalisePhone(s));
  const emailId = (s: string | null | undefined) => dicts.email.id(normaliseEmail(s));
  const uprnId = (s: string) => dicts.uprn.id(s.trim());
  const pcCache = new Map<string, number>();
  const dobCache = new Map<string, number>();
  const dobIdOf = new Map<number, number>();
  const outwardOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    p.ids[i] = r.id;
    const g = givenId(r.givenName);
    p.given[i] = g;
    p.givenMeta[i] = meta(dicts.given, g);
    const f = familyId(r.familyName);
    p.family[i] = f;
    p.familyMeta[i] = meta(dicts.family, f);
    let d = 0;
    if (r.dateOfBirth) {
      const cached = dobCache.get(r.dateOfBirth);
      if (cached === undefined) dobCache.set(r.dateOfBirth, (d = dobToInt(r.dateOfBirth)));
      else d = cached;
    }
    p.dob[i] = d;
    let di = -1;
    if (d) {
      const cached = dobIdOf.get(d);
      if (cached === undefined) dobIdOf.set(d, (di = dicts.dob.id(String(d))));
      else dicts.dob.counts[(di = cached)]!++;
    }
    p.dobId[i] = di;
    p.address[i] = addressId(r.address);
    let pc = -1;
    if (r.postcode) {
      const cached = pcCache.get(r.postcode);
      if (cached === undefined) pcCache.set(r.postcode, (pc = dicts.postcode.id(normalisePostcode(r.postcode))));
      else if ((pc = cached) >= 0) dicts.postcode.counts[pc]!++;
    }
    p.postcode[i] = pc;
    let out = -1;
    if (pc >= 0) {
      const cached = outwardOf.get(pc);
      if (cached === undefined) {
        const o = postcodeOutward(dicts.postcode.values[pc]!);
        out = o ? dicts.postcode.id('~' + o) : -1;
        outwardOf.set(pc, out);
      } else if ((out = cached) >= 0) dicts.postcode.counts[out]!++;
    }
    p.outward[i] = out;
    p.uprn[i] = r.uprn ? uprnId(String(r.uprn)) : -1;
    p.phone[i] = phoneId(r.phone);
    p.email[i] = emailId(r.email);
  }
  // nickname groups per distinct given name (first word)
  const formalIds = new Map<string, number>();
  let nextFormal = 0;
  p.givenFormal = dicts.given.values.map((g) => {
    const sp = g.indexOf(' ');
    const first = sp > 0 ? g.slice(0, sp) : g;
    const fs = NICKNAMES.get(first);
    if (!fs) return null;
    return Int32Array.from(fs, (x) => {
      let id = formalIds.get(x);
      if (id === undefined) formalIds.set(x, (id = nextFormal++));
      return id;
    });
  });
  return p;
}

// ---------- comparison levels ----------
export const FIELDS = ['given', 'family', 'dateOfBirth', 'address', 'phone', 'email'] as const;
export type ComparisonName = (typeof FIELDS)[number];
export const FIELD_OF: Record<ComparisonName, FieldComparison['field']> = {
  given: 'name', family: 'name', dateOfBirth: 'dateOfBirth', address: 'address', phone: 'phone', email: 'email',
};

/** Level ids per comparison; index 0 is always 'null' (either side missing: weight 0). */
export const LEVELS: Record<ComparisonName, readonly string[]> = {
  given: ['null', 'exact', 'nickname', 'jaro-winkler-0.92', 'phonetic', 'jaro-winkler-0.80', 'initial', 'swapped', 'else'],
  family: ['null', 'exact', 'swapped', 'jaro-winkler-0.92', 'phonetic', 'part', 'jaro-winkler-0.80', 'else'],
  dateOfBirth: ['null', 'exact', 'transposed', 'one-digit', 'year', 'else'],
  address: ['null', 'uprn', 'exact', 'similar', 'postcode', 'district', 'else'],
  phone: ['null', 'exact', 'one-digit', 'else'],
  email: ['null', 'exact', 'similar', 'else'],
};
export const G = { null: 0, exact: 1, nickname: 2, jw92: 3, phonetic: 4, jw80: 5, initial: 6, swapped: 7, else: 8 } as const;
export const F = { null: 0, exact: 1, swapped: 2, jw92: 3, phonetic: 4, part: 5, jw80: 6, else: 7 } as const;
export const D = { null: 0, exact: 1, transposed: 2, oneDigit: 3, year: 4, else: 5 } as const;
export const A = { null: 0, uprn: 1, exact: 2, similar: 3, postcode: 4, district: 5, else: 6 } as const;
export const P = { null: 0, exact: 1, oneDigit: 2, else: 3 } as const;
export const E = { null: 0, exact: 1, similar: 2, else: 3 } as const;

/** Bits per comparison in a packed γ vector (6 comparisons × 4 bits). */
export const BITS = 4;
export const NF = FIELDS.length;

function nicknameMatch(p: Prepared, ga: number, gb: number): boolean {
  const fa = p.givenFormal[ga];
  const fb = p.givenFormal[gb];
  if (!fa || !fb) return false;
  for (let i = 0; i < fa.length; i++) for (let j = 0; j < fb.length; j++) if (fa[i] === fb[j]) return true;
  return false;
}

function firstWord(s: string): string {
  const sp = s.indexOf(' ');
  return sp > 0 ? s.slice(0, sp) : s;
}

export function compareGiven(p: Prepared, i: number, j: number, swapped: boolean): number {
  const a = p.given[i]!;
  const b = p.given[j]!;
  if (a < 0 || b < 0) return swapped ? G.swapped : G.null;
  if (a === b) return G.exact;
  if (swapped) return G.swapped;
  if (nicknameMatch(p, a, b)) return G.nickname;
  const sa = p.dicts.given.values[a]!;
  const sb = p.dicts.given.values[b]!;
  const fa = firstWord(sa);
  const fb = firstWord(sb);
  if (fa === fb) return G.jw92; // same first given name, different middle names
  const jw = jaroWinkler(sa, sb);
  if (jw >= 0.92) return G.jw92;
  if (p.givenMeta[i] === p.givenMeta[j]) return G.phonetic;
  if (jw >= 0.8) return G.jw80;
  if ((fa.length === 1 || fb.length === 1) && fa.charCodeAt(0) === fb.charCodeAt(0)) return G.initial;
  return G.else;
}

/** Given and family names swapped between the records (exact, or both Jaro–Winkler ≥ 0.92). */
export function isSwapped(p: Prepared, i: number, j: number): boolean {
  const ga = p.given[i]!;
  const fa = p.family[i]!;
  const gb = p.given[j]!;
  const fb = p.family[j]!;
  if (ga < 0 || fa < 0 || gb < 0 || fb < 0 || ga === gb || fa === fb) return false;
  const sga = p.dicts.given.values[ga]!;
  const sfa = p.dicts.family.values[fa]!;
  const sgb = p.dicts.given.values[gb]!;
  const sfb = p.dicts.family.values[fb]!;
  if (sga === sfb && sfa === sgb) return true;
  if (sga.charCodeAt(0) !== sfb.charCodeAt(0) && sfa.charCodeAt(0) !== sgb.charCodeAt(0)) return false;
  return jaroWinkler(sga, sfb) >= 0.92 && jaroWinkler(sfa, sgb) >= 0.92;
}

function hasWord(long: string, word: string): boolean {
  const k = long.indexOf(word);
  if (k < 0) return false;
  const end = k + word.length;
  return (k === 0 || long.charCodeAt(k - 1) === 32) && (end === long.length || long.charCodeAt(end) === 32);
}

export function compareFamily(p: Prepared, i: number, j: number, swapped: boolean): number {
  const a = p.family[i]!;
  const b = p.family[j]!;
  if (a < 0 || b < 0) return swapped ? F.swapped : F.null;
  if (a === b) return F.exact;
  if (swapped) return F.swapped;
  const sa = p.dicts.family.values[a]!;
  const sb = p.dicts.family.values[b]!;
  const jw = jaroWinkler(sa, sb);
  if (jw >= 0.92) return F.jw92;
  if (p.familyMeta[i] === p.familyMeta[j]) return F.phonetic;
  if (sa.length > sb.length ? hasWord(sa, sb) : hasWord(sb, sa)) return F.part;
  if (jw >= 0.8) return F.jw80;
  return F.else;
}

/** Two strings of equal length differing in one character, or in one adjacent transposition. */
export function oneEdit(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let first = -1;
  let diffs = 0;
  for (let k = 0; k < a.length; k++) {
    if (a.charCodeAt(k) !== b.charCodeAt(k)) {
      if (++diffs > 2) return false;
      if (first < 0) first = k;
    }
  }
  if (diffs <= 1) return true;
  return a.charCodeAt(first) === b.charCodeAt(first + 1) && a.charCodeAt(first + 1) === b.charCodeAt(first) && first + 1 < a.length;
}

const DX = new Int8Array(8);
const DY = new Int8Array(8);
function digitsOneEdit(x: number, y: number): boolean {
  // yyyymmdd ints: compare the 8 decimal digits (one changed, or two adjacent swapped)
  let diffs = 0;
  let first = -1;
  for (let k = 0; k < 8; k++) {
    const a = x % 10;
    const b = y % 10;
    DX[k] = a;
    DY[k] = b;
    if (a !== b) {
      diffs++;
      if (first < 0) first = k;
    }
    x = (x - a) / 10;
    y = (y - b) / 10;
  }
  if (diffs <= 1) return true;
  if (diffs !== 2 || first >= 7) return false;
  return DX[first] === DY[first + 1] && DX[first + 1] === DY[first];
}

export function compareDob(p: Prepared, i: number, j: number): number {
  const a = p.dob[i]!;
  const b = p.dob[j]!;
  if (a === 0 || b === 0) return D.null;
  if (a === b) return D.exact;
  const ya = (a / 10000) | 0;
  const yb = (b / 10000) | 0;
  const ma = ((a / 100) | 0) % 100;
  const mb = ((b / 100) | 0) % 100;
  const da = a % 100;
  const db = b % 100;
  if (ya === yb && ma === db && da === mb) return D.transposed;
  if (digitsOneEdit(a, b)) return D.oneDigit;
  if (ya === yb) return D.year;
  return D.else;
}

export function compareAddress(p: Prepared, i: number, j: number): number {
  const ua = p.uprn[i]!;
  const ub = p.uprn[j]!;
  if (ua >= 0 && ua === ub) return A.uprn;
  const aa = p.address[i]!;
  const ab = p.address[j]!;
  const pa = p.postcode[i]!;
  const pb = p.postcode[j]!;
  if ((aa < 0 || ab < 0) && (pa < 0 || pb < 0)) return ua >= 0 && ub >= 0 ? A.else : A.null;
  const samePc = pa >= 0 && pa === pb;
  const pcOk = samePc || pa < 0 || pb < 0;
  if (aa >= 0 && ab >= 0) {
    if (aa === ab && pcOk) return A.exact;
    const sa = p.dicts.address.values[aa]!;
    const sb = p.dicts.address.values[ab]!;
    // the house number (first token when numeric) must agree for a fuzzy address match
    if ((pcOk || aa === ab) && sa.charCodeAt(0) === sb.charCodeAt(0) && jaroWinkler(sa, sb) >= 0.9) return A.similar;
    if (!pcOk && aa !== ab && sa.charCodeAt(0) === sb.charCodeAt(0) && jaroWinkler(sa, sb) >= 0.95) return A.similar;
  }
  if (samePc) return A.postcode;
  const oa = p.outward[i]!;
  if (oa >= 0 && oa === p.outward[j]) return A.district;
  return A.else;
}

export function comparePhone(p: Prepared, i: number, j: number): number {
  const a = p.phone[i]!;
  const b = p.phone[j]!;
  if (a < 0 || b < 0) return P.null;
  if (a === b) return P.exact;
  if (oneEdit(p.dicts.phone.values[a]!, p.dicts.phone.values[b]!)) return P.oneDigit;
  return P.else;
}

export function compareEmail(p: Prepared, i: number, j: number): number {
  const a = p.email[i]!;
  const b = p.email[j]!;
  if (a < 0 || b < 0) return E.null;
  if (a === b) return E.exact;
  const sa = p.dicts.email.values[a]!;
  const sb = p.dicts.email.values[b]!;
  const ka = sa.indexOf('@');
  const kb = sb.indexOf('@');
  if (ka > 0 && ka === kb && sa.slice(0, ka) === sb.slice(0, kb)) return E.similar;
  if (sa.charCodeAt(0) === sb.charCodeAt(0) && jaroWinkler(sa, sb) >= 0.92) return E.similar;
  return E.else;
}

/** The packed γ vector of a pair: 4 bits per comparison, in FIELDS order. */
export function gamma(p: Prepared, i: number, j: number): number {
  const sw = isSwapped(p, i, j);
  return (
    compareGiven(p, i, j, sw) |
    (compareFamily(p, i, j, sw) << 4) |
    (compareDob(p, i, j) << 8) |
    (compareAddress(p, i, j) << 12) |
    (comparePhone(p, i, j) << 16) |
    (compareEmail(p, i, j) << 20)
  );
}

export function levelOf(g: number, f: number): number {
  return (g >>> (f * BITS)) & 15;
}

/** Plain-English label for one comparison of a pair. */
export function labelFor(p: Prepared, i: number, j: number, field: ComparisonName, level: string): string {
  const q = (s: string | undefined) => (s === undefined ? 'missing' : `“${s}”`);
  // Both sides missing is not one side missing: "Both records have no address" / "Address missing for one record".
  const missing = (what: string, a: string, b: string) => (a === 'missing' && b === 'missing' ? `Both records have no ${what}` : `${what[0]!.toUpperCase()}${what.slice(1)} missing for one record`);
  const g = (k: number) => (p.given[k]! >= 0 ? p.dicts.given.values[p.given[k]!] : undefined);
  const f = (k: number) => (p.family[k]! >= 0 ? p.dicts.family.values[p.family[k]!] : undefined);
  const dob = (k: number) => {
    const d = p.dob[k]!;
    return d ? `${String(d).slice(0, 4)}-${String(d).slice(4, 6)}-${String(d).slice(6, 8)}` : undefined;
  };
  const addr = (k: number) => {
    const a = p.address[k]! >= 0 ? p.dicts.address.values[p.address[k]!] : '';
    const pc = p.postcode[k]! >= 0 ? p.dicts.postcode.values[p.postcode[k]!] : '';
    return [a, pc].filter(Boolean).join(', ') || undefined;
  };
  const val = (d: Dict, col: Int32Array, k: number) => (col[k]! >= 0 ? d.values[col[k]!] : undefined);
  switch (field) {
    case 'given': {
      const [a, b] = [q(g(i)), q(g(j))];
      switch (level) {
        case 'null': return missing('given name', a, b);
        case 'exact': return `Given names ${a} are the same`;
        case 'nickname': return `Given names ${a} and ${b} are the same name (nickname)`;
        case 'jaro-winkler-0.92': return `Given names ${a} and ${b} are very similar (a typo?)`;
        case 'phonetic': return `Given names ${a} and ${b} sound alike`;
        case 'jaro-winkler-0.80': return `Given names ${a} and ${b} are somewhat similar`;
        case 'initial': return `Given names ${a} and ${b} share an initial`;
        case 'swapped': return `Given and family names are swapped (${a} ${q(f(i))} / ${b} ${q(f(j))})`;
        default: return `Given names ${a} and ${b} are different`;
      }
    }
    case 'family': {
      const [a, b] = [q(f(i)), q(f(j))];
      switch (level) {
        case 'null': return missing('family name', a, b);
        case 'exact': return `Family names ${a} are the same`;
        case 'swapped': return 'Family name appears as the given name on the other record';
        case 'jaro-winkler-0.92': return `Family names ${a} and ${b} are very similar (a typo?)`;
        case 'phonetic': return `Family names ${a} and ${b} sound alike`;
        case 'part': return `Family name ${a} is part of ${b} (double-barrelled?)`;
        case 'jaro-winkler-0.80': return `Family names ${a} and ${b} are somewhat similar`;
        default: return `Family names ${a} and ${b} are different`;
      }
    }
    case 'dateOfBirth': {
      const [a, b] = [q(dob(i)), q(dob(j))];
      switch (level) {
        case 'null': return missing('date of birth', a, b);
        case 'exact': return `Dates of birth ${a} are the same`;
        case 'transposed': return `Dates of birth ${a} and ${b} have day and month swapped`;
        case 'one-digit': return `Dates of birth ${a} and ${b} differ by one digit`;
        case 'year': return `Dates of birth ${a} and ${b} share only the year`;
        default: return `Dates of birth ${a} and ${b} are different`;
      }
    }
    case 'address': {
      const [a, b] = [q(addr(i)), q(addr(j))];
      switch (level) {
        case 'null': return missing('address', a, b);
        case 'uprn': return `Same property (UPRN ${val(p.dicts.uprn, p.uprn, i)})`;
        case 'exact': return `Addresses ${a} are the same`;
        case 'similar': return `Addresses ${a} and ${b} are very similar`;
        case 'postcode': return `Different addresses in the same postcode (${a} / ${b})`;
        case 'district': return `Different addresses in the same postcode district (${a} / ${b})`;
        default: return `Addresses ${a} and ${b} are different`;
      }
    }
    case 'phone': {
      const [a, b] = [q(val(p.dicts.phone, p.phone, i)), q(val(p.dicts.phone, p.phone, j))];
      switch (level) {
        case 'null': return missing('phone number', a, b);
        case 'exact': return `Phone numbers ${a} are the same`;
        case 'one-digit': return `Phone numbers ${a} and ${b} differ by one digit`;
        default: return `Phone numbers ${a} and ${b} are different`;
      }
    }
    case 'email': {
      const [a, b] = [q(val(p.dicts.email, p.email, i)), q(val(p.dicts.email, p.email, j))];
      switch (level) {
        case 'null': return missing('email address', a, b);
        case 'exact': return `Email addresses ${a} are the same`;
        case 'similar': return `Email addresses ${a} and ${b} are very similar`;
        default: return `Email addresses ${a} and ${b} are different`;
      }
    }
  }
}
