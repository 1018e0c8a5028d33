// Issue 17: every query names its organisation (organisation_id = …), so that Citus, sharding by landlord, can send it
// to one shard; row-level security stays only as a second wall. Proved from the outside: landlord A's read paths (every
// GET operation of the API for every role, the staff pages each role reaches from its home page, a resident's public
// repair pages) are answered twice, by the app as it runs (under row-level security) and by a second app over the SAME
// database whose organisation work runs as the owner, who bypasses row-level security
// (test/support/without-row-security.ts), and the answers must be the same.
// Other landlords' rows are in the database, so that a query relying on row-level security alone answers differently
// in the second app: B, a demo of its own (other people, homes, cases); C, a copy of A with the SAME ids and references
// (names changed), which a filter or join on an id alone (where t.home_id = $1; … on b.id = h.block_id, without
// organisation_id) finds; and D, a copy with A's ids but everything else changed, which a join to the row an id points
// to finds. The test fails naming the role, the URL and where the two answers part. (A query that forgets its
// organisation but whose answer comes out the same whatever it reads cannot be seen from outside.)
// Also checked: no answer for A, even under row-level security, shows B, C or D (a read as the owner, store.system).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { loadConfig, type Config } from '../../src/config.ts';
import { openStore, type Store } from '../../src/platform/db/store.ts';
import { buildApp } from '../../src/app.ts';
import { ROLES, type Role } from '../../src/platform/auth/roles.ts';
import { createOrganisation } from '../../src/modules/organisations/service.ts';
import { generateDemo } from '../../src/modules/demo/generate.ts';
import { assignDemoPatches } from '../../src/modules/patches/demo.ts';
import { linkDemoOperative } from '../../src/modules/scheduling/demo.ts';
import { raiseDemoWorkOrders } from '../../src/modules/repairs/demo.ts';
import { waitForImport } from '../../src/modules/ingest/jobs.ts';
import { ukDate } from '../../src/platform/uk-time.ts';
import { withoutRowSecurity } from '../support/without-row-security.ts';

type App = Awaited<ReturnType<typeof buildApp>>['app'];
type Auth = Awaited<ReturnType<typeof buildApp>>['auth'];

const PASSWORD = 'a long password for the explicit organisation test';
const RUN = `${process.pid}-${randomUUID().slice(0, 8)}`;
/** Pages compared per role, at most (breadth first from the home page). */
const PAGES_PER_ROLE = 150;
/** URLs of one shape (ids and dates taken out) compared per role, at most: a list's detail pages are alike. */
const PER_SHAPE = 2;
/** URLs of one path (ids taken out, any query) compared per role, at most: a filter's every combination is not needed. */
const PER_PATH = 6;

let store: Store;
let config: Config;
/** The app as it runs: organisation work under row-level security. */
let rls: { app: App; auth: Auth; jobs: Awaited<ReturnType<typeof buildApp>>['jobs'] };
/** The same app over the same database, its organisation work as the owner: no row-level security. */
let bare: { app: App };

interface Landlord {
  id: string;
  name: string;
  /** An API token per role. */
  token: Record<Role, { authorization: string }>;
  /** A signed-in member of staff per role: their session cookie. */
  session: Record<Role, string>;
  email: Record<Role, string>;
}
let a: Landlord;
let b: Landlord;
/** Copies of A with A's ids (copyOf). */
let cId = '';
let dId = '';
/** A word only C's and D's rows carry, so an answer for A that shows it has read them. */
const FOREIGN_MARK = 'Elsewhereton';

const rows = async <T>(query: ReturnType<typeof sql>): Promise<T[]> => (await store.system((tx) => tx.execute(query))).rows as T[];

async function api(who: { authorization: string }, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await rls.app.inject({ method, url, headers: who, ...(payload === undefined ? {} : { payload: payload as object }) });
  let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try { body = res.json(); } catch { body = res.body; }
  return { status: res.statusCode, body };
}

async function made(who: { authorization: string }, url: string, payload: unknown): Promise<string> {
  const r = await api(who, 'POST', url, payload);
  assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

/** A multipart/form-data upload of one CSV file, as a browser or fetch() builds it. */
async function upload(who: { authorization: string }, fields: Record<string, string>, name: string, content: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([content], { type: 'text/csv' }), name);
  const request = new Request('http://hearth.test/', { method: 'POST', body: form });
  const res = await rls.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...who, 'content-type': request.headers.get('content-type')! }, payload: Buffer.from(await request.arrayBuffer()) });
  assert.equal(res.statusCode, 202, res.body);
  return res.json().id as string;
}

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * A landlord as `hearth start` makes the demo one (demo data, a member of staff per role, the officer's patch, the
 * operative's account, the repairs service in use), and then more of what staff do: ASB cases (with a tool, an alert,
 * a case review threshold met), a resident's repair request, a webhook endpoint and an import with problems.
 */
