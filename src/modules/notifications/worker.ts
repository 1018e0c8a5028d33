// The sending worker of `hearth start` with GOV.UK Notify: every 2 seconds, the messages queued by committed work are
// sent (batch after batch while there are more). Without an API key there is nothing to send (the local provider keeps
// each message as it is made), so no worker runs. Tests call sendQueued themselves.
import type { Store } from '../../platform/db/store.ts';
import { every } from '../../platform/ticker.ts';
import type { MessageProvider } from './providers.ts';
import { failAbandoned, sendQueued } from './service.ts';

export function startNotificationWorker(store: Store, provider: MessageProvider, log: { error(obj: object, msg: string): void }, everyMs = 2000): { stop(): Promise<void> } {
  const batch = 50;
  let stopped = false;
  let swept = 0;
  const ticker = every(everyMs, async () => {
    if (Date.now() - swept > 3600_000) {
      swept = Date.now();
      await failAbandoned(store);
    }
    while (!stopped && (await sendQueued(store, provider, { batch })).length >= batch) { /* more are queued */ }
  }, (err) => log.error({ err }, 'the notifications worker failed; it tries again'));
  return { async stop() { stopped = true; await ticker.stop(); } };
}
