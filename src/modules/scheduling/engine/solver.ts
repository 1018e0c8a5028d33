// The routing engine: vehicle routing with time windows, capacities, skills and heterogeneous vehicles.
//
// Pipeline:
//  1. greedy insertion builds a first plan;
//  2. for objective 'vehicles', route minimisation after Nagata & Bräysy (2009): take a route away, put its jobs in an
//     ejection pool, insert each where it fits or else eject up to K jobs chosen by the smallest sum of ejection
//     counters, and perturb the plan with random feasible moves between attempts;
//  3. ruin and recreate after Christiaens & Vanden Berghe (SISR, 2020): remove strings of nearby jobs from a few
//     routes, reinsert them greedily with "blinks", and accept through simulated annealing.
// Feasibility of an insertion is O(1) from each route's earliest start (forward) and latest start (backward) times.
import type { Problem, Solution, SolveOptions, Stop } from './types.ts';
import { makeRng, type Rng } from './rng.ts';

const W_UNASSIGNED = 1e8;
const W_VEHICLE = 1e5;

interface Inst {
  n: number;
  m: number;
  N: number;
  T: Float64Array;
  C: Float64Array;
  ready: Float64Array;
  due: Float64Array;
  dueHard: Float64Array;
  service: Float64Array;
  demand: Float64Array;
  cap: Float64Array;
  compat: Uint8Array;
  /** One representative per group of identical vehicles, so empty vehicles are tried once per group. */
  vclass: Int32Array;
  nb: Int32Array[];
  lateW: number;
  wVeh: number;
  smallN: boolean;
  lowerBound: number;
}

interface R {
  v: number;
  seq: number[];
  /** cum[k]: load of the jobs at positions 1..k. */
  cum: number[];
  es: number[];
  ls: number[];
  load: number;
  cost: number;
  late: number;
  feasible: boolean;
  stamp: number;
}

interface Sol {
  routes: R[];
  routeOf: Int32Array;
  closed: Uint8Array;
}

function buildInst(p: Problem, costKind: 'distance' | 'travel', lateW: number, wVeh: number): Inst {
  const n = p.jobs.length, m = p.vehicles.length, N = n + 2 * m;
  const loc = new Int32Array(N);
  for (let i = 0; i < n; i++) loc[i] = p.jobs[i].location;
  for (let v = 0; v < m; v++) { loc[n + 2 * v] = p.vehicles[v].start; loc[n + 2 * v + 1] = p.vehicles[v].end; }
  const T = new Float64Array(N * N);
  const C = costKind === 'travel' ? T : new Float64Array(N * N);
  for (let a = 0; a < N; a++) {
    for (let b = 0; b < N; b++) {
      T[a * N + b] = a === b ? 0 : p.travel(loc[a], loc[b]);
      if (costKind !== 'travel') C[a * N + b] = a === b ? 0 : p.distance(loc[a], loc[b]);
    }
  }
  const ready = new Float64Array(N), due = new Float64Array(N), dueHard = new Float64Array(N);
  const service = new Float64Array(N), demand = new Float64Array(N);
  let anyLate = false;
  for (let i = 0; i < n; i++) {
    const j = p.jobs[i];
    ready[i] = j.ready; due[i] = j.due; service[i] = j.service; demand[i] = j.demand ?? 0;
    dueHard[i] = j.due + (j.lateAllowance ?? 0);
    if ((j.lateAllowance ?? 0) > 0) anyLate = true;
  }
  const cap = new Float64Array(m);
  const compat = new Uint8Array(m * n);
  const vclass = new Int32Array(m);
  const classKey = new Map<string, number>();
  for (let v = 0; v < m; v++) {
    const veh = p.vehicles[v];
    for (const node of [n + 2 * v, n + 2 * v + 1]) { ready[node] = veh.ready; due[node] = veh.due; dueHard[node] = veh.due; }
    cap[v] = veh.capacity ?? Infinity;
    const skills = veh.skills ? new Set(veh.skills) : null;
    for (let i = 0; i < n; i++) {
      const s = p.jobs[i].skill;
      compat[v * n + i] = s === undefined || !skills || skills.has(s) ? 1 : 0;
    }
    const key = JSON.stringify([veh.start, veh.end, veh.ready, veh.due, cap[v], veh.skills ? [...veh.skills].sort() : null]);
    if (!classKey.has(key)) classKey.set(key, v);
    vclass[v] = classKey.get(key)!;
  }
  const K = Math.min(n - 1, n <= 300 ? 100 : 50);
  const nb: Int32Array[] = [];
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    const d = (j: number) => C[i * N + j] + C[j * N + i];
    const sorted = idx.filter((j) => j !== i).sort((a, b) => d(a) - d(b));
    nb.push(Int32Array.from(sorted.slice(0, Math.max(0, K))));
  }
  let totalDemand = 0;
  for (let i = 0; i < n; i++) totalDemand += demand[i];
  let homogeneous = true;
  for (let v = 1; v < m; v++) if (vclass[v] !== vclass[0]) homogeneous = false;
  const lowerBound = homogeneous && m > 0 && Number.isFinite(cap[0]) && cap[0] > 0 ? Math.max(1, Math.ceil(totalDemand / cap[0] - 1e-9)) : 1;
  return { n, m, N, T, C, ready, due, dueHard, service, demand, cap, compat, vclass, nb, lateW: anyLate ? lateW : 0, wVeh, smallN: n <= 300, lowerBound };
}