async function demoLandlord(tag: string, seed: number): Promise<Landlord> {
  const demo = await generateDemo(store, { homes: 300, seed, name: `Explicit ${tag} Homes ${RUN}` });
  const id = demo.organisationId;
  const email = {} as Landlord['email'];
  const token = {} as Landlord['token'];
  const session = {} as Landlord['session'];
  for (const role of ROLES) {
    email[role] = `${role}.${tag.toLowerCase()}.${RUN}@explicit.example`;
    await rls.auth.addUser({ organisationId: id, role, email: email[role], name: `${tag} ${role}`, password: PASSWORD });
    token[role] = { authorization: `Bearer ${(await rls.auth.addToken(id, `${role} token`, role)).token}` };
  }
  assert.equal(await assignDemoPatches(store, email['housing-officer']), 1, 'the officer has the demo patch');
  assert.equal(await linkDemoOperative(store, email.operative), 1, 'the operative account is an operative');
  assert.ok(await raiseDemoWorkOrders(store, id) > 0, 'work orders raised');
  // The demo books its jobs for the next working day: one of them today, for the operative's account, so that the
  // operative's "Your jobs today" and job sheet have something to show whatever day the test runs.
  const today = ukDate(new Date());
  const moved = await rows<{ id: string }>(sql`update appointments set date = ${today},
      operative_id = (select o.id from operatives o join users u on u.organisation_id = o.organisation_id and u.id = o.user_id
        where o.organisation_id = ${id} and u.email = ${email.operative})
    where organisation_id = ${id} and id = (select id from appointments where organisation_id = ${id} and status = 'booked' order by id limit 1)
    returning id`);
  assert.equal(moved.length, 1, 'a job booked for today');

  // ASB: a case at a home with people as parties, a tool, an alert, and three reports (the case review threshold).
  const officer = token['asb-officer'];
  const people = await rows<{ id: string; home_id: string }>(sql`select p.id, t.home_id from people p
    join tenancy_members m on m.organisation_id = p.organisation_id and m.person_id = p.id
    join tenancies t on t.organisation_id = m.organisation_id and t.id = m.tenancy_id
    where p.organisation_id = ${id} and t.end_date is null order by p.id limit 3`);
  assert.equal(people.length, 3);
  const caseId = await made(officer, '/api/v1/asb-cases', {
    summary: `Loud music late at night (${tag})`, categories: ['noise'],
    parties: [{ role: 'complainant', kind: 'person', personId: people[0]!.id }, { role: 'alleged-perpetrator', kind: 'person', personId: people[1]!.id }],
    places: [{ homeId: people[0]!.home_id }],
    incident: { occurredOn: addDays(today, -3), occurredTime: '23:30', description: 'Music until 3am', reportedVia: 'phone', reportedByPartyIndex: 0 },
  });
  await made(officer, `/api/v1/asb-cases/${caseId}/tools`, { kind: 'acceptable-behaviour-contract', status: 'in-place', startedOn: addDays(today, -1), notes: 'Signed at the office' });
  const alert = await api(officer, 'POST', `/api/v1/asb-cases/${caseId}/alerts`, { personId: people[1]!.id, words: 'do-not-visit-alone', reviewOn: addDays(today, 90) });
  assert.equal(alert.status, 201, JSON.stringify(alert.body));
  for (const days of [2, 1]) await made(officer, `/api/v1/asb-cases/${caseId}/incidents`, { occurredOn: addDays(today, -days), description: 'Shouting again' });
  const other = await made(officer, '/api/v1/asb-cases', {
    summary: `Dog fouling in the garden (${tag})`, categories: ['pets-and-animals'],
    parties: [{ role: 'complainant', kind: 'person', personId: people[2]!.id }, { role: 'alleged-perpetrator', kind: 'unknown', name: 'Owner of a terrier' }],
    places: [{ homeId: people[2]!.home_id }],
    incident: { occurredOn: addDays(today, -10), description: 'Mess on the grass' },
  });
  const closed = await api(officer, 'POST', `/api/v1/asb-cases/${other}/close`, { reason: 'resolved' });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));

  // A resident's repair (damp: a hazard report too), a webhook endpoint, and an import with rejected rows.
  await made(token['housing-officer'], '/api/v1/repair-requests', {
    homeId: people[0]!.home_id, triagePath: ['bathroom', 'damp-or-mould', 'mould-walls-ceiling'], description: 'Black mould on the ceiling above the bath',
    contactName: 'Ada', contactBy: 'phone', contactPhone: '07700 900982',
  });
  await made(token.administrator, '/api/v1/webhooks', { url: 'https://1.1.1.1/hearth-events', eventTypes: ['uk.hearth.home.'], description: `${tag} receiver` });
  const csv = ['Prop Ref,UPRN,Flat,House No,Street,Town,Post Code,Prop Type,Beds',
    `X${tag}1,,Flat 1,,Moor Road,Leeds,LS6 1AA,Flat,2`, `X${tag}2,,,14,Hill Street,Leeds,NOT A PC,House,3`].join('\r\n') + '\r\n';
  const imported = await upload(token['data-lead'], { sourceSystem: 'Northgate', kind: 'homes' }, 'homes.csv', csv);
  await waitForImport(store, id, imported);
  return { id, name: demo.name, token, session, email };
}

