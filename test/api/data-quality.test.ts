// The data quality report: exact counts and examples for records with known defects, the page and its CSV
// downloads (formulas neutralised), and isolation: another landlord with the same defects never shows.
// Defective records are written straight to the tables (as a legacy import would leave them): the API refuses most
// of these defects at the door.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { isValid as isPostcode } from 'postcode';
import { harness, landlord, type Harness, type Landlord } from '../support/harness.ts';
import { blocks, homes } from '../../src/modules/homes/schema.ts';
import { people } from '../../src/modules/people/schema.ts';
import { tenancies, tenancyMembers } from '../../src/modules/tenancies/schema.ts';
import { repairs } from '../../src/modules/repairs/schema.ts';
import { sourceReferences } from '../../src/platform/provenance/schema.ts';
import { UK_POSTCODE_PATTERN } from '../../src/modules/homes/quality.ts';
import { qualityReport, qualityRows, checkDefinitions, type CheckResult } from '../../src/modules/data-quality/service.ts';
import { csvField } from '../../src/modules/data-quality/pages.ts';
import type { Role } from '../../src/platform/auth/roles.ts';

let h: Harness; let a: Landlord; let b: Landlord;
let A: Awaited<ReturnType<typeof seed>>; let B: Awaited<ReturnType<typeof seed>>;
let cookieA: string;

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const yearsAgo = (n: number) => { const d = new Date(); d.setUTCFullYear(d.getUTCFullYear() - n); return isoDate(d); };
const phone = [{ system: 'phone' as const, value: '+447700900123' }];

