// npm run bench:ingest — the whole import pipeline (read, map, validate, normalise, load) on a generated homes CSV,
// into PostgreSQL and into PGlite, each in its own process with its peak memory (started with the same Node flags as
// the hearth command); and, in the same run, a raw COPY
// of the same file into PostgreSQL as the yardstick.
//   BENCH_ROWS=1000000 (default)   BENCH_ONLY=pg|pglite   BENCH_REIMPORT=1 (also time re-importing the same file)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const root = path.resolve(import.meta.dirname, '..');
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const only = process.env.BENCH_ONLY;
const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

import { HEADER, generate } from './homes-file.ts';
import { withDatabase } from './database.ts';

const dir = path.join(root, '.cache', 'bench');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `homes-v2-${rows}.csv`);
if (!fs.existsSync(file)) { console.log(`Generating ${rows.toLocaleString('en-GB')} rows…`); generate(file, rows); }
const mb = (fs.statSync(file).size / 1048576).toFixed(0);
console.log(`File: ${path.relative(root, file)} (${rows.toLocaleString('en-GB')} homes, ${mb} MB), ${os.availableParallelism()} cores`);


function run(env: Record<string, string>): { seconds: number; peakRssMB: number; counts: Record<string, number>; reimportSeconds?: number } {
  const r = spawnSync(process.execPath, ['--max-semi-space-size=8', path.join(root, 'bench/ingest-run.ts'), file], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const rate = (n: number, s: number) => Math.round(n / s);
const fmt = (n: number) => n.toLocaleString('en-GB');
const results: string[] = [];

if (only !== 'pglite') {
  await withDatabase(serverUrl, async (url) => {
    // Yardstick: the same file, COPYed as it is into a plain table of text columns (no parsing in Node, no indexes).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE TABLE raw_homes (${HEADER.split(',').map((_, i) => `c${i} text`).join(', ')})`);
    const t0 = performance.now();
    await pipeline(fs.createReadStream(file), client.query(copyFrom(`COPY raw_homes FROM STDIN WITH (FORMAT csv, HEADER true)`)));
    const rawSeconds = (performance.now() - t0) / 1000;
    await client.end();
    const p = run({ DATABASE_URL: url });
    if (p.counts.created !== rows) throw new Error(`expected ${rows} created, got ${JSON.stringify(p.counts)}`);
    const rawRate = rate(rows, rawSeconds);
    const pRate = rate(rows, p.seconds);
    results.push(`raw COPY into PostgreSQL      ${rawSeconds.toFixed(1)} s  ${fmt(rawRate)} rows/s`);
    results.push(`pipeline into PostgreSQL      ${p.seconds.toFixed(1)} s  ${fmt(pRate)} rows/s  = ${Math.round((100 * pRate) / rawRate)}% of raw COPY  peak memory ${p.peakRssMB} MB` +
      (p.reimportSeconds ? `  (re-import, all unchanged: ${p.reimportSeconds.toFixed(1)} s)` : ''));
  });
}
if (only !== 'pg') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-pglite-'));
  try {
    const p = run({ DATABASE_URL: '', HEARTH_DATA_DIR: dataDir });
    if (p.counts.created !== rows) throw new Error(`expected ${rows} created, got ${JSON.stringify(p.counts)}`);
    results.push(`pipeline into PGlite          ${p.seconds.toFixed(1)} s  ${fmt(rate(rows, p.seconds))} rows/s  peak memory ${p.peakRssMB} MB` +
      (p.reimportSeconds ? `  (re-import, all unchanged: ${p.reimportSeconds.toFixed(1)} s)` : ''));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
console.log(results.join('\n'));