async function signIn(l: Landlord) {
  for (const role of ROLES) l.session[role] = `hearth_session=${(await rls.auth.signIn(l.email[role], PASSWORD))!.token}`;
}

/**
 * A copy of every row of A (but its sessions and API tokens, whose hashes are unique across Hearth) under a new
 * organisation, with the SAME ids, and its staff's emails changed (also unique across Hearth). Written as the owner
 * with foreign-key checks off (session_replication_role = replica): nothing but a query that forgets its organisation
 * ever reads these rows, so they need not hang together.
 *  - 'names' (landlord C): only the words people read are changed (names, addresses, descriptions), and every moment
 *    is a minute later, so a query for A that filters or joins on an id, a reference or a code alone (where
 *    t.home_id = $1; join … on b.id = h.block_id) finds C's copies of A's rows and shows them (twice over, or with C's
 *    words; the latest first).
 *  - 'everything' (landlord D): every column but the keys is changed (other ids, dates 40 years earlier, numbers one
 *    more, the opposite yes or no, words marked), so a join of A's row to D's copy of the row it points to (a block's
 *    estate, a tenancy's start date) gives another answer even where a duplicate would be merged away.
 */
const OUTBOX = new Set(['events', 'event_failures']);

async function copyOf(from: string, tag: string, change: 'names' | 'everything'): Promise<string> {
  const to = (await createOrganisation(store, { name: `Explicit ${tag} Homes ${RUN}`, kind: 'private-registered-provider' })).id;
  const columns = await rows<{ table_name: string; column_name: string; data_type: string; key: boolean; checked: boolean }>(sql`
    select c.table_name, c.column_name, c.data_type,
      exists (select 1 from pg_constraint k join pg_attribute x on x.attrelid = k.conrelid and x.attnum = any(k.conkey)
        where k.conrelid = format('public.%I', c.table_name)::regclass and k.contype = 'p' and x.attname = c.column_name) as key,
      exists (select 1 from pg_constraint k join pg_attribute x on x.attrelid = k.conrelid and x.attnum = any(k.conkey)
        where k.conrelid = format('public.%I', c.table_name)::regclass and k.contype = 'c' and x.attname = c.column_name) as checked
    from information_schema.columns c where c.table_schema = 'public'
      and c.table_name in (select table_name from information_schema.columns where table_schema = 'public' and column_name = 'organisation_id')
    order by c.table_name, c.ordinal_position`);
  const tables = Map.groupBy(columns, (c) => c.table_name);
  const id = sql.identifier;
  await store.system(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    for (const [table, cols] of tables) {
      if (table === 'sessions' || table === 'api_tokens') continue;
      const values = cols.map(({ column_name: c }) => (c === 'organisation_id' ? sql`${to}::uuid` : table === 'users' && c === 'email' ? sql`${`${tag.toLowerCase()}.`} || email` : id(c)));
      await tx.execute(sql`insert into ${id(table)} (${sql.join(cols.map((c) => id(c.column_name)), sql`, `)})
        select ${sql.join(values, sql`, `)} from ${id(table)} where organisation_id = ${from}`);
    }
    const update = (table: string, sets: ReturnType<typeof sql>[]) => (sets.length
      ? tx.execute(sql`update ${id(table)} set ${sql.join(sets, sql`, `)} where organisation_id = ${to}`) : undefined);
    const marked = (c: string) => sql`${id(c)} = ${id(c)} || ${` ${FOREIGN_MARK}`}`;
    if (change === 'names') {
      const words: Record<string, string[]> = {
        people: ['given_name', 'family_name'], homes: ['street'], estates: ['name'], blocks: ['name'], patches: ['name'], operatives: ['name'],
        users: ['name'], notes: ['text'], repairs: ['description'], hazard_reports: ['description'], person_alerts: ['description'],
        asb_cases: ['summary'], asb_incidents: ['description'], repair_requests: ['description'], webhook_endpoints: ['description'],
        imports: ['file_name'], audit_events: ['actor_name'],
      };
      for (const [table, cs] of Object.entries(words)) await update(table, cs.map(marked));
      // And every moment a minute later, so that "the latest" of A's row and C's copy (order by … desc limit 1) is C's.
      for (const [table, cols] of tables) {
        await update(table, cols.filter((c) => !c.key && c.data_type === 'timestamp with time zone').map((c) => sql`${id(c.column_name)} = ${id(c.column_name)} + interval '1 minute'`));
      }
      return;
    }
    for (const [table, cols] of tables) {
      // The outbox is left as copied: on a PostgreSQL database shared with other test files, every file's relay reads
      // every landlord's events, and a marked type or kind (spaces) would be a subject NATS refuses, stalling its run.
      if (OUTBOX.has(table)) continue;
      await update(table, cols.filter((c) => !c.key && !c.checked && c.column_name !== 'organisation_id').flatMap(({ column_name: c, data_type: type }) => {
        switch (type) {
          case 'uuid': return [sql`${id(c)} = md5(${id(c)}::text || 'elsewhere')::uuid`];
          case 'date': return [sql`${id(c)} = ${id(c)} - 14610`];
          case 'timestamp with time zone': return [sql`${id(c)} = ${id(c)} - interval '40 years'`];
          case 'integer': case 'bigint': case 'numeric': case 'double precision': return [sql`${id(c)} = ${id(c)} + 1`];
          case 'boolean': return [sql`${id(c)} = not ${id(c)}`];
          case 'text': return [marked(c)];
          default: return []; // jsonb, bytea, xid8: as they were
        }
      }));
    }
  });
  return to;
}