/** One landlord's records: a few good ones and one (or a pair) for every defect, with the ids the test expects. */
async function seed(l: Landlord) {
  const ids = {} as Record<string, string>;
  const id = (name: string) => (ids[name] = uuidv7());
  const organisationId = l.id;
  await h.store.withOrg(l.id, async (tx) => {
    const address = { street: 'Moor Road', town: 'Leeds', postcode: 'LS6 1AA' };
    await tx.insert(blocks).values([
      { organisationId, id: id('blockGood'), name: 'Good House', storeys: 9, heightMetres: 25.5 },
      { organisationId, id: id('blockSevenAt18'), name: 'Line House', storeys: 7, heightMetres: 18 },
      { organisationId, id: id('blockBungalow'), name: 'Low House', storeys: 1, heightMetres: 0 },
      { organisationId, id: id('blockNoHeight'), name: 'Unmeasured House', storeys: 5 },
      { organisationId, id: id('blockNoStoreys'), name: 'Uncounted House', heightMetres: 12 },
      { organisationId, id: id('blockNeither'), name: 'Unknown House', residentialUnits: 20 },
      { organisationId, id: id('blockTooTall'), name: 'Stretched House', storeys: 3, heightMetres: 40 },
      { organisationId, id: id('blockTooShort'), name: 'Squashed House', storeys: 10, heightMetres: 9 },
    ]);
    const home = (name: string, extra: Partial<typeof homes.$inferInsert>) => ({
      organisationId, id: id(name), propertyType: 'house', uprn: String(100_000_000_000 + Object.keys(ids).length), buildingNumber: String(Object.keys(ids).length),
      ...address, ...extra,
    });
    await tx.insert(homes).values([
      home('homeGood', {}),
      home('homeFlat', { propertyType: 'flat', subBuilding: 'Flat 1', buildingName: 'Good House', blockId: ids.blockGood }),
      home('homeNoUprn', { uprn: null }),
      home('homeBlankUprn', { uprn: ' ' }),
      home('homeNoPostcode', { postcode: null }),
      // A label that starts a spreadsheet formula, for the CSV test.
      home('homeBadPostcode', { postcode: 'LS6 XYZ', buildingNumber: null, subBuilding: '=1+2' }),
      home('homeSpreadsheetUprn', { uprn: '1.00023E+11' }),
      home('homeZeroUprn', { uprn: '0000' }),
      home('homeOther', { propertyType: 'other' }),
      home('homeFlatNoBlock', { propertyType: 'flat', subBuilding: 'Flat 9' }),
      home('homeShared1', { uprn: '200000000002', buildingNumber: '3' }),
      home('homeShared2', { uprn: '200000000002', buildingNumber: '99', street: 'Elm Street' }),
      home('homeTwice1', { uprn: '300000000003', buildingNumber: '7', propertyType: 'flat', subBuilding: 'Flat 2', buildingName: 'Good House', blockId: ids.blockGood }),
      home('homeTwice2', { uprn: '300000000003', buildingNumber: '7', propertyType: 'flat', subBuilding: 'flat 2', buildingName: 'Good  House', blockId: ids.blockGood }),
    ]);
    const person = (name: string, givenName: string, familyName: string, extra: Partial<typeof people.$inferInsert>) =>
      ({ organisationId, id: id(name), givenName, familyName, dateOfBirth: '1971-03-02', contactPoints: phone, ...extra });
    await tx.insert(people).values([
      person('personGood', 'Robert', 'Morgan', {}),
      person('personNoBirthDate', 'Nina', 'Nodate', { dateOfBirth: null }),
      person('personNoContact', 'Carl', 'Contactless', { contactPoints: [] }),
      person('personFuture', 'Fran', 'Future', { dateOfBirth: '2099-01-01' }),
      person('personOld', 'Olive', 'Old', { dateOfBirth: '1900-01-01' }),
      person('personChild', 'Charlie', 'Child', { dateOfBirth: yearsAgo(10) }),
      person('personBadPostcode', 'Pat', 'Post', { address: { street: 'Moor Road', postcode: 'NOT A PC' } }),
      // The same person in two sources with two dates of birth, at the same home (through a tenancy).
      person('personSam1', 'Samantha', 'O’Neil', { dateOfBirth: '1980-05-05' }),
      person('personSam2', 'samantha', 'ONeil', { dateOfBirth: '1980-06-05' }),
      // The same name and postcode and different dates of birth, but one source: not the same-person check.
      person('personTom1', 'Tom', 'Hardy', { dateOfBirth: '1990-01-01', address: { postcode: 'LS6 2BB' } }),
      person('personTom2', 'Tom', 'Hardy', { dateOfBirth: '1991-01-01', address: { postcode: 'ls62bb' } }),
      // Two sources, same name, different dates of birth, but different postcodes and no shared home.
      person('personAnn1', 'Ann', 'Apart', { dateOfBirth: '1970-01-01', address: { postcode: 'LS6 3CC' } }),
      person('personAnn2', 'Ann', 'Apart', { dateOfBirth: '1972-01-01', address: { postcode: 'LS6 4DD' } }),
      // One record, linked from two sources that disagree.
      person('personLinked', 'Lina', 'Linked', { dateOfBirth: '1960-01-01' }),
    ]);
    await tx.insert(sourceReferences).values([
      { organisationId, entityKind: 'person', sourceSystem: 'housing', sourceId: 'S1', recordId: ids.personSam1! },
      { organisationId, entityKind: 'person', sourceSystem: 'crm', sourceId: 'S2', recordId: ids.personSam2! },
      { organisationId, entityKind: 'person', sourceSystem: 'housing', sourceId: 'T1', recordId: ids.personTom1! },
      { organisationId, entityKind: 'person', sourceSystem: 'housing', sourceId: 'T2', recordId: ids.personTom2! },
      { organisationId, entityKind: 'person', sourceSystem: 'housing', sourceId: 'A1', recordId: ids.personAnn1! },
      { organisationId, entityKind: 'person', sourceSystem: 'crm', sourceId: 'A2', recordId: ids.personAnn2! },
      { organisationId, entityKind: 'person', sourceSystem: 'housing', sourceId: 'L1', recordId: ids.personLinked!, sourceValues: { dateOfBirth: '1960-01-01' } },
      { organisationId, entityKind: 'person', sourceSystem: 'crm', sourceId: 'L2', recordId: ids.personLinked!, sourceValues: { dateOfBirth: '1961-01-01' } },
      { organisationId, entityKind: 'person', sourceSystem: 'rent', sourceId: 'G1', recordId: ids.personGood!, sourceValues: { dateOfBirth: '1971-03-02' } },
      { organisationId, entityKind: 'person', sourceSystem: 'crm', sourceId: 'G2', recordId: ids.personGood!, sourceValues: { dateOfBirth: '1971-03-02' } },
    ]);
    const tenancy = (name: string, homeId: string, extra: Partial<typeof tenancies.$inferInsert>) =>
      ({ organisationId, id: id(name), reference: name.toUpperCase(), tenancyType: 'secure', tenure: 'social-rent', startDate: '2015-01-01', homeId, ...extra });
    await tx.insert(tenancies).values([
      tenancy('tenancyGood', ids.homeGood!, {}),
      tenancy('tenancyJointOnly', ids.homeNoUprn!, {}),
      tenancy('tenancyNobody', ids.homeBlankUprn!, { endDate: '2016-01-01' }),
      tenancy('tenancyOpen1', ids.homeNoPostcode!, { startDate: '2010-01-01' }),
      tenancy('tenancyOpen2', ids.homeNoPostcode!, { startDate: '2020-01-01' }),
      tenancy('tenancyBackwards', ids.homeZeroUprn!, { startDate: '2020-01-01', endDate: '2019-01-01' }),
      tenancy('tenancyUnknownType', ids.homeOther!, { tenancyType: 'unknown' }),
      tenancy('tenancyChild', ids.homeBadPostcode!, { startDate: yearsAgo(1) }),
      tenancy('tenancySam', ids.homeSpreadsheetUprn!, {}),
      // Ended before the new one started: one current tenancy on the home.
      tenancy('tenancyFormer', ids.homeGood!, { startDate: '2000-01-01', endDate: '2014-12-31' }),
    ]);
    const member = (tenancyId: string, personId: string, role: string) => ({ organisationId, tenancyId, personId, role });
    await tx.insert(tenancyMembers).values([
      member(ids.tenancyGood!, ids.personGood!, 'lead'),
      member(ids.tenancyJointOnly!, ids.personNoBirthDate!, 'joint'),
      member(ids.tenancyOpen1!, ids.personNoContact!, 'lead'),
      member(ids.tenancyOpen2!, ids.personOld!, 'lead'),
      member(ids.tenancyBackwards!, ids.personFuture!, 'lead'),
      member(ids.tenancyUnknownType!, ids.personBadPostcode!, 'lead'),
      member(ids.tenancyChild!, ids.personChild!, 'lead'),
      member(ids.tenancySam!, ids.personSam1!, 'lead'),
      member(ids.tenancySam!, ids.personSam2!, 'household-member'),
      member(ids.tenancyFormer!, ids.personGood!, 'lead'),
    ]);
    // A job for a home that matched none (what it named kept), and one for a known home.
    await tx.insert(repairs).values([
      { organisationId, id: id('repairNoHome'), jobReference: 'J-404', homeNamed: 'property reference P404' },
      { organisationId, id: id('repairGood'), jobReference: 'J-1', homeId: ids.homeGood! },
    ]);
  });
  return ids;
}

