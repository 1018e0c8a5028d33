// One description per field (issue 12): a stored field's column name and type are described once, by its table's
// drizzle definition (<module>/schema.ts); bulk-load specs and SQL JSON are derived from it by property name
// (platform/records/bulk.ts bulkColumns, platform/db/table-fields.ts jsonObjectOf). These tests catch a field
// described a second time: an import field that is neither a column nor declared as feeding one, a bulk column
// or JSON key written out by hand, a derived spec or JSON object whose names are not the table's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { getTableColumns, getTableName, is, sql, Column } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { MODULES } from './index.ts';
import { installModules } from '../platform/modules.ts';
import { importKinds } from '../platform/records/load.ts';
import { bulkColumns } from '../platform/records/bulk.ts';
import { jsonObjectOf } from '../platform/db/table-fields.ts';
import { homes } from './homes/schema.ts';
import { people } from './people/schema.ts';

installModules(MODULES);
const here = import.meta.dirname;

test('every field a file can give is a column of its kind\'s table, or declared as feeding another column or not stored', () => {
  const kinds = importKinds();
  assert.ok(kinds.length >= 6);
  for (const k of kinds) {
    const stores = k.stores;
    assert.ok(stores, `import kind ${k.kind} does not say where its fields are stored (ImportKind.stores)`);
    const columns: Record<string, Column> = getTableColumns(stores.table);
    const fields = new Set(k.fields.map((f) => f.field));
    for (const field of fields) {
      const other: Column | string | undefined = stores.otherwise[field];
      if (other === undefined) {
        assert.ok(Object.hasOwn(columns, field), `${k.kind}: field ${field} is not a column of ${getTableName(stores.table)} and is not declared in stores.otherwise`);
      } else if (Object.hasOwn(columns, field)) {
        // A field named as a column of its table is that column; declaring it as feeding another would describe it twice.
        assert.equal(other, columns[field], `${k.kind}: field ${field} is a column of ${getTableName(stores.table)} but is declared as feeding another`);
      } else {
        assert.ok(typeof other === 'string' ? other.trim().length > 0 : is(other, Column), `${k.kind}: ${field} must name the column it feeds, or why it is not stored`);
      }
    }
    for (const declared of Object.keys(stores.otherwise)) assert.ok(fields.has(declared), `${k.kind}: stores.otherwise names ${declared}, which is not one of its fields`);
  }
});

test('a bulk spec derived from a table takes each column\'s name and type from it, keyed by property; an unknown property is refused', () => {
  const cols = bulkColumns(homes, ['uprn', 'addressLines', 'bedrooms', 'blockId'], { blockId: { from: 'blockName' } });
  assert.deepEqual(cols, [
    { column: 'uprn', type: 'text', field: 'uprn' },
    { column: 'address_lines', type: 'jsonb', field: 'addressLines' },
    { column: 'bedrooms', type: 'integer', field: 'bedrooms' },
    { from: 'blockName', column: 'block_id', type: 'uuid', field: 'blockId' },
  ]);
  assert.throws(() => bulkColumns(homes, ['bedroomz' as 'bedrooms']), /homes has no field bedroomz/);
});

test('a JSON object composed in SQL is keyed by property name, its values the table\'s columns, with no parameters', () => {
  const q = new PgDialect().sqlToQuery(sql`select ${jsonObjectOf(people, 'p', ['givenName', 'middleNames', 'createdAt'], { extra: sql`1` })}`);
  assert.deepEqual(q.params, []);
  assert.equal(q.sql, `select json_build_object('givenName', "p"."given_name", 'middleNames', "p"."middle_names", ` +
    `'createdAt', to_char("p"."created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'extra', 1)`);
  assert.throws(() => jsonObjectOf(people, 'p', ["x', 1) --" as 'title']));
});

// The sources themselves: a new field written out by hand beside its table's definition is a second description.
const sources = fs.readdirSync(here, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('demo' + path.sep))
  .map((f) => ({ file: f, text: fs.readFileSync(path.join(here, f), 'utf8') }));

test('no import spells out a bulk column by hand: its columns come from its table (bulkColumns)', () => {
  const found = sources.filter((s) => /\{\s*column:\s*'[a-z_]+',\s*type:\s*'/.test(s.text)).map((s) => s.file);
  assert.deepEqual(found, []);
});

test('no JSON object in SQL pairs a property with its column by hand: jsonObjectOf derives them from the table', () => {
  // 'givenName', p.given_name — a key that is a column's property name, next to that column: both describe one field.
  const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const found: string[] = [];
  for (const s of sources) {
    for (const m of s.text.matchAll(/json_build_object\(([\s\S]{0,800})/g)) {
      for (const pair of m[1]!.matchAll(/'([A-Za-z]+)',\s*[a-z]\.([a-z_]+)\b/g)) {
        if (camel(pair[2]!) === pair[1]) found.push(`${s.file}: '${pair[1]}', ${pair[2]}`);
      }
    }
  }
  assert.deepEqual(found, []);
});
