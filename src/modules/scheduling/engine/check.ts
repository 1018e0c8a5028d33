// An independent check of a solution against its problem: it recomputes every time, load and distance from the job
// sequences alone and compares them with what the solution reports. Used by the tests and the bench.
import type { Problem, Solution } from './types.ts';

export interface CheckResult {
  ok: boolean;
  errors: string[];
  vehiclesUsed: number;
  distance: number;
  travel: number;
  lateness: number;
}

const EPS = 1e-6;

export function check(problem: Problem, solution: Solution): CheckResult {
  const errors: string[] = [];
  const { jobs, vehicles } = problem;
  const seen = new Int32Array(jobs.length);
  const usedVehicles = new Set<number>();
  let distance = 0, travel = 0, lateness = 0, vehiclesUsed = 0;
  const near = (a: number, b: number) => Math.abs(a - b) <= EPS * Math.max(1, Math.abs(a), Math.abs(b));
  for (const route of solution.routes) {
    const v = vehicles[route.vehicle];
    if (!v) { errors.push(`route for unknown vehicle ${route.vehicle}`); continue; }
    if (usedVehicles.has(route.vehicle)) errors.push(`vehicle ${route.vehicle} has two routes`);
    usedVehicles.add(route.vehicle);
    if (route.stops.length === 0) continue;
    vehiclesUsed++;
    const skills = v.skills ? new Set(v.skills) : null;
    let loc = v.start, time = v.ready, load = 0, rd = 0, rt = 0;
    // The vehicle may leave later than its shift start; that never makes a route infeasible, so times are checked
    // from the earliest departure.
    for (const s of route.stops) {
      const j = jobs[s.job];
      if (!j) { errors.push(`unknown job ${s.job}`); continue; }
      seen[s.job]++;
      if (j.skill !== undefined && skills && !skills.has(j.skill)) errors.push(`job ${s.job} needs ${j.skill}; vehicle ${route.vehicle} lacks it`);
      const t = problem.travel(loc, j.location);
      rd += problem.distance(loc, j.location);
      rt += t;
      const arrival = time + t;
      const start = Math.max(arrival, j.ready);
      const late = Math.max(0, start - j.due);
      if (late > EPS * Math.max(1, j.due)) {
        if (late > (j.lateAllowance ?? 0) + EPS * Math.max(1, j.due)) errors.push(`job ${s.job} starts at ${start}, after its due time ${j.due}`);
        lateness += late;
      }
      if (!near(s.start, start) && s.start < start - EPS) errors.push(`job ${s.job} reported start ${s.start} is before the earliest possible ${start}`);
      if (s.start < j.ready - EPS) errors.push(`job ${s.job} reported start ${s.start} is before it is ready (${j.ready})`);
      if (s.start > j.due + (j.lateAllowance ?? 0) + EPS * Math.max(1, j.due)) errors.push(`job ${s.job} reported start ${s.start} is after its due time ${j.due}`);
      load += j.demand ?? 0;
      time = start + j.service;
      loc = j.location;
    }
    const t = problem.travel(loc, v.end);
    rd += problem.distance(loc, v.end);
    rt += t;
    time += t;
    if (time > v.due + EPS * Math.max(1, v.due)) errors.push(`vehicle ${route.vehicle} returns at ${time}, after its shift ends at ${v.due}`);
    if (load > (v.capacity ?? Infinity) + EPS) errors.push(`vehicle ${route.vehicle} carries ${load}, over its capacity ${v.capacity}`);
    if (!near(route.distance, rd)) errors.push(`route of vehicle ${route.vehicle}: reported distance ${route.distance}, recomputed ${rd}`);
    distance += rd;
    travel += rt;
  }
  for (const u of solution.unassigned) {
    if (!jobs[u]) errors.push(`unknown unassigned job ${u}`);
    else seen[u]++;
  }
  for (let i = 0; i < jobs.length; i++) {
    if (seen[i] === 0) errors.push(`job ${i} is neither in a route nor unassigned`);
    else if (seen[i] > 1) errors.push(`job ${i} appears ${seen[i]} times`);
  }
  if (solution.vehiclesUsed !== vehiclesUsed) errors.push(`reported ${solution.vehiclesUsed} vehicles used, counted ${vehiclesUsed}`);
  if (!near(solution.distance, distance)) errors.push(`reported distance ${solution.distance}, recomputed ${distance}`);
  if (Math.abs(solution.lateness - lateness) > 1e-4 * Math.max(1, lateness)) errors.push(`reported lateness ${solution.lateness}, recomputed ${lateness}`);
  return { ok: errors.length === 0, errors, vehiclesUsed, distance, travel, lateness };
}
