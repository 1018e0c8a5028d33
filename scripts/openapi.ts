// Writes the API's OpenAPI document to .cache/openapi.json (or the path given) without starting a server: the app is
// built on an empty in-memory embedded database, so `npm test` can lint the document the API really serves.
//   node scripts/openapi.ts [out.json]
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/platform/db/store.ts';
import { buildApp } from '../src/app.ts';

const root = path.resolve(import.meta.dirname, '..');
const out = path.resolve(root, process.argv[2] ?? '.cache/openapi.json');
const config = { ...loadConfig({ ...process.env, DATABASE_URL: '' }), databaseUrl: undefined, logLevel: 'warn' as const };
const store = await openStore(config, { memory: true });
const { app } = await buildApp(config, store);
await app.ready();
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(app.swagger(), null, 2) + '\n');
await app.close();
await store.close();
console.log(`hearth: wrote the OpenAPI document to ${path.relative(root, out)}`);
