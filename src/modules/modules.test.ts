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
/** A table's SQL name: "homes", or with its schema when not public ("hub.homes"). */
const sqlName = (t: PgTable) => { const c = getTableConfig(t); return c.schema ? `${c.schema}.${c.name}` : c.name; };
const tableNames = (exports: Readonly<Record<string, unknown>>) =>
  Object.values(exports).filter((v): v is PgTable => is(v, PgTable)).map(sqlName);

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

// ---- No module reads another module's tables ---------------------------------------------------------------------
// dependency-cruiser stops a module importing another's schema.ts; this stops the other way round it: naming another
// module's table in SQL. Each module's source (not its schema.ts, not its tests) is scanned for the tables its SQL names
// — in sql`…` and sql.raw(`…`) templates (after from, join, into, update, table) and in drizzle's .from(x) — and a
// table owned by another module (its manifest's `tables`) is an error. A module asks the owner's services instead.

/** The text of every sql`…` / sql.raw(`…`) template in a source file, each ${…} as a blank. */
function sqlTemplates(source: string): string[] {
  const out: string[] = [];
  // Skips a ${…} interpolation from just after its "${", through nested braces, strings and templates; returns its end.
  const skipInterpolation = (i: number): number => {
    let depth = 1;
    while (i < source.length && depth) {
      const ch = source[i]!;
      if (ch === '`') i = skipTemplate(i + 1);
      else if (ch === "'" || ch === '"') { i++; while (i < source.length && source[i] !== ch) i += source[i] === '\\' ? 2 : 1; i++; }
      else { if (ch === '{') depth++; else if (ch === '}') depth--; i++; }
    }
    return i;
  };
  // Skips a template literal from just after its opening backtick; returns the index after its closing one.
  const skipTemplate = (i: number, text?: string[]): number => {
    while (i < source.length) {
      const ch = source[i]!;
      if (ch === '\\') { text?.push(source.slice(i, i + 2)); i += 2; continue; }
      if (ch === '`') return i + 1;
      if (ch === '$' && source[i + 1] === '{') { i = skipInterpolation(i + 2); text?.push(' ? '); continue; }
      text?.push(ch);
      i++;
    }
    return i;
  };
  for (const m of source.matchAll(/\bsql(?:\.raw\(\s*)?`/g)) {
    const text: string[] = [];
    skipTemplate(m.index + m[0].length, text);
    out.push(text.join(''));
  }
  return out;
}

/** The tables a source file's SQL names, and the identifiers it passes to drizzle's .from(…) / join(…). */
function tablesNamed(source: string): { sqlTables: string[]; fromIdentifiers: string[] } {
  const sqlTables = new Set<string>();
  for (const text of sqlTemplates(source)) {
    // Comments and string literals inside SQL name no table.
    const plain = text.replace(/--[^\n]*/g, ' ').replace(/'(?:[^']|'')*'/g, "''");
    for (const m of plain.matchAll(/\b(?:from|join|into|update|table|exists)\s+(?:only\s+)?((?:"?[a-z_][a-z0-9_]*"?\.)?"?[a-z_][a-z0-9_]*)"?/gi)) {
      sqlTables.add(m[1]!.toLowerCase().replaceAll('"', '').replace(/^public\./, ''));
    }
  }
  const fromIdentifiers = new Set<string>();
  for (const m of source.matchAll(/\.(?:from|(?:inner|left|right|full)?[jJ]oin|insert|update|delete)\(\s*([A-Za-z_$][\w$]*)\s*[,)]/g)) fromIdentifiers.add(m[1]!);
  return { sqlTables: [...sqlTables], fromIdentifiers: [...fromIdentifiers] };
}

/** Who owns each table, by its SQL name and by its drizzle export name (for .from(x)). */
function tableOwners(): { bySqlName: Map<string, string>; byExport: Map<string, string> } {
  const bySqlName = new Map<string, string>();
  const byExport = new Map<string, string>();
  for (const m of MODULES) {
    for (const [key, value] of Object.entries(m.tables ?? {})) {
      if (!is(value, PgTable)) continue;
      bySqlName.set(sqlName(value), m.name);
      byExport.set(key, m.name);
    }
  }
  return { bySqlName, byExport };
}

/** "module/file.ts: reads <table> (owned by <owner>)" for each SQL reference in `source` to another module's table. */
function foreignReads(moduleName: string, file: string, source: string, owners = tableOwners()): string[] {
  const found: string[] = [];
  const { sqlTables, fromIdentifiers } = tablesNamed(source);
  for (const t of sqlTables) {
    const owner = owners.bySqlName.get(t);
    if (owner && owner !== moduleName) found.push(`${moduleName}/${file}: its SQL names ${t} (owned by ${owner})`);
  }
  // .from(x) with x one of another module's tables, unless x is the module's own (declared or imported from its schema).
  const ownNames = new Set([...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'\.\/schema\.ts'/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim().split(/\s+as\s+/).at(-1)!)));
  for (const x of fromIdentifiers) {
    const owner = owners.byExport.get(x);
    if (owner && owner !== moduleName && !ownNames.has(x) && !new RegExp(`\\b(?:const|let|function)\\s+${x}\\b`).test(source)) {
      found.push(`${moduleName}/${file}: .from(${x}) reads ${owner}'s table`);
    }
  }
  return found;
}

test('the scan finds a module reading another module\'s table, in SQL text or through drizzle', () => {
  const owners = tableOwners();
  // What a breach looks like: insight counting repairs itself, and a join hidden in an interpolated fragment.
  assert.deepEqual(foreignReads('insight', 'x.ts', "const n = sql`select count(*) from repairs r where r.organisation_id = ${org}`;", owners),
    ['insight/x.ts: its SQL names repairs (owned by repairs)']);
  assert.deepEqual(foreignReads('insight', 'x.ts', 'const q = sql`select 1 from damp_mould_signals s ${sql`left join homes h on h.id = s.home_id`}`;', owners),
    ['insight/x.ts: its SQL names homes (owned by homes)']);
  // A table in its own schema is named with it: the hub's homes are not the homes module's.
  assert.deepEqual(foreignReads('insight', 'x.ts', 'const q = sql`select count(*) from hub.homes where publisher = ${p}`;', owners),
    ['insight/x.ts: its SQL names hub.homes (owned by hub)']);
  assert.deepEqual(foreignReads('hub', 'x.ts', 'const q = sql`select count(*) from hub.homes h join "hub"."blocks" b using (publisher)`;', owners), []);
  assert.deepEqual(foreignReads('demo', 'x.ts', 'await tx.select().from(dampMouldSignals).where(x);', owners),
    ["demo/x.ts: .from(dampMouldSignals) reads insight's table"]);
  // Its own tables, SQL words that are not tables, and text in quotes are not breaches.
  assert.deepEqual(foreignReads('repairs', 'x.ts', "sql`select extract(epoch from reported_date), 'from homes' from repairs where ${x}`", owners), []);
  assert.deepEqual(foreignReads('homes', 'x.ts', "import { homes } from './schema.ts';\nawait tx.select().from(homes);", owners), []);
});

test('no module reads another module\'s tables (SQL and drizzle reads in its source, schema.ts and tests aside)', () => {
  const owners = tableOwners();
  const found: string[] = [];
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name)) : d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') && d.name !== 'schema.ts' ? [path.join(dir, d.name)] : []);
  for (const m of MODULES) {
    const dir = path.join(here, m.name);
    for (const file of walk(dir)) found.push(...foreignReads(m.name, path.relative(dir, file), fs.readFileSync(file, 'utf8'), owners));
  }
  assert.deepEqual(found, []);
});
