// The engine's vocabulary. Locations are indices the caller understands; travel and distance between them come from
// the caller's functions (minutes and kilometres for a landlord, Euclidean units for Solomon).

export interface Job {
  location: number;
  /** Earliest start of service. */
  ready: number;
  /** Latest start of service (hard unless lateAllowance is set). */
  due: number;
  /** Service duration. */
  service: number;
  /** Load taken from a vehicle's capacity; 0 when absent. */
  demand?: number;
  /** The trade the job needs; any vehicle may do it when absent. */
  skill?: string;
  /** Minutes a start may be after `due`; every minute late is counted as lateness and penalised. Default 0. */
  lateAllowance?: number;
}

export interface Vehicle {
  start: number;
  end: number;
  /** Shift start: the vehicle leaves `start` no earlier than this. */
  ready: number;
  /** Shift end: the vehicle must be back at `end` by this. */
  due: number;
  /** Infinity when absent. */
  capacity?: number;
  /** Trades the vehicle has; it can do any job when absent. */
  skills?: readonly string[];
}

export interface Problem {
  jobs: readonly Job[];
  vehicles: readonly Vehicle[];
  /** Travel time between two locations. */
  travel(from: number, to: number): number;
  /** Distance between two locations. */
  distance(from: number, to: number): number;
}

export interface SolveOptions {
  /** 'vehicles': fewest unassigned, then fewest vehicles, then cost. 'distance': fewest unassigned, then cost. */
  objective?: 'vehicles' | 'distance';
  /** Wall-clock budget; the search stops at it even if maxIterations is not reached. Default 10 000. */
  timeLimitMs?: number;
  /** Caps search iterations so that a run is reproducible whatever the machine's speed. */
  maxIterations?: number;
  seed?: number;
  /** What the search minimises after unassigned jobs and vehicles: 'distance' (default) or 'travel' (time). */
  cost?: 'distance' | 'travel';
  /** Penalty per minute late (only with lateAllowance), in cost units. Default 1. */
  latenessWeight?: number;
}

export interface Stop {
  job: number;
  arrival: number;
  start: number;
  departure: number;
}

export interface Route {
  vehicle: number;
  stops: Stop[];
  /** When the vehicle leaves its start location. */
  departure: number;
  /** When it is back at its end location. */
  returns: number;
  distance: number;
  travel: number;
  duration: number;
}

export interface Solution {
  routes: Route[];
  unassigned: number[];
  vehiclesUsed: number;
  distance: number;
  travel: number;
  lateness: number;
  iterations: number;
  elapsedMs: number;
}
