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
  es: Float64Array;
  ls: Float64Array;
  load: number;
  cost: number;
  late: number;
  feasible: boolean;
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

function makeRoute(I: Inst, v: number, seq: number[]): R {
  const { N, T, C, n } = I;
  const L = seq.length;
  const es = new Float64Array(L + 2), ls = new Float64Array(L + 2);
  const startNode = n + 2 * v, endNode = startNode + 1;
  es[0] = I.ready[startNode];
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
    cost += C[prev * N + c];
    prev = c;
  }
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
  return { v, seq, es, ls, load, cost: L === 0 ? 0 : cost + I.lateW * late, late, feasible };
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
  let best: Best | null = null;
  const tryRoute = (r: R, extra: number) => {
    if (!I.compat[r.v * I.n + c]) return;
    if (r.load + I.demand[c] > I.cap[r.v]) return;
    const L = r.seq.length;
    for (let k = 0; k <= L; k++) {
      if (blink > 0 && rng && rng.next() < blink) continue;
      const d = insertDelta(I, r, k, c);
      if (d === Infinity) continue;
      const t = d + extra;
      if (!best || t < best.delta) best = { v: r.v, k, delta: t };
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
  return best;
}

function insertAt(I: Inst, s: Sol, c: number, v: number, k: number): void {
  const r = s.routes[v];
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
  let cur = start, curCost = solCost(I, cur);
  let best = cur, bestCost = curCost;
  let assignedCost = 0, assigned = 0;
  for (const r of cur.routes) if (r.seq.length) { assignedCost += r.cost; assigned += r.seq.length; }
  const base = assigned ? assignedCost / assigned : 1;
  const T0 = 0.3 * base, Tf = 0.003 * base;
  const cbar = 10, Lmax = 10;
  const stamp = new Int32Array(I.m);
  let tick = 1;
  const removedMark = new Uint8Array(n);
  for (;;) {
    if (over(clock, phaseEnd)) break;
    const temp = T0 * Math.pow(Tf / T0, progress(clock, phaseFrom, phaseEnd));
    clock.it++;
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
    for (const c of absent) {
      tick++;
      const cand = candidateRoutes(I, s, c, stamp, tick);
      const b = bestInsertion(I, s, c, allowNew, rng, 0.01, cand);
      if (b) insertAt(I, s, c, b.v, b.k);
    }
    const cost = solCost(I, s);
    if (cost < curCost - temp * Math.log(rng.next() + 1e-300)) {
      cur = s; curCost = cost;
      if (cost < bestCost - 1e-9) { best = s; bestCost = cost; }
    }
  }
  return best;
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
  for (const r of s.routes) {
    if (!r.seq.length || !I.compat[r.v * n + c]) continue;
    const v = r.v, seq = r.seq, L = seq.length;
    const startNode = n + 2 * v, endNode = startNode + 1;
    const capV = I.cap[v];
    const loadAll = r.load + I.demand[c];
    for (let p = 0; p <= L; p++) {
      const dfs = (i: number, time: number, prev: number, ej: number, psum: number, ejLoad: number): void => {
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

function routeMinimise(I: Inst, start: Sol, rng: Rng, clock: Clock, phaseEnd: number): Sol {
  let best = start;
  const kMax = 3;
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
      perturb(I, s, 100, rng);
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
