// Hundreds of malformed and hostile files through the whole pipeline: each ends in a clear error that names the
// file, or a clean partial result whose counts add up and whose accepted rows are all in the database. Never a
// crash, a hang or a lost row. Seeded, so a failure can be replayed (FUZZ_SEED=n).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness, type Landlord } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const CASES = Number(process.env.FUZZ_CASES ?? 300);
let h: Harness;
let org: Landlord;
let dir: string;
before(async () => { h = await harness(); org = await landlord(h); dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-fuzz-')); });
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

let seed = SEED;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const HEADER = ['Prop Ref', 'UPRN', 'House No', 'Street', 'Town', 'Post Code', 'Prop Type', 'Beds'];
const GOOD = () => [`P${Math.floor(rnd() * 1e6)}`, String(100000000000 + Math.floor(rnd() * 1e9)), String(1 + Math.floor(rnd() * 200)), 'High Street', 'Leeds',
  pick(['LS6 1AA', 'ls61aa', 'BD1 1AB', 'NOT A PC', '']), pick(['House', 'Flat', 'FLT', 'Castle', '']), pick(['1', '2', 'three', '-1', '2.0', ''])];
const NASTY = ['=cmd|\' /C calc\'!A0', '+SUM(A1)', '@HYPERLINK("x")', '"', '""', '"a""b"', '\u0000', '\uFEFF', '\u202Eevil', 'é', '\uFFFD', 'x'.repeat(5000),
  '1.0002E+11', '100021.0', ';', '\t', '\r', '\n', '\\', ',,,', '<script>', "'; drop table homes; --", '🏠', '\u200B', '0x41'];

function csvCell(v: string): string { return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v; }

/** One hostile file: a kind of damage chosen at random, on top of mostly good rows. */
function makeFile(i: number): { name: string; data: Buffer } {
  const kind = pick(['ragged', 'quotes', 'nasty', 'binary', 'empty', 'header-only', 'dup-headers', 'cp1252', 'long-line', 'delims', 'bom', 'json', 'ndjson', 'xlsx-not-zip', 'xlsx-bomb', 'truncated'] as const);
  const rows: string[][] = Array.from({ length: 1 + Math.floor(rnd() * 40) }, GOOD);
  const join = (rs: string[][], d = ',') => rs.map((r) => r.map(csvCell).join(d)).join(pick(['\n', '\r\n']));
  switch (kind) {
    case 'ragged': return { name: `f${i}.csv`, data: Buffer.from(join([HEADER, ...rows.map((r) => (rnd() < 0.3 ? r.slice(0, Math.floor(rnd() * r.length)) : rnd() < 0.3 ? [...r, 'extra'] : r))])) };
    case 'quotes': return { name: `f${i}.csv`, data: Buffer.from(join([HEADER, ...rows]).replace(/,/g, (m) => (rnd() < 0.02 ? ',"' : m))) };
    case 'nasty': return { name: `f${i}.csv`, data: Buffer.from(join([HEADER, ...rows.map((r) => r.map((c) => (rnd() < 0.3 ? pick(NASTY) : c)))])) };
    case 'binary': return { name: `f${i}.csv`, data: Buffer.from(Array.from({ length: Math.floor(rnd() * 5000) }, () => Math.floor(rnd() * 256))) };
    case 'empty': return { name: `f${i}.csv`, data: Buffer.alloc(0) };
    case 'header-only': return { name: `f${i}.csv`, data: Buffer.from(HEADER.join(',') + '\n') };
    case 'dup-headers': return { name: `f${i}.csv`, data: Buffer.from(join([[...HEADER, 'Post Code', 'prop ref'], ...rows.map((r) => [...r, 'LS1 1AA', 'X'])])) };
    case 'cp1252': return { name: `f${i}.csv`, data: Buffer.from(join([HEADER, ...rows.map((r) => [...r.slice(0, 3), 'Caf\u00e9 Street', ...r.slice(4)])]), 'latin1') };
    case 'long-line': return { name: `f${i}.csv`, data: Buffer.concat([Buffer.from(HEADER.join(',') + '\n'), Buffer.alloc(10 * 1024 * 1024 + Math.floor(rnd() * 1000), 'a')]) };
    case 'delims': return { name: `f${i}.csv`, data: Buffer.from(join([HEADER, ...rows], pick([';', '\t', '|']))) };
    case 'bom': return { name: `f${i}.csv`, data: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(join([HEADER, ...rows]))]) };
    case 'json': return { name: `f${i}.json`, data: Buffer.from(rnd() < 0.5 ? JSON.stringify(rows.map((r) => Object.fromEntries(HEADER.map((k, j) => [k, r[j]])))) : '[{"Prop Ref": "P1", ') };
    case 'ndjson': return { name: `f${i}.ndjson`, data: Buffer.from(rows.map((r) => (rnd() < 0.2 ? '{not json' : JSON.stringify(Object.fromEntries(HEADER.map((k, j) => [k, r[j]]))))).join('\n')) };
    case 'xlsx-not-zip': return { name: `f${i}.xlsx`, data: Buffer.from(join([HEADER, ...rows])) };
    case 'xlsx-bomb': {
      // A zip whose one entry claims to expand to 4 GB (the central directory says so): refused before inflating.
      const body = zlib.deflateRawSync(Buffer.alloc(1024));
      const name = Buffer.from('xl/worksheets/sheet1.xml');
      const local = Buffer.alloc(30); local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
      local.writeUInt32LE(body.length, 18); local.writeUInt32LE(0xfffffff0, 22); local.writeUInt16LE(name.length, 26);
      const cd = Buffer.alloc(46); cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(20, 4); cd.writeUInt16LE(20, 6); cd.writeUInt16LE(8, 10);
      cd.writeUInt32LE(body.length, 20); cd.writeUInt32LE(0xfffffff0, 24); cd.writeUInt16LE(name.length, 28);
      const cdStart = 30 + name.length + body.length;
      const end = Buffer.alloc(22); end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
      end.writeUInt32LE(46 + name.length, 12); end.writeUInt32LE(cdStart, 16);
      return { name: `f${i}.xlsx`, data: Buffer.concat([local, name, body, cd, name, end]) };
    }
    case 'truncated': { const d = Buffer.from(join([HEADER, ...rows])); return { name: `f${i}.csv`, data: d.subarray(0, Math.floor(rnd() * d.length)) }; }
  }
}

