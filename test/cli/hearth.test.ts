// The `hearth` command as a script would use it: --help on each command, --json results, clear errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

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
  for (const args of [[], ['start'], ['migrate'], ['demo'], ['users', 'add'], ['tokens', 'add'], ['orgs', 'add'], ['orgs', 'list']]) {
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
