// npm run bench:feed — the change feed (RPDE, decision 0018) at 1,000,000 events, on PostgreSQL, through real HTTP.
//   1. Generate one landlord's homes and their events with SQL (generate_series straight into homes and events: a
//      bench shortcut; real writes go through the record services). Every home has its created event; the rest are
//      updated events of homes picked across the whole range, so many records have several events and the feed
//      must pass over the older ones.
//   2. Sequence them (platform/events/relay.ts sequence(), as the relay does).
//   3. Page through the whole feed from the start with fetch(), following `next`, as a consumer (the national hub)
//      would: pages/s, items/s and page times.
//   BENCH_EVENTS=1000000 (default)   BENCH_HOMES=400000 (default)   DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
import { sql } from 'drizzle-orm';
import { withDatabase } from './database.ts';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/platform/db/store.ts';
import { buildApp } from '../src/app.ts';
import { createOrganisation } from '../src/modules/organisations/service.ts';
import { sequence } from '../src/platform/events/relay.ts';

const eventCount = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const homeCount = Math.min(Number(process.env.BENCH_HOMES ?? 400_000), eventCount);
const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
const seconds = (t0: number) => (performance.now() - t0) / 1000;

console.log(`bench:feed on PostgreSQL: ${fmt(homeCount)} homes, ${fmt(eventCount)} events`);
await withDatabase(serverUrl, async (url) => {
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: url }), logLevel: 'warn' as const };
  const store = await openStore(config);
  await store.migrate();
  const org = await createOrganisation(store, { name: 'Bench landlord', kind: 'private-registered-provider' });

  // 1. Homes 1…H and events 1…N. Ids are made from the row number so that events are in order of their number
  // (the sequencer orders one transaction's events by id): each home's created event first, then the updates.
  let t0 = performance.now();
  const homeId = (n: string) => sql.raw(`('00000000-0000-7000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`);
  await store.system(async (tx) => {
    await tx.execute(sql`insert into homes (organisation_id, id, version, uprn, reference, building_number, street, town, postcode, property_type, bedrooms, search_text)
      select ${org.id}::uuid, ${homeId('i')}, 1, (100000000000 + i)::text, 'P' || i, (i % 200 + 1)::text, 'Bench Street ' || (i / 200), 'Leeds',
        'LS6 ' || (i % 9 + 1) || 'AA', 'flat', i % 5, 'bench street leeds'
      from generate_series(1, ${homeCount}) as i`);
    // Updates pick homes spread over the range (a multiplicative step modulo H), so a home's events are far apart.
    await tx.execute(sql`insert into events (organisation_id, id, type, entity_kind, subject, actor, data)
      select ${org.id}::uuid, ('01000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
        case when n <= ${homeCount} then 'uk.hearth.home.created' else 'uk.hearth.home.updated' end, 'home',
        ${homeId(`case when n <= ${homeCount} then n else (n::bigint * 7919) % ${homeCount} + 1 end`)}, 'system:bench', '{"fields":["bedrooms"]}'
      from generate_series(1, ${eventCount}) as n`);
  });
  console.log(`generate (SQL)              ${seconds(t0).toFixed(1)} s`);

  // 2. Sequence, as the relay would (in batches of 100,000).
  t0 = performance.now();
  let sequenced = 0;
  for (let n = await sequence(store, 100_000); n > 0; n = await sequence(store, 100_000)) sequenced += n;
  const sequencing = seconds(t0);
  console.log(`sequencing                  ${fmt(sequenced / sequencing)} events/s (${fmt(sequenced)} in ${sequencing.toFixed(1)} s)`);
  // What autovacuum does to a table at rest: statistics, and the visibility map the index-only look-ups rely on.
  await store.exec('VACUUM ANALYZE homes, events');

  // 3. Page through the feed over HTTP.
  const { app, auth } = await buildApp(config, store);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const { token } = await auth.addToken(org.id, 'bench hub', 'analyst');
  const headers = { authorization: `Bearer ${token}` };
  const times: number[] = [];
  const seen = new Set<string>();
  let next = `${base}/api/v1/feeds/homes`;
  let items = 0;
  let lastModified = 0;
  t0 = performance.now();
  for (;;) {
    const started = performance.now();
    const res = await fetch(next, { headers });
    if (res.status !== 200) throw new Error(`${next}: ${res.status} ${await res.text()}`);
    const page = await res.json() as { next: string; items: { id: string; modified: number; data?: unknown }[] };
    times.push(performance.now() - started);
    for (const i of page.items) {
      if (i.modified <= lastModified) throw new Error(`out of order at ${i.id}`);
      lastModified = i.modified;
      seen.add(i.id);
    }
    items += page.items.length;
    if (!page.items.length) break;
    next = page.next;
  }
  const paging = seconds(t0);
  if (items !== homeCount || seen.size !== homeCount) throw new Error(`expected each of ${homeCount} homes once, got ${items} items of ${seen.size} homes`);
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
  console.log(`paging the whole feed       ${fmt(times.length / paging)} pages/s, ${fmt(items / paging)} items/s (${fmt(times.length)} pages, ${fmt(items)} items in ${paging.toFixed(1)} s)`);
  console.log(`page time                   p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms, slowest ${times.at(-1)!.toFixed(0)} ms`);
  await app.close();
  await store.close();
});