before(async () => {
  const n = `${process.pid}_${randomUUID().slice(0, 8)}`;
  config = {
    ...loadConfig({ ...process.env, HEARTH_DATA_DIR: '.cache/test-data' }),
    signInPerMinute: 1000,
    jobsSchema: `pgboss_test_${n}`,
    uploadDir: path.resolve(`.cache/test-data/uploads-${n}`),
  };
  store = await openStore(config, { memory: true });
  await store.migrate();
  rls = await buildApp(config, store);
  // Its own job queue (never started): only the first app runs imports.
  bare = await buildApp({ ...config, jobsSchema: `${config.jobsSchema}_bare` }, withoutRowSecurity(store));
  await rls.app.ready();
  await bare.app.ready();
  a = await demoLandlord('A', 17);
  b = await demoLandlord('B', 71);
  // Some of B's tenancies are fixed-term, ending next year: a condition given to the records service as `end_date is
  // null or end_date >= today` once bound as `organisation = A and end_date is null or end_date >= today` (and() does
  // not bracket its parts), which counted B's for A on the overview.
  await store.system((tx) => tx.execute(sql`update tenancies set end_date = current_date + 365 where organisation_id = ${b.id}
    and id in (select id from tenancies where organisation_id = ${b.id} and end_date is null order by id limit 20)`));
  cId = await copyOf(a.id, 'C', 'names');
  dId = await copyOf(a.id, 'D', 'everything');
  await signIn(a);
});