/** What every check should find in a seeded landlord: the records (by seed name) and the total. */
const EXPECTED: Record<string, { flagged: string[]; total: number }> = {
  'homes.uprn-missing': { flagged: ['homeNoUprn', 'homeBlankUprn'], total: 14 },
  'repairs.home-not-linked': { flagged: ['repairNoHome'], total: 2 },
  'homes.postcode-missing': { flagged: ['homeNoPostcode'], total: 14 },
  'homes.type-unknown': { flagged: ['homeOther'], total: 14 },
  'homes.flat-without-block': { flagged: ['homeFlatNoBlock'], total: 4 },
  'homes.uprn-invalid': { flagged: ['homeSpreadsheetUprn', 'homeZeroUprn'], total: 12 },
  'homes.postcode-invalid': { flagged: ['homeBadPostcode'], total: 13 },
  'homes.uprn-shared': { flagged: ['homeShared1', 'homeShared2'], total: 10 },
  'homes.recorded-twice': { flagged: ['homeTwice1', 'homeTwice2'], total: 10 },
  'blocks.height-missing': { flagged: ['blockNoHeight', 'blockNeither'], total: 8 },
  'blocks.storeys-missing': { flagged: ['blockNoStoreys', 'blockNeither'], total: 8 },
  'blocks.height-and-storeys-missing': { flagged: ['blockNeither'], total: 8 },
  'blocks.height-storeys-inconsistent': { flagged: ['blockTooTall', 'blockTooShort'], total: 5 },
  'people.birth-date-missing': { flagged: ['personNoBirthDate'], total: 14 },
  'people.contact-missing': { flagged: ['personNoContact'], total: 14 },
  'people.birth-date-future': { flagged: ['personFuture'], total: 13 },
  'people.birth-date-too-old': { flagged: ['personOld'], total: 13 },
  'people.tenant-under-16': { flagged: ['personChild'], total: 8 },
  'people.postcode-invalid': { flagged: ['personBadPostcode'], total: 5 },
  'people.same-name-different-birth-date': { flagged: ['personSam1', 'personSam2'], total: 13 },
  'people.sources-disagree-birth-date': { flagged: ['personLinked'], total: 14 },
  'tenancies.lead-missing': { flagged: ['tenancyJointOnly', 'tenancyNobody'], total: 10 },
  'tenancies.current-overlap': { flagged: ['tenancyOpen1', 'tenancyOpen2'], total: 7 },
  'tenancies.type-unknown': { flagged: ['tenancyUnknownType'], total: 10 },
  'tenancies.end-before-start': { flagged: ['tenancyBackwards'], total: 3 },
};

