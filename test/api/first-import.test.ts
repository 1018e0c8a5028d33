// Issue 11, "done when": a new landlord's first import, tried as a new user would. Three systems' extracts of the same
// landlord (a housing system, a repairs system's contacts and jobs, an ASB system's parties) are generated here from
// one seeded synthetic truth, with the noise real extracts have (typos, nicknames, initials, capitals, missing values,
// abbreviations, invalid phones, a title row, mm/dd dates among dd/mm), and uploaded through POST /api/v1/imports
// with the SUGGESTED mappings only. Then: no file refused, ≥ 99% of rows loaded (the rest rejected for a reason a
// person would agree with), every address kept and parsed, every block kept apart, the higher-risk and the damp and
// mould registers right, and people from the three systems linked (as the app links them after each import) with
// pairwise F1 ≥ 0.97 against the truth.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import { linksCsvRows } from '../../src/modules/linkage/service.ts';
import { seededRandom } from '../../src/platform/random.ts';

let h: Harness;
let L: Landlord;
before(async () => { h = await harness(); L = await landlord(h, 'First import landlord'); });
after(async () => { await h?.close(); });

// ---- the truth ----------------------------------------------------------------------------------------------------

/** mulberry32: a small seeded generator, so the files are the same on every run. */
const rng = seededRandom;
const rand = rng(11);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const chance = (p: number) => rand() < p;

// Given names with a nickname where one is common, and whether a title is Mr or Ms/Mrs.
const MEN: [string, string | null][] = [['Robert', 'Bob'], ['William', 'Bill'], ['James', 'Jim'], ['Thomas', 'Tom'], ['Daniel', 'Dan'], ['Michael', 'Mike'],
  ['Christopher', 'Chris'], ['Anthony', 'Tony'], ['Joseph', 'Joe'], ['Edward', 'Ed'], ['Imran', null], ['Kieran', null], ['Oliver', null], ['Rhys', null],
  ['Tariq', null], ['Victor', null], ['Gareth', null], ['Liam', null], ['Nathan', null], ['Samuel', 'Sam'], ['Harry', null], ['Callum', null]];
const WOMEN: [string, string | null][] = [['Elizabeth', 'Liz'], ['Margaret', 'Maggie'], ['Catherine', 'Kate'], ['Susan', 'Sue'], ['Jennifer', 'Jenny'],
  ['Rebecca', 'Becky'], ['Aisha', null], ['Chloe', null], ['Emma', null], ['Grace', null], ['Jade', null], ['Lucy', null], ['Niamh', null], ['Priya', null],
  ['Sophie', null], ['Uma', null], ['Wendy', null], ['Yasmin', null], ['Amelia', null], ['Eleanor', null], ['Fatima', null], ['Hannah', null]];
const FAMILY = ['Morgan', 'Okafor', 'Patel', 'Hughes', 'Evans', 'Khan', 'Walsh', 'Nowak', 'Campbell', 'Murphy', 'Ahmed', 'Taylor', 'Brown', 'Wilson',
  'Davies', 'Clarke', 'Lewis', 'Baker', 'Hall', 'Wood', 'Green', 'Price', 'Bell', 'Cooper', 'Ward', 'Kelly', 'Harris', 'Martin', 'Jackson', 'Thompson',
  'White', 'Robinson', 'Wright', 'Edwards', 'Turner', 'Hill', 'Scott', 'Mitchell', 'Carter', 'Phillips', 'Parker', 'Collins', 'Stewart', 'Bennett',
  'Cook', 'Rogers', 'Reid', 'Morris', 'Foster', 'Howard', 'Gray', 'Fraser', 'Hussain', 'Begum', 'Kowalski', 'Singh', 'Jones-Hart', 'Ellis', 'Shaw', 'Lloyd'];