after(async () => {
  await bare?.app.close();
  await rls?.app.close();
  await store?.close();
  if (config) fs.rmSync(config.uploadDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------
// Comparing two answers. Masked, as they differ between any two requests whatever the database holds:
//   - the CSRF token in forms (`name="_csrf" value="…"`): a new one is made for every page;
//   - CSP nonces (`nonce="…"`): a new one per response;
//   - a form's one-time token (`name="formToken" value="…"`), a new random one per form shown, so a form posted twice
//     makes one record;
//   - the moment an answer was made (`"asOf":"2026-…T…Z"` in the API's insight and hazard clocks), the request's own;
//   - how long the request took (the data quality report's "Checked in 0.1 seconds.").
// Nothing else is masked. Pages that list audit events change between two fetches (reading sensitive data writes an
// audit event), so each URL is fetched from the first app, then the second, and when they differ, from the first app
// again: the second app's answer must equal one of the two.
const MASKS: [RegExp, string][] = [
  [/(name="_csrf" value=")[^"]*"/g, '$1…"'],
  [/(nonce=")[^"]*"/g, '$1…"'],
  [/(name="formToken" value=")[^"]*"/g, '$1…"'],
  [/("asOf":")\d{4}-\d{2}-\d{2}T[\d:.]+Z"/g, '$1…"'],
  [/(Checked in )[\d.]+ seconds\./g, '$1… seconds.'],
];
const masked = (body: string) => MASKS.reduce((text, [re, by]) => text.replace(re, by), body);

interface Answer { status: number; type: string; location: string; body: string }

async function answer(app: App, url: string, headers: Record<string, string>): Promise<Answer> {
  const res = await app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), location: String(res.headers.location ?? ''), body: masked(res.body) };
}

const sameAnswer = (x: Answer, y: Answer) => x.status === y.status && x.type === y.type && x.location === y.location && x.body === y.body;

/** Where two answers part: a little of each around the first difference. */
function excerpt(x: Answer, y: Answer): string {
  if (x.status !== y.status || x.location !== y.location || x.type !== y.type) {
    return `under RLS ${x.status} ${x.location} ${x.type}; without RLS ${y.status} ${y.location} ${y.type}\n  without RLS: ${y.body.slice(0, 300)}`;
  }
  let i = 0;
  while (i < x.body.length && x.body[i] === y.body[i]) i++;
  const around = (s: string) => s.slice(Math.max(0, i - 160), i + 200).replace(/\s+/g, ' ');
  return `bodies part at character ${i}:\n  under RLS:    …${around(x.body)}…\n  without RLS:  …${around(y.body)}…`;
}

interface Compared { url: string; who: string; first: Answer; same: boolean; detail?: string }

/** One URL, answered by both apps with the same credentials. */
async function compare(url: string, headers: Record<string, string>, who: string): Promise<Compared> {
  const first = await answer(rls.app, url, headers);
  const second = await answer(bare.app, url, headers);
  if (sameAnswer(first, second)) return { url, who, first, same: true };
  const again = await answer(rls.app, url, headers);
  if (sameAnswer(again, second)) return { url, who, first, same: true };
  return { url, who, first, same: false, detail: excerpt(first, second) };
}

/** What no answer for A may show, even under row-level security: another landlord's id, or C's and D's words. */
function foreignMarks(x: Compared): string[] {
  return [b.id, cId, dId, FOREIGN_MARK].filter((m) => x.first.body.includes(m));
}

function reportOf(differing: Compared[], kind: string): string {
  return `${differing.length} ${kind} answered differently without row-level security (a query relies on it alone: name organisation_id = … in it):\n` +
    differing.map((d) => `- ${d.who} GET ${d.url}\n  ${d.detail}`).join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

test('control: the second store really runs without row-level security (a query without organisation_id sees B, C and D)', async () => {
  const count = (s: Store) => s.readOrg(a.id, async (tx) => Number(((await tx.execute(sql`select count(*)::int as n from homes`)).rows[0] as { n: number }).n));
  const own = Number((await rows<{ n: number }>(sql`select count(*)::int as n from homes where organisation_id = ${a.id}`))[0]!.n);
  const all = Number((await rows<{ n: number }>(sql`select count(*)::int as n from homes where organisation_id in (${a.id}, ${b.id}, ${cId}, ${dId})`))[0]!.n);
  assert.ok(own > 0 && all > 3 * own, `A has ${own} homes; A, B, C and D ${all}`);
  assert.equal(await count(store), own, 'under row-level security a query without organisation_id sees only A');
  const without = await count(withoutRowSecurity(store));
  assert.ok(without >= all, `without row-level security it sees every landlord's homes (${without} of at least ${all})`);
});

// ---- the API: every GET operation of the OpenAPI document, with its path filled from A's records, for every role.

interface Operation { parameters?: { name: string; in: string; required?: boolean; schema?: { format?: string; enum?: string[]; anyOf?: { enum?: string[] }[] } }[] }

test('every GET operation of the API answers A the same with and without row-level security, for every role', async (t) => {
  const doc = (await rls.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
  const gets = Object.entries(doc.paths).flatMap(([p, ops]) => (ops.get ? [{ path: p, op: ops.get }] : []));
  assert.ok(gets.length >= 40, `${gets.length} GET operations`);
  const admin = a.token.administrator;

  // Ids of A's records, for the paths and the filters: the first of each list, or (where there is no list) A's own rows.
  const firstOf = async (url: string) => {
    const r = await api(admin, 'GET', url);
    const items = Array.isArray(r.body) ? r.body : r.body?.items ?? r.body?.data ?? [];
    return (items[0]?.id as string | undefined) ?? '';
  };
  const one = async (query: ReturnType<typeof sql>) => String(Object.values((await rows<Record<string, unknown>>(query))[0] ?? {})[0] ?? '');
  // A home with the most on it (tenancies, repairs, notes, hazards), and one of its people.
  const home = await one(sql`select h.id from homes h where h.organisation_id = ${a.id} order by
    (select count(*) from repairs r where r.organisation_id = h.organisation_id and r.home_id = h.id) +
    (select count(*) from hazard_reports z where z.organisation_id = h.organisation_id and z.home_id = h.id) +
    (select count(*) from notes n where n.organisation_id = h.organisation_id and n.home_id = h.id) desc, h.id limit 1`);
  const person = await one(sql`select person_id from person_alerts where organisation_id = ${a.id} order by person_id limit 1`);
  const planDate = await one(sql`select to_char(date, 'YYYY-MM-DD') from day_plans where organisation_id = ${a.id} order by date limit 1`);
  const ids: Record<string, string> = {
    homeId: home, personId: person,
    estateId: await one(sql`select estate_id from homes where organisation_id = ${a.id} and id = ${home}`),
    blockId: await one(sql`select block_id from homes where organisation_id = ${a.id} and block_id is not null order by id limit 1`),
    tenancyId: await one(sql`select tenancy_id from notes where organisation_id = ${a.id} and tenancy_id is not null order by id limit 1`),
    entityId: home,
  };
  const [homeRow] = await rows<{ postcode: string; uprn: string; reference: string }>(sql`select postcode, uprn, reference from homes where organisation_id = ${a.id} and id = ${home}`);
  const [personRow] = await rows<{ family_name: string; given_name: string; date_of_birth: string }>(sql`select family_name, given_name, to_char(date_of_birth, 'YYYY-MM-DD') as date_of_birth from people where organisation_id = ${a.id} and id = ${person}`);
  const words: Record<string, string> = {
    postcode: homeRow!.postcode, uprn: homeRow!.uprn, familyName: personRow!.family_name, givenName: personRow!.given_name,
    dateOfBirth: personRow!.date_of_birth, date: planDate, from: addDays(ukDate(new Date()), -60), to: ukDate(new Date()),
    year: String(new Date().getUTCFullYear()), minStoreys: '6', active: 'true', mine: 'true',
    name: await one(sql`select name from estates where organisation_id = ${a.id} order by id limit 1`),
    estate: await one(sql`select name from estates where organisation_id = ${a.id} order by id limit 1`),
    reference: await one(sql`select reference from tenancies where organisation_id = ${a.id} and home_id = ${home} limit 1`),
    jobReference: await one(sql`select job_reference from repairs where organisation_id = ${a.id} and home_id = ${home} limit 1`),
    entityKind: 'home', action: 'read',
  };
  const pathIds: Record<string, string> = {
    '/api/v1/repair-requests/{id}': await one(sql`select id from repair_requests where organisation_id = ${a.id} limit 1`),
    '/api/v1/hazard-reports/{id}': await one(sql`select id from hazard_reports where organisation_id = ${a.id} order by id limit 1`),
    '/api/v1/plans/{date}': planDate,
  };

  const urls: string[] = [];
  for (const { path: p, op } of gets) {
    let filled = p;
    if (p.includes('{')) {
      const id = pathIds[p] ?? await firstOf(p.slice(0, p.indexOf('/{')));
      assert.ok(id, `an id of A's for ${p}`);
      filled = p.replace(/\{\w+\}/, id);
      assert.ok(!filled.includes('{'), `one id fills ${p}`);
    }
    const query = (op.parameters ?? []).filter((x) => x.in === 'query');
    const required = query.filter((x) => x.required).map((x) => `${x.name}=${encodeURIComponent(words[x.name] ?? ids[x.name] ?? '')}`);
    const base = required.length ? `${filled}?${required.join('&')}` : filled;
    urls.push(base);
    // Each filter on its own: an id of A's, a word of A's, each value of a list of values.
    for (const x of query.filter((q) => !q.required && !['limit', 'cursor', 'page', 'afterId', 'afterTimestamp', 'before'].includes(q.name))) {
      const values = x.schema?.enum ?? x.schema?.anyOf?.flatMap((o) => o.enum ?? []) ?? [];
      const value = ids[x.name] ?? words[x.name];
      for (const v of values.length ? values : value ? [value] : []) urls.push(`${base}${base.includes('?') ? '&' : '?'}${x.name}=${encodeURIComponent(v)}`);
    }
    // A second page: the cursor the first page gives, followed.
    if (query.some((x) => x.name === 'cursor')) urls.push(`${base}${base.includes('?') ? '&' : '?'}limit=2`);
  }

  const differing: Compared[] = [];
  const seenBoth: string[] = [];
  let compared = 0;
  let followed = 0;
  const roles200 = new Map<string, Role[]>();
  for (const url of urls) {
    for (const role of ROLES) {
      const c = await compare(url, a.token[role], role);
      compared++;
      if (!c.same) differing.push(c);
      if (c.first.status === 200) roles200.set(url, [...(roles200.get(url) ?? []), role]);
      const marks = foreignMarks(c);
      if (marks.length) seenBoth.push(`${role} GET ${url}: ${marks.join(', ')}`);
      // The next page, as the answer gives it: a list's cursor (asked for with limit=2), or a feed's `next`.
      const cursor = c.first.status === 200 && url.endsWith('limit=2') ? /"nextCursor":"([^"]+)"/.exec(c.first.body)?.[1] : undefined;
      const feed = c.first.status === 200 && url.includes('/feeds/') ? /"next":"[a-z]+:\/\/[^/"]+(\/[^"]+)"/.exec(c.first.body)?.[1] : undefined;
      const next = cursor ? `${url}&cursor=${encodeURIComponent(cursor)}` : feed && feed !== url ? feed : undefined;
      if (next) {
        const n = await compare(next, a.token[role], role);
        compared++;
        followed++;
        if (!n.same) differing.push(n);
      }
    }
  }
  const never = urls.filter((u) => !roles200.has(u));
  t.diagnostic(`${gets.length} GET operations, ${urls.length} URLs, ${compared} answers compared (every role; ${followed} of them next pages); ` +
    `URLs no role may read: ${never.join(' ') || 'none'}`);
  assert.deepEqual(never, [], 'every URL is answered 200 to some role (else it compares nothing)');
  assert.deepEqual(seenBoth, [], 'answers for A that show another landlord');
  assert.equal(differing.length, 0, reportOf(differing, 'API answers'));
});

// ---- the staff pages: for each role, every same-origin link from its home page, breadth first.

/** Never followed, and why: not A's staff pages, or nothing of A's to read. (No GET link changes anything.) */
const EXCLUDED: [RegExp, string][] = [
  [/^\/assets\//, 'static files'],
  [/^\/api\//, 'the API: tokens, not sessions (compared above); its docs read no records'],
  [/^\/sign-(in|out)\b/, 'signing in and out'],
  [/^\/(health|info|ping)\b/, 'no organisation'],
  [/^\/(hub|report-a-repair|find-a-repair)(\/|\?|$)/, "public pages: the hub's national site, and residents' choice of landlord (every landlord, by design)"],
  [/^\/hub-insight(\.csv|\/cross-tab|\/tsm-returns[^?]*)?(\?|$)/, "the hub's national figures: read as the owner (store.system) in both apps, nothing of A's; other test files change them meanwhile on a shared database"],
  [/^\/hub-operator\b/, "the hub operator's pages: the hub's publishers, as the owner (and refused to a landlord's staff)"],
];

const shape = (url: string) => url
  .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
  .replace(/\d{4}-\d{2}-\d{2}/g, ':date')
  .replace(/(cursor|after|before)=[^&]*/g, '$1=…');

const attribute = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1]?.replace(/&amp;/g, '&');

/** Same-origin links of a page, without their #fragment. */
function linksOf(body: string): string[] {
  const found: string[] = [];
  for (const m of body.matchAll(/<a\b[^>]*>/g)) {
    const href = attribute(m[0], 'href')?.replace(/#.*$/, '');
    if (href?.startsWith('/') && !href.startsWith('//')) found.push(href);
  }
  return found;
}

/**
 * What a page's GET forms (searches, filters, pickers) ask for, as a person would send them: each field as the page
 * fills it, an empty text box filled by `fill` (a word of A's), and then each other choice of each list, radio or
 * named button in turn.
 */
function formsOf(body: string, fill: (field: string) => string): string[] {
  const found: string[] = [];
  for (const form of body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if ((attribute(form[1]!, 'method') ?? 'get').toLowerCase() !== 'get') continue;
    const action = attribute(form[1]!, 'action') ?? '';
    if (!action.startsWith('/')) continue;
    const fields: [string, string][] = [];
    const choices: [string, string][] = [];
    const chosen = new Set<string>();
    for (const input of form[2]!.matchAll(/<(input|button)\b[^>]*>/g)) {
      const name = attribute(input[0], 'name');
      if (!name) continue;
      const type = (attribute(input[0], 'type') ?? (input[1] === 'button' ? 'submit' : 'text')).toLowerCase();
      const value = attribute(input[0], 'value') ?? '';
      if (type === 'radio') {
        if (/\bchecked\b/.test(input[0]) || !chosen.has(name)) { chosen.add(name); fields.push([name, value]); }
        choices.push([name, value]);
      } else if (type === 'checkbox') {
        if (/\bchecked\b/.test(input[0])) fields.push([name, value]);
      } else if (type === 'submit') {
        choices.push([name, value]);
      } else {
        fields.push([name, value || (type === 'hidden' || type === 'date' ? value : fill(name))]);
      }
    }
    for (const select of form[2]!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attribute(select[1]!, 'name');
      if (!name) continue;
      const options = [...select[2]!.matchAll(/<option\b[^>]*>/g)].map((o) => ({ value: attribute(o[0], 'value') ?? '', selected: /\bselected\b/.test(o[0]) }));
      fields.push([name, (options.find((o) => o.selected) ?? options[0])?.value ?? '']);
      for (const o of options) choices.push([name, o.value]);
    }
    // Radios keep the first checked (or the first): later pushes of the same name are dropped.
    const unique = fields.filter(([n], i) => fields.findIndex(([m]) => m === n) === i);
    const url = (params: [string, string][]) => `${action}${action.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`;
    found.push(url(unique));
    for (const [name, value] of choices) {
      const params = unique.some(([n]) => n === name) ? unique.map(([n, v]): [string, string] => (n === name ? [n, value] : [n, v])) : [...unique, [name, value] as [string, string]];
      found.push(url(params));
    }
  }
  return found;
}

test("every staff page each role reaches answers A's staff the same with and without row-level security", async (t) => {
  const differing: Compared[] = [];
  const seenBoth: string[] = [];
  const counts: string[] = [];
  let total = 0;
  // What a person types into a search or a filter: a family name A shares with B (C has it too, marked), or A's postcode.
  const [common] = await rows<{ family_name: string }>(sql`select a.family_name from people a
    where a.organisation_id = ${a.id} and exists (select 1 from people b where b.organisation_id = ${b.id} and b.family_name = a.family_name)
    group by a.family_name order by count(*) desc, a.family_name limit 1`);
  const [place] = await rows<{ postcode: string }>(sql`select postcode from homes where organisation_id = ${a.id} and postcode is not null order by id limit 1`);
  assert.ok(common && place, 'a family name A and B share, and a postcode of A');
  const fill = (field: string) => (/postcode/i.test(field) ? place.postcode : common.family_name);
  const reached = new Map<Role, number>();
  const distinct = new Set<string>();
  for (const role of ROLES) {
    const cookie = a.session[role];
    const queue = ['/'];
    const queued = new Set(queue);
    const shapes = new Map<string, number>();
    const paths = new Map<string, number>();
    let pages = 0;
    while (queue.length && pages < PAGES_PER_ROLE) {
      const url = queue.shift()!;
      const c = await compare(url, { cookie }, role);
      pages++;
      if (c.first.status === 200) {
        reached.set(role, (reached.get(role) ?? 0) + 1);
        distinct.add(shape(url).replace(/\?.*$/, ''));
      }
      if (!c.same) differing.push(c);
      const marks = foreignMarks(c);
      if (marks.length) seenBoth.push(`${role} GET ${url}: ${marks.join(', ')}`);
      if (c.first.status !== 200 || !c.first.type.startsWith('text/html')) continue;
      for (const link of [...linksOf(c.first.body), ...formsOf(c.first.body, fill)]) {
        if (queued.has(link) || EXCLUDED.some(([re]) => re.test(link))) continue;
        const s = shape(link);
        const p = s.replace(/\?.*$/, '');
        if ((shapes.get(s) ?? 0) >= PER_SHAPE || (paths.get(p) ?? 0) >= PER_PATH) continue;
        shapes.set(s, (shapes.get(s) ?? 0) + 1);
        paths.set(p, (paths.get(p) ?? 0) + 1);
        queued.add(link);
        queue.push(link);
      }
    }
    counts.push(`${role} ${pages}${queue.length ? ` (${queue.length} more not visited)` : ''}`);
    total += pages;
  }
  t.diagnostic(`${total} pages compared, ${distinct.size} different pages (ids aside): ${counts.join(', ')}`);
  // Not compared vacuously: every role got well into Hearth (a lost session would stop each at a redirect to sign in).
  for (const role of ROLES) assert.ok((reached.get(role) ?? 0) >= (role === 'operative' ? 3 : 25), `${role} reached ${reached.get(role) ?? 0} pages`);
  assert.ok(distinct.size >= 60, `${distinct.size} different pages`);
  assert.deepEqual(seenBoth, [], 'pages for A that show another landlord');
  assert.equal(differing.length, 0, reportOf(differing, 'pages'));
});

// ---- the resident's repair pages: a landlord's public pages, which read its homes (by postcode) and a repair (by
// reference and postcode) for the organisation in the URL.

test("a resident's report and find-a-repair pages answer the same with and without row-level security", async (t) => {
  const [request] = await rows<{ reference: string; postcode: string; home_id: string }>(sql`select r.reference, h.postcode, r.home_id
    from repair_requests r join homes h on h.organisation_id = r.organisation_id and h.id = r.home_id where r.organisation_id = ${a.id} limit 1`);
  assert.ok(request, "a repair request of A's");
  // A resident's browser: the visit and CSRF cookies it is given, and the form token of the last page.
  const jar = new Map<string, string>();
  let csrf = '';
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: { cookies: { name: string; value: string }[]; body: string }) => {
    for (const c of res.cookies) jar.set(c.name, c.value);
    csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? csrf;
  };
  const open = async (url: string) => { const res = await rls.app.inject({ method: 'GET', url, headers: { cookie: cookie() } }); keep(res); return res; };
  const send = async (url: string, fields: Record<string, string>) => {
    const res = await rls.app.inject({ method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString() });
    assert.equal(res.statusCode, 303, `${url}: ${res.body.slice(0, 300)}`);
    return res;
  };
  const differing: Compared[] = [];
  const seenBoth: string[] = [];
  let checked = 0;
  const check = async (url: string) => {
    const c = await compare(url, { cookie: cookie() }, 'resident');
    checked++;
    assert.equal(c.first.status, 200, `${url}: ${c.first.status} ${c.first.location}`);
    if (!c.same) differing.push(c);
    const marks = foreignMarks(c);
    if (marks.length) seenBoth.push(`resident GET ${url}: ${marks.join(', ')}`);
  };
  const report = `/landlords/${a.id}/report-a-repair`;
  const find = `/landlords/${a.id}/find-a-repair`;
  await open(report);
  for (const step of ['', '/emergency']) await check(`${report}${step}`);
  await open(`${report}/emergency`);
  await send(`${report}/emergency`, { emergency: 'none' });
  await check(`${report}/where`);
  await send(`${report}/where`, { where: 'home' });
  await check(`${report}/postcode`);
  await send(`${report}/postcode`, { postcode: request.postcode });
  await check(`${report}/address`); // A's homes at the postcode (C has the same ones, with its street names)
  await send(`${report}/address`, { homeId: request.home_id });
  await check(`${report}/problem/0`);
  await open(find);
  await check(find);
  await send(find, { reference: request.reference, postcode: request.postcode });
  await check(`${find}/repair`); // found by reference and postcode (C has a request with the same reference)
  for (const step of ['/change-appointment', '/cancel']) {
    const res = await open(`${find}${step}`);
    if (res.statusCode === 200) await check(`${find}${step}`);
  }
  t.diagnostic(`${checked} resident pages compared`);
  assert.deepEqual(seenBoth, [], 'pages for A that show another landlord');
  assert.equal(differing.length, 0, reportOf(differing, 'resident pages'));
});
