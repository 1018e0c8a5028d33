// The subscribers the installed modules declare (their manifests' `subscribers`), and the one way to wait for their
// effect: what the import job, `hearth ingest` and tests use when they need what a subscriber does right after a
// write (damp and mould signals, record linkage), instead of calling the subscriber's work themselves.
import type { Store } from '../db/store.ts';
import { installedModules } from '../modules.ts';
import { settle, type Subscriber } from './relay.ts';

/** The installed modules' subscribers, in the order of the list of modules. */
export const installedSubscribers = (): Subscriber[] => installedModules().flatMap((m) => m.subscribers ?? []);

/**
 * Wait until every event committed before this call has been handled by the installed modules' subscribers (or put
 * on their dead-letter lists): the relay's work, done now (relay.ts settle). `beforeImportCompletes`: only those an
 * import waits for (the pipeline's call).
 */
export async function drainInstalled(store: Store, options: { beforeImportCompletes?: boolean } = {}): Promise<void> {
  await settle(store, installedSubscribers().filter((s) => !options.beforeImportCompletes || s.beforeImportCompletes));
}
