import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { solve, check, parseSolomon, type Job, type Problem, type Solution } from './index.ts';

// Locations on a line: distance is |a - b|, travel time equals distance.
function lineProblem(points: number[], jobs: Problem['jobs'], vehicles: Problem['vehicles']): Problem {
  const d = (a: number, b: number) => Math.abs(points[a] - points[b]);
  return { jobs, vehicles, travel: d, distance: d };
}

function hand(problem: Problem, routes: { vehicle: number; jobs: number[] }[], unassigned: number[] = []): Solution {
  // Builds a solution the way a careless caller might, with times recomputed honestly so only the flaw under test
  // is wrong.
  let distance = 0;
  const out = routes.map(({ vehicle, jobs }) => {
    const v = problem.vehicles[vehicle];
    let loc = v.start, time = v.ready, dist = 0;
    const stops = jobs.map((j) => {
      const job = problem.jobs[j];
      const arrival = time + problem.travel(loc, job.location);
      dist += problem.distance(loc, job.location);
      const start = Math.max(arrival, job.ready);
      time = start + job.service; loc = job.location;
      return { job: j, arrival, start, departure: time };
    });
    dist += problem.distance(loc, v.end);
    const returns = time + problem.travel(loc, v.end);
    distance += dist;
    return { vehicle, stops, departure: v.ready, returns, distance: dist, travel: dist, duration: returns - v.ready };
  });
  return { routes: out, unassigned, vehiclesUsed: out.filter((r) => r.stops.length).length, distance, travel: distance, lateness: 0, iterations: 0, elapsedMs: 0 };
}

describe('check', () => {
  const p = lineProblem([0, 10, 20], [
    { location: 1, ready: 0, due: 15, service: 5, demand: 3, skill: 'gas' },
    { location: 2, ready: 0, due: 100, service: 5, demand: 3 },
  ], [
    { start: 0, end: 0, ready: 0, due: 200, capacity: 5, skills: ['gas'] },
    { start: 0, end: 0, ready: 0, due: 200, capacity: 10, skills: ['plumbing'] },
  ]);

  test('accepts a valid plan', () => {
    const r = check(p, hand(p, [{ vehicle: 0, jobs: [0] }, { vehicle: 1, jobs: [1] }]));
    assert.deepEqual(r.errors, []);
    assert.equal(r.distance, 60);
  });
  test('rejects a late stop', () => {
    // Job 1 first (arrive 20, leave 25), then job 0 at 35: after its due time of 15.
    const r = check(p, hand(p, [{ vehicle: 1, jobs: [] }, { vehicle: 0, jobs: [1, 0] }]));
    assert.ok(r.errors.some((e) => /after its due time/.test(e)), r.errors.join('; '));
  });
  test('rejects a capacity breach', () => {
    const r = check(p, hand(p, [{ vehicle: 0, jobs: [0, 1] }]));
    assert.ok(r.errors.some((e) => /over its capacity/.test(e)), r.errors.join('; '));
  });
  test('rejects a job given to someone without the trade', () => {
    const r = check(p, hand(p, [{ vehicle: 1, jobs: [0, 1] }]));
    assert.ok(r.errors.some((e) => /needs gas/.test(e)), r.errors.join('; '));
  });
  test('rejects a job twice and a job missing', () => {
    const twice = check(p, hand(p, [{ vehicle: 0, jobs: [0] }, { vehicle: 1, jobs: [1] }], [1]));
    assert.ok(twice.errors.some((e) => /job 1 appears 2 times/.test(e)), twice.errors.join('; '));
    const missing = check(p, hand(p, [{ vehicle: 0, jobs: [0] }]));
    assert.ok(missing.errors.some((e) => /job 1 is neither/.test(e)), missing.errors.join('; '));
  });
  test('rejects a misreported distance', () => {
    const s = hand(p, [{ vehicle: 0, jobs: [0] }, { vehicle: 1, jobs: [1] }]);
    s.routes[0].distance += 1;
    assert.ok(!check(p, s).ok);
  });
});

