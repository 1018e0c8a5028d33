// Entry point of the `hearth` command. Node's compile cache keeps the TypeScript-stripped, compiled modules on disk,
// so later starts skip that work (about a second on a small machine); then the command itself is loaded.
import { enableCompileCache } from 'node:module';

enableCompileCache(new URL('../../.cache/node-compile', import.meta.url).pathname);
// `hearth … | head`: when the reader of the output has gone, there is no one left to tell; stop quietly, as Unix
// commands do, rather than crash with an unhandled EPIPE. Any other output error is still an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
await import('./hearth.ts');
