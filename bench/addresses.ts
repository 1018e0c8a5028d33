// Address-lines parsing accuracy per part (src/modules/homes/address-lines.ts) on the labelled set
// (address-labelled.ts): the half the rules were tuned on, and the held-out half they never were.
//   npm run bench:addresses [-- --misses]   (--misses lists the tuning half's mistakes)
import { parseAddressLines } from '../src/modules/homes/address-lines.ts';
import { TUNING, HELD_OUT, measure } from '../src/modules/homes/address-labelled.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
for (const [name, set] of [['tuned', TUNING], ['held-out', HELD_OUT]] as const) {
  const m = measure(set, parseAddressLines);
  console.log(`\n${name}: ${m.size} addresses, every part right in ${pct(m.whole)}`);
  for (const p of m.perPart) console.log(`  ${p.part.padEnd(15)} ${pct(p.accuracy).padStart(6)}  (${p.correct}/${p.total})`);
  if (name === 'tuned' && process.argv.includes('--misses')) {
    for (const x of m.misses.slice(0, 60)) console.log(`  miss ${x.part}: ${JSON.stringify(x.lines)} expected ${JSON.stringify(x.expected)} got ${JSON.stringify(x.got)}`);
  }
}
