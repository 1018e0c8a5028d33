import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/store.ts';

/** One unit of work: who is acting, and the organisation-scoped transaction they act in. */
export interface Ctx {
  actor: Actor;
  tx: Db;
}
