// `npm test`: lint, dependency rules, type-check, then every test file against the embedded database (PGlite), or
// against the PostgreSQL server in DATABASE_URL. On a server each run gets its own throwaway database, dropped afterwards.
//   npm test                                   PGlite
//   DATABASE_URL=postgres://… npm test         PostgreSQL
//   npm test -- test/api/records.test.ts       some files only (no lint)
//   npm test -- --no-lint                      every file, no lint (CI's second, PostgreSQL run)
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const node = process.execPath;
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function step(title: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  console.log(`\n▶ ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env });
  if (r.status !== 0) {
    console.error(`✖ ${title} failed`);
    process.exit(r.status ?? 1);
  }
}

const args = process.argv.slice(2);
const noLint = args.includes('--no-lint');
const only = args.filter((a) => a !== '--no-lint');
const files = only.length ? only : [...globSync('src/**/*.test.ts', { cwd: root }), ...globSync('test/**/*.test.ts', { cwd: root })].sort();

if (!only.length && !noLint) {
  step('ESLint', bin('eslint'), ['.']);
  // The boundaries between platform, web and modules (.dependency-cruiser.mjs; docs/architecture.md "Boundaries").
  step('Dependency rules (dependency-cruiser)', node, [bin('depcruise'), '--config', '.dependency-cruiser.mjs', 'src', 'bench', 'scripts']);
  step('TypeScript (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', '.']);
  // The OpenAPI document the app serves, linted by Redocly (redocly.yaml: every finding fails). No usage data or
  // update check leaves the machine.
  step('OpenAPI document (scripts/openapi.ts → .cache/openapi.json)', node, ['scripts/openapi.ts', '.cache/openapi.json']);
  step('OpenAPI lint (Redocly)', node, [bin('redocly'), 'lint', '.cache/openapi.json', '--config', 'redocly.yaml'],
    { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' });
  if (files.some((f) => f.startsWith('test/browser'))) step('Chromium for browser tests', 'bash', ['scripts/ensure-chromium.sh']);
}

let env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
let dropDatabase: (() => Promise<void>) | undefined;
if (process.env.DATABASE_URL) {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect().catch((err: Error) => {
    console.error(`✖ Cannot reach PostgreSQL at DATABASE_URL (${err.message}). Start it, or unset DATABASE_URL to test on PGlite.`);
    process.exit(1);
  });
  const name = `hearth_test_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  env = { ...env, DATABASE_URL: url.toString() };
  dropDatabase = async () => { await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); await admin.end(); };
  console.log(`\n▶ Tests on PostgreSQL (throwaway database ${name})`);
} else {
  console.log('\n▶ Tests on embedded PGlite');
}

const r = spawnSync(node, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: root, env });
await dropDatabase?.();
process.exit(r.status ?? 1);