/** Routes made during one ruin-and-recreate step carry its stamp and may be changed in place within that step. */
let currentStamp = 0;
let inPlace = false;

// Plain arrays: V8 makes small ones much faster than typed arrays, and routes are made very often.
function zeros(size: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < size; i++) a.push(0.5);
  return a;
}

function makeRoute(I: Inst, v: number, seq: number[]): R {
  const size = seq.length + 8;
  const r: R = { v, seq, cum: zeros(size), es: zeros(size), ls: zeros(size), load: 0, cost: 0, late: 0, feasible: true, stamp: currentStamp };
  fill(I, r);
  return r;
}

function fill(I: Inst, r: R): void {
  const { N, T, C, n } = I;
  const { v, seq } = r;
  const L = seq.length;
  if (r.es.length < L + 2) {
    const size = 2 * L + 8;
    r.es = zeros(size); r.ls = zeros(size); r.cum = zeros(size);
  }
  const { es, ls, cum } = r;
  const startNode = n + 2 * v, endNode = startNode + 1;
  es[0] = I.ready[startNode];
  cum[0] = 0;
  let prev = startNode, load = 0, cost = 0, late = 0, feasible = true;
  for (let k = 1; k <= L; k++) {
    const c = seq[k - 1];
    const arr = es[k - 1] + I.service[prev] + T[prev * N + c];
    const st = arr > I.ready[c] ? arr : I.ready[c];
    es[k] = st;
    if (st > I.dueHard[c]) feasible = false;
    if (st > I.due[c]) late += st - I.due[c];
    if (!I.compat[v * n + c]) feasible = false;
    load += I.demand[c];
    cum[k] = load;
    cost += C[prev * N + c];
    prev = c;
  }
  cum[L + 1] = load;
  es[L + 1] = es[L] + I.service[prev] + T[prev * N + endNode];
  cost += C[prev * N + endNode];
  if (es[L + 1] > I.dueHard[endNode]) feasible = false;
  if (load > I.cap[v]) feasible = false;
  ls[L + 1] = I.dueHard[endNode];
  let next = endNode;
  for (let k = L; k >= 1; k--) {
    const c = seq[k - 1];
    const l = ls[k + 1] - T[c * N + next] - I.service[c];
    ls[k] = l < I.dueHard[c] ? l : I.dueHard[c];
    next = c;
  }
  r.load = load;
  r.cost = L === 0 ? 0 : cost + I.lateW * late;
  r.late = late;
  r.feasible = feasible;
}

function nodeAt(I: Inst, r: R, k: number): number {
  if (k === 0) return I.n + 2 * r.v;
  if (k === r.seq.length + 1) return I.n + 2 * r.v + 1;
  return r.seq[k - 1];
}

/** Cost of inserting c after position k of r, or Infinity when infeasible. */
function insertDelta(I: Inst, r: R, k: number, c: number): number {
  const { N, T, C } = I;
  const a = nodeAt(I, r, k), b = nodeAt(I, r, k + 1);
  const arr = r.es[k] + I.service[a] + T[a * N + c];
  if (arr > I.dueHard[c]) return Infinity;
  const st = arr > I.ready[c] ? arr : I.ready[c];
  const arrB = st + I.service[c] + T[c * N + b];
  const stB = arrB > I.ready[b] ? arrB : I.ready[b];
  if (stB > r.ls[k + 1]) return Infinity;
  let d = C[a * N + c] + C[c * N + b] - C[a * N + b];
  if (I.lateW > 0 && st > I.due[c]) d += I.lateW * (st - I.due[c]);
  return d;
}

function solCost(I: Inst, s: Sol): number {
  let cost = 0, used = 0, un = 0;
  for (const r of s.routes) if (r.seq.length) { cost += r.cost; used++; }
  for (let i = 0; i < I.n; i++) if (s.routeOf[i] < 0) un++;
  return cost + I.wVeh * used + W_UNASSIGNED * un;
}

function usedCount(s: Sol): number {
  let u = 0;
  for (const r of s.routes) if (r.seq.length) u++;
  return u;
}

function setRoute(I: Inst, s: Sol, r: R): void {
  s.routes[r.v] = r;
  for (const c of r.seq) s.routeOf[c] = r.v;
}

function cloneSol(s: Sol): Sol {
  return { routes: s.routes.slice(), routeOf: s.routeOf.slice(), closed: s.closed.slice() };
}

interface Best { v: number; k: number; delta: number }

/**
 * Cheapest feasible insertion of c. `candidates` lists the routes to try (all when null); empty vehicles are tried
 * once per group of identical vehicles when allowNew.
 */
