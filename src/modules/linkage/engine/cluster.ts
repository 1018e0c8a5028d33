// Clusters from scored pairs without chaining: pairs are merged strongest first with union-find, and a merge is
// refused when any record of one cluster contradicts any record of the other (index.ts `contradicts`: both dates of
// birth present and clearly different with no email or personal phone in common, so two people of one name are never
// chained through a third record; or given names different with no date of birth to vouch for them: the parent and
// child, or siblings, at one address) or when a data lead rejected a pair across them. Accepted decisions are merged first, then links kept from before (incremental
// linking: the clusters the records were already in); rejected pairs never end up together.

export interface ClusterInput {
  n: number;
  /** Candidate pairs to merge, any order; weight decides the order. */
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  weight: ArrayLike<number>;
  count: number;
  /** Pairs at or above this weight are linked. */
  matchWeight: number;
  accepted?: [number, number][];
  rejected?: [number, number][];
  /**
   * Links kept from before (incremental linking: records already in one cluster), merged after the accepted pairs and
   * before the scored pairs without the contradiction check, but never across a rejected pair.
   */
  kept?: [number, number][];
  /** True when the two records cannot be one person whatever else agrees. */
  contradicts: (i: number, j: number) => boolean;
  /** Refuse a merge that would need more cross checks than this (the pair goes to review). */
  maxCrossChecks?: number;
}

export interface ClusterResult {
  /** Cluster id (the root record index) per record. */
  clusterOf: Int32Array;
  /** Pair indexes ≥ matchWeight whose merge was refused because of a third record or a decision (for review). */
  refused: number[];
  /** Pair indexes ≥ matchWeight that contradict directly (never linked, not for review). */
  contradicted: number[];
  merges: number;
}

export function cluster(input: ClusterInput): ClusterResult {
  const { n, a, b, weight, count, matchWeight, contradicts } = input;
  const maxCross = input.maxCrossChecks ?? 250_000;
  const parent = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  const next = new Int32Array(n); // circular list of members per cluster
  for (let i = 0; i < n; i++) {
    parent[i] = i;
    next[i] = i;
  }
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[x] !== r) {
      const nx = parent[x]!;
      parent[x] = r;
      x = nx;
    }
    return r;
  };
  const rejectedOf = new Map<number, number[]>();
  for (const [x, y] of input.rejected ?? []) {
    (rejectedOf.get(x) ?? rejectedOf.set(x, []).get(x)!).push(y);
    (rejectedOf.get(y) ?? rejectedOf.set(y, []).get(y)!).push(x);
  }
  const blockedByDecision = (ra: number, rb: number): boolean => {
    if (rejectedOf.size === 0) return false;
    const [small, other] = size[ra]! <= size[rb]! ? [ra, rb] : [rb, ra];
    let x = small;
    do {
      const rej = rejectedOf.get(x);
      if (rej) for (const y of rej) if (find(y) === other) return true;
      x = next[x]!;
    } while (x !== small);
    return false;
  };
  const crossContradiction = (ra: number, rb: number): boolean => {
    let x = ra;
    do {
      let y = rb;
      do {
        if (contradicts(x, y)) return true;
        y = next[y]!;
      } while (y !== rb);
      x = next[x]!;
    } while (x !== ra);
    return false;
  };
  const union = (ra: number, rb: number) => {
    if (size[ra]! < size[rb]!) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    size[ra]! += size[rb]!;
    const t = next[ra]!;
    next[ra] = next[rb]!;
    next[rb] = t;
  };
  let merges = 0;
  for (const [x, y] of [...(input.accepted ?? []), ...(input.kept ?? [])]) {
    const rx = find(x);
    const ry = find(y);
    if (rx !== ry && !blockedByDecision(rx, ry)) {
      union(rx, ry);
      merges++;
    }
  }
  // strongest first
  const order: number[] = [];
  for (let k = 0; k < count; k++) if (weight[k]! >= matchWeight) order.push(k);
  const w = Float64Array.from(order, (k) => weight[k]!);
  const idx = Uint32Array.from(order.keys());
  idx.sort((p, q) => w[q]! - w[p]!);
  const refused: number[] = [];
  const contradicted: number[] = [];
  for (let t = 0; t < idx.length; t++) {
    const k = order[idx[t]!]!;
    const i = a[k]!;
    const j = b[k]!;
    const ri = find(i);
    const rj = find(j);
    if (ri === rj) continue;
    if (contradicts(i, j)) {
      contradicted.push(k);
      continue;
    }
    if (blockedByDecision(ri, rj) || size[ri]! * size[rj]! > maxCross || ((size[ri]! > 1 || size[rj]! > 1) && crossContradiction(ri, rj))) {
      refused.push(k);
      continue;
    }
    union(ri, rj);
    merges++;
  }
  const clusterOf = new Int32Array(n);
  for (let i = 0; i < n; i++) clusterOf[i] = find(i);
  return { clusterOf, refused, contradicted, merges };
}