async function signedInCookie(l: Landlord, role: Role): Promise<string> {
  const email = `${role}.${l.id.slice(-8)}@example.org`;
  const password = 'a long test password 1';
  await h.auth.addUser({ organisationId: l.id, email, name: `Test ${role}`, role, password });
  const session = await h.auth.signIn(email, password);
  return `hearth_session=${session!.token}`;
}

const report = (l: Landlord, role: Role = 'analyst') =>
  h.store.withOrg(l.id, (tx) => qualityReport({ actor: { kind: 'user', id: 'test', name: 'Test', organisationId: l.id, role }, tx }));

before(async () => {
  h = await harness();
  a = await landlord(h, 'Landlord A');
  b = await landlord(h, 'Landlord B');
  A = await seed(a);
  B = await seed(b);
  cookieA = await signedInCookie(a, 'analyst');
});
after(() => h.close());

test('every check finds exactly the defective records, of the right total, and only the landlord’s own', async () => {
  const r = await report(a);
  assert.deepEqual(r.checks.map((c) => c.id).sort(), Object.keys(EXPECTED).sort(), 'the report has every check');
  const bIds = new Set(Object.values(B));
  for (const c of r.checks) {
    const want = EXPECTED[c.id]!;
    assert.equal(c.count, want.flagged.length, `${c.id}: count`);
    assert.equal(c.total, want.total, `${c.id}: total`);
    assert.equal(c.percent, (want.flagged.length / want.total) * 100, `${c.id}: percent`);
    const page = c.kind === 'tenancies' ? 'homes' : c.kind;
    const expectedIds = want.flagged.map((name) => A[name]!).sort();
    assert.deepEqual(c.examples.map((e) => e.id).sort(), expectedIds, `${c.id}: examples`);
    for (const e of c.examples) {
      assert.ok(!bIds.has(e.id), `${c.id}: no example from the other landlord`);
      // A repair with no home has no page to link to.
      if (c.kind === 'repairs') assert.equal(e.href, null, `${c.id}: no link`);
      else assert.match(e.href ?? '', new RegExp(`^/${page}/[0-9a-f-]{36}$`), `${c.id}: example links to the record page`);
      assert.ok(e.label.length > 0, `${c.id}: example has a label`);
    }
  }
});