function bestInsertion(I: Inst, s: Sol, c: number, allowNew: boolean, rng: Rng | null, blink: number, candidates: number[] | null): Best | null {
  const { N, T, C, n } = I;
  const readyC = I.ready[c], dueC = I.dueHard[c], sC = I.service[c], softDue = I.due[c], lateW = I.lateW;
  let bestDelta = Infinity, bestV = -1, bestK = -1;
  const tryRoute = (r: R, extra: number) => {
    if (!I.compat[r.v * n + c]) return;
    if (r.load + I.demand[c] > I.cap[r.v]) return;
    const seq = r.seq, L = seq.length, es = r.es, ls = r.ls;
    const startNode = n + 2 * r.v;
    let a = startNode;
    for (let k = 0; k <= L; k++) {
      const b = k === L ? startNode + 1 : seq[k];
      if (k > 0) a = seq[k - 1];
      // Start times only grow along a route: once too late here, too late further on.
      if (es[k] > dueC) break;
      let d = C[a * N + c] + C[c * N + b] - C[a * N + b] + extra;
      if (d >= bestDelta) continue;
      const arr = es[k] + I.service[a] + T[a * N + c];
      if (arr > dueC) continue;
      const st = arr > readyC ? arr : readyC;
      const arrB = st + sC + T[c * N + b];
      if ((arrB > I.ready[b] ? arrB : I.ready[b]) > ls[k + 1]) continue;
      if (lateW > 0 && st > softDue) { d += lateW * (st - softDue); if (d >= bestDelta) continue; }
      if (blink > 0 && rng && rng.next() < blink) continue;
      bestDelta = d; bestV = r.v; bestK = k;
    }
  };
  if (candidates) { for (const v of candidates) tryRoute(s.routes[v], 0); }
  else for (const r of s.routes) if (r.seq.length) tryRoute(r, 0);
  if (allowNew) {
    const seenClass = new Set<number>();
    for (const r of s.routes) {
      if (r.seq.length || s.closed[r.v] || seenClass.has(I.vclass[r.v])) continue;
      seenClass.add(I.vclass[r.v]);
      tryRoute(r, I.wVeh);
    }
  }
  return bestV < 0 ? null : { v: bestV, k: bestK, delta: bestDelta };
}

function insertAt(I: Inst, s: Sol, c: number, v: number, k: number): void {
  const r = s.routes[v];
  if (inPlace && r.stamp === currentStamp) {
    r.seq.splice(k, 0, c);
    fill(I, r);
    s.routeOf[c] = v;
    return;
  }
  const seq = r.seq.slice();
  seq.splice(k, 0, c);
  setRoute(I, s, makeRoute(I, v, seq));
}

function removeJobs(I: Inst, s: Sol, jobs: number[]): void {
  const byRoute = new Map<number, Set<number>>();
  for (const c of jobs) {
    const v = s.routeOf[c];
    if (v < 0) continue;
    let set = byRoute.get(v);
    if (!set) byRoute.set(v, (set = new Set()));
    set.add(c);
    s.routeOf[c] = -1;
  }
  for (const [v, set] of byRoute) setRoute(I, s, makeRoute(I, v, s.routes[v].seq.filter((c) => !set.has(c))));
}

function candidateRoutes(I: Inst, s: Sol, c: number, stamp: Int32Array, tick: number): number[] | null {
  if (I.smallN) return null;
  const out: number[] = [];
  const nb = I.nb[c];
  const lim = Math.min(nb.length, 40);
  for (let i = 0; i < lim; i++) {
    const v = s.routeOf[nb[i]];
    if (v >= 0 && stamp[v] !== tick) { stamp[v] = tick; out.push(v); }
  }
  return out;
}

function construct(I: Inst, s: Sol, order: number[], allowNew: boolean): void {
  for (const c of order) {
    if (s.routeOf[c] >= 0) continue;
    const b = bestInsertion(I, s, c, allowNew, null, 0, null);
    if (b) insertAt(I, s, c, b.v, b.k);
  }
}

// ---------- ruin and recreate (SISR) ----------

/** Phases end at a share of the budget: of the time, or of the iterations when maxIterations is set (so that a
 * run with an iteration cap is reproducible). */
interface Clock { t0: number; span: number; maxIt: number; it: number }

function over(c: Clock, share: number): boolean {
  if (c.maxIt > 0 && c.it >= c.maxIt * share) return true;
  return performance.now() >= c.t0 + c.span * share;
}

function progress(c: Clock, from: number, to: number): number {
  const f = c.maxIt > 0 ? c.it / c.maxIt : (performance.now() - c.t0) / c.span;
  return Math.min(1, Math.max(0, (f - from) / Math.max(1e-9, to - from)));
}

