// Background work in a running server (the event relay, the webhook worker): `work` every `everyMs`, one run at a
// time (a run still going when the next is due is waited for, never overlapped), errors logged and tried again next
// time. The timer never keeps the process alive; stop() waits for the run in progress.
export function every(everyMs: number, work: () => Promise<unknown>, onError: (err: unknown) => void): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? undefined : work())).catch(onError);
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