test('examples say what is wrong, and tenancies link to their home', async () => {
  const checks = new Map((await report(a)).checks.map((c) => [c.id, c]));
  const example = (check: string, name: string) => checks.get(check)!.examples.find((e) => e.id === A[name])!;
  assert.equal(example('homes.postcode-invalid', 'homeBadPostcode').detail, 'Postcode recorded as “LS6 XYZ”');
  assert.equal(example('homes.uprn-invalid', 'homeSpreadsheetUprn').detail, 'UPRN recorded as “1.00023E+11”');
  assert.match(example('homes.uprn-shared', 'homeShared1').detail!, /^UPRN 200000000002 is on 2 homes: .*3 Moor Road.*; .*99 Elm Street/);
  assert.equal(example('blocks.height-storeys-inconsistent', 'blockTooTall').detail, '40 m with 3 storeys');
  assert.match(example('people.tenant-under-16', 'personChild').detail!, /^Lead tenant of TENANCYCHILD from .*, aged 9; born /);
  assert.match(example('people.same-name-different-birth-date', 'personSam1').detail!,
    /^Born 5 May 1980 \(housing\); also recorded born 5 June 1980 \(crm\) at the same home$/);
  assert.equal(example('people.sources-disagree-birth-date', 'personLinked').detail, 'crm L2 gives 1961-01-01; housing L1 gives 1960-01-01');
  assert.equal(example('tenancies.lead-missing', 'tenancyJointOnly').detail, 'Joint tenants only; none is marked as the lead tenant');
  assert.match(example('tenancies.lead-missing', 'tenancyNobody').detail!, /^Nobody recorded on the tenancy \(ended 1 January 2016\)$/);
  assert.equal(example('tenancies.current-overlap', 'tenancyOpen1').detail,
    'Current tenancies of this home: TENANCYOPEN1 (from 1 January 2010); TENANCYOPEN2 (from 1 January 2020)');
  const overlap = example('tenancies.current-overlap', 'tenancyOpen2');
  assert.equal(overlap.href, `/homes/${A.homeNoPostcode}`);
  assert.match(overlap.label, /^Tenancy TENANCYOPEN2, \d+ Moor Road, Leeds$/);
});

test('at most 10 examples per check, with the full count', async () => {
  await h.store.withOrg(a.id, (tx) => tx.insert(people).values(Array.from({ length: 12 }, (_, i) => ({
    organisationId: a.id, id: uuidv7(), givenName: `Extra${i}`, familyName: 'Nobirth', contactPoints: phone,
  }))));
  try {
    const c = (await report(a)).checks.find((x) => x.id === 'people.birth-date-missing')!;
    assert.equal(c.count, 13);
    assert.equal(c.examples.length, 10);
    const csv = await h.store.withOrg(a.id, (tx) => qualityRows({ actor: { kind: 'user', id: 't', name: 'T', organisationId: a.id, role: 'analyst' }, tx }, 'people.birth-date-missing'));
    assert.equal(csv.length, 13, 'the CSV has them all');
  } finally {
    await h.store.withOrg(a.id, (tx) => tx.delete(people).where(sql`${people.familyName} = 'Nobirth'`));
  }
});

test('the page: grouped by kind and dimension, counts, examples linked, CSV links, the other landlord absent', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/data-quality', headers: { cookie: cookieA } });
  assert.equal(res.statusCode, 200);
  const html = res.body;
  for (const heading of ['Homes', 'Blocks', 'People', 'Tenancies']) assert.match(html, new RegExp(`<h2 class="govuk-heading-l[^"]*" id="\\w+">${heading}</h2>`));
  assert.match(html, /Missing information/);
  assert.match(html, /Values that cannot be right/);
  assert.match(html, /Records that disagree/);
  assert.match(html, /Homes without a UPRN/);
  assert.match(html, /Without a UPRN a home cannot be matched to national data/);
  assert.ok(html.includes(`href="/homes/${A.homeNoUprn}"`), 'an example links to the home');
  assert.ok(html.includes(`href="/blocks/${A.blockNeither}"`), 'an example links to the block');
  assert.ok(html.includes(`href="/people/${A.personChild}"`), 'an example links to the person');
  assert.ok(html.includes('href="/data-quality.csv?check=homes.uprn-missing"'), 'a CSV link per check');
  assert.ok(html.includes('href="/data-quality.csv"'), 'a CSV link for the whole report');
  assert.match(html, /<details class="govuk-details/);
  assert.match(html, /<a[^>]+href="\/data-quality"[^>]*aria-current="page"|aria-current="page"[^>]*href="\/data-quality"|govuk-service-navigation__item--active[\s\S]{0,200}\/data-quality/, 'the navigation has the page, marked current');
  for (const id of Object.values(B)) assert.ok(!html.includes(id), `the page does not show the other landlord’s record ${id}`);
  assert.ok(!html.includes('Landlord B'));
});

test('the page needs a signed-in member of staff', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/data-quality' });
  assert.equal(res.statusCode, 302);
  assert.match(String(res.headers.location), /^\/sign-in\?next=%2Fdata-quality$/);
  const csv = await h.app.inject({ method: 'GET', url: '/data-quality.csv' });
  assert.equal(csv.statusCode, 302);
});