function sisr(I: Inst, start: Sol, rng: Rng, clock: Clock, phaseFrom: number, phaseEnd: number, allowNew: boolean): Sol {
  const { n } = I;
  let cur = cloneSol(start);
  currentStamp++;
  localSearch(I, cur, Array.from({ length: n }, (_, i) => i), allowNew || I.wVeh > 0);
  let curCost = solCost(I, cur);
  let best = cur, bestCost = curCost;
  let assignedCost = 0, assigned = 0;
  for (const r of cur.routes) if (r.seq.length) { assignedCost += r.cost; assigned += r.seq.length; }
  const base = assigned ? assignedCost / assigned : 1;
  // Temperatures relative to the average cost per job, as SISR's T0 = 100, Tf = 1 are on its benchmark's scale.
  const T0 = 0.3 * base, Tf = 0.003 * base;
  const cbar = 10, Lmax = 10;
  const stamp = new Int32Array(I.m);
  let tick = 1;
  const removedMark = new Uint8Array(n);
  for (;;) {
    if (over(clock, phaseEnd)) break;
    const temp = T0 * Math.pow(Tf / T0, progress(clock, phaseFrom, phaseEnd));
    clock.it++;
    currentStamp++;
    const s = cloneSol(cur);
    // Ruin: strings from routes near a random seed job.
    let routesUsed = 0, jobsIn = 0;
    for (const r of s.routes) if (r.seq.length) { routesUsed++; jobsIn += r.seq.length; }
    const removed: number[] = [];
    if (jobsIn > 0) {
      const lsMax = Math.min(Lmax, jobsIn / routesUsed);
      const ksMax = (4 * cbar) / (1 + lsMax) - 1;
      const ks = Math.floor(rng.next() * ksMax) + 1;
      let seed = rng.int(n);
      for (let tries = 0; s.routeOf[seed] < 0 && tries < 50; tries++) seed = rng.int(n);
      if (s.routeOf[seed] >= 0) {
        const ruined = new Set<number>();
        const nbs = I.nb[seed];
        for (let i = -1; i < nbs.length && ruined.size < ks; i++) {
          const c = i < 0 ? seed : nbs[i];
          const v = s.routeOf[c];
          if (v < 0 || ruined.has(v) || removedMark[c]) continue;
          ruined.add(v);
          const seq = s.routes[v].seq;
          const L = seq.length;
          const l = Math.floor(rng.next() * Math.min(L, lsMax)) + 1;
          const pos = seq.indexOf(c);
          if (rng.next() < 0.5 || l >= L) {
            const lo = Math.max(0, pos - l + 1), hi = Math.min(pos, L - l);
            const st = lo + rng.int(hi - lo + 1);
            for (let k = st; k < st + l; k++) { removed.push(seq[k]); removedMark[seq[k]] = 1; }
          } else {
            let mKeep = 1;
            while (l + mKeep < L && rng.next() < 0.5) mKeep++;
            const len = l + mKeep;
            const lo = Math.max(0, pos - len + 1), hi = Math.min(pos, L - len);
            const st = lo + rng.int(hi - lo + 1);
            const keepAt = st + rng.int(len - mKeep + 1);
            for (let k = st; k < st + len; k++) {
              if (k >= keepAt && k < keepAt + mKeep) continue;
              removed.push(seq[k]); removedMark[seq[k]] = 1;
            }
          }
        }
      }
    }
    for (const c of removed) removedMark[c] = 0;
    removeJobs(I, s, removed);
    // Jobs left out before get another chance; on big problems only a sample, to bound the cost of an iteration.
    const absent = removed.slice();
    const seenAbsent = new Set(removed);
    let outside = 0;
    for (let i = 0; i < n; i++) if (s.routeOf[i] < 0 && !seenAbsent.has(i)) outside++;
    if (outside > 0) {
      const want = Math.min(outside, 30);
      if (outside <= want) { for (let i = 0; i < n; i++) if (s.routeOf[i] < 0 && !seenAbsent.has(i)) absent.push(i); }
      else for (let t = 0; t < want * 3 && absent.length < removed.length + want; t++) {
        const i = rng.int(n);
        if (s.routeOf[i] < 0 && !seenAbsent.has(i)) { seenAbsent.add(i); absent.push(i); }
      }
    }
    sortAbsent(I, absent, rng);
    inPlace = true;
    let lost = false;
    for (const c of absent) {
      tick++;
      const cand = candidateRoutes(I, s, c, stamp, tick);
      const b = bestInsertion(I, s, c, allowNew, rng, 0.01, cand);
      if (b) insertAt(I, s, c, b.v, b.k);
      // With every job planned before, one left out now makes this step a certain reject: stop early.
      else if (outside === 0) { lost = true; break; }
    }
    inPlace = false;
    if (lost) { currentStamp++; continue; }
    currentStamp++; // routes of s are now shared with what may be kept: no more changes in place
    let cost = solCost(I, s);
    // Local search only polishes would-be records: run on every step it costs more iterations than it gains.
    if (cost < bestCost - 1e-9) {
      localSearch(I, s, absent, allowNew || I.wVeh > 0);
      cost = solCost(I, s);
    }
    if (cost < curCost - temp * Math.log(rng.next() + 1e-300)) {
      cur = s; curCost = cost;
      if (cost < bestCost - 1e-9) { best = s; bestCost = cost; }
    }
  }
  return best;
}

