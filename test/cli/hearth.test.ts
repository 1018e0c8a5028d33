// The `hearth` command as a script would use it: --help on each command, --json results, clear errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GIVEN, FAMILY, dob, phone, postcode } from '../support/population.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/hearth.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-cli-'));
// PGlite in a temporary folder; or, when the suite runs on PostgreSQL, the same server.
const env = { ...process.env, HEARTH_DATA_DIR: path.join(dir, 'data') };
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function hearth(...args: string[]) {
  try {
    const r = await run(process.execPath, [bin, ...args], { env, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('every command has --help', async () => {
  for (const args of [[], ['start'], ['migrate'], ['demo'], ['users', 'add'], ['users', 'list'], ['users', 'disable'], ['users', 'reset-password'],
    ['tokens', 'add'], ['tokens', 'list'], ['tokens', 'revoke'], ['orgs', 'add'], ['orgs', 'list']]) {
    const r = await hearth(...args, '--help');
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /Usage: hearth/, args.join(' '));
  }
});

test('demo, users add and tokens add report their results as JSON', async () => {
  const demo = JSON.parse((await hearth('demo', '--homes', '40', '--seed', '3', '--name', 'CLI Test Homes', '--json')).stdout);
  assert.equal(demo.ok, true);
  assert.equal(demo.homes, 40);
  assert.ok(demo.people > 40);
  const email = `cli-${Date.now()}@example.org`;
  const user = JSON.parse((await hearth('users', 'add', '--email', email, '--name', 'Cli User', '--role', 'data-lead', '--organisation', demo.organisationId, '--json')).stdout);
  assert.equal(user.email, email);
  assert.equal(user.role, 'data-lead');
  assert.ok(user.password.length >= 12, 'a generated password is printed once');
  const token = JSON.parse((await hearth('tokens', 'add', '--name', 'sync', '--role', 'analyst', '--organisation', demo.organisationId, '--json')).stdout);
  assert.match(token.token, /^hearth_/);
  const orgs = JSON.parse((await hearth('orgs', 'list', '--json')).stdout) as { id: string; name: string }[];
  assert.ok(orgs.some((o) => o.id === demo.organisationId && o.name === 'CLI Test Homes'));
});

test('bad input gets a clear error and a non-zero exit', async () => {
  const badRole = await hearth('users', 'add', '--email', 'x@example.org', '--name', 'X', '--role', 'king');
  assert.notEqual(badRole.code, 0);
  assert.match(badRole.stderr, /role/);
  const badHomes = await hearth('demo', '--homes', 'lots');
  assert.notEqual(badHomes.code, 0);
  assert.match(badHomes.stderr, /--homes must be a whole number/);
  const shortPassword = await hearth('users', 'add', '--email', 'y@example.org', '--name', 'Y', '--role', 'analyst', '--password', 'short', '--json');
  assert.notEqual(shortPassword.code, 0);
  assert.match(shortPassword.stdout, /"error":"password: must be at least 12 characters"|there are \d+ organisations/);
});

test('orgs add refuses a name with a control character or direction override, naming --name', async () => {
  for (const name of ['Evil\u001b[2J Homes', 'Evil \u202eHomes', 'Two\nLines', 'Next\u0085Line']) {
    const r = await hearth('orgs', 'add', '--name', name, '--json');
    assert.notEqual(r.code, 0, JSON.stringify(name));
    assert.match(JSON.parse(r.stdout).error, /^--name must be one line of text/, JSON.stringify(name));
    const plain = await hearth('orgs', 'add', '--name', name);
    assert.match(plain.stderr, /--name must be one line of text/);
  }
  const orgs = JSON.parse((await hearth('orgs', 'list', '--json')).stdout) as { name: string }[];
  assert.ok(!orgs.some((o) => o.name.startsWith('Evil') || o.name.startsWith('Two') || o.name.startsWith('Next')), 'nothing was added');
  const ok = JSON.parse((await hearth('orgs', 'add', '--name', 'Cymdeithas Tai Ōtautahi', '--json')).stdout);
  assert.equal(ok.name, 'Cymdeithas Tai Ōtautahi');
});

test('users list|disable|enable|set-role|reset-password and tokens add --days|list|revoke, with clear errors', async () => {
  const org = JSON.parse((await hearth('orgs', 'add', '--name', 'CLI Accounts Homes', '--json')).stdout).id as string;
  const o = ['--organisation', org];
  const json = async (...args: string[]) => {
    const r = await hearth(...args, ...o, '--json');
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const admin = `cli-admin-${Date.now()}@example.org`;
  const officer = `cli-officer-${Date.now()}@example.org`;
  await json('users', 'add', '--email', admin, '--name', 'Cli Admin', '--role', 'administrator', '--password', 'a long cli password');
  const added = await json('users', 'add', '--email', officer, '--name', 'Cli Officer', '--role', 'housing-officer');

  const list = await json('users', 'list') as { id: string; email: string; role: string; status: string; lastSignInAt: string | null }[];
  assert.deepEqual(list.map((u) => [u.email, u.role, u.status, u.lastSignInAt]), [[admin, 'administrator', 'active', null], [officer, 'housing-officer', 'active', null]]);
  assert.doesNotMatch(JSON.stringify(list), /scrypt|passwordHash/);

  assert.equal((await json('users', 'disable', officer)).status, 'disabled');
  const last = await hearth('users', 'disable', admin, ...o);
  assert.notEqual(last.code, 0);
  assert.match(last.stderr, /Cli Admin is the last administrator of this organisation/);
  assert.equal((await json('users', 'enable', added.id)).status, 'active', 'by id as well as by email');
  assert.equal((await json('users', 'set-role', officer, '--role', 'data-lead')).role, 'data-lead');
  const reset = await json('users', 'reset-password', officer);
  assert.ok(reset.password.length >= 12, 'a generated password is printed once');
  const short = await hearth('users', 'reset-password', officer, '--password', 'short', ...o, '--json');
  assert.notEqual(short.code, 0);
  assert.equal(JSON.parse(short.stdout).error, 'password: must be 12 to 500 characters');
  const nobody = await hearth('users', 'enable', 'nobody@example.org', ...o);
  assert.notEqual(nobody.code, 0);
  assert.match(nobody.stderr, /nobody@example\.org: there is no user with that email address or id in this organisation/);

  const token = await json('tokens', 'add', '--name', 'cli sync', '--days', '7');
  assert.match(token.token, /^hearth_/);
  assert.equal(Math.round((Date.parse(token.expiresAt) - Date.parse(token.createdAt)) / 86_400_000), 7);
  const never = await hearth('tokens', 'add', '--name', 'forever', '--days', '0', ...o);
  assert.notEqual(never.code, 0);
  assert.match(never.stderr, /--days must be a whole number from 1 to 3650/);
  const tokens = await json('tokens', 'list') as { id: string; name: string; status: string; createdBy: { name: string } }[];
  assert.deepEqual(tokens.map((t) => [t.id, t.name, t.status, t.createdBy.name]), [[token.id, 'cli sync', 'active', 'Hearth (the hearth command)']]);
  assert.ok(!JSON.stringify(tokens).includes(token.token), 'the list never holds the secret');
  assert.equal((await json('tokens', 'revoke', token.id)).status, 'revoked');
  assert.equal((await json('tokens', 'list'))[0].status, 'revoked');
  const unknown = await hearth('tokens', 'revoke', crypto.randomUUID(), ...o);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /No API token with that id/);
});

test('ingest --suggest reports the mapping as JSON and writes a mapping file; loading nothing', async () => {
  const csv = path.join(dir, 'homes.csv');
  fs.writeFileSync(csv, 'Prop Ref,UPRN,Post Code,Prop Type\nPR1,100021,ls6 1aa,Flat\n');
  const mapping = path.join(dir, 'mapping.json');
  const r = await hearth('ingest', csv, '--suggest', '--source', 'northgate', '--write-mapping', mapping, '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.kind, 'homes');
  assert.equal(out.columns.find((c: { header: string }) => c.header === 'Post Code').field, 'postcode');
  assert.deepEqual(JSON.parse(fs.readFileSync(mapping, 'utf8')).columns, { 'Prop Ref': 'reference', UPRN: 'uprn', 'Post Code': 'postcode', 'Prop Type': 'propertyType' });
  const missing = await hearth('ingest', path.join(dir, 'nope.csv'), '--suggest', '--json');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stdout, /nope\.csv/);
});

test('hearth ingest keeps damp and mould signals; hearth insight damp lists them, with --rescan and --csv', async () => {
  const org = JSON.parse((await hearth('orgs', 'add', '--name', 'CLI Damp Homes', '--json')).stdout).id as string;
  assert.match(org, /^[0-9a-f-]{36}$/);
  const homes = path.join(dir, 'damp-homes.csv');
  fs.writeFileSync(homes, 'Prop Ref,UPRN,Flat,Street,Town,Post Code,Prop Type\nDM1,100023336001,Flat 1,Moor Road,Leeds,LS6 1AA,Flat\n');
  const repairs = path.join(dir, 'damp-repairs.csv');
  fs.writeFileSync(repairs, 'Works Order No,Prop Ref,Date Logged,Job Description\nJ1,DM1,2025-02-14,Door sticks. Black mould on the bedroom wall.\nJ2,DM1,2025-02-15,Tap dripping\n');
  for (const [file, kind] of [[homes, 'homes'], [repairs, 'repairs']]) {
    const r = await hearth('ingest', file, '--source', 'cli-damp', '--entity', kind, '--organisation', org, '--json');
    assert.equal(r.code, 0, r.stderr || r.stdout);
  }
  const reg = JSON.parse((await hearth('insight', 'damp', '--organisation', org, '--json')).stdout);
  assert.equal(reg.homes, 1, 'the signal was written by the command that loaded the repairs');
  assert.deepEqual(reg.items[0].signals.map((s: { evidence: { text: string }[] }) => s.evidence[0]!.text), ['Black mould on the bedroom wall.']);
  const rescanned = JSON.parse((await hearth('insight', 'damp', '--organisation', org, '--rescan', '--json')).stdout);
  assert.deepEqual([rescanned.rescan.repairs, rescanned.rescan.signals], [2, 1]);
  const csvFile = path.join(dir, 'damp.csv');
  const written = await hearth('insight', 'damp', '--organisation', org, '--csv', csvFile);
  assert.equal(written.code, 0, written.stderr);
  assert.match(fs.readFileSync(csvFile, 'utf8'), /Black mould on the bedroom wall\./);
});

test('hearth insight hrb and hearth hazards clocks answer for the chosen landlord, as text and as JSON', async () => {
  const demo = JSON.parse((await hearth('demo', '--homes', '120', '--seed', '9', '--name', 'CLI Insight Homes', '--json')).stdout);
  const org = demo.organisationId as string;
  const hrb = JSON.parse((await hearth('insight', 'hrb', '--organisation', org, '--json')).stdout);
  assert.equal(hrb.counts.blocks, hrb.higherRisk.length + hrb.dataNeeded.length + hrb.notHigherRisk.length);
  assert.equal(hrb.counts.blocks, demo.blocks);
  const text = await hearth('insight', 'hrb', '--organisation', org);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^${demo.blocks} blocks: ${hrb.counts.higherRisk} higher-risk`));
  const clocks = JSON.parse((await hearth('hazards', 'clocks', '--organisation', org, '--json')).stdout);
  assert.ok(clocks.overdue.length > 0, 'the demo has hazard reports past a deadline');
  assert.ok(clocks.overdue.every((e: { clocks: { status: string }[] }) => e.clocks.every((c) => c.status === 'overdue')));
  assert.equal(clocks.breaches.total, Object.values(clocks.breaches.byClock as Record<string, number>).reduce((a, b) => a + b, 0));
  const unknown = await hearth('hazards', 'clocks', '--organisation', '00000000-0000-7000-8000-000000000000');
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /--organisation 00000000-0000-7000-8000-000000000000: there is no organisation with that id/);
});

test('hearth ingest links people after the import, as an uploaded file is, without hearth link; and says what it did', async () => {
  const org = JSON.parse((await hearth('orgs', 'add', '--name', 'CLI Linkage Homes', '--json')).stdout).id as string;
  const street = (i: number) => `${i + 3} ${['Hill Street', 'Oak Avenue', 'Kirkstall Road'][i % 3]}`;
  const file = (name: string, lines: string[]) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, lines.join('\r\n') + '\r\n');
    return f;
  };
  const ingest = async (f: string, source: string, ...more: string[]) => {
    const r = await hearth('ingest', f, '--source', source, '--entity', 'people', '--organisation', org, ...more);
    assert.equal(r.code, 0, r.stderr || r.stdout);
    return r;
  };
  // The housing system's tenants: the first import of people, so linkage runs in full (there is no model yet).
  const housingFile = file('link-housing.csv', ['Customer Ref,Forename,Surname,Date of Birth,Mobile,Address 1,Post Code',
    ...GIVEN.map((g, i) => `N${100 + i},${g},${FAMILY[i]},${dob(i).split('-').reverse().join('/')},${phone(i)},${street(i)},${postcode(i)}`)]);
  const housing = JSON.parse((await ingest(housingFile, 'northgate-housing', '--json')).stdout);
  assert.equal(housing.counts.created, 30);
  assert.equal(housing.linkage.ran, 'relink');
  assert.deepEqual([housing.linkage.records, housing.linkage.people], [30, 30]);
  // The CRM holds the same people again, some with slips: as many records again, so linkage runs in full again
  // (twice the people it was trained on) and finds each tenant's CRM record.
  const crmFile = file('link-crm.csv', ['Contact ID,First Name,Last Name,DOB,Phone,Email,Address 1,Postcode',
    ...GIVEN.map((g, i) => `C-${100 + i},${i === 3 ? 'Dave' : g},${i === 7 ? 'Campbel' : FAMILY[i]},${dob(i)},${i % 4 === 0 ? '' : phone(i)},` +
      `${g.toLowerCase()}.${FAMILY[i]!.toLowerCase()}@example.com,${street(i)},${postcode(i)}`)]);
  const crm = JSON.parse((await ingest(crmFile, 'civica-crm', '--json')).stdout);
  assert.equal(crm.linkage.ran, 'relink');
  assert.equal(crm.linkage.records, 60);
  assert.ok(crm.linkage.people <= 35 && crm.linkage.linkedPeople >= 25, `the CRM records are linked to the tenants: ${JSON.stringify(crm.linkage)}`);
  // One more record from a third system: linked as its batch loads, with the model the full run trained; the summary says so.
  const rentFile = file('link-rent.csv', ['Customer Ref,Forename,Surname,Date of Birth,Mobile,Address 1,Post Code',
    `R-1,Aisha,Okafor,${dob(0).split('-').reverse().join('/')},${phone(0)},${street(0)},${postcode(0)}`]);
  const rent = await ingest(rentFile, 'rent-system');
  assert.match(rent.stdout, /Linked as each batch loaded: 61 records of people are \d+ people \(\d+ with 2 or more records\), \d+ pairs? for review/);
  // Who each record is, as `hearth export links` writes it: the three records of Aisha Okafor are one person.
  const links = await hearth('export', 'links', '--organisation', org);
  assert.equal(links.code, 0, links.stderr);
  const personOf = new Map(links.stdout.trim().split('\n').slice(1).map((l) => l.split(',')).map(([sys, id, person]) => [`${sys}:${id}`, person]));
  assert.equal(personOf.size, 61);
  assert.equal(personOf.get('civica-crm:C-100'), personOf.get('northgate-housing:N100'));
  assert.equal(personOf.get('rent-system:R-1'), personOf.get('northgate-housing:N100'));
  assert.equal(personOf.get('civica-crm:C-103'), personOf.get('northgate-housing:N103'), 'David and Dave');
  assert.notEqual(personOf.get('northgate-housing:N100'), personOf.get('northgate-housing:N101'));
});

test('hearth ingest of homes before any people: the first file is linked by a full run, later files by their batches only', async () => {
  const org = JSON.parse((await hearth('orgs', 'add', '--name', 'CLI Homes First', '--json')).stdout).id as string;
  const write = (name: string, text: string) => { fs.writeFileSync(path.join(dir, name), text); return path.join(dir, name); };
  const first = await hearth('ingest', write('first-homes.csv', 'Prop Ref,UPRN,House No,Street,Town,Post Code,Prop Type\nP1,100023336901,3,Hill Street,Leeds,LS6 1AB,House\nP2,,4,Oak Avenue,Leeds,LS7 2DE,House\n'),
    '--source', 'northgate-housing', '--entity', 'homes', '--organisation', org, '--json');
  assert.equal(first.code, 0, first.stderr || first.stdout);
  assert.deepEqual(JSON.parse(first.stdout).linkage, { ran: 'relink', records: 0, people: 0, linkedPeople: 0, forReview: 0, homeRecords: 2, homes: 2, linkedHomes: 0 });
  // Linkage has run, with no people to train a model on: each batch of the next file links its homes, and no full run
  // follows to link them again.
  const second = await hearth('ingest', write('second-homes.csv', 'Asset ID,UPRN,Address 1,Postcode\nA-1,100023336901,3 Hill St,LS6 1AB\nA-2,,4 Oak Av,LS7 2DE\n'),
    '--source', 'asset-register', '--entity', 'homes', '--organisation', org);
  assert.equal(second.code, 0, second.stderr || second.stdout);
  assert.match(second.stdout, /^Linked as each batch loaded: 4 records of homes are 2 homes \(2 in 2 or more systems\)\.$/m);
});

test('migrate --distributed refuses a database that is not a Citus coordinator, saying why, and changes nothing', async () => {
  const r = await hearth('migrate', '--distributed', '--json');
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as { ok: boolean; error: string };
  assert.equal(out.ok, false);
  // Embedded PGlite: there is no coordinator; a PostgreSQL server without the extension: it is not one.
  assert.match(out.error, process.env.DATABASE_URL ? /not a Citus coordinator \(CREATE EXTENSION citus/ : /--distributed needs a Citus coordinator in DATABASE_URL/);
  assert.match(out.error, /docs\/scaling\.md/);
  const again = JSON.parse((await hearth('migrate', '--json')).stdout) as { ok: boolean };
  assert.equal(again.ok, true, 'the database is as usable as before');
});
