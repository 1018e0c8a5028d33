// The scheduling engine's public face: a pure library (no imports from the rest of Hearth).
export type { Job, Vehicle, Problem, SolveOptions, Stop, Route, Solution } from './types.ts';
export { check, type CheckResult } from './check.ts';
export { parseSolomon, type SolomonInstance } from './solomon.ts';
import type { Problem, Solution, SolveOptions } from './types.ts';
import { solveInternal } from './solver.ts';

/**
 * Plans routes. Deterministic for a seed when `maxIterations` bounds the search before the time limit does.
 * Jobs no vehicle can take (skills, windows, shift) come back in `unassigned`.
 */
export function solve(problem: Problem, options: SolveOptions = {}): Solution {
  return solveInternal(problem, options);
}