/**
 * Local search around the given jobs: relocate a job next to a nearby job in another route, and 2-opt* (swap route
 * tails) between routes of identical vehicles, first improvement, all checks O(1) from es/ls/cum.
 */
function localSearch(I: Inst, s: Sol, jobs: number[], allowEmpty: boolean): void {
  const { N, T, C, n } = I;
  const queue = jobs.slice();
  const inQueue = new Uint8Array(n);
  for (const j of queue) inQueue[j] = 1;
  let guard = 0;
  while (queue.length && guard++ < 20 * n) {
    const u = queue.pop()!;
    inQueue[u] = 0;
    const va = s.routeOf[u];
    if (va < 0) continue;
    const nbs = I.nb[u];
    const lim = Math.min(nbs.length, 15);
    let applied = false;
    for (let t = 0; t < lim && !applied; t++) {
      const w = nbs[t];
      const vb = s.routeOf[w];
      if (vb < 0 || vb === va) continue;
      const A = s.routes[va], B = s.routes[vb];
      const i = A.seq.indexOf(u) + 1, j = B.seq.indexOf(w) + 1;
      // Relocate u to just before or just after w.
      if (I.compat[vb * n + u] && B.load + I.demand[u] <= I.cap[vb] && (allowEmpty || A.seq.length > 1)) {
        const p = nodeAt(I, A, i - 1), nx = nodeAt(I, A, i + 1);
        const arr = A.es[i - 1] + I.service[p] + T[p * N + nx];
        if ((arr > I.ready[nx] ? arr : I.ready[nx]) <= A.ls[i + 1]) {
          let gain = C[p * N + u] + C[u * N + nx] - C[p * N + nx];
          if (A.seq.length === 1) gain += I.wVeh;
          for (const k of [j - 1, j]) {
            const d = insertDelta(I, B, k, u);
            if (d < gain - 1e-9) {
              const sa = A.seq.filter((x) => x !== u);
              const sb = B.seq.slice(); sb.splice(k, 0, u);
              setRoute(I, s, makeRoute(I, va, sa)); setRoute(I, s, makeRoute(I, vb, sb));
              applied = true;
              break;
            }
          }
        }
      }
      if (applied || I.vclass[va] !== I.vclass[vb]) continue;
      // 2-opt*: u then w's tail (A keeps 1..i, takes B from j), and w then u's tail.
      for (const [X, Y, ix, jy] of [[A, B, i, j], [B, A, j, i]] as [R, R, number, number][]) {
        // X keeps positions 1..ix and continues with Y from jy; Y keeps 1..jy-1 and continues with X from ix+1.
        if (!allowEmpty && (ix === 0 && jy === Y.seq.length + 1)) continue;
        const a = nodeAt(I, X, ix), b = nodeAt(I, Y, jy);
        const a2 = nodeAt(I, X, ix + 1), b0 = nodeAt(I, Y, jy - 1);
        const d = C[a * N + b] + C[b0 * N + a2] - C[a * N + a2] - C[b0 * N + b];
        if (d >= -1e-9) continue;
        if (X.cum[ix] + (Y.load - Y.cum[jy - 1]) > I.cap[X.v]) continue;
        if (Y.cum[jy - 1] + (X.load - X.cum[ix]) > I.cap[Y.v]) continue;
        const arr1 = X.es[ix] + I.service[a] + T[a * N + b];
        if ((arr1 > I.ready[b] ? arr1 : I.ready[b]) > Y.ls[jy]) continue;
        const arr2 = Y.es[jy - 1] + I.service[b0] + T[b0 * N + a2];
        if ((arr2 > I.ready[a2] ? arr2 : I.ready[a2]) > X.ls[ix + 1]) continue;
        const sx = X.seq.slice(0, ix).concat(Y.seq.slice(jy - 1));
        const sy = Y.seq.slice(0, jy - 1).concat(X.seq.slice(ix));
        if (!allowEmpty && (!sx.length || !sy.length)) continue;
        setRoute(I, s, makeRoute(I, X.v, sx)); setRoute(I, s, makeRoute(I, Y.v, sy));
        applied = true;
        break;
      }
    }
    if (applied) {
      for (const x of [u, ...nbs.subarray(0, lim)]) if (!inQueue[x] && s.routeOf[x] >= 0) { inQueue[x] = 1; queue.push(x); }
    }
  }
}

function sortAbsent(I: Inst, a: number[], rng: Rng): void {
  const x = rng.next() * 13;
  const depot = I.n; // first vehicle's start, a fair stand-in for "the depot"
  const dd = (c: number) => I.C[depot * I.N + c];
  if (x < 4) { for (let i = a.length - 1; i > 0; i--) { const j = rng.int(i + 1); [a[i], a[j]] = [a[j], a[i]]; } }
  else if (x < 8) a.sort((p, q) => I.demand[q] - I.demand[p]);
  else if (x < 10) a.sort((p, q) => dd(q) - dd(p));
  else if (x < 11) a.sort((p, q) => dd(p) - dd(q));
  else a.sort((p, q) => I.dueHard[p] - I.dueHard[q]);
}