test('the CSV of one check: an attachment, one row per record, formulas neutralised', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/data-quality.csv?check=homes.postcode-invalid', headers: { cookie: cookieA } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="data-quality-landlord-a-homes-postcode-invalid-\d{4}-\d{2}-\d{2}\.csv"$/);
  const lines = res.body.replace(/^\uFEFF/, '').split('\r\n');
  assert.equal(lines[0], 'check,kind,record id,label,detail');
  assert.equal(lines.length, 3, 'header, one record, and the final line end');
  // The label starts with "=", so a spreadsheet would run it: it is prefixed with a quote (and quoted, for its commas).
  assert.equal(lines[1], `homes.postcode-invalid,homes,${A.homeBadPostcode},"'=1+2, Moor Road, Leeds, LS6 XYZ",Postcode recorded as “LS6 XYZ”`);
  assert.equal(lines[2], '');
});

test('the CSV of the whole report: every flagged record of every check, none of the other landlord’s', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/data-quality.csv', headers: { cookie: cookieA } });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="data-quality-landlord-a-\d{4}-\d{2}-\d{2}\.csv"$/);
  const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n').slice(1);
  const expectedRows = Object.values(EXPECTED).reduce((n, e) => n + e.flagged.length, 0);
  assert.equal(lines.length, expectedRows);
  // In the order of the checks.
  const order = checkDefinitions().map((c) => c.id);
  const seen = [...new Set(lines.map((l) => l.split(',')[0]!))];
  assert.deepEqual(seen, order);
  for (const id of Object.values(B)) assert.ok(!res.body.includes(id), 'no record of the other landlord');
});

test('an unknown check is a page that does not exist', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/data-quality.csv?check=homes.nonsense', headers: { cookie: cookieA } });
  assert.equal(res.statusCode, 404);
});

test('CSV fields: formulas neutralised, then quoted when needed', () => {
  assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvField('+44 7700'), "'+44 7700");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('-2'), '-2'); // a negative number is read as a number: nothing to neutralise
  assert.equal(csvField('a;=1+1'), `"a;'=1+1"`);
  assert.equal(csvField('a, b'), '"a, b"');
  assert.equal(csvField('line\nbreak'), '"line\nbreak"');
  assert.equal(csvField(null), '');
  assert.equal(csvField('plain'), 'plain');
});

test('the SQL postcode check agrees with the postcode package', async () => {
  const samples = ['LS6 1AA', 'ls61aa', ' SW1A 1AA ', 'EC1A1BB', 'W1A 0AX', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT',
    'LS6 XYZ', 'NOT A PC', '12345', 'LS6', 'SW1A 1AAA', 'S W1A 1AA', 'L1 8JQ', 'GIR 0AA', 'A1 1A', ''];
  const rows = await h.store.system(async (tx) => (await tx.execute(sql`select s, btrim(s) ~* ${UK_POSTCODE_PATTERN} as valid
    from unnest(${sql.raw(`array[${samples.map((s) => `'${s}'`).join(', ')}]`)}::text[]) s`)).rows as { s: string; valid: boolean }[]);
  for (const r of rows) assert.equal(r.valid, isPostcode(r.s.trim()), `“${r.s}”`);
});

test('every role may see the report; the checks are listed by kind then dimension', async () => {
  for (const role of ['administrator', 'housing-officer', 'asb-officer', 'repairs-planner', 'data-lead', 'analyst'] as const) {
    const r = await report(a, role);
    assert.equal(r.checks.length, Object.keys(EXPECTED).length, role);
  }
  const r = await report(a);
  assert.deepEqual(r.kinds.map((k) => k.kind), ['homes', 'blocks', 'people', 'tenancies', 'repairs']);
  const dims = (kind: string) => r.kinds.find((k) => k.kind === kind)!.dimensions.map((d) => d.dimension);
  assert.deepEqual(dims('homes'), ['completeness', 'validity', 'contradiction']);
  assert.deepEqual(dims('blocks'), ['completeness', 'validity']);
  const fixFirst = r.checks.filter((c: CheckResult) => c.fixFirst).map((c) => c.id);
  assert.ok(fixFirst.includes('blocks.height-and-storeys-missing') && fixFirst.includes('tenancies.current-overlap'));
});
