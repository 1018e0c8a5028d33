// The Fellegi–Sunter model: per comparison level an m (P(level | same person)) and a u (P(level | different people)).
// u: random sampling of record pairs (seeded); exact-match u computed exactly from value counts.
// m: expectation maximisation over the blocked candidate pairs, one session per blocking rule with that rule's own
// fields left out (their agreement is forced by the block), u held fixed — as Splink trains. No labels.
// Prior: EM on all candidates with m and u fixed gives the expected number of matches; over all possible pairs
// that is the probability that two random records match.
// Term frequencies: an exact given-name, family-name or date-of-birth match is weighted by log2(m / tf(value)),
// so "smith" = "smith" counts less than "okafor" = "okafor".
import { seededRandom } from '../../../platform/random.ts';
import type { Candidates, BlockingRule, RuleBlocks } from './blocking.ts';
import { BITS, D, G, FIELDS, FIELD_OF, LEVELS, NF, type ComparisonName, type Prepared, type Dict, gamma } from './compare.ts';

export interface ModelLevel {
  id: string;
  m: number;
  u: number;
}

export interface Model {
  version: 1;
  comparisons: { name: ComparisonName; field: string; levels: ModelLevel[] }[];
  /** Probability that two records drawn at random are the same person. */
  lambda: number;
  /** Term frequencies of values seen at least twice (share of non-missing values); others use tfMin. */
  tf: { given: Record<string, number>; family: Record<string, number>; dateOfBirth: Record<string, number> };
  tfMin: { given: number; family: number; dateOfBirth: number };
  /** uSamples: record pairs actually compared to estimate u. */
  training: { records: number; candidatePairs: number; uSamples: number; emSessions: { rule: string; pairs: number; iterations: number; lambda: number }[] };
}

/** Seeded PRNG (mulberry32), shared with the rest of Hearth. */
export const rng = seededRandom;

const LEVEL_COUNTS = FIELDS.map((f) => LEVELS[f].length);

/** Default number of pairs compared for u: 50 per record, at least 20,000, at most 500,000 (and never more than exist). */
export function defaultUSamples(n: number): number {
  return Math.min(500_000, Math.max(20_000, 50 * n));
}

/**
 * u per level from random pairs (levels over non-missing comparisons), exact levels from value counts.
 * When the dataset has no more pairs than `samples`, every pair is compared once instead (exact, and fast on small sets).
 */
export function estimateU(p: Prepared, samples: number, seed: number, sourceOf?: Int32Array): number[][] {
  return sampleU(p, samples, seed, sourceOf).u;
}

/** Number of pairs that can be compared: n(n-1)/2, or pairs across sources when linking. */
export function pairCount(n: number, sourceOf?: Int32Array): number {
  if (!sourceOf) return (n * (n - 1)) / 2;
  const sizes = new Map<number, number>();
  for (const s of sourceOf) sizes.set(s, (sizes.get(s) ?? 0) + 1);
  let sum = 0;
  let sq = 0;
  for (const s of sizes.values()) {
    sum += s;
    sq += s * s;
  }
  return (sum * sum - sq) / 2;
}

/** estimateU, also returning how many pairs were compared. */
export function sampleU(p: Prepared, samples: number, seed: number, sourceOf?: Int32Array): { u: number[][]; compared: number } {
  const counts = LEVEL_COUNTS.map((k) => new Float64Array(k));
  const n = p.n;
  let drawn = 0;
  const add = (i: number, j: number) => {
    drawn++;
    const g = gamma(p, i, j);
    for (let f = 0; f < NF; f++) counts[f]![(g >>> (f * BITS)) & 15]!++;
  };
  if (n >= 2 && pairCount(n, sourceOf) <= samples) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (!sourceOf || sourceOf[i] !== sourceOf[j]) add(i, j);
  } else if (n >= 2) {
    const rand = rng(seed);
    for (let s = 0; s < samples * 3 && drawn < samples; s++) {
      const i = Math.floor(rand() * n);
      const j = Math.floor(rand() * n);
      if (i === j || (sourceOf && sourceOf[i] === sourceOf[j])) continue;
      add(i, j);
    }
  }
  const exactU = (d: Dict) => {
    let tot = 0;
    let same = 0;
    for (const c of d.counts) {
      tot += c;
      same += c * (c - 1);
    }
    return tot > 1 ? Math.max(same / (tot * (tot - 1)), 1 / (tot * tot)) : 0.5;
  };
  const analytic: (number | null)[] = [exactU(p.dicts.given), exactU(p.dicts.family), exactU(p.dicts.dob), null, exactU(p.dicts.phone), exactU(p.dicts.email)];
  const u = counts.map((c, f) => {
    const k = c.length;
    let nonNull = 0;
    for (let l = 1; l < k; l++) nonNull += c[l]!;
    const r = new Array<number>(k).fill(1);
    for (let l = 1; l < k; l++) r[l] = (c[l]! + 0.5) / (nonNull + 0.5 * (k - 1));
    const ex = analytic[f];
    if (ex != null) {
      const rest = 1 - r[1]!;
      r[1] = ex;
      for (let l = 2; l < k; l++) r[l] = (r[l]! / rest) * (1 - ex);
    }
    return r;
  });
  return { u, compared: drawn };
}

