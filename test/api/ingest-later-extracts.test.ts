// Issue 11, review of the first import: what a second extract, a sparse file or a changed key must not do. Each case
// failed before its fix: blocks named only by name merged across estates; a blank Postcode column hid the postcode in
// the address lines; a source that moved from UPRN keys to property references got a second copy of every home; a
// later extract's bad postcode unlinked a repair and a person from their home; a rejected tenancy row said a value was
// "left out" of a record that was never loaded; a home's "Full Address" with a control character was loaded without
// any address instead of being rejected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { listIssues } from '../../src/modules/ingest/service.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import type { RecordKind } from '../../src/modules/ingest/mapping.ts';
import { csvFiles } from '../support/csv-files.ts';

const csv = csvFiles('hearth-later-');

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); csv.remove(); });

async function load(org: string, kind: RecordKind, lines: string[], sourceSystem = 'housing') {
  const file = csv.write(lines);
  return ingestFile(h.store, { organisationId: org, file, sourceSystem, kind });
}
const rows = async <T>(org: string, q: ReturnType<typeof sql>) => (await h.store.withOrg(org, (tx) => tx.execute(q))).rows as T[];

test('blocks named with no postcode or street are kept apart by their estate, and never merged by name alone', async () => {
  const org = await landlord(h);
  const r = await load(org.id, 'homes', ['Prop Ref,UPRN,Block,Estate',
    'P1,100000000001,Attlee House,Kennington', 'P2,100000000002,Attlee House,Walworth', 'P3,100000000003,Attlee House,Walworth',
    'P4,100000000004,Bevan Court,']);
  assert.deepEqual([r.counts.created, r.counts.rejected], [4, 0]);
  const blocks = await rows<{ name: string; estate: string | null; homes: string }>(org.id, sql`select b.name, e.name as estate,
    (select string_agg(x.reference, ' ' order by x.reference) from homes x where x.organisation_id = b.organisation_id and x.block_id = b.id) as homes
    from blocks b left join estates e on e.organisation_id = b.organisation_id and e.id = b.estate_id order by b.name, e.name`);
  assert.deepEqual(blocks, [{ name: 'Attlee House', estate: 'Kennington', homes: 'P1' }, { name: 'Attlee House', estate: 'Walworth', homes: 'P2 P3' },
    { name: 'Bevan Court', estate: null, homes: 'P4' }]);
  // A block with nothing to place it is for review, and another source's "Bevan Court" is a different block.
  const issues = await h.store.withOrg(org.id, (tx) => listIssues({ actor: systemActor(org.id), tx }, r.importId));
  assert.deepEqual(issues.map((i) => [i.rowNumber, i.problems.map((p) => p.rule).join()]), [[5, 'block-not-placed']]);
  await load(org.id, 'homes', ['Asset Ref,UPRN,Block', 'A9,100000000009,Bevan Court'], 'asset-register');
  const bevans = await rows<{ n: number }>(org.id, sql`select count(*)::int as n from blocks where name = 'Bevan Court'`);
  assert.equal(bevans[0]!.n, 2);
  // The next extract (its rows in another order) changes nothing: the same blocks are found again.
  const again = await load(org.id, 'homes', ['Prop Ref,UPRN,Block,Estate',
    'P4,100000000004,Bevan Court,', 'P3,100000000003,Attlee House,Walworth', 'P2,100000000002,Attlee House,Walworth',
    'P1,100000000001,Attlee House,Kennington']);
  assert.deepEqual([again.counts.unchanged, again.counts.created], [4, 0]);
  assert.equal((await rows<{ n: number }>(org.id, sql`select count(*)::int as n from blocks`))[0]!.n, 4);
});

test('a blank Postcode column leaves the postcode written in the address lines', async () => {
  const org = await landlord(h);
  const r = await load(org.id, 'homes', ['Prop Ref,Address 1,Address 2,Postcode', 'Z1,5 Elm Road,Leeds LS7 3CC,', 'Z2,7 Elm Road,Leeds,LS7 3CD']);
  assert.equal(r.counts.created, 2, JSON.stringify(r.problems));
  const got = await rows<{ reference: string; postcode: string | null; street: string | null; town: string | null }>(org.id,
    sql`select reference, postcode, street, town from homes order by reference`);
  assert.deepEqual(got, [{ reference: 'Z1', postcode: 'LS7 3CC', street: 'Elm Road', town: 'Leeds' }, { reference: 'Z2', postcode: 'LS7 3CD', street: 'Elm Road', town: 'Leeds' }]);
});

test('a source that named its homes by UPRN and now by property reference (or back) keeps one copy of each home', async () => {
  const org = await landlord(h);
  await load(org.id, 'homes', ['UPRN,Address 1,Postcode', '200000000001,1 Ash Grove,LS6 1AA', '200000000002,2 Ash Grove,LS6 1AA'], 'asset');
  const r = await load(org.id, 'homes', ['Prop Ref,UPRN,Address 1,Postcode', 'AG1,200000000001,1 Ash Grove,LS6 1AA', 'AG2,200000000002,2 Ash Grove,LS6 1AA',
    'AG3,200000000003,3 Ash Grove,LS6 1AA'], 'asset');
  assert.deepEqual([r.counts.created, r.counts.updated + r.counts.unchanged], [1, 2]);
  const homes = await rows<{ uprn: string; reference: string | null }>(org.id, sql`select uprn, reference from homes order by uprn`);
  assert.deepEqual(homes, [{ uprn: '200000000001', reference: 'AG1' }, { uprn: '200000000002', reference: 'AG2' }, { uprn: '200000000003', reference: 'AG3' }]);
  // And back: a UPRN-keyed extract of the same source loads into the same homes.
  const back = await load(org.id, 'homes', ['UPRN,Address 1,Postcode', '200000000001,1 Ash Grove,LS6 1AA', '200000000003,3 Ash Grove,LS6 1AA'], 'asset');
  assert.equal(back.counts.created, 0, JSON.stringify(back.counts));
  assert.equal((await rows<{ n: number }>(org.id, sql`select count(*)::int as n from homes`))[0]!.n, 3);
  // Repairs naming a home by UPRN still find exactly one.
  const jobs = await load(org.id, 'repairs', ['Job No,UPRN,Job Description,Reported', 'J1,200000000001,Mould in bathroom,21/10/2026'], 'asset');
  assert.equal(jobs.counts.forReview, 0, JSON.stringify(jobs.problems));
});

