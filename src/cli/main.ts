// Entry point of the `hearth` command. Node's compile cache keeps the TypeScript-stripped, compiled modules on disk,
// so later starts skip that work (about a second on a small machine); then the command itself is loaded.
import { enableCompileCache } from 'node:module';

enableCompileCache(new URL('../../.cache/node-compile', import.meta.url).pathname);
await import('./hearth.ts');