/** Distinct γ vectors with their counts. */
export interface Patterns {
  keys: number[];
  counts: number[];
}

function aggregate(gam: Uint32Array, include: (k: number) => boolean): Patterns {
  const map = new Map<number, number>();
  for (let k = 0; k < gam.length; k++) {
    if (!include(k)) continue;
    const g = gam[k]!;
    map.set(g, (map.get(g) ?? 0) + 1);
  }
  return { keys: [...map.keys()], counts: [...map.values()] };
}

export interface EmResult {
  m: number[][];
  lambda: number;
  iterations: number;
}

/**
 * EM over γ patterns for the active comparisons. u fixed; m (unless fixM) and λ estimated.
 */
export function em(pat: Patterns, u: number[][], active: boolean[], m0: number[][], lambda0: number, fixM = false, maxIter = 200): EmResult {
  let m = m0.map((r) => r.slice());
  let lambda = lambda0;
  let it = 0;
  const np = pat.keys.length;
  for (; it < maxIter; it++) {
    const acc = LEVEL_COUNTS.map((k) => new Float64Array(k));
    let sumW = 0;
    let total = 0;
    for (let q = 0; q < np; q++) {
      const g = pat.keys[q]!;
      const c = pat.counts[q]!;
      let lm = Math.log(lambda);
      let lu = Math.log(1 - lambda);
      for (let f = 0; f < NF; f++) {
        if (!active[f]) continue;
        const l = (g >>> (f * BITS)) & 15;
        if (l === 0) continue;
        lm += Math.log(m[f]![l]!);
        lu += Math.log(u[f]![l]!);
      }
      // a pair whose given names and dates of birth both clearly differ is held a non-match (the household rule)
      const gl = g & 15;
      const dl = (g >>> 8) & 15;
      const w = gl === G.else && (dl === D.else || dl === D.year) ? 0 : 1 / (1 + Math.exp(lu - lm));
      sumW += c * w;
      total += c;
      for (let f = 0; f < NF; f++) acc[f]![(g >>> (f * BITS)) & 15]! += c * w;
    }
    const newLambda = Math.min(Math.max(sumW / total, 1e-9), 1 - 1e-9);
    let delta = Math.abs(newLambda - lambda);
    lambda = newLambda;
    if (!fixM) {
      const next = m.map((r) => r.slice());
      for (let f = 0; f < NF; f++) {
        if (!active[f]) continue;
        const a = acc[f]!;
        let s = 0;
        for (let l = 1; l < a.length; l++) s += a[l]!;
        if (s <= 0) continue;
        for (let l = 1; l < a.length; l++) {
          const v = Math.max(a[l]! / s, 1e-6);
          delta = Math.max(delta, Math.abs(v - m[f]![l]!));
          next[f]![l] = v;
        }
      }
      m = next;
    }
    if (delta < 1e-6) break;
  }
  return { m, lambda, iterations: it + 1 };
}

/** A starting m: most matches agree exactly, the rest spread over the fuzzier levels. */
function initialM(): number[][] {
  return LEVEL_COUNTS.map((k) => {
    const r = new Array<number>(k).fill(1);
    const rest = 0.1 / (k - 2);
    for (let l = 1; l < k; l++) r[l] = l === 1 ? 0.9 : rest;
    return r;
  });
}

function tfTable(d: Dict): { table: Record<string, number>; min: number } {
  let tot = 0;
  for (const c of d.counts) tot += c;
  const table: Record<string, number> = {};
  for (let k = 0; k < d.values.length; k++) if (d.counts[k]! >= 2) table[d.values[k]!] = d.counts[k]! / tot;
  return { table, min: tot ? 1 / tot : 1 };
}

