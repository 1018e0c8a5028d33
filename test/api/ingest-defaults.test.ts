// Defaults a loader fills in for NOT NULL columns a file does not map (a home's property type, a tenancy's type and
// tenure), end to end against the real database: they are written when the record is created, and a later extract
// that still does not map the column never puts the default back over a value set since (through the API), nor
// records a change for it. A file that does map the column still updates it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import { ingestFile, type IngestFileResult } from '../../src/modules/ingest/cli.ts';

let h: Harness;
let dir: string;
before(async () => {
  h = await harness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-ingest-defaults-'));
});
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

let files = 0;
const csv = (lines: string[]) => lines.join('\r\n') + '\r\n';
/** `reExported`: the same rows as another extract would write them (other line endings); the very same file is only said to be loaded already. */
async function load(org: string, kind: string, lines: string[], options: { reExported?: boolean } = {}): Promise<IngestFileResult> {
  const file = path.join(dir, `file-${++files}.csv`);
  fs.writeFileSync(file, options.reExported ? lines.join('\n') + '\n' : csv(lines));
  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem: 'northgate', kind });
  const c = r.counts;
  assert.equal(c.created + c.updated + c.unchanged + c.rejected + c.duplicates, c.rowsRead, 'every row read has one outcome');
  assert.equal(c.rejected, 0, JSON.stringify(r.problems));
  return r;
}
async function rows<T>(org: string, query: ReturnType<typeof sql>): Promise<T[]> {
  return h.store.withOrg(org, async (tx) => (await tx.execute(query)).rows as T[]);
}
/** The changes an import recorded, as "record field: old → new", sorted. */
async function changes(org: string, r: IngestFileResult): Promise<string[]> {
  const list = await rows<{ ref: string; field: string; old_value: string | null; new_value: string | null }>(org, sql`
    select coalesce(h.reference, t.reference) as ref, c.field, c.old_value, c.new_value from record_changes c
    left join homes h on h.organisation_id = c.organisation_id and h.id = c.record_id
    left join tenancies t on t.organisation_id = c.organisation_id and t.id = c.record_id
    where c.import_id = ${r.importId}`);
  return list.map((c) => `${c.ref} ${c.field}: ${c.old_value ?? ''} → ${c.new_value ?? ''}`).sort();
}
/** PATCH a record through the API with its current ETag. */
async function patch(l: Landlord, url: string, body: Record<string, unknown>) {
  const H = l.as['housing-officer'];
  const current = await api(h, 'GET', url, H);
  assert.equal(current.status, 200);
  const res = await api(h, 'PATCH', url, { ...H, 'if-match': String(current.headers.etag) }, body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

const HOMES_NO_TYPE = ['Prop Ref,UPRN,House No,Street,Town,Post Code,Bedrooms',
  'P1,100023336956,1,Moor Road,Leeds,LS6 1AA,2',
  'P2,100023336957,2,Moor Road,Leeds,LS6 1AA,3'];

async function homeIds(org: string) {
  return new Map((await rows<{ reference: string; id: string }>(org, sql`select reference, id from homes`)).map((x) => [x.reference, x.id]));
}
async function homeTypes(org: string) {
  return Object.fromEntries((await rows<{ reference: string; property_type: string; bedrooms: number | null }>(org,
    sql`select reference, property_type, bedrooms from homes order by reference`)).map((x) => [x.reference, `${x.property_type}/${x.bedrooms}`]));
}

test('a homes file without a property type never puts the default back over a type set since', async () => {
  const l = await landlord(h);
  const first = await load(l.id, 'homes', HOMES_NO_TYPE);
  assert.equal(first.counts.created, 2);
  assert.deepEqual(await homeTypes(l.id), { P1: 'other/2', P2: 'other/3' }, 'new homes get the default');

  const ids = await homeIds(l.id);
  const patched = await patch(l, `/api/v1/homes/${ids.get('P1')}`, { propertyType: 'flat' });
  assert.equal(patched.propertyType, 'flat');

  // The same file again: nothing at all changes.
  const same = await load(l.id, 'homes', HOMES_NO_TYPE, { reExported: true });
  assert.equal(same.counts.unchanged, 2);
  assert.equal(same.counts.updated, 0);
  assert.deepEqual(await changes(l.id, same), []);
  assert.deepEqual(await homeTypes(l.id), { P1: 'flat/2', P2: 'other/3' });

  // A later extract with the bedrooms of P1 changed: those are updated and recorded, the type is left alone.
  const later = await load(l.id, 'homes', [HOMES_NO_TYPE[0]!, 'P1,100023336956,1,Moor Road,Leeds,LS6 1AA,4', HOMES_NO_TYPE[2]!]);
  assert.equal(later.counts.updated, 1);
  assert.equal(later.counts.unchanged, 1);
  assert.deepEqual(await changes(l.id, later), ['P1 bedrooms: 2 → 4']);
  assert.deepEqual(await homeTypes(l.id), { P1: 'flat/4', P2: 'other/3' });
  const version = (await rows<{ version: number }>(l.id, sql`select version from homes where reference = 'P1'`))[0]!.version;
  assert.equal(version, 3, 'created (1), the API (2), the later extract (3)');
});

test('a homes file that maps the property type still updates it, and records the change', async () => {
  const l = await landlord(h);
  const header = 'Prop Ref,UPRN,House No,Street,Town,Post Code,Prop Type';
  const first = await load(l.id, 'homes', [header, 'P1,100023336958,1,Hill Street,Leeds,LS6 2BB,Flat', 'P2,100023336959,2,Hill Street,Leeds,LS6 2BB,House']);
  assert.equal(first.counts.created, 2);
  const ids = await homeIds(l.id);
  await patch(l, `/api/v1/homes/${ids.get('P2')}`, { propertyType: 'bungalow' });

  const later = await load(l.id, 'homes', [header, 'P1,100023336958,1,Hill Street,Leeds,LS6 2BB,Maisonette', 'P2,100023336959,2,Hill Street,Leeds,LS6 2BB,House']);
  assert.equal(later.counts.updated, 2);
  assert.deepEqual(await changes(l.id, later), ['P1 propertyType: flat → maisonette', 'P2 propertyType: bungalow → house']);
  assert.deepEqual(await homeTypes(l.id), { P1: 'maisonette/null', P2: 'house/null' });
});

test('a tenancies file without tenancy type or tenure never puts "unknown" back over values set since', async () => {
  const l = await landlord(h);
  await load(l.id, 'homes', HOMES_NO_TYPE);
  const header = 'Tenancy Ref,Prop Ref,Tenancy Start,End Date';
  const file = [header, 'TEN1,P1,2015-06-01,', 'TEN2,P2,2018-01-15,'];
  const first = await load(l.id, 'tenancies', file);
  assert.equal(first.counts.created, 2);
  const state = async () => Object.fromEntries((await rows<{ reference: string; tenancy_type: string; tenure: string; end_date: string | null }>(l.id,
    sql`select reference, tenancy_type, tenure, end_date::text from tenancies order by reference`)).map((t) => [t.reference, `${t.tenancy_type}/${t.tenure}/${t.end_date ?? ''}`]));
  const sourceValues = async (ref: string) => (await rows<{ source_values: Record<string, unknown> }>(l.id,
    sql`select source_values from source_references where entity_kind = 'tenancy' and source_id = ${ref}`))[0]!.source_values;
  assert.deepEqual(await state(), { TEN1: 'unknown/unknown/', TEN2: 'unknown/unknown/' }, 'new tenancies get the defaults');
  assert.equal('tenancyType' in await sourceValues('TEN1'), false, 'a default is not a value the source gave');
  assert.equal('tenure' in await sourceValues('TEN1'), false);

  const ids = new Map((await rows<{ reference: string; id: string }>(l.id, sql`select reference, id from tenancies`)).map((x) => [x.reference, x.id]));
  const patched = await patch(l, `/api/v1/tenancies/${ids.get('TEN1')}`, { tenancyType: 'secure', tenure: 'social-rent' });
  assert.equal(patched.tenancyType, 'secure');

  const same = await load(l.id, 'tenancies', file, { reExported: true });
  assert.equal(same.counts.unchanged, 2);
  assert.deepEqual(await changes(l.id, same), []);
  assert.deepEqual(await state(), { TEN1: 'secure/social-rent/', TEN2: 'unknown/unknown/' });

  // A later extract ending TEN1: the end date is updated and recorded; type and tenure stay as set.
  const later = await load(l.id, 'tenancies', [header, 'TEN1,P1,2015-06-01,2024-03-31', file[2]!]);
  assert.equal(later.counts.updated, 1);
  assert.deepEqual(await changes(l.id, later), ['TEN1 endDate:  → 2024-03-31']);
  assert.deepEqual(await state(), { TEN1: 'secure/social-rent/2024-03-31', TEN2: 'unknown/unknown/' });
  const values = await sourceValues('TEN1');
  assert.equal(values.endDate, '2024-03-31');
  assert.equal('tenancyType' in values, false);
  assert.equal('tenure' in values, false);

  // A file that maps tenure (but not the type) updates the tenure and records it; the type is still left alone.
  const withTenure = await load(l.id, 'tenancies', ['Tenancy Ref,Prop Ref,Tenancy Start,End Date,Tenure',
    'TEN1,P1,2015-06-01,2024-03-31,Affordable Rent', 'TEN2,P2,2018-01-15,,Social Rent']);
  assert.equal(withTenure.counts.updated, 2);
  assert.deepEqual(await changes(l.id, withTenure), ['TEN1 tenure: social-rent → affordable-rent', 'TEN2 tenure: unknown → social-rent']);
  assert.deepEqual(await state(), { TEN1: 'secure/affordable-rent/2024-03-31', TEN2: 'unknown/social-rent/' });
  assert.equal((await sourceValues('TEN2')).tenure, 'social-rent');
});
