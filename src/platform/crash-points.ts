// Crash tests (test/cli/*crash*.test.ts) kill a process at one exact moment, as `kill -9` would there, to show that
// what it leaves is picked up again. With HEARTH_TEST_CRASH_AT=<point> set, crashPoint(<point>) sends the process
// SIGKILL; unset (always, outside those tests) it does nothing.
//   after-complete  an import has just been marked completed; its after-import step (record linkage) has not run
//   demo-loaded     the first start's demo rows are in, the search indexes not yet rebuilt, the staff accounts not added
const at = process.env.HEARTH_TEST_CRASH_AT;

export function crashPoint(point: 'after-complete' | 'demo-loaded'): void {
  if (at === point) process.kill(process.pid, 'SIGKILL');
}
