// linkPeople: prepare → block → compare → train (u sampling + EM) → score (with term frequencies) → cluster.
// Pure: records in, model + pairs + clusters out. Hot loops run on typed arrays indexed by record number.
import type { FieldComparison, PairDecision, PersonRecord, ScoredPair } from '../types.ts';
import { DEFAULT_RULES, candidatePairs, type BlockingRule, type RuleStats } from './blocking.ts';
import { cluster } from './cluster.ts';
import {
  BITS, D, E, FIELDS, FIELD_OF, G, LEVELS, NF, P, compareDob, compareEmail, compareGiven, comparePhone, gamma, isSwapped, labelFor, prepare, type Prepared,
} from './compare.ts';
import { defaultUSamples, pairCount, priorWeight, probability, tfAdjustments, train, weightTable, type Model } from './model.ts';

export type { Model } from './model.ts';
export type { BlockingRule } from './blocking.ts';

export interface LinkOptions {
  /** 'dedupe' compares every record with every other; 'link' only records from different source systems. */
  mode?: 'dedupe' | 'link';
  /** Match probability at or above which pairs link automatically (default 0.99). */
  matchThreshold?: number;
  /** Match probability at or above which pairs are kept and, below the match threshold, go to review (default 0.5). */
  reviewThreshold?: number;
  decisions?: PairDecision[];
  /** A trained model to use as is (no training). */
  model?: Model;
  rules?: BlockingRule[];
  maxBlockSize?: number;
  /**
   * Random pairs for u (default 50 per record, at least 20,000, at most 500,000). When the dataset has no more pairs than
   * this, every pair is compared instead.
   */
  uSamples?: number;
  seed?: number;
}

export interface LinkStats {
  records: number;
  candidatePairs: number;
  perRule: RuleStats[];
  /** Milliseconds per stage. */
  timings: Record<'prepare' | 'blocking' | 'comparisons' | 'training' | 'scoring' | 'clustering' | 'output' | 'total', number>;
  pairsAboveReview: number;
  pairsAboveMatch: number;
  /** Pairs above the match threshold never linked because the two records contradict (household members). */
  contradicted: number;
  /** Pairs above the match threshold whose merge was refused (a third record, a decision): sent to review. */
  refused: number;
  clusters: number;
}

export interface LinkResult {
  model: Model;
  /** Scored pairs at or above the review threshold, strongest first (comparisons computed on first access). */
  pairs: ScoredPair[];
  /** Every record's cluster (singletons included), as record ids. */
  clusters: string[][];
  review: ScoredPair[];
  stats: LinkStats;
}

const logit = (p: number) => Math.log2(p / (1 - p));

/**
 * The weight a pair whose dates of birth clearly differ is capped at (probability 0.985): below the default match
 * threshold (0.99), so such a pair goes to review at most, wherever it is scored (full run, new records, explain).
 */
export const DOB_CONFLICT_CAP = logit(0.985);

/** A UK landline (01, 02, 03): shared by a household, so it does not tell two people of one name apart. */
const landline = (p: Prepared, i: number) => {
  const k = p.phone[i]!;
  return k >= 0 && /^0[123]/.test(p.dicts.phone.values[k]!);
};

/**
 * Records i and j (γ g): dates of birth both known and clearly different (only the year agrees, or not even that),
 * and neither the same email address nor the same personal phone number (or one digit off; not a household's
 * landline) to say they are one person after all. A similar email (lee.hughes@ at another provider) does not count:
 * people of one name have such emails.
 */
export function dobConflict(p: Prepared, i: number, j: number, g: number): boolean {
  const dl = (g >>> 8) & 15;
  if (dl !== D.year && dl !== D.else) return false;
  if (((g >>> 20) & 15) === E.exact) return false;
  const pl = (g >>> 16) & 15;
  return (pl !== P.exact && pl !== P.oneDigit) || (landline(p, i) && landline(p, j));
}