// ---------- route minimisation (Nagata & Bräysy) ----------

interface Ejection { v: number; k: number; ejected: number[] }

function ejectionSearch(I: Inst, s: Sol, c: number, counters: Int32Array, kMax: number, rng: Rng): Ejection | null {
  const { N, T, n } = I;
  let bestP = Infinity, ties = 0;
  let best: Ejection | null = null;
  const stack: number[] = [];
  // Wide windows (a landlord's AM/PM slots) prune little; a cap on the search keeps one step bounded.
  let budget = 300_000;
  for (const r of s.routes) {
    if (budget <= 0) break;
    if (!r.seq.length || !I.compat[r.v * n + c]) continue;
    const v = r.v, seq = r.seq, L = seq.length;
    const startNode = n + 2 * v, endNode = startNode + 1;
    const capV = I.cap[v];
    const loadAll = r.load + I.demand[c];
    for (let p = 0; p <= L; p++) {
      const dfs = (i: number, time: number, prev: number, ej: number, psum: number, ejLoad: number): void => {
        if (--budget < 0) return;
        if (i === L + 1) {
          if (time + T[prev * N + endNode] > I.dueHard[endNode]) return;
          if (loadAll - ejLoad > capV) return;
          record(psum, v, p);
          return;
        }
        const w = i < p ? seq[i] : i === p ? c : seq[i - 1];
        const arr = time + T[prev * N + w];
        if (arr <= I.dueHard[w]) {
          const st = arr > I.ready[w] ? arr : I.ready[w];
          if (i > p && st <= r.ls[i] && loadAll - ejLoad <= capV) record(psum, v, p);
          else dfs(i + 1, st + I.service[w], w, ej, psum, ejLoad);
        }
        if (w !== c && ej < kMax && psum + counters[w] <= bestP) {
          stack.push(w);
          dfs(i + 1, time, prev, ej + 1, psum + counters[w], ejLoad + I.demand[w]);
          stack.pop();
        }
      };
      dfs(0, I.ready[startNode], startNode, 0, 0, 0);
    }
  }
  function record(psum: number, v: number, k: number): void {
    if (stack.length === 0) return;
    if (psum < bestP) { bestP = psum; ties = 1; best = { v, k, ejected: stack.slice() }; }
    else if (psum === bestP) { ties++; if (rng.int(ties) === 0) best = { v, k, ejected: stack.slice() }; }
  }
  return best;
}

/** Random feasible moves (relocate, swap, 2-opt*) between nearby jobs, to diversify the ejection search. */
function perturb(I: Inst, s: Sol, moves: number, rng: Rng): void {
  const n = I.n;
  for (let t = 0; t < moves; t++) {
    const u = rng.int(n);
    const ru = s.routeOf[u];
    if (ru < 0) continue;
    const nbs = I.nb[u];
    if (!nbs.length) return;
    const w = nbs[rng.int(Math.min(nbs.length, 20))];
    const rw = s.routeOf[w];
    if (rw < 0) continue;
    const A = s.routes[ru].seq, B = s.routes[rw].seq;
    const iu = A.indexOf(u), iw = B.indexOf(w);
    const kind = rng.int(3);
    if (ru === rw) {
      const seq = A.slice();
      if (kind === 0) { seq.splice(iu, 1); seq.splice(seq.indexOf(w) + rng.int(2), 0, u); }
      else { seq[iu] = w; seq[iw] = u; }
      const r = makeRoute(I, ru, seq);
      if (r.feasible) setRoute(I, s, r);
      continue;
    }
    let a: number[], b: number[];
    if (kind === 0) { a = A.filter((x) => x !== u); b = B.slice(); b.splice(iw + rng.int(2), 0, u); }
    else if (kind === 1) { a = A.slice(); b = B.slice(); a[iu] = w; b[iw] = u; }
    else { a = A.slice(0, iu + 1).concat(B.slice(iw + 1)); b = B.slice(0, iw + 1).concat(A.slice(iu + 1)); }
    if (a.length === 0) continue; // never empty a route here: the route count is what route minimisation guards
    const ra = makeRoute(I, ru, a);
    if (!ra.feasible) continue;
    const rb = makeRoute(I, rw, b);
    if (!rb.feasible || rb.seq.length === 0) continue;
    setRoute(I, s, ra); setRoute(I, s, rb);
  }
}

/** Capacity excess plus time warp (Nagata's penalty: arriving after due counts the excess and goes back in time). */
function penalty(I: Inst, v: number, seq: number[]): number {
  const { N, T, n } = I;
  const startNode = n + 2 * v, endNode = startNode + 1;
  let t = I.ready[startNode], prev = startNode, tw = 0, load = 0;
  for (const c of seq) {
    if (!I.compat[v * n + c]) return Infinity;
    let arr = t + I.service[prev] + T[prev * N + c];
    if (arr > I.dueHard[c]) { tw += arr - I.dueHard[c]; arr = I.dueHard[c]; }
    t = arr > I.ready[c] ? arr : I.ready[c];
    load += I.demand[c];
    prev = c;
  }
  const arr = t + I.service[prev] + T[prev * N + endNode];
  if (arr > I.dueHard[endNode]) tw += arr - I.dueHard[endNode];
  return (load > I.cap[v] ? load - I.cap[v] : 0) + tw;
}

