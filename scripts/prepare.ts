// Runs at `npm install` (the "prepare" script): work that makes the first `npm start` fast.
//  1. A template of an empty embedded database cluster, so a new data folder is restored in under a second
//     instead of running PGlite's initdb (about 5 s) — see src/platform/db/pglite-template.ts.
//  2. The stylesheet, compiled from GOV.UK Frontend's Sass.
// Each step is optional: if it fails, Hearth still starts, only more slowly the first time.
import { buildTemplate } from '../src/platform/db/pglite-template.ts';
import { openStore } from '../src/platform/db/store.ts';
import { buildStylesheet } from '../src/web/assets.ts';

const root = new URL('../.cache', import.meta.url).pathname;
const memoryStore = () => openStore({ databaseUrl: undefined, dataDir: '' }, { memory: true });
for (const [name, step] of [['embedded database template', () => buildTemplate(root, memoryStore)], ['stylesheet', () => buildStylesheet(root)]] as const) {
  const t0 = performance.now();
  try {
    const file = await step();
    console.log(`hearth: prepared ${name} (${file}) in ${Math.round(performance.now() - t0)} ms`);
  } catch (err) {
    console.warn(`hearth: could not prepare ${name}: ${(err as Error).message}; it will be made on first start instead`);
  }
}
