// One COPY connection of bench/national.ts, in its own thread: takes the next landlord from the shared counter,
// makes its rows (bench/national-generate.ts) and COPYs them in, one transaction per landlord (so a stopped run
// carries on from the landlords not yet done), until none are left.
import { parentPort, workerData } from 'node:worker_threads';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COLUMNS, detector, landlordHomes, landlordRepairs, newDetectorStats, type Plan } from './national-generate.ts';

export interface WorkerData {
  url: string;
  plan: Plan;
  phase: 'homes' | 'repairs';
  /** Landlord numbers in the order to take them (biggest first, so the two connections finish together). */
  order: number[];
  next: SharedArrayBuffer;
  memoise: boolean;
}

export type WorkerMessage =
  | { type: 'landlord'; index: number; rows: Record<string, number>; blockStats?: Record<string, number> }
  | { type: 'finished'; generateMs: number; copyMs: number; detector: ReturnType<typeof newDetectorStats> }
  | { type: 'error'; message: string };

const data = workerData as WorkerData;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

const client = new pg.Client({ connectionString: data.url });
let generateMs = 0, copyMs = 0;

/** COPY lines into a table, in pieces of about 1 MB (the stream waits for the server as it goes). */
async function copy(table: keyof typeof COLUMNS, lines: string[]) {
  if (!lines.length) return;
  const t0 = performance.now();
  function* pieces() {
    let from = 0, size = 0;
    for (let i = 0; i < lines.length; i++) {
      size += lines[i]!.length + 1;
      if (size >= 1 << 20) { yield lines.slice(from, i + 1).join('\n') + '\n'; from = i + 1; size = 0; }
    }
    if (from < lines.length) yield lines.slice(from).join('\n') + '\n';
  }
  await pipeline(Readable.from(pieces()), client.query(copyFrom(`COPY ${table} (${COLUMNS[table].join(', ')}) FROM STDIN`)));
  copyMs += performance.now() - t0;
}

try {
  await client.connect();
  // A bench-only database: a crash may lose the last moments' commits (never corrupt them), which the per-landlord
  // "done" rows make safe to re-run.
  await client.query('SET synchronous_commit = off');
  const stats = newDetectorStats();
  const detect = detector(stats, data.memoise);
  const counter = new Int32Array(data.next);
  for (;;) {
    const k = Atomics.add(counter, 0, 1);
    if (k >= data.order.length) break;
    const l = data.plan.landlords[data.order[k]!]!;
    await client.query('BEGIN');
    if (data.phase === 'homes') {
      let t = performance.now();
      const rows = landlordHomes(data.plan, l);
      generateMs += performance.now() - t;
      await copy('estates', rows.estates);
      await copy('blocks', rows.blocks);
      await copy('homes', rows.homes);
      await client.query('INSERT INTO bench_national_done (landlord, phase) VALUES ($1, $2)', [l.index, 'homes']);
      t = performance.now();
      await client.query('COMMIT');
      copyMs += performance.now() - t;
      post({ type: 'landlord', index: l.index, rows: { estates: rows.estates.length, blocks: rows.blocks.length, homes: rows.homes.length }, blockStats: { ...rows.stats } });
    } else {
      const rows = { repairs: 0, damp_mould_signals: 0 };
      const chunks = landlordRepairs(data.plan, l, detect, stats);
      for (;;) {
        const t = performance.now();
        const next = chunks.next();
        generateMs += performance.now() - t;
        if (next.done) break;
        // Each batch of repairs, then the damp and mould signals found in it: the flags arrive with the data.
        await copy('repairs', next.value.repairs);
        await copy('damp_mould_signals', next.value.signals);
        rows.repairs += next.value.repairs.length;
        rows.damp_mould_signals += next.value.signals.length;
      }
      await client.query('INSERT INTO bench_national_done (landlord, phase) VALUES ($1, $2)', [l.index, 'repairs']);
      const t = performance.now();
      await client.query('COMMIT');
      copyMs += performance.now() - t;
      post({ type: 'landlord', index: l.index, rows });
    }
  }
  post({ type: 'finished', generateMs, copyMs, detector: stats });
  await client.end();
} catch (err) {
  post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) });
  await client.end().catch(() => undefined);
}
