// One measured import in its own process (so its peak memory is its own): `node bench/ingest-run.ts FILE`.
// Uses DATABASE_URL when set, else PGlite in HEARTH_DATA_DIR. Prints one JSON line.
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/platform/db/store.ts';
import { createOrganisation } from '../src/modules/organisations/service.ts';
import { ingestFile } from '../src/modules/ingest/cli.ts';
import '../src/modules/install-all.ts'; // the modules installed, as the app installs them

const file = process.argv[2]!;
const store = await openStore(loadConfig());
await store.migrate();
const org = await createOrganisation(store, { name: 'Bench landlord', kind: 'private-registered-provider' });
let peak = 0;
const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
const t0 = performance.now();
// When the last batch committed: the rows are written (with their events); what follows is the import waiting for
// the subscribers it waits for (damp signals, linkage), marking itself completed and its after-import step.
let loadedAt = t0;
const first = await ingestFile(store, { organisationId: org.id, file, sourceSystem: 'bench-housing', kind: 'homes', onProgress: () => { loadedAt = performance.now(); } });
const seconds = (performance.now() - t0) / 1000;
const loadSeconds = (loadedAt - t0) / 1000;
let again: number | undefined;
if (process.env.BENCH_REIMPORT) {
  const t1 = performance.now();
  const second = await ingestFile(store, { organisationId: org.id, file, sourceSystem: 'bench-housing', kind: 'homes' });
  again = (performance.now() - t1) / 1000;
  if (second.counts.unchanged !== first.counts.created) throw new Error('re-import was not all unchanged');
}
clearInterval(sample);
peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
await store.close();
console.log(JSON.stringify({ seconds, loadSeconds, counts: first.counts, peakRssMB: Math.round(peak / 1048576), reimportSeconds: again }));