/** Scores pairs of a prepared set under a model: weight tables and term-frequency adjustments per value. */
class Scorer {
  p: Prepared;
  model: Model;
  W: Float64Array;
  prior: number;
  tfGiven: Float32Array;
  tfFamily: Float32Array;
  tfDob: Float32Array;
  /** The most a pair whose dates of birth clearly differ may weigh: just below the match threshold (review at most). */
  dobCap: number;
  constructor(p: Prepared, model: Model, dobCap = DOB_CONFLICT_CAP) {
    this.p = p;
    this.model = model;
    this.dobCap = dobCap;
    this.W = weightTable(model);
    this.prior = priorWeight(model);
    this.tfGiven = tfAdjustments(model, 0, p.dicts.given);
    this.tfFamily = tfAdjustments(model, 1, p.dicts.family);
    this.tfDob = tfAdjustments(model, 2, p.dicts.dob);
  }
  weight(i: number, j: number, g: number): number {
    const W = this.W;
    let w = this.prior;
    for (let f = 0; f < NF; f++) w += W[f * 16 + ((g >>> (f * BITS)) & 15)]!;
    if ((g & 15) === 1) w += this.tfGiven[this.p.given[i]!]!;
    if (((g >>> 4) & 15) === 1) w += this.tfFamily[this.p.family[i]!]!;
    if (((g >>> 8) & 15) === 1) w += this.tfDob[this.p.dobId[i]!]!;
    // Dates of birth both known and clearly different (not a typo, not day and month swapped) and no email or
    // personal phone in common: names and home agreeing are not enough to link without a person deciding — never
    // merge two people for sharing a name.
    else if (w > this.dobCap && dobConflict(this.p, i, j, g)) w = this.dobCap;
    return w;
  }
  comparisons(i: number, j: number, g: number): FieldComparison[] {
    return FIELDS.map((name, f) => {
      const l = (g >>> (f * BITS)) & 15;
      const level = LEVELS[name][l]!;
      const lv = this.model.comparisons[f]!.levels[l]!;
      let tf: number | undefined;
      if (l === 1 && f === 0) tf = this.tfGiven[this.p.given[i]!]!;
      if (l === 1 && f === 1) tf = this.tfFamily[this.p.family[i]!]!;
      if (l === 1 && f === 2) tf = this.tfDob[this.p.dobId[i]!]!;
      const weight = this.W[f * 16 + l]! + (tf ?? 0);
      const c: FieldComparison = { field: FIELD_OF[name], comparison: name, level, label: labelFor(this.p, i, j, name, level), weight };
      if (l !== 0) {
        c.m = lv.m;
        c.u = lv.u;
      }
      if (tf !== undefined) c.tfAdjustment = tf;
      return c;
    });
  }
}

