// Blocks and estates from a homes file: told apart by the landlord's block reference where the file has one, else by
// name within the postcode (or street), so buildings that share a name on different estates are never merged, and the
// higher-risk register counts each building once with its own height.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, type Harness } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { csvFiles } from '../support/csv-files.ts';

const csv = csvFiles('hearth-ingest-blocks-');

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); csv.remove(); });

async function load(org: string, lines: string[]) {
  const file = csv.write(lines);
  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem: 'northgate', kind: 'homes' });
  assert.equal(r.counts.rejected, 0, JSON.stringify(r.counts));
  return r;
}
type BlockRow = { id: string; name: string; reference: string | null; postcode: string | null; storeys: number | null; height: string | null; units: number | null; homes: number; estate: string | null };
async function blocks(org: string): Promise<BlockRow[]> {
  return h.store.withOrg(org, async (tx) => (await tx.execute(sql`select b.id, b.name, b.reference, b.postcode, b.storeys, b.height_metres::text as height,
    b.residential_units as units, e.name as estate, (select count(*)::int from homes x where x.organisation_id = b.organisation_id and x.block_id = b.id) as homes
    from blocks b left join estates e on e.organisation_id = b.organisation_id and e.id = b.estate_id order by b.reference, b.postcode`)).rows as BlockRow[]);
}

test('three "Attlee House" blocks on different estates stay three, keyed by "Block Ref", each with its own height; the register counts them right', async () => {
  const org = await landlord(h);
  const r = await load(org.id, [
    'Prop Ref,Flat,Block Ref,Block,Estate,Street,Post Code,Storeys,Height,Residential Units',
    'P1,Flat 1,B01,Attlee House,Kennington Estate,Kennington Road,SE11 4AA,12,36,48',
    'P2,Flat 2,B01,Attlee House,Kennington Estate,Kennington Road,SE11 4AA,12,36,48',
    'P3,Flat 1,B02,Attlee House,Walworth Estate,East Street,SE17 2AA,4,11,8',
    'P4,Flat 2,B02,Attlee House,Walworth Estate,East Street,SE17 2AA,4,11,8',
    'P5,Flat 1,B03,Attlee House,Tower Estate,Cable Street,E1 8AA,8,24,30',
    'P6,Flat 2,B03,Attlee House,Tower Estate,Cable Street,E1 8AA,8,24,30',
  ]);
  assert.equal(r.counts.forReview, 0, 'no building fact conflicts: each row is about its own building');
  const got = await blocks(org.id);
  assert.deepEqual(got.map((b) => [b.reference, b.name, b.estate, b.storeys, Number(b.height), b.units, b.homes]), [
    ['B01', 'Attlee House', 'Kennington Estate', 12, 36, 48, 2],
    ['B02', 'Attlee House', 'Walworth Estate', 4, 11, 8, 2],
    ['B03', 'Attlee House', 'Tower Estate', 8, 24, 30, 2],
  ]);

  // The same extract again changes nothing: the blocks are found by their reference, not made again.
  await load(org.id, [
    'Prop Ref,Flat,Block Ref,Block,Estate,Street,Post Code,Storeys,Height,Residential Units',
    'P1,Flat 1,B01,Attlee House,Kennington Estate,Kennington Road,SE11 4AA,12,36,48',
    'P7,Flat 3,B02,Attlee House,Walworth Estate,East Street,SE17 2AA,4,11,8',
  ]);
  const again = await blocks(org.id);
  assert.deepEqual(again.map((b) => [b.reference, b.homes]), [['B01', 2], ['B02', 3], ['B03', 2]]);

  const listed = await api(h, 'GET', '/api/v1/blocks?limit=10', org.as.analyst);
  assert.deepEqual(listed.body.items.map((b: { reference: string }) => b.reference).sort(), ['B01', 'B02', 'B03'], 'the API shows each block’s reference');

  const reg = await api(h, 'GET', '/api/v1/insight/higher-risk-buildings', org.as.analyst);
  assert.equal(reg.status, 200, JSON.stringify(reg.body));
  assert.deepEqual(reg.body.counts, { blocks: 3, higherRisk: 2, dataNeeded: 0, notHigherRisk: 1 });
});

test('without a block reference, blocks that share a name are told apart by postcode (or street), never merged', async () => {
  const org = await landlord(h);
  await load(org.id, [
    'Prop Ref,Flat,Block,Estate,Street,Post Code,Storeys',
    'P1,Flat 1,Attlee House,Kennington Estate,Kennington Road,SE11 4AA,12',
    'P2,Flat 2,attlee house,Kennington Estate,Kennington Road,SE11 4AA,12',
    'P3,Flat 1,Attlee House,Walworth Estate,East Street,SE17 2AA,4',
  ]);
  await load(org.id, [
    'Prop Ref,Flat,Block,Street,Storeys',
    'Q1,Flat 1,Attlee House,Cable Street,8',
    'Q2,Flat 2,Attlee House,Cable Street,8',
    'Q3,Flat 1,Attlee House,Mile End Road,5',
  ]);
  const got = await blocks(org.id);
  assert.equal(got.length, 4, JSON.stringify(got));
  assert.deepEqual(got.map((b) => [b.postcode, b.storeys, b.homes]).sort((x, y) => Number(x[1]) - Number(y[1])),
    [['SE17 2AA', 4, 1], [null, 5, 1], [null, 8, 2], ['SE11 4AA', 12, 2]]);
});
