// npm run check:citus — Hearth on a Citus cluster, checked end to end (docs/scaling.md). DATABASE_URL names the
// coordinator of a cluster whose Hearth database is empty and has the citus extension, with its workers added.
//   1. hearth migrate --distributed: the schema checked against Citus's rules and distributed;
//   2. the demo for two landlords (the first with staff accounts, repairs, ASB cases and the hub's demo);
//   3. every page each demo role can reach (same-origin links, breadth first), every GET operation of the API;
//   4. linkage, the higher-risk register and damp and mould for a landlord, as the commands run them.
// Prints what failed and exits 1 if anything did. With --log <coordinator log> (and, set on the database beforehand,
// citus.multi_task_query_log_level = 'warning' and log_min_error_statement = 'warning') it also lists the statements
// that ran on more than one shard while it read.
//   --pages <n> (300)  pages read per role at most
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { start, DEMO_USERS, DEMO_PASSWORD } from '../src/main.ts';
import { openStore } from '../src/platform/db/store.ts';
import { distribute, isDistributed, modulePlans } from '../src/platform/db/distribution.ts';
import { authService } from '../src/platform/auth/service.ts';
import { MODULES } from '../src/modules/index.ts';
import { generateDemo } from '../src/modules/demo/index.ts';

const { values: args } = parseArgs({ options: { log: { type: 'string' }, pages: { type: 'string', default: '300' } } });
const config = { ...loadConfig({ ...process.env, PORT: '0', HEARTH_DEMO: '1', HEARTH_SIGN_IN_PER_MINUTE: '10000' }), logLevel: 'error' };
if (!config.databaseUrl) throw new Error('DATABASE_URL must name a Citus coordinator');
const failures: string[] = [];
const t0 = performance.now();
const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);
const logFrom = args.log ? fs.statSync(args.log).size : 0;

// 1. Migrate and distribute.
const plans = modulePlans(MODULES);
{
  const store = await openStore(config);
  try {
    await store.migrate();
    const done = await distribute(store, plans);
    if (!(await store.system((db) => isDistributed(db)))) failures.push('organisations is not a Citus table after distributing');
    console.log(`distributed: ${done.distributed.length} tables by landlord or publisher, ${done.reference.length} reference tables (${seconds()} s)`);
  } finally {
    await store.close();
  }
}

// 2. The demo: the first start's (staff, repairs, ASB, the hub), and a second landlord.
const s = await start(config);
if (!s.demo) throw new Error('the database was not empty: the check needs an empty one, to load the demo');
const second = await generateDemo(s.store, { homes: 2000, seed: 7, name: 'Second demo landlord' });
console.log(`demo: ${s.demo.homes} homes for ${s.demo.organisationId}, ${second.homes} for ${second.organisationId} (${seconds()} s)`);
const base = s.url.replace('localhost', '127.0.0.1');

// 3. Pages, as each demo role.
const cap = Number(args.pages);
let pages = 0;
for (const user of DEMO_USERS) {
  const form = await fetch(`${base}/sign-in`);
  const jar = new Map<string, string>();
  const keep = (r: Response) => { for (const c of r.headers.getSetCookie()) { const [kv] = c.split(';'); const at = kv!.indexOf('='); jar.set(kv!.slice(0, at), kv!.slice(at + 1)); } };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  keep(form);
  const csrf = (await form.text()).match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const signedIn = await fetch(`${base}/sign-in`, { method: 'POST', redirect: 'manual', headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: user.email, password: DEMO_PASSWORD, _csrf: csrf }).toString() });
  keep(signedIn);
  if (signedIn.status !== 303) { failures.push(`${user.email}: sign-in answered ${signedIn.status}`); continue; }
  const seen = new Set(['/']);
  const queue = ['/'];
  let n = 0;
  while (queue.length && n < cap) {
    const url = queue.shift()!;
    n++;
    const r = await fetch(base + url, { headers: { cookie: cookie() }, redirect: 'manual' });
    if (r.status >= 500) failures.push(`${user.email}: GET ${url} answered ${r.status}`);
    const location = r.headers.get('location');
    if (location?.startsWith('/') && !seen.has(location)) { seen.add(location); queue.push(location); }
    if (!(r.headers.get('content-type') ?? '').includes('html')) { await r.arrayBuffer(); continue; }
    for (const m of (await r.text()).matchAll(/href="(\/[^"#]*)"/g)) {
      const link = m[1]!.replace(/&amp;/g, '&');
      if (link.startsWith('/sign-out') || link.startsWith('/assets')) continue;
      // One of each kind of record page: the same page for another id reads the same statements.
      const shape = link.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id').replace(/\?.*/, '?');
      if (seen.has(link) || (shape !== link && seen.has(shape))) continue;
      seen.add(link);
      seen.add(shape);
      queue.push(link);
    }
  }
  pages += n;
}
console.log(`pages: ${pages} read as ${DEMO_USERS.length} roles (${seconds()} s)`);