test('a later extract with a bad postcode keeps a repair and a person linked to their home, and a person\'s address whole', async () => {
  const org = await landlord(h);
  await load(org.id, 'homes', ['Prop Ref,House No,Street,Town,Postcode', 'M1,9,Moor Road,Leeds,LS6 2BB']);
  const first = await load(org.id, 'repairs', ['Job No,House No,Street,Postcode,Job Description,Reported', 'J1,9,Moor Road,LS6 2BB,Black mould in bedroom,21/10/2026'], 'repairs');
  assert.equal(first.counts.forReview, 0, JSON.stringify(first.problems));
  await load(org.id, 'people', ['Tenant Ref,Forename,Surname,House No,Street,Town,Postcode', 'T1,Ann,Lee,9,Moor Road,Leeds,LS6 2BB']);
  const linkedBefore = await rows<{ home: string | null }>(org.id, sql`select home_id as home from repairs`);
  assert.ok(linkedBefore[0]!.home);

  const second = await load(org.id, 'repairs', ['Job No,House No,Street,Postcode,Job Description,Reported',
    'J1,9,Moor Road,LS6 2B,Black mould in bedroom and hall,21/10/2026', 'J2,1,Elm Road,LS7 3CC,Leaking tap,22/10/2026'], 'repairs');
  assert.equal(second.counts.warnings, 1, JSON.stringify(second.problems));
  const jobs = await rows<{ job_reference: string; home_id: string | null; home_named: string | null; description: string }>(org.id,
    sql`select job_reference, home_id, home_named, description from repairs order by job_reference`);
  assert.equal(jobs[0]!.home_id, linkedBefore[0]!.home, 'J1 keeps its home');
  assert.equal(jobs[0]!.home_named, null);
  assert.equal(jobs[0]!.description, 'Black mould in bedroom and hall', 'the rest of the row still loads');
  const signs = await rows<{ n: number }>(org.id, sql`select count(*)::int as n from damp_mould_signals where home_id = ${linkedBefore[0]!.home}`);
  assert.equal(signs[0]!.n, 1, 'its sign of mould stays on the home');

  const people = await load(org.id, 'people', ['Tenant Ref,Forename,Surname,House No,Street,Town,Postcode', 'T1,Ann,Lee,9,Moor Road,Leeds,LS6 2B']);
  assert.equal(people.counts.warnings, 1);
  const [ann] = await rows<{ home_id: string | null; address: { postcode?: string } }>(org.id, sql`select home_id, address from people`);
  assert.equal(ann!.home_id, linkedBefore[0]!.home);
  assert.equal((typeof ann!.address === 'string' ? JSON.parse(ann!.address) : ann!.address).postcode, 'LS6 2BB');
});

test('a rejected tenancy row lists its unknown code without saying it was loaded', async () => {
  const org = await landlord(h);
  await load(org.id, 'homes', ['Prop Ref,House No,Street,Town,Postcode', 'M1,9,Moor Road,Leeds,LS6 2BB']);
  const r = await load(org.id, 'tenancies', ['Tenancy Ref,Prop Ref,Start Date,Tenancy Type', 'TEN1,NOPE,15/04/2020,Lease of a castle', 'TEN2,M1,15/04/2020,Secure']);
  assert.deepEqual([r.counts.created, r.counts.rejected, r.counts.warnings], [1, 1, 0]);
  const [issue] = await h.store.withOrg(org.id, (tx) => listIssues({ actor: systemActor(org.id), tx }, r.importId, { outcome: 'rejected', limit: 10 }));
  assert.deepEqual(issue!.problems.map((p) => p.rule).sort(), ['code-unknown', 'home-not-matched']);
  for (const p of issue!.problems) {
    assert.equal(p.outcome, undefined, p.message);
    assert.doesNotMatch(p.message, /left out|loaded as/i);
  }
});

test('a home\'s single address field with a control character rejects the row, naming the column', async () => {
  const org = await landlord(h);
  const r = await load(org.id, 'homes', ['Prop Ref,Full Address', 'F1,"5 Elm Road\u0000, Leeds LS7 3CC"', 'F2,"7 Elm Road, Leeds LS7 3CD"']);
  assert.deepEqual([r.counts.created, r.counts.rejected], [1, 1], JSON.stringify(r.problems));
  const [issue] = await h.store.withOrg(org.id, (tx) => listIssues({ actor: systemActor(org.id), tx }, r.importId, { outcome: 'rejected', limit: 10 }));
  assert.equal(issue!.problems[0]!.column, 'Full Address');
});
