// npm run bench:asb — the ASB issue's figures (issue 15), on PostgreSQL, through the product's own code paths:
//   1. similar-case search on create (similarCases, as the new-case page calls it): p50 / p95 at one landlord with
//      50,000 cases (about a quarter open), by home, by block, and by home and person together;
//   2. the ASB measures (asbMeasures: TSM NM01 with hate cases, open cases by category and risk, overdue actions,
//      case reviews) for every one of 1,600 landlords with the national plan's 4.7 million homes: p50 / p95 per landlord.
// Landlords and homes come from the national bench's plan and COPY worker (bench/national-generate.ts); cases are made
// in SQL, spread over the last two years at about 22 per 1,000 homes a year (NM01 medians are in the 20s and 30s).
//   --scale F (1)   fraction of the national size     --cases N (50000)   cases at the biggest landlord
//   --rounds N (300) similar-case searches           --seed N (42)
//   BENCH_DATABASE_URL  PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test); a throwaway database is used
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { openStore } from '../src/platform/db/store.ts';
import type { Actor } from '../src/platform/auth/actor.ts';
import type { Ctx } from '../src/platform/records/context.ts';
import { createOrganisation } from '../src/modules/organisations/service.ts';
import { asbMeasures, similarCases, DEFAULT_ASB_SETTINGS } from '../src/modules/asb/index.ts';
import { seededRandom } from '../src/platform/random.ts';
import { makePlan } from './national-generate.ts';
import type { WorkerData, WorkerMessage } from './national-worker.ts';
import { withDatabase } from './database.ts';
import '../src/modules/install-all.ts';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    cases: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '300' },
    seed: { type: 'string', default: '42' },
  },
});
const scale = Number(args.scale);
const CASES = Number(args.cases);
const ROUNDS = Number(args.rounds);
const seed = Number(args.seed);
if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be more than 0 and at most 1');
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Cases a year per home (22 per 1,000), at every landlord but the biggest. */
const RATE = 0.022;

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };
const ms = (x: number) => `${x.toFixed(1)} ms`;
async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  log(`${name}…`);
  const out = await work();
  log(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

await withDatabase(serverUrl, async (url) => {
  const plan = makePlan(scale, seed, new Date().toISOString().slice(0, 10));
  const bySize = [...plan.landlords].sort((a, b) => b.homes - a.homes);
  const biggest = bySize[0]!;
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await phase('database (migrate)', async () => {
      const store = await openStore({ databaseUrl: url, dataDir: '' });
      try { await store.migrate(); } finally { await store.close(); }
    });
    await phase(`organisations (${fmt(plan.landlords.length)}, createOrganisation)`, async () => {
      const store = await openStore({ databaseUrl: url, dataDir: '' });
      try {
        let i = 0;
        await Promise.all([0, 1, 2].map(async () => {
          while (i < plan.landlords.length) {
            const l = plan.landlords[i++]!;
            await createOrganisation(store, { id: l.id, name: l.name, kind: l.kind, registrationNumber: l.registrationNumber });
          }
        }));
      } finally { await store.close(); }
    });
    await phase(`estates, blocks, homes (${fmt(plan.landlords.reduce((s, l) => s + l.homes, 0))} homes, the national bench's COPY worker)`, async () => {
      await db.query('CREATE TABLE bench_national_done (landlord integer NOT NULL, phase text NOT NULL, PRIMARY KEY (landlord, phase))');
      // The homes' trigram search index is not used by anything timed here: dropped for the load, not rebuilt.
      const gin = (await db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'homes' AND indexdef LIKE '% USING gin %'`)).rows;
      for (const g of gin) await db.query(`DROP INDEX "${g.indexname}"`);
      const order = bySize.map((l) => l.index);
      const next = new SharedArrayBuffer(4);
      await Promise.all([0, 1].map(() => new Promise<void>((resolve, reject) => {
        const data: WorkerData = { url, plan, phase: 'homes', order, next, memoise: true };
        const w = new Worker(new URL('./national-worker.ts', import.meta.url), { workerData: data });
        w.on('message', (m: WorkerMessage) => { if (m.type === 'error') reject(new Error(`worker: ${m.message}`)); });
        w.on('error', reject);
        w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
      })));
    });

    // ---- people and cases, made in SQL --------------------------------------------------------------------------
    await phase('people at the biggest landlord (one for each home)', () => db.query(`
      INSERT INTO people (organisation_id, id, given_name, family_name, date_of_birth, home_id, search_text)
      SELECT organisation_id, gen_random_uuid(), 'Given' || (n % 997), 'Family' || (n % 4999), date '1950-01-01' + (n % 20000), id, ''
      FROM (SELECT organisation_id, id, row_number() OVER (ORDER BY id)::int AS n FROM homes WHERE organisation_id = $1) h`, [biggest.id]));

    const categories = DEFAULT_ASB_SETTINGS.categories;
    const cats = categories.map((c) => c.code);
    const priorities = categories.map((c) => c.priority);
    const counts = plan.landlords.map((l) => (l.id === biggest.id ? CASES : Math.max(1, Math.round(l.homes * RATE * 2))));
    await phase(`cases (${fmt(counts.reduce((s, n) => s + n, 0))} over two years; ${fmt(CASES)} at the biggest landlord, ${fmt(biggest.homes)} homes)`, async () => {
      await db.query(`CREATE TEMP TABLE hn AS SELECT organisation_id, id, block_id, row_number() OVER (PARTITION BY organisation_id ORDER BY id)::int AS n FROM homes`);
      await db.query('CREATE INDEX ON hn (organisation_id, n)');
      await db.query(`CREATE TEMP TABLE ht AS SELECT organisation_id, count(*)::int AS total FROM homes GROUP BY organisation_id`);
      await db.query(`SELECT setseed(0.42)`);
      await db.query(`CREATE TEMP TABLE bc AS
        SELECT g.organisation_id, gen_random_uuid() AS id, g.n, hn.id AS home_id, hn.block_id,
          now() - make_interval(secs => g.r0 * 730 * 86400) AS opened_at, g.r1, g.r2, g.r3
        FROM (SELECT l.org AS organisation_id, s AS n, (1 + floor(random() * ht.total))::int AS hn_n, random() AS r0, random() AS r1, random() AS r2, random() AS r3
              FROM unnest($1::uuid[], $2::int[]) AS l(org, cases) JOIN ht ON ht.organisation_id = l.org
              CROSS JOIN LATERAL generate_series(1, l.cases) AS s) g
        JOIN hn ON hn.organisation_id = g.organisation_id AND hn.n = g.hn_n`, [plan.landlords.map((l) => l.id), counts]);
      // Open: opened in the last 120 days, or one in ten older ones still open. One case in 70 is a hate incident.
      const open = `(opened_at > now() - interval '120 days' OR r3 < 0.1)`;
      const hate = 'r2 < 1.0 / 70';
      await db.query(`INSERT INTO asb_cases (organisation_id, id, reference, status, summary, categories, priority_code, hate, protected_characteristics,
          risk_level, opened_at, closed_at, closing_reason, settings_version)
        SELECT organisation_id, id, 'ASB-B-' || lpad(n::text, 7, '0'), CASE WHEN ${open} THEN 'open' ELSE 'closed' END, 'Bench case ' || n,
          CASE WHEN ${hate} THEN '["hate-incident"]'::jsonb ELSE jsonb_build_array(($1::text[])[1 + floor(r1 * array_length($1::text[], 1))::int]) END,
          CASE WHEN ${hate} THEN 'category-1' ELSE ($2::text[])[1 + floor(r1 * array_length($2::text[], 1))::int] END,
          ${hate}, CASE WHEN ${hate} THEN '["race"]'::jsonb ELSE '[]'::jsonb END,
          CASE WHEN r3 < 0.3 THEN NULL WHEN r3 < 0.8 THEN 'standard' WHEN r3 < 0.95 THEN 'medium' ELSE 'high' END,
          opened_at, CASE WHEN ${open} THEN NULL ELSE opened_at + interval '60 days' END, CASE WHEN ${open} THEN NULL ELSE 'resolved' END, 0
        FROM bc`, [cats, priorities]);
      // Where: the home, or for three cases in ten at a home in a block, the block.
      await db.query(`INSERT INTO asb_case_places (organisation_id, id, case_id, home_id, block_id)
        SELECT organisation_id, gen_random_uuid(), id, CASE WHEN block_id IS NOT NULL AND (r1 * 10 - floor(r1 * 10)) < 0.3 THEN NULL ELSE home_id END,
          CASE WHEN block_id IS NOT NULL AND (r1 * 10 - floor(r1 * 10)) < 0.3 THEN block_id ELSE NULL END FROM bc`);
      // The first incident, and each case's action plan: five actions, done for closed cases, some overdue for open ones.
      await db.query(`INSERT INTO asb_incidents (organisation_id, id, case_id, occurred_on, description, reported_at)
        SELECT organisation_id, gen_random_uuid(), id, (opened_at AT TIME ZONE 'Europe/London')::date, 'What happened', opened_at FROM bc`);
      await db.query(`INSERT INTO asb_actions (organisation_id, id, case_id, kind, label, due_at, done_at)
        SELECT bc.organisation_id, gen_random_uuid(), bc.id, a.kind, a.kind, bc.opened_at + make_interval(days => a.days),
          CASE WHEN NOT ${open} OR bc.r2 < 0.8 THEN bc.opened_at + make_interval(days => a.days - 1) END
        FROM bc CROSS JOIN (VALUES ('acknowledge', 1), ('interview', 7), ('visit', 14), ('review', 28)) AS a(kind, days)`);
      // Parties where the landlord's people are: a complainant at the home, an alleged perpetrator drawn at random.
      await db.query(`CREATE TEMP TABLE pn AS SELECT organisation_id, id, home_id, row_number() OVER (ORDER BY id)::int AS n FROM people WHERE organisation_id = $1`, [biggest.id]);
      await db.query('CREATE INDEX ON pn (n)');
      await db.query(`INSERT INTO asb_parties (organisation_id, id, case_id, role, kind, person_id)
        SELECT bc.organisation_id, gen_random_uuid(), bc.id, 'complainant', 'person', p.id
        FROM bc JOIN people p ON p.organisation_id = bc.organisation_id AND p.home_id = bc.home_id WHERE bc.organisation_id = $1`, [biggest.id]);
      const people = Number((await db.query('SELECT count(*) AS n FROM pn')).rows[0].n);
      await db.query(`INSERT INTO asb_parties (organisation_id, id, case_id, role, kind, person_id)
        SELECT bc.organisation_id, gen_random_uuid(), bc.id, 'alleged-perpetrator', 'person', pn.id
        FROM bc JOIN pn ON pn.n = 1 + floor((bc.r3 * 1000 - floor(bc.r3 * 1000)) * $2)::int WHERE bc.organisation_id = $1`, [biggest.id, people]);
    });
    await phase('VACUUM ANALYZE', () => db.query('VACUUM ANALYZE'));
    const c = (await db.query(`SELECT (SELECT count(*) FROM asb_cases)::int AS cases, (SELECT count(*) FROM asb_cases WHERE status = 'open')::int AS open,
      (SELECT count(*) FROM asb_cases WHERE organisation_id = $1)::int AS big, (SELECT count(*) FROM asb_cases WHERE organisation_id = $1 AND status = 'open')::int AS big_open,
      (SELECT count(*) FROM asb_parties)::int AS parties, (SELECT count(*) FROM asb_actions)::int AS actions`, [biggest.id])).rows[0];
    log(`cases ${fmt(c.cases)} (${fmt(c.open)} open); biggest landlord ${fmt(c.big)} (${fmt(c.big_open)} open); parties ${fmt(c.parties)}; actions ${fmt(c.actions)}`);

    // ---- timing through the product's code paths ------------------------------------------------------------------
    const store = await openStore({ databaseUrl: url, dataDir: '' });
    try {
      const actor = (organisationId: string, role: Actor['role']): Actor => ({ kind: 'user', id: 'bench-asb', name: 'ASB bench', organisationId, role });
      const as = <T>(organisationId: string, role: Actor['role'], work: (ctx: Ctx) => Promise<T>) => store.withOrg(organisationId, (tx) => work({ actor: actor(organisationId, role), tx }));
      const random = seededRandom(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
      const homes = (await db.query('SELECT id, block_id FROM homes WHERE organisation_id = $1', [biggest.id])).rows as { id: string; block_id: string | null }[];
      const blocks = [...new Set(homes.flatMap((h) => (h.block_id ? [h.block_id] : [])))];
      const people = (await db.query('SELECT id FROM people WHERE organisation_id = $1', [biggest.id])).rows.map((r) => r.id as string);
      await as(biggest.id, 'asb-officer', (ctx) => similarCases(ctx, { homeIds: [homes[0]!.id] })); // warm-up: the pool's connection and role
      const kinds = {
        'a home (and its block)': () => ({ homeIds: [pick(homes).id] }),
        'a block (and its homes)': () => ({ blockIds: [pick(blocks)] }),
        'a home and a person': () => ({ homeIds: [pick(homes).id], personIds: [pick(people)] }),
      };
      const all: number[] = [];
      console.log(`\nSimilar-case search at one landlord: ${fmt(c.big)} cases (${fmt(c.big_open)} open), ${fmt(homes.length)} homes, ${fmt(blocks.length)} blocks, ${fmt(people.length)} people; ${ROUNDS} searches of each kind`);
      for (const [name, keys] of Object.entries(kinds)) {
        const times: number[] = [];
        let found = 0;
        for (let i = 0; i < ROUNDS; i++) {
          const k = keys();
          const t0 = performance.now();
          const got = await as(biggest.id, 'asb-officer', (ctx) => similarCases(ctx, k));
          times.push(performance.now() - t0);
          found += got.length;
        }
        all.push(...times);
        console.log(`  by ${name.padEnd(24)} p50 ${ms(pct(times, 50))}  p95 ${ms(pct(times, 95))}  max ${ms(Math.max(...times))}  (mean ${(found / ROUNDS).toFixed(1)} similar cases found)`);
      }
      console.log(`  all                        p50 ${ms(pct(all, 50))}  p95 ${ms(pct(all, 95))}   target: p95 < 100 ms`);

      const smallest = bySize.at(-1)!;
      await as(smallest.id, 'analyst', (ctx) => asbMeasures(ctx));
      const times: number[] = [];
      let biggestMs = 0;
      let nm01Biggest = '';
      for (const l of bySize) {
        const t0 = performance.now();
        const m = await as(l.id, 'analyst', (ctx) => asbMeasures(ctx));
        const t = performance.now() - t0;
        times.push(t);
        if (l.id === biggest.id) { biggestMs = t; nm01Biggest = `${m.nm01.cases} cases, ${m.nm01.casesPer1000} per 1,000 homes; ${m.nm01.hateCases} hate, ${m.nm01.hateCasesPer1000} per 1,000`; }
      }
      console.log(`\nASB measures (NM01 and the rest) for every landlord: ${fmt(plan.landlords.length)} landlords, ${fmt(c.cases)} cases`);
      console.log(`  per landlord: p50 ${ms(pct(times, 50))}  p95 ${ms(pct(times, 95))}  max ${ms(Math.max(...times))}   target: p95 < 100 ms`);
      console.log(`  the biggest landlord (${fmt(biggest.homes)} homes, ${fmt(c.big)} cases): ${ms(biggestMs)}; NM01 this year: ${nm01Biggest}`);
    } finally { await store.close(); }
  } finally { await db.end(); }
});
