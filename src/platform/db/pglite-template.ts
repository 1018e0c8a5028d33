// A new embedded database starts from a template made once (at npm install) instead of running PGlite's initdb and
// every migration, which takes 5–8 s on a small machine. The template is an empty, migrated database (no data),
// keyed by the PGlite version and the migrations' content, so a new migration or PGlite makes a new template.
// Migrations still run at every start and find nothing to do.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';

const require = createRequire(import.meta.url);

function pgliteVersion(): string {
  const pkg = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
}

const MIGRATIONS = new URL('../../../drizzle', import.meta.url).pathname;

function migrationsHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  walk(MIGRATIONS);
  return hash.digest('hex').slice(0, 12);
}

export function templatePath(cacheDir: string): string {
  return path.join(cacheDir, `pglite-${pgliteVersion()}-schema-${migrationsHash()}.tar.gz`);
}

/** `openMemoryStore`: a new in-memory embedded database (store.ts openStore; given, as the store uses this file). */
export async function buildTemplate(cacheDir: string,
  openMemoryStore: () => Promise<{ migrate(): Promise<unknown>; dumpDataDir?(): Promise<Blob>; close(): Promise<void> }>): Promise<string> {
  const file = templatePath(cacheDir);
  if (fs.existsSync(file)) return file;
  const store = await openMemoryStore();
  await store.migrate();
  const dump = await store.dumpDataDir!();
  await store.close();
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** The template to restore into an empty data folder, if there is one. */
export function templateFor(dataDir: string, cacheDir: string): Blob | undefined {
  if (dataDir.startsWith('memory://') || fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return undefined;
  const file = templatePath(cacheDir);
  return fs.existsSync(file) ? new Blob([fs.readFileSync(file)]) : undefined;
}