describe('solve', () => {
  test('two jobs whose windows overlap at the same place need two vehicles', () => {
    // Both must start by 12 and take 20 minutes, 5 away from the depot: one vehicle cannot do both.
    const p = lineProblem([0, 5, 6], [
      { location: 1, ready: 0, due: 12, service: 20 },
      { location: 2, ready: 0, due: 12, service: 20 },
    ], Array.from({ length: 3 }, () => ({ start: 0, end: 0, ready: 0, due: 100 })));
    const s = solve(p, { objective: 'vehicles', timeLimitMs: 2000, maxIterations: 300, seed: 3 });
    assert.ok(check(p, s).ok);
    assert.equal(s.vehiclesUsed, 2);
    assert.equal(s.distance, 22);
    assert.deepEqual(s.unassigned, []);
  });

  test('one vehicle serves jobs along a line in order when windows allow', () => {
    const p = lineProblem([0, 1, 2, 3, 4], [
      { location: 3, ready: 0, due: 1000, service: 1 },
      { location: 1, ready: 0, due: 1000, service: 1 },
      { location: 4, ready: 0, due: 1000, service: 1 },
      { location: 2, ready: 0, due: 1000, service: 1 },
    ], Array.from({ length: 4 }, () => ({ start: 0, end: 0, ready: 0, due: 1000 })));
    const s = solve(p, { objective: 'vehicles', timeLimitMs: 2000, maxIterations: 300, seed: 1 });
    assert.ok(check(p, s).ok);
    assert.equal(s.vehiclesUsed, 1);
    assert.equal(s.distance, 8); // out to 4 and back is the least any tour can travel
  });

  test('skills are respected and a job nobody can do is unassigned', () => {
    const points = [0, 0, 3, 5, 8, 2, 9, 4];
    const trades = ['gas', 'electrical', 'gas', 'roofing', 'electrical', 'gas'];
    const jobs: Job[] = trades.map((skill, i) => ({ location: i + 1, ready: 0, due: 300, service: 10, skill }));
    jobs.push({ location: 7, ready: 0, due: 300, service: 10, skill: 'glazing' }); // nobody glazes
    const vehicles = [
      { start: 0, end: 0, ready: 0, due: 480, skills: ['gas'] },
      { start: 1, end: 1, ready: 0, due: 480, skills: ['electrical', 'roofing'] },
    ];
    const p = lineProblem(points, jobs, vehicles);
    const s = solve(p, { objective: 'vehicles', timeLimitMs: 2000, maxIterations: 500, seed: 7 });
    const r = check(p, s);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(s.unassigned, [6]);
    for (const route of s.routes) {
      for (const stop of route.stops) assert.ok(vehicles[route.vehicle].skills.includes(jobs[stop.job].skill!));
    }
    assert.equal(s.vehiclesUsed, 2);
  });

  test('a job whose window no shift can reach is unassigned, the rest planned', () => {
    const p = lineProblem([0, 10, 50], [
      { location: 1, ready: 0, due: 100, service: 10 },
      { location: 2, ready: 0, due: 20, service: 10 }, // 50 away: cannot start by 20
    ], [{ start: 0, end: 0, ready: 0, due: 200 }]);
    const s = solve(p, { timeLimitMs: 1000, maxIterations: 100, seed: 1 });
    assert.ok(check(p, s).ok);
    assert.deepEqual(s.unassigned, [1]);
    assert.equal(s.routes.length, 1);
  });

  test('late allowance lets a start slip past due, counted as lateness', () => {
    const p = lineProblem([0, 30], [{ location: 1, ready: 0, due: 20, service: 5, lateAllowance: 15 }], [{ start: 0, end: 0, ready: 0, due: 200 }]);
    const s = solve(p, { timeLimitMs: 1000, maxIterations: 50, seed: 1 });
    const r = check(p, s);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(s.unassigned, []);
    assert.equal(s.lateness, 10);
  });

  test('same seed, same answer', () => {
    const points = Array.from({ length: 41 }, (_, i) => (i * 37) % 101);
    const jobs = Array.from({ length: 40 }, (_, i) => ({ location: i + 1, ready: (i % 4) * 50, due: (i % 4) * 50 + 120, service: 10, demand: 1 + (i % 3) }));
    const vehicles = Array.from({ length: 10 }, () => ({ start: 0, end: 0, ready: 0, due: 1000, capacity: 15 }));
    const p = lineProblem(points, jobs, vehicles);
    const a = solve(p, { objective: 'vehicles', timeLimitMs: 20_000, maxIterations: 2000, seed: 42 });
    const b = solve(p, { objective: 'vehicles', timeLimitMs: 20_000, maxIterations: 2000, seed: 42 });
    assert.ok(check(p, a).ok);
    assert.deepEqual(a.routes.map((r) => [r.vehicle, r.stops.map((s) => s.job)]), b.routes.map((r) => [r.vehicle, r.stops.map((s) => s.job)]));
    assert.equal(a.distance, b.distance);
  });
});

const c101 = path.resolve(import.meta.dirname, '../../../../../shared/data/solomon/C101.txt');
test('Solomon C101 in 1.5 s: 10 vehicles, within 3% of 828.94', { skip: existsSync(c101) ? false : 'Solomon data not found' }, () => {
  const inst = parseSolomon(readFileSync(c101, 'utf8'));
  assert.equal(inst.problem.jobs.length, 100);
  const s = solve(inst.problem, { objective: 'vehicles', timeLimitMs: 1500, seed: 1 });
  const r = check(inst.problem, s);
  assert.deepEqual(r.errors, []);
  assert.equal(s.vehiclesUsed, 10);
  assert.ok(s.distance <= 828.94 * 1.03, `distance ${s.distance}`);
});
