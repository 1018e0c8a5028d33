// Repairs and notes loaded before their home keep what they named; when the home is written they are linked by one
// helper (homes/waiting.ts), each for its own table: with the record's history, an audit row and its own fields.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { linkWhenHomesArrive } from '../../src/modules/homes/waiting.ts';
import { csvFiles } from '../support/csv-files.ts';

const csv = csvFiles('hearth-waiting-');

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); csv.remove(); });

async function load(org: string, kind: string, lines: string[]) {
  const file = csv.write(lines);
  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem: kind === 'homes' ? 'housing' : `${kind}-system`, kind });
  assert.equal(r.counts.rejected, 0, JSON.stringify(r.counts));
  return r;
}
async function rows<T>(org: string, query: ReturnType<typeof sql>): Promise<T[]> {
  return h.store.withOrg(org, async (tx) => (await tx.execute(query)).rows as T[]);
}
const HOMES = 'Prop Ref,UPRN,House No,Street,Town,Post Code';

test('a repair and a note that named a home not yet loaded are linked when it arrives, each with its history and audit row', async () => {
  const org = (await landlord(h)).id;
  await load(org, 'homes', [HOMES, 'P1,100023336001,1,Hill Street,Leeds,LS6 2BB']);
  await load(org, 'repairs', ['Job No,Prop Ref,Reported,Description', 'J1,P9,21/03/2024,Damp in the bedroom']);
  await load(org, 'notes', ['Note ID,Linked To,Linked Ref,Created On,Note Text',
    'N1,Property,P9,22/03/2024,Mould in the bathroom', 'N2,Customer,P9,23/03/2024,Asked about a transfer']);
  const waiting = await rows<{ kind: string; named: string | null }>(org, sql`select 'repair' as kind, home_named as named from repairs
    union all select 'note:' || subject_kind, subject_named from notes order by 1`);
  assert.deepEqual(waiting.map((w) => [w.kind, w.named]), [
    ['note:home', 'property reference P9'], ['note:person', 'person reference P9'], ['repair', 'property reference P9']]);

  const homes = await load(org, 'homes', [HOMES, 'P9,100023336009,9,Hill Street,Leeds,LS6 2BB']);
  const p9 = (await rows<{ id: string }>(org, sql`select id from homes where reference = 'P9'`))[0]!.id;
  const repair = (await rows<{ id: string; home_id: string; home_named: string | null; version: number }>(org,
    sql`select id, home_id, home_named, version from repairs`))[0]!;
  assert.deepEqual([repair.home_id, repair.home_named, repair.version], [p9, null, 2]);
  const notes = await rows<{ id: string; subject_kind: string; home_id: string | null; person_id: string | null; subject_named: string | null; version: number }>(org,
    sql`select id, subject_kind, home_id, person_id, subject_named, version from notes order by subject_kind`);
  assert.deepEqual(notes.map((n) => [n.subject_kind, n.home_id, n.person_id, n.subject_named, n.version]), [
    ['home', p9, null, null, 2], ['person', null, null, 'person reference P9', 1]], 'the note about a person still waits for its person');

  // The history names the import that brought the home; the audit log says who linked what.
  const changes = await rows<{ entity_kind: string; field: string; old_value: string | null; new_value: string | null; import_id: string }>(org,
    sql`select entity_kind, field, old_value, new_value, import_id from record_changes order by entity_kind, field`);
  assert.deepEqual(changes.map((c) => [c.entity_kind, c.field, c.old_value, c.new_value, c.import_id]), [
    ['note', 'homeId', null, p9, homes.importId], ['note', 'subjectNamed', 'property reference P9', null, homes.importId],
    ['repair', 'homeId', null, p9, homes.importId], ['repair', 'homeNamed', 'property reference P9', null, homes.importId]]);
  const audits = await rows<{ actor_kind: string; actor_name: string; action: string; entity_kind: string; entity_id: string; detail: unknown }>(org,
    sql`select actor_kind, actor_name, action, entity_kind, entity_id, detail from audit_events where detail ? 'linkedWhenHomeArrived' order by entity_kind`);
  assert.deepEqual(audits.map((a) => [a.actor_kind, a.actor_name, a.action, a.entity_kind, a.entity_id, a.detail]), [
    ['system', 'linking notes to homes', 'update', 'note', notes[0]!.id, { fields: ['homeId', 'subjectNamed'], linkedWhenHomeArrived: true }],
    ['system', 'linking repairs to homes', 'update', 'repair', repair.id, { fields: ['homeId', 'homeNamed'], linkedWhenHomeArrived: true }]]);

  // The same homes again link nothing more.
  await load(org, 'homes', [HOMES, 'P1,100023336001,1,Hill Street,Leeds,LS6 2BB', 'P9,100023336009,9,Hill Street,Leeds,LS6 2BB']);
  assert.equal((await rows(org, sql`select 1 from record_changes`)).length, 4);
});

test('the table and column names a module gives are plain identifiers, else it fails at start', () => {
  const spec = { table: 'repairs', namedColumn: 'home_named', entityKind: 'repair', namedField: 'homeNamed', actor: 'linking' } as const;
  assert.doesNotThrow(() => linkWhenHomesArrive(spec));
  assert.throws(() => linkWhenHomesArrive({ ...spec, table: 'repairs; drop table homes' }), /not a plain identifier: repairs; drop table homes/);
  assert.throws(() => linkWhenHomesArrive({ ...spec, namedColumn: 'home"named' }), /not a plain identifier/);
  assert.throws(() => linkWhenHomesArrive({ ...spec, waitingWhen: { 'Subject Kind': 'home' } }), /not a plain identifier: Subject Kind/);
  assert.throws(() => linkWhenHomesArrive({ ...spec, linkOnlyIfNull: ['person_id or true'] }), /not a plain identifier/);
});