export interface TrainOptions {
  uSamples: number;
  seed: number;
  sourceOf?: Int32Array;
  /** Total pairs that could be compared (n(n-1)/2, or |A|·|B| when linking). */
  totalPairs: number;
}

/** Trains m, u and λ without labels. gam: γ of each candidate pair. */
export function train(p: Prepared, cand: Candidates, gam: Uint32Array, rules: BlockingRule[], opts: TrainOptions): Model {
  const { u, compared } = sampleU(p, opts.uSamples, opts.seed, opts.sourceOf);
  const sessions: Model['training']['emSessions'] = [];
  const mSum = LEVEL_COUNTS.map((k) => new Float64Array(k));
  const mN = new Float64Array(NF);
  for (let r = 0; r < rules.length; r++) {
    const rb: RuleBlocks = cand.blocks[r]!;
    // all candidate pairs that satisfy rule r (whichever rule produced them)
    const pat = aggregate(gam, (k) => {
      const bi = rb.blockOf[cand.a[k]!]!;
      return bi >= 0 && bi === rb.blockOf[cand.b[k]!];
    });
    const pairs = pat.counts.reduce((s, c) => s + c, 0);
    if (pairs < 50) continue;
    const active = FIELDS.map((f) => !rules[r]!.fields.includes(f));
    const res = em(pat, u, active, initialM(), 0.3);
    sessions.push({ rule: rules[r]!.name, pairs, iterations: res.iterations, lambda: res.lambda });
    for (let f = 0; f < NF; f++) {
      if (!active[f]) continue;
      for (let l = 1; l < LEVEL_COUNTS[f]!; l++) mSum[f]![l]! += res.m[f]![l]!;
      mN[f]!++;
    }
  }
  const fallback = initialM();
  const m = LEVEL_COUNTS.map((k, f) => {
    const r = new Array<number>(k).fill(1);
    for (let l = 1; l < k; l++) r[l] = mN[f]! > 0 ? mSum[f]![l]! / mN[f]! : fallback[f]![l]!;
    return r;
  });
  // λ: expected matches among all candidates (m, u fixed), spread over all possible pairs
  const all = aggregate(gam, () => true);
  const lres = em(all, u, FIELDS.map(() => true), m, 0.1, true);
  const expected = lres.lambda * cand.count;
  const lambda = Math.min(Math.max(expected / Math.max(opts.totalPairs, 1), 1e-12), 0.5);
  const tg = tfTable(p.dicts.given);
  const tfa = tfTable(p.dicts.family);
  const td = tfTable(p.dicts.dob);
  return {
    version: 1,
    comparisons: FIELDS.map((name, f) => ({
      name, field: FIELD_OF[name],
      levels: LEVELS[name].map((id, l) => ({ id, m: l === 0 ? 1 : m[f]![l]!, u: l === 0 ? 1 : u[f]![l]! })),
    })),
    lambda,
    tf: { given: tg.table, family: tfa.table, dateOfBirth: td.table },
    tfMin: { given: tg.min, family: tfa.min, dateOfBirth: td.min },
    training: { records: p.n, candidatePairs: cand.count, uSamples: compared, emSessions: sessions },
  };
}

/** Per comparison and level, log2(m/u) as a flat table [f * 16 + level]. */
export function weightTable(model: Model): Float64Array {
  const w = new Float64Array(NF * 16);
  model.comparisons.forEach((c, f) => c.levels.forEach((l, k) => (w[f * 16 + k] = k === 0 ? 0 : Math.log2(l.m / l.u))));
  return w;
}

export function priorWeight(model: Model): number {
  return Math.log2(model.lambda / (1 - model.lambda));
}

export function probability(weight: number): number {
  return 1 / (1 + Math.pow(2, -weight));
}

/** Term-frequency adjustment per dictionary id for a field with an exact level: log2(u_exact / tf(value)). */
export function tfAdjustments(model: Model, f: 0 | 1 | 2, dict: Dict, keyOf: (v: string) => string = (v) => v): Float32Array {
  const name = (['given', 'family', 'dateOfBirth'] as const)[f];
  const table = model.tf[name];
  const min = model.tfMin[name];
  const uExact = model.comparisons[f]!.levels[1]!.u;
  const out = new Float32Array(dict.values.length);
  for (let k = 0; k < dict.values.length; k++) {
    const tf = Math.max(table[keyOf(dict.values[k]!)] ?? min, min);
    out[k] = Math.log2(uExact / tf);
  }
  return out;
}