test(`${CASES} malformed and hostile files: a clear error or counts that add up, never a crash or a lost row`, { timeout: 900_000 }, async () => {
  const outcomes = new Map<string, number>();
  for (let i = 0; i < CASES; i++) {
    const { name, data } = makeFile(i);
    const file = path.join(dir, name);
    fs.writeFileSync(file, data);
    const before = await h.store.withOrg(org.id, async (tx) => Number((await tx.execute(sql`select count(*) as n from homes`)).rows[0]!.n));
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${name} (seed ${SEED}, case ${i}): no result in 60 s`)), 60_000); });
    try {
      const r = await Promise.race([ingestFile(h.store, { organisationId: org.id, file, sourceSystem: 'fuzz', kind: 'homes' }), hang]);
      const c = r.counts;
      assert.equal(c.created + c.updated + c.unchanged + c.rejected + c.duplicates, c.rowsRead, `${name}: counts add up`);
      const afterCount = await h.store.withOrg(org.id, async (tx) => Number((await tx.execute(sql`select count(*) as n from homes`)).rows[0]!.n));
      assert.equal(afterCount - before, c.created, `${name}: every created row is in the database`);
      outcomes.set('loaded', (outcomes.get('loaded') ?? 0) + 1);
    } catch (err) {
      const message = (err as Error).message;
      assert.ok(!/no result in 60 s/.test(message), message);
      assert.ok(err instanceof Error && message.length > 10, `${name}: a clear error, not ${String(err)}`);
      assert.ok(!/TypeError|ReferenceError|Cannot read prop|undefined is not/.test(message), `${name}: a crash dressed as an error: ${message}`);
      assert.ok(message.includes(name) || /mapping|column|--entity|kind of record|headers|PropRef|Prop Ref|file/i.test(message), `${name}: the error says which file or what to do: ${message}`);
      outcomes.set('clear error', (outcomes.get('clear error') ?? 0) + 1);
    } finally {
      clearTimeout(timer);
    }
  }
  assert.ok((outcomes.get('loaded') ?? 0) > CASES / 4, `most files load partially: ${JSON.stringify([...outcomes])}`);
});
