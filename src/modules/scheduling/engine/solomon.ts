// Reads a Solomon VRPTW instance (the classic text format) into a Problem: identical vehicles at the depot, Euclidean
// distances in double precision, travel time equal to distance.
import type { Problem } from './types.ts';

export interface SolomonInstance {
  name: string;
  vehicles: number;
  capacity: number;
  problem: Problem;
  /** x, y of location i (0 is the depot). */
  xs: Float64Array;
  ys: Float64Array;
}

export function parseSolomon(text: string): SolomonInstance {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const name = lines.find((l) => l.length > 0) ?? 'unnamed';
  const vIdx = lines.findIndex((l) => /^NUMBER\s+CAPACITY/i.test(l));
  if (vIdx < 0) throw new Error('Not a Solomon file: no VEHICLE section');
  const [vehicles, capacity] = lines[vIdx + 1].split(/\s+/).map(Number);
  const cIdx = lines.findIndex((l) => /^CUST/i.test(l));
  if (cIdx < 0) throw new Error('Not a Solomon file: no CUSTOMER section');
  const rows: number[][] = [];
  for (const l of lines.slice(cIdx + 1)) {
    if (!l) continue;
    const r = l.split(/\s+/).map(Number);
    if (r.length >= 7 && r.every((x) => Number.isFinite(x))) rows.push(r);
  }
  rows.sort((a, b) => a[0] - b[0]);
  const n = rows.length;
  const xs = new Float64Array(n), ys = new Float64Array(n);
  rows.forEach((r, i) => { xs[i] = r[1]; ys[i] = r[2]; });
  const dist = (i: number, j: number) => Math.hypot(xs[i] - xs[j], ys[i] - ys[j]);
  const depot = rows[0];
  const problem: Problem = {
    jobs: rows.slice(1).map((r, i) => ({ location: i + 1, demand: r[3], ready: r[4], due: r[5], service: r[6] })),
    vehicles: Array.from({ length: vehicles }, () => ({ start: 0, end: 0, ready: depot[4], due: depot[5], capacity })),
    travel: dist,
    distance: dist,
  };
  return { name, vehicles, capacity, problem, xs, ys };
}