class LazyPair implements ScoredPair {
  a: string;
  b: string;
  weight: number;
  probability: number;
  #i: number;
  #j: number;
  #g: number;
  #scorer: Scorer;
  #cmp: FieldComparison[] | undefined;
  constructor(scorer: Scorer, i: number, j: number, g: number, weight: number) {
    // A pair names its records in id order, whichever way round they were compared (γ, so the levels and the weight,
    // are the same either way): the order a review keeps and shows them in, so its explanation names them the same way.
    if (scorer.p.ids[j]! < scorer.p.ids[i]!) [i, j] = [j, i];
    this.a = scorer.p.ids[i]!;
    this.b = scorer.p.ids[j]!;
    this.weight = weight;
    this.probability = probability(weight);
    this.#i = i;
    this.#j = j;
    this.#g = g;
    this.#scorer = scorer;
  }
  get comparisons(): FieldComparison[] {
    return (this.#cmp ??= this.#scorer.comparisons(this.#i, this.#j, this.#g));
  }
  toJSON(): ScoredPair {
    return { a: this.a, b: this.b, weight: this.weight, probability: this.probability, comparisons: this.comparisons };
  }
}

/**
 * Two records that cannot be put in one cluster automatically (nor chained into one through a third record):
 * - dates of birth both known and clearly different (only the year agrees, or not even that; a one-digit typo or a
 *   day/month swap is not a contradiction) with no email or personal phone in common (dobConflict) — whatever the
 *   names: two people of the same name born in the same year, such as Lee Hughes born 21 October 1978 and Lee Hughes
 *   born 17 September 1978;
 * - the household rule: given names both present and different (not a nickname, typo or sound-alike) and the dates of
 *   birth do not vouch for the pair (clearly different, or missing on a side) — the parent and child, or siblings, at
 *   one address.
 * A data lead may still accept such a pair from review.
 */
export function contradicts(p: Prepared, i: number, j: number): boolean {
  if (p.dob[i] && p.dob[j]) {
    const d = compareDob(p, i, j);
    if (d !== D.else && d !== D.year) return false;
    if (dobConflict(p, i, j, (d << 8) | (comparePhone(p, i, j) << 16) | (compareEmail(p, i, j) << 20))) return true;
  }
  if (p.given[i]! < 0 || p.given[j]! < 0) return false;
  return compareGiven(p, i, j, isSwapped(p, i, j)) === G.else;
}

export interface PairScorer {
  /** The match weight of records i and j (indexes into the records given). */
  weight(i: number, j: number): number;
  /** The pair scored; its per-field comparisons (the waterfall) are worked out only when read. */
  pair(i: number, j: number): ScoredPair;
}

/**
 * A set of records prepared once under a stored model, for incremental linking: weights for any pair of them by
 * index (the same as explain gives), and the explanation only for the pairs that need one.
 */
export function pairScorer(records: readonly PersonRecord[], model: Model): PairScorer {
  const p = prepare(records);
  const s = new Scorer(p, model);
  return {
    weight: (i, j) => s.weight(i, j, gamma(p, i, j)),
    pair: (i, j) => {
      const g = gamma(p, i, j);
      return new LazyPair(s, i, j, g, s.weight(i, j, g));
    },
  };
}

/** One pair explained under a model: the per-field waterfall for the review page. In id order, as pairScorer's pairs. */
export function explain(a: PersonRecord, b: PersonRecord, model: Model): ScoredPair {
  if (b.id < a.id) [a, b] = [b, a];
  const p = prepare([a, b]);
  const s = new Scorer(p, model);
  const g = gamma(p, 0, 1);
  const w = s.weight(0, 1, g);
  return { a: a.id, b: b.id, weight: w, probability: probability(w), comparisons: s.comparisons(0, 1, g) };
}

export function linkPeople(records: PersonRecord[], options: LinkOptions = {}): LinkResult {
  const t: Record<string, number> = {};
  let t0 = performance.now();
  const tStart = t0;
  const lap = (name: string) => {
    const now = performance.now();
    t[name] = Math.round(now - t0);
    t0 = now;
  };
  const rules = options.rules ?? DEFAULT_RULES;
  const p = prepare(records);
  const n = p.n;
  let sourceOf: Int32Array | undefined;
  if (options.mode === 'link') {
    const ids = new Map<string, number>();
    sourceOf = Int32Array.from(records, (r) => ids.get(r.sourceSystem) ?? ids.set(r.sourceSystem, ids.size).get(r.sourceSystem)!);
  }
  const totalPairs = pairCount(n, sourceOf);
  lap('prepare');
  const cand = candidatePairs(p, { rules, maxBlockSize: options.maxBlockSize, sourceOf });
  lap('blocking');
  const gam = new Uint32Array(cand.count);
  for (let k = 0; k < cand.count; k++) gam[k] = gamma(p, cand.a[k]!, cand.b[k]!);
  lap('comparisons');
  const model = options.model ?? train(p, cand, gam, rules, { uSamples: options.uSamples ?? defaultUSamples(n), seed: options.seed ?? 1, sourceOf, totalPairs });
  lap('training');
  const matchW = logit(options.matchThreshold ?? 0.99);
  const reviewW = logit(options.reviewThreshold ?? 0.5);
  // a pair whose dates of birth clearly differ weighs at most just under the match threshold (review, never a link)
  const scorer = new Scorer(p, model, Math.min(DOB_CONFLICT_CAP, matchW - 0.01));
  const weights = new Float32Array(cand.count);
  for (let k = 0; k < cand.count; k++) weights[k] = scorer.weight(cand.a[k]!, cand.b[k]!, gam[k]!);
  lap('scoring');
  // decisions → record indexes
  const accepted: [number, number][] = [];
  const rejected: [number, number][] = [];
  const decided = new Set<string>();
  if (options.decisions?.length) {
    const index = new Map<string, number>();
    for (let i = 0; i < n; i++) index.set(p.ids[i]!, i);
    for (const d of options.decisions) {
      const x = index.get(d.a);
      const y = index.get(d.b);
      if (x === undefined || y === undefined) continue;
      (d.decision === 'accepted' ? accepted : rejected).push([x, y]);
      decided.add(x < y ? `${x},${y}` : `${y},${x}`);
    }
  }
  const cl = cluster({
    n, a: cand.a, b: cand.b, weight: weights, count: cand.count, matchWeight: matchW, accepted, rejected,
    contradicts: (i, j) => contradicts(p, i, j),
  });
  lap('clustering');
  const pairs: ScoredPair[] = [];
  const review: ScoredPair[] = [];
  let aboveMatch = 0;
  const refusedSet = new Set(cl.refused);
  const isDecided = (i: number, j: number) => decided.size > 0 && decided.has(i < j ? `${i},${j}` : `${j},${i}`);
  for (let k = 0; k < cand.count; k++) {
    const w = weights[k]!;
    if (w < reviewW) continue;
    const i = cand.a[k]!;
    const j = cand.b[k]!;
    const sp = new LazyPair(scorer, i, j, gam[k]!, w);
    pairs.push(sp);
    if (w >= matchW) aboveMatch++;
    if (isDecided(i, j) || cl.clusterOf[i] === cl.clusterOf[j]) continue;
    if (w < matchW || refusedSet.has(k)) review.push(sp);
  }
  pairs.sort((x, y) => y.weight - x.weight);
  review.sort((x, y) => y.weight - x.weight);
  const groups = new Map<number, string[]>();
  for (let i = 0; i < n; i++) {
    const c = cl.clusterOf[i]!;
    const g = groups.get(c);
    if (g) g.push(p.ids[i]!);
    else groups.set(c, [p.ids[i]!]);
  }
  const clusters = [...groups.values()];
  lap('output');
  t.total = Math.round(performance.now() - tStart);
  return {
    model, pairs, clusters, review,
    stats: {
      records: n, candidatePairs: cand.count, perRule: cand.stats, timings: t as LinkStats['timings'],
      pairsAboveReview: pairs.length, pairsAboveMatch: aboveMatch, contradicted: cl.contradicted.length, refused: cl.refused.length,
      clusters: clusters.length,
    },
  };
}
