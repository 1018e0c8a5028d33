// The list of modules (index.ts) against the folders and the migrations: every folder is a module in the list, named
// as its folder, and the tables drizzle-kit generates migrations from (drizzle.config.ts: the platform's schema and
// every src/modules/*/schema.ts) are exactly the platform's and those the listed modules declare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { is } from 'drizzle-orm';
import { PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import { MODULES } from './index.ts';
import * as platformTables from '../platform/db/schema.ts';
import { installModules } from '../platform/modules.ts';
import { permissions } from '../platform/auth/roles.ts';
import { entityKinds } from '../platform/provenance/service.ts';

const here = import.meta.dirname;
const tableNames = (exports: Readonly<Record<string, unknown>>) =>
  Object.values(exports).filter((v): v is PgTable => is(v, PgTable)).map((t) => getTableConfig(t).name);

test('every folder of src/modules is a module in the list, with the folder\'s name, once', () => {
  const folders = fs.readdirSync(here, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  assert.deepEqual(MODULES.map((m) => m.name).sort(), folders);
  for (const folder of folders) assert.ok(fs.existsSync(path.join(here, folder, 'index.ts')), `${folder}/index.ts is its manifest`);
});

test('migrations know exactly the platform\'s tables and those the listed modules declare', async () => {
  const fromFiles = new Set(tableNames(platformTables));
  for (const folder of fs.readdirSync(here)) {
    const file = path.join(here, folder, 'schema.ts');
    if (fs.existsSync(file)) for (const name of tableNames(await import(file) as Record<string, unknown>)) fromFiles.add(name);
  }
  const declared = new Set(tableNames(platformTables));
  for (const m of MODULES) {
    for (const name of tableNames(m.tables ?? {})) {
      assert.ok(!declared.has(name), `${name} is declared twice (again by ${m.name})`);
      declared.add(name);
    }
  }
  assert.deepEqual([...declared].sort(), [...fromFiles].sort());
});

test('installing the list registers each module\'s kinds of record and permissions, and again changes nothing', () => {
  installModules(MODULES);
  const before = { kinds: entityKinds(), permissions: permissions() };
  installModules(MODULES);
  assert.deepEqual({ kinds: entityKinds(), permissions: permissions() }, before);
  assert.ok(before.kinds.some((k) => k.kind === 'home' && k.by === 'homes'));
  assert.ok(before.permissions.some((p) => p.name === 'hazards:write' && p.by === 'hazards' && p.roles.includes('compliance-lead')));
  assert.throws(() => installModules([{ ...MODULES[0]!, entityKinds: ['organisation-twin'] }]), /two modules are called organisations/);
});