/**
 * Squeeze: put c where the penalty is least, then repair by local search (relocate, swap, 2-opt* between c's route
 * and nearby jobs' routes) that only takes moves lowering the total penalty. Returns false, leaving s as it was,
 * when the penalty cannot be brought to zero.
 */
function squeeze(I: Inst, s: Sol, c: number, rng: Rng): boolean {
  let best: { v: number; k: number; p: number } | null = null;
  for (const r of s.routes) {
    if (!r.seq.length || !I.compat[r.v * I.n + c]) continue;
    for (let k = 0; k <= r.seq.length; k++) {
      const seq = r.seq.slice(); seq.splice(k, 0, c);
      const p = penalty(I, r.v, seq);
      if (!best || p < best.p) best = { v: r.v, k, p };
    }
  }
  if (!best || best.p === Infinity) return false;
  const seqs = new Map<number, number[]>();
  const pen = new Map<number, number>();
  const seqOf = (v: number) => seqs.get(v) ?? s.routes[v].seq;
  const penOf = (v: number) => { let p = pen.get(v); if (p === undefined) { p = penalty(I, v, seqOf(v)); pen.set(v, p); } return p; };
  const routeOf = new Map<number, number>();
  const where = (x: number) => routeOf.get(x) ?? s.routeOf[x];
  const put = (v: number, seq: number[], p: number) => { seqs.set(v, seq); pen.set(v, p); for (const x of seq) routeOf.set(x, v); };
  {
    const seq = s.routes[best.v].seq.slice(); seq.splice(best.k, 0, c);
    put(best.v, seq, best.p);
  }
  for (let step = 0; step < 200; step++) {
    const bad = [...pen.entries()].filter(([, p]) => p > 1e-9).map(([v]) => v);
    if (!bad.length) break;
    const rv = bad[rng.int(bad.length)];
    let move: { a: number; sa: number[]; pa: number; b: number; sb: number[]; pb: number; d: number } | null = null;
    const A = seqOf(rv);
    const pA = penOf(rv);
    for (const u of A) {
      const iu = A.indexOf(u);
      const nbs = I.nb[u];
      const lim = Math.min(nbs.length, 25);
      for (let t = 0; t < lim; t++) {
        const w = nbs[t];
        const rw = where(w);
        if (rw < 0) continue;
        if (rw === rv) {
          for (const kind of [0, 1, 2]) {
            const seq = A.slice();
            if (kind < 2) { seq.splice(iu, 1); seq.splice(seq.indexOf(w) + kind, 0, u); } else { const iw = A.indexOf(w); seq[iu] = w; seq[iw] = u; }
            const p = penalty(I, rv, seq);
            const d = p - pA;
            if (d < -1e-9 && (!move || d < move.d)) move = { a: rv, sa: seq, pa: p, b: -1, sb: [], pb: 0, d };
          }
          continue;
        }
        const B = seqOf(rw), pB = penOf(rw), iw = B.indexOf(w);
        const cands: [number[], number[]][] = [
          [A.filter((x) => x !== u), B.slice(0, iw).concat([u], B.slice(iw))],
          [A.filter((x) => x !== u), B.slice(0, iw + 1).concat([u], B.slice(iw + 1))],
          [A.map((x) => (x === u ? w : x)), B.map((x) => (x === w ? u : x))],
          [A.slice(0, iu + 1).concat(B.slice(iw + 1)), B.slice(0, iw + 1).concat(A.slice(iu + 1))],
          [A.slice(0, iu).concat(B.slice(iw)), B.slice(0, iw).concat(A.slice(iu))],
        ];
        for (const [sa, sb] of cands) {
          if (!sa.length || !sb.length) continue;
          const pa = penalty(I, rv, sa);
          if (pa === Infinity) continue;
          const pb = penalty(I, rw, sb);
          const d = pa + pb - pA - pB;
          if (d < -1e-9 && (!move || d < move.d)) move = { a: rv, sa, pa, b: rw, sb, pb, d };
        }
      }
    }
    if (!move) return false;
    put(move.a, move.sa, move.pa);
    if (move.b >= 0) put(move.b, move.sb, move.pb);
  }
  for (const p of pen.values()) if (p > 1e-9) return false;
  for (const [v, seq] of seqs) setRoute(I, s, makeRoute(I, v, seq));
  return true;
}

