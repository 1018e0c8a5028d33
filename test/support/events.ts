// Subscribers run from the outbox after a write commits (src/platform/events), not in the write's transaction: a test
// that reads what one keeps (the damp and mould register, record linkage) right after writing waits for them first.
import type { Store } from '../../src/platform/db/store.ts';
import { drainInstalled } from '../../src/platform/events/installed.ts';

/** Wait until the installed modules' subscribers have handled every event committed so far. */
export async function drained(h: { store: Store }): Promise<void> {
  await drainInstalled(h.store);
}
