// npm run bench:linkage — person linkage quality and speed.
//   FEBRL 4a+4b (link two files) and dataset 3 (deduplicate one): pairwise precision / recall / F1 from the clusters,
//   against the true entity in rec_id (labels used only here, never by the model).
//   UK synthetic (engine/synthetic.ts): quality at BENCH_SYNTH (default 100,000) records, and the speed run at
//   BENCH_SPEED (default 1,000,000) records end to end, with timings per stage, candidate pairs and peak RSS.
//   BENCH_ONLY=febrl|synth|speed. Re-spawns itself with --max-semi-space-size=8 like the hearth command.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { PersonRecord } from '../src/modules/linkage/types.ts';
import { linkPeople, type LinkOptions, type LinkResult } from '../src/modules/linkage/engine/index.ts';
import { generatePeople } from '../src/modules/linkage/engine/synthetic.ts';
import '../src/modules/install-all.ts'; // the modules installed, as the app installs them

if (!process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
  const r = spawnSync(process.execPath, ['--max-semi-space-size=8', ...process.execArgv, import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const febrlDir = process.env.FEBRL_DIR ?? path.resolve(import.meta.dirname, '../../shared/data/febrl');
const only = process.env.BENCH_ONLY;

/** FEBRL CSV → PersonRecord. soc_sec_id is used as the exact-id field (phone). Suburb joins the address words. */
function loadFebrl(file: string, source: string): { records: PersonRecord[]; truth: string[] } {
  const lines = fs.readFileSync(path.join(febrlDir, file), 'utf8').split('\n').slice(1).filter((l) => l.trim());
  const records: PersonRecord[] = [];
  const truth: string[] = [];
  for (const line of lines) {
    const c = line.split(',').map((s) => s.trim());
    const [recId, given, surname, number, addr1, addr2, suburb, postcode, , dob, ssn] = c as string[];
    const d = dob && /^\d{8}$/.test(dob) ? `${dob.slice(0, 4)}-${dob.slice(4, 6)}-${dob.slice(6, 8)}` : null;
    records.push({
      id: `${source}:${recId}`, sourceSystem: source, givenName: given || null, familyName: surname || null, dateOfBirth: d,
      address: [number, addr1, addr2, suburb].filter(Boolean).join(' ') || null, postcode: postcode || null, phone: ssn || null,
    });
    truth.push(/^rec-(\d+)-/.exec(recId!)![1]!);
  }
  return { records, truth };
}

interface Score { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number }

/** Pairwise P/R/F1 of the clusters against the truth; crossOnly: only pairs of different sources count. */
function evaluate(res: LinkResult, records: PersonRecord[], truth: string[], crossOnly: boolean): Score {
  const idx = new Map(records.map((r, i) => [r.id, i]));
  const pairsIn = (members: number[]) => {
    if (!crossOnly) return (members.length * (members.length - 1)) / 2;
    const by = new Map<string, number>();
    for (const m of members) by.set(records[m]!.sourceSystem, (by.get(records[m]!.sourceSystem) ?? 0) + 1);
    const v = [...by.values()];
    let s = 0;
    for (let x = 0; x < v.length; x++) for (let y = x + 1; y < v.length; y++) s += v[x]! * v[y]!;
    return s;
  };
  let predicted = 0;
  let tp = 0;
  for (const c of res.clusters) {
    const members = c.map((id) => idx.get(id)!);
    predicted += pairsIn(members);
    const byEntity = new Map<string, number[]>();
    for (const m of members) (byEntity.get(truth[m]!) ?? byEntity.set(truth[m]!, []).get(truth[m]!)!).push(m);
    for (const g of byEntity.values()) tp += pairsIn(g);
  }
  const entities = new Map<string, number[]>();
  truth.forEach((e, i) => (entities.get(e) ?? entities.set(e, []).get(e)!).push(i));
  let actual = 0;
  for (const g of entities.values()) actual += pairsIn(g);
  const precision = predicted ? tp / predicted : 1;
  const recall = actual ? tp / actual : 1;
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall || 1), tp, fp: predicted - tp, fn: actual - tp };
}

const fmt = (s: Score) => `precision ${s.precision.toFixed(4)}  recall ${s.recall.toFixed(4)}  F1 ${s.f1.toFixed(4)}  (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;

function report(name: string, res: LinkResult, score?: Score) {
  const s = res.stats;
  console.log(`\n== ${name}: ${s.records.toLocaleString()} records, ${s.candidatePairs.toLocaleString()} candidate pairs, ${s.clusters.toLocaleString()} clusters`);
  if (score) console.log('  ' + fmt(score));
  console.log(`  pairs ≥ review ${s.pairsAboveReview}, ≥ match ${s.pairsAboveMatch}, review ${res.review.length}, contradicted ${s.contradicted}, refused ${s.refused}`);
  console.log('  timings ms: ' + Object.entries(s.timings).map(([k, v]) => `${k} ${v}`).join(', '));
  console.log('  per rule: ' + s.perRule.map((r) => `${r.name} ${r.pairs}${r.skippedBlocks ? ` (skipped ${r.skippedBlocks} blocks/${r.skippedRecords} recs, largest ${r.largestSkipped})` : ''}`).join('; '));
  console.log(`  λ ${res.model.lambda.toExponential(3)}; EM sessions: ` + res.model.training.emSessions.map((e) => `${e.rule} ${e.pairs}p ${e.iterations}it`).join(', '));
}

const opts: LinkOptions = {};
if (!only || only === 'febrl') {
  const a = loadFebrl('dataset4a.csv', 'a');
  const b = loadFebrl('dataset4b.csv', 'b');
  const records = [...a.records, ...b.records];
  const truth = [...a.truth, ...b.truth];
  const res = linkPeople(records, { ...opts, mode: 'link' });
  const score = evaluate(res, records, truth, true);
  report('FEBRL 4a+4b (link)', res, score);
  if (process.env.BENCH_VERBOSE) for (const c of res.model.comparisons) console.log(c.name, c.levels.map((l) => `${l.id} m=${l.m.toFixed(4)} u=${l.u.toExponential(2)}`).join(' | '));
  const d3 = loadFebrl('dataset3.csv', 'd3');
  const res3 = linkPeople(d3.records, opts);
  report('FEBRL dataset 3 (dedupe)', res3, evaluate(res3, d3.records, d3.truth, false));
  if (process.env.BENCH_VERBOSE) for (const c of res3.model.comparisons) console.log(c.name, c.levels.map((l) => `${l.id} m=${l.m.toFixed(4)} u=${l.u.toExponential(2)}`).join(' | '));
}
if (!only || only === 'synth') {
  const n = Number(process.env.BENCH_SYNTH ?? 100_000);
  const { records, truth } = generatePeople(n, 7);
  const res = linkPeople(records, opts);
  report(`UK synthetic ${n.toLocaleString()} (dedupe)`, res, evaluate(res, records, truth, false));
  if (process.env.BENCH_VERBOSE) for (const c of res.model.comparisons) console.log(c.name, c.levels.map((l) => `${l.id} m=${l.m.toFixed(4)} u=${l.u.toExponential(2)}`).join(' | '));
}
if (!only || only === 'speed') {
  const n = Number(process.env.BENCH_SPEED ?? 1_000_000);
  let t = performance.now();
  const { records, truth } = generatePeople(n, 11);
  console.log(`\ngenerated ${n.toLocaleString()} synthetic records in ${Math.round(performance.now() - t)} ms`);
  t = performance.now();
  const res = linkPeople(records, opts);
  const wall = performance.now() - t;
  report(`UK synthetic speed run ${n.toLocaleString()} (dedupe)`, res, process.env.BENCH_SPEED_SCORE === '0' ? undefined : evaluate(res, records, truth, false));
  console.log(`  end to end ${(wall / 1000).toFixed(1)} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
