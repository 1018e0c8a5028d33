// Test harness: a real database (in-memory PGlite, or the PostgreSQL server in DATABASE_URL) and the real app.
// Tests isolate themselves by creating their own organisations, so files can share one PostgreSQL database.
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.ts';
import { openStore, type Store } from '../../src/platform/db/store.ts';
import { buildApp } from '../../src/app.ts';
import type { HearthModule } from '../../src/platform/modules.ts';
import { createOrganisation } from '../../src/modules/organisations/service.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { ROLES } from '../../src/platform/auth/roles.ts';

export interface Harness {
  store: Store;
  config: Config;
  app: Awaited<ReturnType<typeof buildApp>>['app'];
  auth: Awaited<ReturnType<typeof buildApp>>['auth'];
  /** The background queue that runs imports (starts on the first upload); see waitForImport in ingest/jobs.ts. */
  jobs: Awaited<ReturnType<typeof buildApp>>['jobs'];
  close(): Promise<void>;
}

let harnesses = 0;

/** `logStream`: where the server log goes (to read what it wrote); `beforeReady`: add test-only routes. */
export async function harness(overrides: Partial<Config> = {},
  options: { logStream?: Writable; beforeReady?: (app: Harness['app']) => void; modules?: readonly HearthModule[] } = {}): Promise<Harness> {
  const config: Config = {
    ...loadConfig({ ...process.env, HEARTH_DATA_DIR: '.cache/test-data' }),
    signInPerMinute: 1000,
    // Test files share one PostgreSQL database: each has its own job queue, so no file's worker runs another's imports.
    jobsSchema: `pgboss_test_${process.pid}_${++harnesses}`,
    uploadDir: path.resolve(`.cache/test-data/uploads-${process.pid}-${harnesses}`),
    ...overrides,
  };
  const store = await openStore(config, { memory: true });
  await store.migrate();
  const { app, auth, jobs } = await buildApp(config, store, { logStream: options.logStream, modules: options.modules });
  options.beforeReady?.(app);
  await app.ready();
  return {
    store, config, app, auth, jobs,
    async close() { await app.close(); await store.close(); fs.rmSync(config.uploadDir, { recursive: true, force: true }); },
  };
}

export interface Landlord {
  id: string;
  name: string;
  /** Authorization headers for an API token of each role. */
  as: Record<Role, { authorization: string }>;
}

let counter = 0;
export async function landlord(h: Harness, name = `Test landlord ${++counter}`): Promise<Landlord> {
  const org = await createOrganisation(h.store, { name, kind: 'private-registered-provider' });
  const as = {} as Landlord['as'];
  for (const role of ROLES) {
    const t = await h.auth.addToken(org.id, `${role} test token`, role);
    as[role] = { authorization: `Bearer ${t.token}` };
  }
  return { id: org.id, name, as };
}

/** JSON request through the real HTTP stack (no network). */
export async function api(h: Harness, method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: unknown) {
  const res = await h.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try { body = res.json(); } catch { body = res.body; }
  return { status: res.statusCode, headers: res.headers, body };
}

export const sample = {
  block: (extra: Record<string, unknown> = {}) => ({ name: 'Bronte House', storeys: 9, heightMetres: 27.4, heightMethod: 'measured', heightSource: 'Survey 2024', postcode: 'LS6 1AA', residentialUnits: 36, ...extra }),
  home: (extra: Record<string, unknown> = {}) => ({ uprn: String(100000000000 + Math.floor(Math.random() * 1e9)), propertyType: 'flat', subBuilding: 'Flat 12', buildingName: 'Bronte House', street: 'Moor Road', town: 'Leeds', postcode: 'LS6 1AA', ...extra }),
  person: (extra: Record<string, unknown> = {}) => ({ givenName: 'Robert', familyName: 'Morgan', dateOfBirth: '1971-03-02', contactPoints: [{ system: 'phone', value: '+447700900123', use: 'mobile' }], ...extra }),
};