// 3b. The API: every GET operation, path parameters filled from the list operations' first items.
const { token } = await authService(s.store, { sessionMinutes: 60 }).addToken(s.demo.organisationId, 'citus check', 'administrator');
const spec = await (await fetch(`${base}/api/openapi.json`)).json() as { paths: Record<string, Record<string, unknown>> };
const firstIds = new Map<string, string>();
let operations = 0;
for (const p of Object.keys(spec.paths).filter((x) => spec.paths[x]!.get).sort((a, b) => a.split('{').length - b.split('{').length)) {
  let url: string | undefined = p;
  for (const [, name] of p.matchAll(/\{(\w+)\}/g)) {
    const id = firstIds.get(p.slice(0, p.indexOf(`{${name}}`) - 1));
    url = id ? url?.replace(`{${name}}`, id) : undefined;
  }
  if (!url) continue;
  const r = await fetch(base + url, { headers: { authorization: `Bearer ${token}` } });
  operations++;
  const text = await r.text();
  if (r.status >= 500) failures.push(`API GET ${url} answered ${r.status}: ${text.slice(0, 200)}`);
  if (!p.includes('{') && r.headers.get('content-type')?.includes('json')) {
    const body = JSON.parse(text) as { items?: { id?: string }[] } | { id?: string }[];
    const items = Array.isArray(body) ? body : body.items;
    if (items?.[0]?.id) firstIds.set(p, items[0].id);
  }
}
console.log(`API: ${operations} GET operations (${seconds()} s)`);
await s.close();

// 4. The commands, as an operator runs them.
for (const command of [['link'], ['insight', 'hrb'], ['insight', 'damp']]) {
  try {
    execFileSync(process.execPath, ['src/cli/main.ts', ...command, '--organisation', second.organisationId], { env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    failures.push(`hearth ${command.join(' ')}: ${String((err as { stderr?: Buffer }).stderr ?? err).slice(0, 300)}`);
  }
}
console.log(`commands: hearth link, insight hrb, insight damp (${seconds()} s)`);

// What ran on every shard, from the coordinator's log.
if (args.log) {
  const text = fs.readFileSync(args.log, 'utf8').slice(logFrom);
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/multi-task query about to be executed[\s\S]*?STATEMENT:\s+([\s\S]*?)(?=\n\d{4}-\d\d-\d\d |$)/g)) {
    const statement = m[1]!.replace(/\s+/g, ' ').slice(0, 160);
    counts.set(statement, (counts.get(statement) ?? 0) + 1);
  }
  console.log(`\nstatements that ran on more than one shard (${[...counts.values()].reduce((a, b) => a + b, 0)} runs):`);
  for (const [statement, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(6)}  ${statement}`);
}

console.log(failures.length ? `\n${failures.length} failed:\n${failures.join('\n')}` : '\nall worked');
process.exit(failures.length ? 1 : 0);
