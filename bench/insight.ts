// npm run bench:insight — damp and mould detector quality on the labelled set (src/modules/hazards/damp-labelled.ts),
//   beside a plain keyword search (/damp|mould/i). Prints precision / recall / F1 and the misses (BENCH_SHOW=1).
import { detectDampMould } from '../src/modules/hazards/damp-detector.ts';
import { DAMP_LABELLED, buildDampHeldOut, type LabelledNote } from '../src/modules/hazards/damp-labelled.ts';
import '../src/modules/install-all.ts'; // the modules installed, as the app installs them

interface Score { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number; tn: number }

function score(predict: (t: string) => boolean, set: LabelledNote[] = DAMP_LABELLED): { s: Score; errors: { text: string; want: boolean }[] } {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  const errors: { text: string; want: boolean }[] = [];
  for (const n of set) {
    const p = predict(n.text);
    if (p && n.damp) tp++; else if (p) fp++; else if (n.damp) fn++; else tn++;
    if (p !== n.damp) errors.push({ text: n.text, want: n.damp });
  }
  const precision = tp / (tp + fp || 1), recall = tp / (tp + fn || 1);
  return { s: { precision, recall, f1: (2 * precision * recall) / (precision + recall || 1), tp, fp, fn, tn }, errors };
}

const t0 = performance.now();
const det = score((t) => detectDampMould(t).flagged);
const ms = performance.now() - t0;
const kw = score((t) => /damp|mould/i.test(t));
const pos = DAMP_LABELLED.filter((n) => n.damp).length;
const hard = DAMP_LABELLED.filter((n) => n.hard).length;
console.log(`labelled set: ${DAMP_LABELLED.length} notes, ${pos} positive, ${DAMP_LABELLED.length - pos} negative (${hard} hard negatives)`);
const row = (name: string, s: Score) =>
  console.log(`${name.padEnd(22)} precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}  (tp ${s.tp} fp ${s.fp} fn ${s.fn} tn ${s.tn})`);
row('detectDampMould', det.s);
row('keyword /damp|mould/i', kw.s);
console.log(`detector time: ${ms.toFixed(1)} ms for ${DAMP_LABELLED.length} notes`);
// The held-out part: never used to tune the detector.
const heldOut = buildDampHeldOut();
const held = score((t) => detectDampMould(t).flagged, heldOut);
console.log(`held-out set: ${heldOut.length} notes, ${heldOut.filter((n) => n.damp).length} positive, ${heldOut.filter((n) => n.hard).length} hard negatives`);
row('detectDampMould', held.s);
row('keyword /damp|mould/i', score((t) => /damp|mould/i.test(t), heldOut).s);
if (process.env.BENCH_SHOW) for (const e of [...det.errors, ...held.errors]) console.log(`  ${e.want ? 'FN' : 'FP'}  ${e.text}`);