interface Block { ref: string; name: string; number: string; street: string; postcode: string; storeys: number; height: number | null; higherRisk: boolean }
// Three buildings called Attlee House and two called Bevan Court, on different streets: never to be merged.
const BLOCKS: Block[] = [
  { ref: 'B01', name: 'Attlee House', number: '2', street: 'Moor Road', postcode: 'LS6 4AA', storeys: 8, height: 24, higherRisk: true },
  { ref: 'B02', name: 'Attlee House', number: '15', street: 'Church Lane', postcode: 'LS7 2BD', storeys: 4, height: 12, higherRisk: false },
  { ref: 'B03', name: 'Attlee House', number: '40', street: 'Stonegate Road', postcode: 'LS6 4HQ', storeys: 7, height: null, higherRisk: true },
  { ref: 'B04', name: 'Bevan Court', number: '1', street: 'Kirkstall Lane', postcode: 'LS5 3BE', storeys: 11, height: 33, higherRisk: true },
  { ref: 'B05', name: 'Bevan Court', number: '9', street: 'Chapel Street', postcode: 'LS13 2DW', storeys: 3, height: 9, higherRisk: false },
  { ref: 'B06', name: 'Morris Tower', number: '5', street: 'Town Street', postcode: 'LS12 3HN', storeys: 5, height: 15, higherRisk: false },
  { ref: 'B07', name: 'Keir Hardie House', number: '22', street: 'Beeston Road', postcode: 'LS11 6AB', storeys: 2, height: 6, higherRisk: false },
  { ref: 'B08', name: 'Nye Bevan House', number: '3', street: 'Cardigan Road', postcode: 'LS6 3BJ', storeys: 12, height: 36, higherRisk: true },
];
const STREETS = [
  { street: 'Hill Street', abbr: 'Hill St', locality: 'Headingley', postcode: 'LS6 1AB' },
  { street: 'Oak Avenue', abbr: 'Oak Ave', locality: 'Meanwood', postcode: 'LS6 2DE' },
  { street: 'Kirkstall Road', abbr: 'Kirkstall Rd', locality: 'Burley', postcode: 'LS4 2HG' },
  { street: 'Victoria Crescent', abbr: 'Victoria Cres', locality: 'Pudsey', postcode: 'LS28 7QN' },
  { street: 'Meanwood Close', abbr: 'Meanwood Cl', locality: 'Meanwood', postcode: 'LS7 4JL' },
  { street: 'Grange Gardens', abbr: 'Grange Gdns', locality: 'Chapel Allerton', postcode: 'LS7 3PQ' },
];

interface Home { ref: string; uprn: string; flat: string | null; block: Block | null; number: string; street: string; abbr: string; locality: string | null;
  postcode: string; type: string }
const homes: Home[] = [];
for (const b of BLOCKS) {
  for (let f = 1; f <= 5; f++) {
    homes.push({ ref: `P${String(homes.length + 1).padStart(4, '0')}`, uprn: String(72000100000 + homes.length), flat: `Flat ${f}`, block: b,
      number: b.number, street: b.street, abbr: b.street.replace(/ Road$/, ' Rd').replace(/ Street$/, ' St').replace(/ Lane$/, ' Ln'), locality: null, postcode: b.postcode, type: 'Flat' });
  }
}
for (let i = 0; homes.length < 100; i++) {
  const s = STREETS[i % STREETS.length]!;
  homes.push({ ref: `P${String(homes.length + 1).padStart(4, '0')}`, uprn: String(72000100000 + homes.length), flat: null, block: null,
    number: String(2 * Math.floor(i / STREETS.length) + 1 + (i % 2 ? 100 : 0)), street: s.street, abbr: s.abbr, locality: s.locality, postcode: s.postcode,
    type: pick(['House', 'House', 'Bungalow', 'Maisonette']) });
}

