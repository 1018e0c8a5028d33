// npm run bench:names — how well full names ("Mr R. Morgan", "MORGAN, Robert J") are split into title, given, middle
// and family names, on the labelled set (src/modules/people/names-labelled.ts): the part the rules were tuned on and
// the held-out part they never saw. BENCH_SHOW=tuned|held-out lists the names split wrongly.
import { TUNED, HELD_OUT, scoreNames } from '../src/modules/people/names-labelled.ts';
import { splitForScoring } from '../src/modules/people/names.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
console.log('Name splitting accuracy (share of names with the part exactly right)');
console.log(`${'part'.padEnd(10)} ${'names'.padStart(6)} ${'title'.padStart(7)} ${'given'.padStart(7)} ${'middle'.padStart(7)} ${'family'.padStart(7)} ${'all four'.padStart(9)} ${'review flag'.padStart(12)}`);
for (const [label, set] of [['tuned', TUNED], ['held-out', HELD_OUT]] as const) {
  const s = scoreNames(set, splitForScoring);
  console.log(`${label.padEnd(10)} ${String(s.names).padStart(6)} ${pct(s.title)} ${pct(s.given)} ${pct(s.middle)} ${pct(s.family)} ${pct(s.whole).padStart(9)} ${pct(s.review).padStart(12)}`);
  if (process.env.BENCH_SHOW === label) for (const w of s.wrong) console.log(`  ${JSON.stringify(w.input)}: expected ${w.expected}, got ${w.got}`);
}
