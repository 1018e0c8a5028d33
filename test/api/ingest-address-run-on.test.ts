// A repairs or ASB system that writes an address on one line without commas runs the street on into the locality
// ("9 Hill St Headingley"). The home it names is found when the words after the street are the home's own locality or
// town; any other words after the street still match nothing (never a guess).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { csvFiles } from '../support/csv-files.ts';

let h: Harness;
const csv = csvFiles('hearth-address-run-on-');
before(async () => {
  h = await harness();
});
after(async () => { await h.close(); csv.remove(); });

async function load(org: string, kind: string, lines: string[]) {
  return ingestFile(h.store, { organisationId: org, file: csv.write(lines), sourceSystem: 'legacy', kind });
}

test('a street run on into the home\'s locality or town on one line finds the home; other words after the street do not', async () => {
  const org = await landlord(h);
  await load(org.id, 'homes', [
    'Prop Ref,Address 1,Address 2,Address 3,Postcode',
    'H1,9 Hill Street,Headingley,Leeds,LS6 1AB',
    'H2,11 Hill Street,Headingley,Leeds,LS6 1AB',
    'H3,129 Grange Gardens,Chapel Allerton,,LS7 3PQ', // no town: the second line is read as the town
  ]);
  const r = await load(org.id, 'repairs', [
    'Job No,Address 1,Postcode,Job Description',
    'J1,9 Hill St Headingley,LS6 1AB,Leaking tap',
    'J2,11 Hill St Headingley Leeds,ls61ab,Broken window',
    'J3,129 Grange Gdns Chapel Allerton,LS7 3PQ,Mould in bedroom',
    'J4,9 Hill St Meanwood,LS6 1AB,Gutter', // words after the street that are not the home's: no match
    'J5,9 Hill Street,LS6 1AB,Fence',
  ]);
  assert.equal(r.counts.rejected, 0, JSON.stringify(r.counts));
  const linked = new Map((await h.store.withOrg(org.id, async (tx) => (await tx.execute(sql`select r.job_reference, h.reference from repairs r
    left join homes h on h.organisation_id = r.organisation_id and h.id = r.home_id where r.organisation_id = ${org.id}`)).rows as { job_reference: string; reference: string | null }[]))
    .map((x) => [x.job_reference, x.reference]));
  assert.deepEqual(Object.fromEntries(linked), { J1: 'H1', J2: 'H2', J3: 'H3', J4: null, J5: 'H1' });
});