interface Person { id: number; given: string; nick: string | null; family: string; male: boolean; dob: string; phone: string; home: Home }
const people: Person[] = [];
const usedNames = new Set<string>();
for (const home of homes) {
  // A household of one or two adults; the second has a different initial, as a couple usually do, and often the same family name.
  const size = people.length < 100 && chance(0.5) ? 2 : 1;
  let family = pick(FAMILY);
  let initial = '';
  for (let k = 0; k < size; k++) {
    const male = chance(0.5);
    let given: [string, string | null];
    do given = pick(male ? MEN : WOMEN); while (given[0][0] === initial || usedNames.has(`${given[0]} ${family}`));
    initial = given[0][0]!;
    usedNames.add(`${given[0]} ${family}`);
    const y = 1940 + Math.floor(rand() * 60);
    const d = `${y}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    people.push({ id: people.length, given: given[0], nick: given[1], family, male, dob: d, phone: `07700 900${String(people.length * 6 + 100).padStart(3, '0')}`, home });
    if (chance(0.3)) family = pick(FAMILY);
  }
}
const householders = people.length;
while (people.length < 150) { // adults on no tenancy (an adult child, a lodger), known only to the ASB system
  const home = pick(homes);
  const male = chance(0.5);
  let g: [string, string | null];
  let family: string;
  do { g = pick(male ? MEN : WOMEN); family = pick(FAMILY); } while (usedNames.has(`${g[0]} ${family}`));
  usedNames.add(`${g[0]} ${family}`);
  people.push({ id: people.length, given: g[0], nick: g[1], family, male, dob: `19${80 + Math.floor(rand() * 19)}-0${1 + Math.floor(rand() * 9)}-${10 + Math.floor(rand() * 18)}`,
    phone: `07700 900${String(people.length * 6 + 100).padStart(3, '0')}`, home });
}
const tenants = people.slice(0, householders);
const notTenants = people.slice(householders);

// ---- noise --------------------------------------------------------------------------------------------------------

const typo = (s: string) => { // one slip: a swapped, dropped or doubled letter inside the word
  const i = 1 + Math.floor(rand() * (s.length - 2));
  const k = Math.floor(rand() * 3);
  return k === 0 ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : k === 1 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + s[i] + s.slice(i);
};
const uk = (iso: string) => iso.split('-').reverse().join('/');
const us = (iso: string) => { const [y, m, d] = iso.split('-'); return `${m}/${d}/${y}`; };
const cell = (v: string | null | undefined) => { const s = v ?? ''; return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
const csv = (rows: (string | null)[][]) => rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
const streetAs = (home: Home) => (chance(0.2) ? home.abbr : home.street);
const title = (p: Person) => (p.male ? 'Mr' : pick(['Mrs', 'Ms', 'Miss']));

// ---- the three systems' files ------------------------------------------------------------------------------------

/** "system:source id" → the truth's person id, for every person record a file holds. */
const truthOf = new Map<string, number>();

// 1. The housing system: homes with address lines and block references, and its tenants.
const homesCsv = csv([['Prop Ref', 'UPRN', 'Address 1', 'Address 2', 'Address 3', 'Postcode', 'Property Type', 'Block Ref', 'Block Name', 'No of Storeys', 'Height (m)'],
  ...homes.map((x) => {
    const upper = chance(0.1);
    const lines = x.block
      ? [`${x.flat}, ${x.block.name}`, `${x.number} ${streetAs(x)}`, 'Leeds']
      : [`${x.number} ${streetAs(x)}`, x.locality!, chance(0.15) ? '' : 'Leeds'];
    return [x.ref, chance(0.05) ? '' : x.uprn, ...lines.map((l) => (upper ? l.toUpperCase() : l)), chance(0.1) ? x.postcode.toLowerCase() : x.postcode, x.type,
      x.block?.ref ?? '', x.block?.name ?? '', x.block ? String(x.block.storeys) : '', x.block?.height != null ? String(x.block.height) : ''];
  })]);

const tenantRows: (string | null)[][] = tenants.map((p, i) => {
  truthOf.set(`acme-housing:T${1000 + i}`, p.id);
  const given = chance(0.05) ? p.given.toUpperCase() : p.given;
  const family = chance(0.05) ? p.family.toUpperCase() : p.family;
  const phone = chance(0.1) ? '' : chance(0.06) ? p.phone.slice(0, 9) : p.phone; // some missing, some cut short (invalid)
  return [`T${1000 + i}`, title(p), given, family, uk(p.dob), phone, p.home.ref];
});
// A row with no name at all: the only thing that can reject a person.
tenantRows.splice(40, 0, ['T0999', '', '', '', '01/01/1970', '', homes[3]!.ref]);
const tenantsCsv = csv([['Tenant Ref', 'Title', 'Forename', 'Surname', 'DOB', 'Phone', 'Prop Ref'], ...tenantRows]);

// 2. The repairs system: its contacts (a full name, address lines) and its jobs.
const contacts = people.filter((p) => tenants.includes(p) && chance(0.5));
const contactsCsv = csv([['Contact ID', 'Full Name', 'Telephone', 'Address 1', 'Address 2', 'Postcode'], ...contacts.map((p, i) => {
  truthOf.set(`fixit-repairs:C${500 + i}`, p.id);
  const family = chance(0.06) ? typo(p.family) : p.family;
  const form = Math.floor(rand() * 5);
  const name = form === 0 ? `${title(p)} ${p.given[0]}. ${family}` // "Mr R. Morgan"
    : form === 1 ? `${family.toUpperCase()}, ${p.given}` // "MORGAN, Robert"
      : form === 2 && p.nick ? `${p.nick} ${family}` // "Bob Morgan"
        : form === 3 ? `${title(p)} ${p.given} ${family}` : `${p.given} ${family}`;
  const x = p.home;
  const lines = x.block ? [`${x.flat} ${x.block.name}`, `${x.number} ${streetAs(x)}`] : [`${x.number} ${streetAs(x)}`, chance(0.5) ? x.locality! : 'Leeds'];
  return [`C${500 + i}`, name, chance(0.3) ? '' : p.phone.replace(' ', ''), ...lines, x.postcode];
})]);

const DAMP = ['Black mould in bathroom ceiling, tenant has cleaned it twice', 'Damp patch on bedroom wall under the window',
  'Condensation on all windows and mould growing on the sills', 'Rising damp in the hallway, plaster crumbling', 'Mould behind wardrobe in back bedroom',
  'Tenant reports damp and mould in kitchen corner'];
const COMPENSATION = ['Tenant asking for compensation for missed appointment', 'Complaint: compensation claim for delay to kitchen replacement',
  'Compensation request - contractor did not attend twice'];
const OTHER = ['Boiler not firing up', 'Fence panel blown down in garden', 'Front door lock sticking', 'Replace broken light fitting in hall',
  'Toilet seat loose', 'Ease and adjust bedroom door', 'Kitchen cupboard hinge broken', 'Replace cracked socket in lounge', 'Gutter cleaning',
  'Intercom handset faulty'];
const dampHomes = new Set<string>();
const compensationHomes = new Set<string>();
const jobRows: (string | null)[][] = [];
for (let i = 0; i < 140; i++) {
  const x = homes[(i * 37) % homes.length]!;
  let text: string;
  if (i % 9 === 0) { text = pick(DAMP); dampHomes.add(x.ref); } else if (i % 13 === 5) { text = pick(COMPENSATION); compensationHomes.add(x.ref); } else text = pick(OTHER);
  // A fifth of jobs name their home by address lines and postcode only, as a repairs system that never had the property reference does.
  const byAddress = i % 5 === 2;
  const a1 = x.block ? `${x.flat}, ${x.block.name}, ${x.number} ${streetAs(x)}` : `${x.number} ${streetAs(x)}`;
  jobRows.push([`J${30000 + i}`, byAddress ? '' : x.ref, byAddress ? a1 : '', byAddress ? x.postcode : '', text, uk(`2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`), pick(['Routine', 'Urgent', 'Emergency'])]);
}
jobRows.splice(70, 0, ['', homes[10]!.ref, '', '', 'Replace bath panel', '03/03/2025', 'Routine']); // no job number: nothing identifies it
const jobsCsv = csv([['Job No', 'Prop Ref', 'Address 1', 'Postcode', 'Job Description', 'Reported Date', 'Priority'], ...jobRows]);

// 3. The ASB system: parties to cases, under a title row, one address field, and a few dates written month first.
const parties = [...people.filter((p) => tenants.includes(p) && chance(0.2)), ...notTenants];
let monthFirst = 0;
const monthFirstRefs: string[] = [];
const partiesRows = parties.map((p, i) => {
  truthOf.set(`asb-cases:A${200 + i}`, p.id);
  const day = Number(p.dob.slice(8));
  // Readable only one way: a day after the 12th written month first.
  const dob = day > 12 && monthFirst < 5 && i % 3 === 0 ? (monthFirst++, monthFirstRefs.push(`A${200 + i}`), us(p.dob)) : uk(p.dob);
  const x = p.home;
  const address = [x.flat && x.block ? `${x.flat} ${x.block.name}` : null, `${x.number} ${streetAs(x)}`, x.locality, 'Leeds', x.postcode].filter(Boolean).join(', ');
  const given = chance(0.1) && p.nick ? p.nick : p.given;
  const family = chance(0.06) ? typo(p.family) : p.family;
  const known = monthFirstRefs.includes(`A${200 + i}`) || !chance(0.05); // a few parties' dates of birth not known
  return [`A${200 + i}`, chance(0.3) ? `${title(p)} ${given} ${family}` : `${given} ${family}`, pick(['Complainant', 'Alleged perpetrator', 'Witness']), known ? dob : '', address];
});
const partiesCsv = `ASB case parties - export 01/12/2026,,,,\r\n` + csv([['Party Ref', 'Name', 'Role', 'Date of Birth', 'Address'], ...partiesRows]);

// ---- loading, as a new user does -----------------------------------------------------------------------------------

async function upload(kind: string, sourceSystem: string, name: string, content: string) {
  const form = new FormData();
  form.append('sourceSystem', sourceSystem);
  form.append('kind', kind);
  form.append('file', new Blob([content], { type: 'text/csv' }), name);
  const request = new Request('http://hearth.test/', { method: 'POST', body: form });
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...L.as['data-lead'], 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()) });
  assert.equal(res.statusCode, 202, `${name} is not refused: ${res.body}`);
  assert.equal(res.json().mappingSource, 'suggested', 'the suggested mapping, as a new user takes it');
  const id = res.json().id as string;
  for (;;) {
    const r = await api(h, 'GET', `/api/v1/imports/${id}`, L.as['data-lead']);
    if (r.body.status === 'completed' || r.body.status === 'failed') {
      assert.equal(r.body.status, 'completed', `${name}: ${r.body.error}`);
      type Issue = { row: number; problems: { rule: string; column: string | null; message: string }[] };
      const issues = async (outcome: string) => (await api(h, 'GET', `/api/v1/imports/${id}/issues?outcome=${outcome}&limit=100`, L.as['data-lead'])).body.items as Issue[];
      return { name, id, counts: r.body.counts, headerRow: r.body.mapping.headerRow as number | undefined, rejected: await issues('rejected'), review: await issues('review'),
        warned: await issues('warning') };
    }
    await new Promise((res) => setTimeout(res, 50));
  }
}

type Loaded = Awaited<ReturnType<typeof upload>>;
const loaded: Loaded[] = [];

test('issue 11, done when: three systems\' first imports load with the suggested mappings, and the registers and linkage are right', async () => {
  loaded.push(await upload('homes', 'acme-housing', 'properties.csv', homesCsv));
  loaded.push(await upload('people', 'acme-housing', 'tenants.csv', tenantsCsv));
  loaded.push(await upload('people', 'fixit-repairs', 'contacts.csv', contactsCsv));
  loaded.push(await upload('repairs', 'fixit-repairs', 'jobs.csv', jobsCsv));
  loaded.push(await upload('people', 'asb-cases', 'asb-parties.csv', partiesCsv));

  // No file refused, ≥ 99% of rows loaded; the rows rejected are the two with nothing to identify them.
  let read = 0;
  let rejected = 0;
  for (const l of loaded) {
    const c = l.counts;
    const list = (xs: typeof l.rejected) => JSON.stringify(xs.map((r) => [r.row, r.problems.map((p) => `${p.column}: ${p.rule}: ${p.message}`)]));
    console.log(`${l.name}: ${JSON.stringify(c)}${l.rejected.length ? ` rejected ${list(l.rejected)}` : ''}${l.review.length ? ` for review ${list(l.review)}` : ''}`);
    read += c.rowsRead;
    rejected += c.rowsRead - c.created - c.updated - c.unchanged;
  }
  const rows = homes.length + tenantRows.length + contacts.length + jobRows.length + parties.length;
  assert.equal(read, rows, 'every row of every file is read (the ASB title row is not a row)');
  assert.ok((read - rejected) / read >= 0.99, `loaded ${read - rejected} of ${read}`);
  const why = loaded.flatMap((l) => l.rejected.map((r) => `${l.name} row ${r.row}: ${r.problems.map((p) => `${p.column} ${p.rule}`).join('; ')}`));
  assert.equal(why.length, 2, why.join('\n'));
  assert.match(why.find((w) => w.startsWith('tenants.csv'))!, /^tenants\.csv row 42: .*(Forename|Surname).*required-missing/, 'the tenant with no name');
  assert.match(why.find((w) => w.startsWith('jobs.csv'))!, /^jobs\.csv row 72: Job No required-missing/, 'the job with no job number');
  const tenantsLoad = loaded[1]!.counts;
  assert.ok(tenantsLoad.warnings >= 1, 'the invalid phone numbers are warnings, not rejections');
  assert.equal(loaded[1]!.warned.length, tenantsLoad.warnings);
  assert.ok(loaded[1]!.warned.every((r) => r.problems.every((p) => p.column === 'Phone')), JSON.stringify(loaded[1]!.warned));

  // The ASB file: its header found under the title row; the dates written month first loaded as they were meant, and
  // the rows whose date reads two ways loaded and listed for review, nothing else.
  const asb = loaded[4]!;
  assert.equal(asb.headerRow, 2);
  assert.ok(monthFirstRefs.length >= 3);
  const asbDob = new Map((await h.store.withOrg(L.id, async (tx) => (await tx.execute(sql`select s.source_id, p.date_of_birth::text as dob from people p
    join source_references s on s.organisation_id = p.organisation_id and s.entity_kind = 'person' and s.record_id = p.id
    where p.organisation_id = ${L.id} and s.source_system = 'asb-cases'`)).rows) as { source_id: string; dob: string }[]).map((r) => [r.source_id, r.dob]));
  for (const ref of monthFirstRefs) assert.equal(asbDob.get(ref), people[truthOf.get(`asb-cases:${ref}`)!]!.dob, `${ref}: a date written month first`);
  assert.ok(asb.review.every((r) => r.problems.every((p) => p.rule === 'date-two-readings')), 'only dates that read two ways are for review');

  // Every address kept as recorded, and parsed into a number and a street.
  const stored = await h.store.withOrg(L.id, async (tx) => (await tx.execute(sql`select h.reference, h.address_lines, h.sub_building, h.building_number, h.street, b.reference as block
    from homes h left join blocks b on b.id = h.block_id and b.organisation_id = h.organisation_id where h.organisation_id = ${L.id}`)).rows as
    { reference: string; address_lines: string[] | null; sub_building: string | null; building_number: string | null; street: string | null; block: string | null }[]);
  assert.equal(stored.length, homes.length);
  const truthHome = new Map(homes.map((x) => [x.ref, x]));
  assert.ok(stored.every((s) => Array.isArray(s.address_lines) && s.address_lines.length >= 2), 'every home keeps its address lines');
  const parsed = stored.filter((s) => s.street && s.building_number).length;
  const right = stored.filter((s) => { const x = truthHome.get(s.reference)!; return s.building_number === x.number && s.street?.toLowerCase() === x.street.toLowerCase() && (x.flat === null || s.sub_building?.toLowerCase() === x.flat.toLowerCase()); }).length;
  console.log(`addresses: ${stored.length} kept, ${parsed} with number and street, ${right} exactly right`);
  assert.ok(parsed / stored.length >= 0.99, `number and street parsed for ${parsed} of ${stored.length}`);
  assert.ok(right / stored.length >= 0.99, `flat, number and street right for ${right} of ${stored.length}: ${JSON.stringify(stored.filter((s) => { const x = truthHome.get(s.reference)!; return s.building_number !== x.number || s.street?.toLowerCase() !== x.street.toLowerCase(); }).slice(0, 3))}`);

  // Blocks: as many as the source has, each home in its own.
  const blocks = await h.store.withOrg(L.id, async (tx) => (await tx.execute(sql`select reference, name from blocks where organisation_id = ${L.id} order by reference`)).rows as { reference: string; name: string }[]);
  assert.deepEqual(blocks.map((b) => `${b.reference} ${b.name}`), BLOCKS.map((b) => `${b.ref} ${b.name}`));
  assert.ok(stored.every((s) => s.block === (truthHome.get(s.reference)!.block?.ref ?? null)), 'each home is in its own block');

  // The higher-risk register lists exactly the tall blocks.
  const hrb = await api(h, 'GET', '/api/v1/insight/higher-risk-buildings', L.as['data-lead']);
  assert.equal(hrb.status, 200);
  console.log(`higher-risk register: ${JSON.stringify(hrb.body.counts)}`);
  assert.deepEqual(hrb.body.higherRisk.map((b: { reference: string }) => b.reference).sort(), BLOCKS.filter((b) => b.higherRisk).map((b) => b.ref));
  assert.equal(hrb.body.counts.blocks, BLOCKS.length);
  assert.equal(hrb.body.dataNeeded.length, 0, JSON.stringify(hrb.body.dataNeeded.map((b: { reference: string; assessment: unknown }) => [b.reference, b.assessment])));

  // The damp and mould register: the homes with damp or mould jobs, found by reference or by address; no complaint about compensation.
  const damp = await api(h, 'GET', '/api/v1/insight/damp-and-mould?limit=200', L.as['data-lead']);
  assert.equal(damp.status, 200);
  console.log(`damp and mould register: ${damp.body.homes} homes, ${damp.body.signals} signals, ${damp.body.unlinked.count} not linked to a home; truth ${dampHomes.size} homes`);
  assert.deepEqual(damp.body.items.map((e: { homeReference: string }) => e.homeReference).sort(), [...dampHomes].sort());
  assert.equal(damp.body.unlinked.count, 0);
  const onlyCompensation = [...compensationHomes].filter((ref) => !dampHomes.has(ref));
  assert.ok(onlyCompensation.length >= 3, 'the file has complaints about compensation in homes with no damp');
  assert.ok(!damp.body.items.some((e: { homeReference: string }) => onlyCompensation.includes(e.homeReference)), '"compensation" is not "condensation"');

  // People linked across the three systems, as the app linked them after each import: pairwise F1 against the truth.
  const clusterOf = new Map<string, string>();
  for await (const [system, sourceId, cluster] of linksCsvRows(h.store, L.id)) clusterOf.set(`${system}:${sourceId}`, cluster!);
  const records = [...truthOf.keys()];
  assert.equal(records.filter((k) => clusterOf.has(k)).length, records.length, 'every person record loaded');
  const pairs = (key: (k: string) => string) => {
    const n = new Map<string, number>();
    for (const k of records) n.set(key(k), (n.get(key(k)) ?? 0) + 1);
    return [...n.values()].reduce((t, c) => t + (c * (c - 1)) / 2, 0);
  };
  const truePairs = pairs((k) => String(truthOf.get(k)));
  const foundPairs = pairs((k) => clusterOf.get(k)!);
  const bothPairs = pairs((k) => `${truthOf.get(k)}|${clusterOf.get(k)}`);
  const precision = bothPairs / foundPairs;
  const recall = bothPairs / truePairs;
  const f1 = (2 * precision * recall) / (precision + recall);
  console.log(`linkage: ${records.length} person records of ${new Set(truthOf.values()).size} people; pairs true ${truePairs}, found ${foundPairs}, right ${bothPairs}; ` +
    `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}, F1 ${f1.toFixed(3)}`);
  assert.ok(f1 >= 0.97, `pairwise F1 ${f1.toFixed(3)}`);
});
