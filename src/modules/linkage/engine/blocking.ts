// Blocking: which pairs get compared at all. Each rule gives every record an integer key (or none); records sharing a
// key form a block and every pair inside it is a candidate. A pair is kept only by the first rule that produces it
// (a later rule checks the earlier rules' keys: integer compares, no pair set), so candidates are unique across rules.
// Blocks larger than maxBlockSize are skipped and reported: that is what keeps the work near-linear in the records.
import type { ComparisonName, Prepared } from './compare.ts';

export interface BlockingRule {
  name: string;
  /** Comparisons the rule fixes (left out of that rule's EM session). */
  fields: ComparisonName[];
  /** An integer key (exact in a double), or -1 for no key (the record is not blocked by this rule). */
  key: (p: Prepared, i: number) => number;
}

const year = (p: Prepared, i: number) => (p.dob[i] ? (p.dob[i]! / 10000) | 0 : -1);
const initial = (p: Prepared, i: number) => {
  const g = p.given[i]!;
  return g < 0 ? -1 : p.dicts.given.values[g]!.charCodeAt(0) & 31;
};
const both = (a: number, b: number, mul: number) => (a < 0 || b < 0 ? -1 : a * mul + b);

const mmdd = (p: Prepared, i: number) => (p.dob[i] ? p.dob[i]! % 10000 : -1);
const M22 = 1 << 22;

/** Default rules: specific enough that blocks stay small as the records grow (near-linear work). */
export const DEFAULT_RULES: BlockingRule[] = [
  { name: 'family-phonetic+dob', fields: ['family', 'dateOfBirth'], key: (p, i) => both(p.familyMeta[i]!, p.dob[i]! || -1, 1e8) },
  { name: 'given-phonetic+dob', fields: ['given', 'dateOfBirth'], key: (p, i) => both(p.givenMeta[i]!, p.dob[i]! || -1, 1e8) },
  { name: 'names-phonetic+birth-year', fields: ['family', 'given'], key: (p, i) => both(both(p.familyMeta[i]!, p.givenMeta[i]!, M22), year(p, i), 1e4) },
  { name: 'names-phonetic+birth-day', fields: ['family', 'given'], key: (p, i) => both(both(p.familyMeta[i]!, p.givenMeta[i]!, M22), mmdd(p, i), 1e4) },
  { name: 'postcode+given-initial', fields: ['address', 'given'], key: (p, i) => both(p.postcode[i]!, initial(p, i), 32) },
  { name: 'dob+postcode', fields: ['dateOfBirth', 'address'], key: (p, i) => both(p.dob[i]! || -1, p.postcode[i]!, M22) },
  { name: 'phone', fields: ['phone'], key: (p, i) => p.phone[i]! },
  { name: 'email', fields: ['email'], key: (p, i) => p.email[i]! },
  { name: 'uprn', fields: ['address'], key: (p, i) => p.uprn[i]! },
];

export interface RuleStats {
  name: string;
  blocks: number;
  pairs: number;
  /** Blocks over maxBlockSize, skipped. */
  skippedBlocks: number;
  skippedRecords: number;
  largestSkipped: number;
}

/** One rule's blocks in compressed form: block id per record (-1 none) and members grouped by block. */
export interface RuleBlocks {
  blockOf: Int32Array;
  size: Int32Array;
  start: Int32Array;
  members: Int32Array;
}

export function buildBlocks(p: Prepared, rule: BlockingRule): RuleBlocks {
  const n = p.n;
  const blockOf = new Int32Array(n);
  const ids = new Map<number, number>();
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = rule.key(p, i);
    if (k < 0) {
      blockOf[i] = -1;
      continue;
    }
    let b = ids.get(k);
    if (b === undefined) {
      b = counts.length;
      ids.set(k, b);
      counts.push(0);
    }
    counts[b]!++;
    blockOf[i] = b;
  }
  const nb = counts.length;
  const size = Int32Array.from(counts);
  const start = new Int32Array(nb + 1);
  for (let b = 0; b < nb; b++) start[b + 1] = start[b]! + size[b]!;
  const fill = start.slice(0, nb);
  const members = new Int32Array(start[nb]!);
  for (let i = 0; i < n; i++) {
    const b = blockOf[i]!;
    if (b >= 0) members[fill[b]!++] = i;
  }
  return { blockOf, size, start, members };
}

export interface Candidates {
  count: number;
  a: Uint32Array;
  b: Uint32Array;
  /** Index of the first rule that produced the pair. */
  rule: Uint8Array;
  blocks: RuleBlocks[];
  stats: RuleStats[];
}

export interface BlockingOptions {
  rules?: BlockingRule[];
  maxBlockSize?: number;
  /** Only pairs of records from different source systems (linking files rather than deduplicating). */
  sourceOf?: Int32Array;
}

/** All candidate pairs (a < b), each once. */
export function candidatePairs(p: Prepared, options: BlockingOptions = {}): Candidates {
  const rules = options.rules ?? DEFAULT_RULES;
  const cap = options.maxBlockSize ?? 500;
  const src = options.sourceOf;
  let capacity = Math.max(1024, p.n * 4);
  let A = new Uint32Array(capacity);
  let B = new Uint32Array(capacity);
  let R = new Uint8Array(capacity);
  let count = 0;
  const blocks: RuleBlocks[] = [];
  const stats: RuleStats[] = [];
  for (let r = 0; r < rules.length; r++) {
    const rb = buildBlocks(p, rules[r]!);
    blocks.push(rb);
    const st: RuleStats = { name: rules[r]!.name, blocks: 0, pairs: 0, skippedBlocks: 0, skippedRecords: 0, largestSkipped: 0 };
    stats.push(st);
    const { size, start, members } = rb;
    for (let blk = 0; blk < size.length; blk++) {
      const s = size[blk]!;
      if (s < 2) continue;
      if (s > cap) {
        st.skippedBlocks++;
        st.skippedRecords += s;
        if (s > st.largestSkipped) st.largestSkipped = s;
        continue;
      }
      st.blocks++;
      const lo = start[blk]!;
      const hi = lo + s;
      for (let x = lo; x < hi; x++) {
        const i = members[x]!;
        for (let y = x + 1; y < hi; y++) {
          const j = members[y]!;
          if (src && src[i] === src[j]) continue;
          let seen = false;
          for (let q = 0; q < r; q++) {
            const o = blocks[q]!;
            const bi = o.blockOf[i]!;
            if (bi >= 0 && bi === o.blockOf[j] && o.size[bi]! <= cap) {
              seen = true;
              break;
            }
          }
          if (seen) continue;
          if (count === capacity) {
            capacity *= 2;
            const A2 = new Uint32Array(capacity);
            A2.set(A);
            A = A2;
            const B2 = new Uint32Array(capacity);
            B2.set(B);
            B = B2;
            const R2 = new Uint8Array(capacity);
            R2.set(R);
            R = R2;
          }
          A[count] = i;
          B[count] = j;
          R[count] = r;
          count++;
          st.pairs++;
        }
      }
    }
  }
  return { count, a: A.subarray(0, count), b: B.subarray(0, count), rule: R.subarray(0, count), blocks, stats };
}