function routeMinimise(I: Inst, start: Sol, rng: Rng, clock: Clock, phaseEnd: number): Sol {
  let best = start;
  // Nagata & Bräysy use up to 5 ejections and 1,000 random moves; 4 and 300 suit a 10 s budget better here.
  const kMax = 4;
  const perturbMoves = 300;
  while (usedCount(best) > I.lowerBound) {
    if (over(clock, phaseEnd)) break;
    const s = cloneSol(best);
    const used = s.routes.filter((r) => r.seq.length);
    const victim = used[rng.int(used.length)];
    const pool = victim.seq.slice();
    removeJobs(I, s, pool);
    s.closed[victim.v] = 1;
    const counters = new Int32Array(I.n).fill(1);
    let failed = false;
    while (pool.length) {
      if (over(clock, phaseEnd)) { failed = true; break; }
      clock.it++;
      const c = pool.pop()!;
      const b = bestInsertion(I, s, c, false, null, 0, null);
      if (b) { insertAt(I, s, c, b.v, b.k); continue; }
      if (squeeze(I, s, c, rng)) continue;
      counters[c]++;
      const e = ejectionSearch(I, s, c, counters, kMax, rng);
      if (!e) {
        // Nowhere it could go even with ejections (a skill nobody left has, say): this route cannot be removed.
        let anyCompat = false;
        for (const r of s.routes) if (r.seq.length && I.compat[r.v * I.n + c]) anyCompat = true;
        if (!anyCompat) { failed = true; break; }
        pool.unshift(c);
      } else {
        // c goes where it was placed among the route's jobs; the ejected ones leave the same route.
        const r = s.routes[e.v];
        const seqNew = r.seq.slice();
        seqNew.splice(e.k, 0, c);
        const ej = new Set(e.ejected);
        for (const x of e.ejected) s.routeOf[x] = -1;
        setRoute(I, s, makeRoute(I, e.v, seqNew.filter((x) => !ej.has(x))));
        for (const x of e.ejected) pool.push(x);
      }
      perturb(I, s, perturbMoves, rng);
    }
    if (failed) break;
    best = s;
  }
  return best;
}

export function solveInternal(problem: Problem, opts: SolveOptions = {}): Solution {
  const t0 = performance.now();
  const objective = opts.objective ?? 'vehicles';
  const timeLimit = opts.timeLimitMs ?? 10_000;
  const rng = makeRng(opts.seed ?? 1);
  const I = buildInst(problem, opts.cost ?? 'distance', opts.latenessWeight ?? 1, objective === 'vehicles' ? W_VEHICLE : 0);
  const clock: Clock = { t0, span: timeLimit, maxIt: opts.maxIterations ?? 0, it: 0 };
  const s: Sol = { routes: [], routeOf: new Int32Array(I.n).fill(-1), closed: new Uint8Array(I.m) };
  for (let v = 0; v < I.m; v++) s.routes.push(makeRoute(I, v, []));
  const order = Array.from({ length: I.n }, (_, i) => i).sort((a, b) => I.dueHard[a] - I.dueHard[b] || I.ready[a] - I.ready[b]);
  construct(I, s, order, true);
  let sol = s;
  if (objective === 'vehicles') {
    let un = 0;
    for (let i = 0; i < I.n; i++) if (sol.routeOf[i] < 0) un++;
    // Jobs left out first: they weigh more than vehicles.
    if (un > 0) sol = sisr(I, sol, rng, clock, 0, 0.3, true);
    sol = routeMinimise(I, sol, rng, clock, 0.5);
    sol.closed.fill(0);
    sol = sisr(I, sol, rng, clock, 0.5, 1, false);
  } else {
    sol = sisr(I, sol, rng, clock, 0, 1, true);
  }
  return output(problem, I, sol, clock.it, performance.now() - t0);
}

function output(problem: Problem, I: Inst, s: Sol, iterations: number, elapsedMs: number): Solution {
  const routes: Solution['routes'] = [];
  let distance = 0, travel = 0, lateness = 0;
  for (const r of s.routes) {
    if (!r.seq.length) continue;
    const veh = problem.vehicles[r.v];
    let loc = veh.start, time = veh.ready, rd = 0, rt = 0;
    const stops: Stop[] = [];
    for (const c of r.seq) {
      const j = problem.jobs[c];
      const t = problem.travel(loc, j.location);
      rd += problem.distance(loc, j.location); rt += t;
      const arrival = time + t;
      const start = Math.max(arrival, j.ready);
      if (start > j.due) lateness += start - j.due;
      stops.push({ job: c, arrival, start, departure: start + j.service });
      time = start + j.service; loc = j.location;
    }
    const t = problem.travel(loc, veh.end);
    rd += problem.distance(loc, veh.end); rt += t;
    const returns = time + t;
    routes.push({ vehicle: r.v, stops, departure: veh.ready, returns, distance: rd, travel: rt, duration: returns - veh.ready });
    distance += rd; travel += rt;
  }
  const unassigned: number[] = [];
  for (let i = 0; i < I.n; i++) if (s.routeOf[i] < 0) unassigned.push(i);
  return { routes, unassigned, vehiclesUsed: routes.length, distance, travel, lateness, iterations, elapsedMs };
}
