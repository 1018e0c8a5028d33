// Issue 13, defects 5 and 6: the pairs to review and one pair read as staff would say them (names as recorded, GOV.UK
// dates, plain words with the numbers behind a details element), paginated; a decision is confirmed in a banner with
// Undo that puts the clusters back exactly; the people figures agree between the overview and record linkage; and the
// data lead's "Pairs to review" worklist. Another landlord's pairs never appear.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { GIVEN, FAMILY, dob, phone, postcode } from '../support/population.ts';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { relinkAll, decide, clusterMembers } from '../../src/modules/linkage/service.ts';
import { pairsToReview } from '../../src/modules/linkage/index.ts';
import type { Role } from '../../src/platform/auth/roles.ts';

let h: Harness;
let dir: string;
let L: Landlord;
let other: Landlord;
/** Person ids by "system:source id". */
let ids: Map<string, string>;
let otherPair: [string, string];
let files = 0;

async function load(org: string, kind: string, sourceSystem: string, lines: string[]) {
  const file = path.join(dir, `file-${++files}.csv`);
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
  const r = await ingestFile(h.store, { organisationId: org, file, sourceSystem, kind });
  assert.equal(r.counts.rejected, 0, JSON.stringify(r.problems));
}

const sorted = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);
const id = (k: string) => { const v = ids.get(k); assert.ok(v, `no person ${k}`); return v; };
const rows = <T>(org: string, q: ReturnType<typeof sql>) => h.store.withOrg(org, async (tx) => (await tx.execute(q)).rows as T[]);
const asRole = <T>(org: string, role: Role, work: (c: { actor: ReturnType<typeof systemActor>; tx: Parameters<Parameters<Harness['store']['withOrg']>[1]>[0] }) => Promise<T>) =>
  h.store.withOrg(org, (tx) => work({ actor: { kind: 'user', id: `${role}-1`, name: `A ${role}`, organisationId: org, role }, tx }));

/** Put a pair on the review list as linkage queues it: kept apart (and scored by the model), then waiting again. */
async function pending(x: string, y: string) {
  const [a, b] = sorted(x, y);
  await asRole(L.id, 'data-lead', (c) => decide(c, a, b, 'rejected'));
  await rows(L.id, sql`update link_reviews set status = 'pending', decided_by = null, decided_at = null where a_id = ${a} and b_id = ${b}`);
  return [a, b] as const;
}

/** A browser signed in as a role of a landlord: its cookies kept, forms posted with the page's CSRF token. */
async function browser(who: Landlord, role: Role) {
  const email = `${role}.${Math.random().toString(36).slice(2)}@example.org`;
  await h.auth.addUser({ organisationId: who.id, email, name: `Test ${role}`, role, password: 'a long test password 1' });
  const cookies = new Map([['hearth_session', (await h.auth.signIn(email, 'a long test password 1'))!.token]]);
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const take = (res: Awaited<ReturnType<Harness['app']['inject']>>) => { for (const c of res.cookies) cookies.set(c.name, c.value); return res; };
  let csrf = '';
  return {
    async get(url: string, status = 200) {
      const res = take(await h.app.inject({ method: 'GET', url, headers: { cookie: header() } }));
      assert.equal(res.statusCode, status, `${url}: ${res.body.slice(0, 300)}`);
      csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? csrf;
      return res.body;
    },
    async post(url: string, fields: Record<string, string>) {
      return take(await h.app.inject({ method: 'POST', url, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
        headers: { cookie: header(), 'content-type': 'application/x-www-form-urlencoded' } }));
    },
  };
}

before(async () => {
  h = await harness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-link-review-'));
  L = await landlord(h, 'Review landlord');
  other = await landlord(h, 'Other review landlord');
  await load(L.id, 'homes', 'northgate-housing', ['Prop Ref,UPRN,Flat,House No,Street,Town,Post Code,Prop Type',
    'P0,100023336900,Flat 12,,Moor Road,Leeds,LS6 1AA,Flat',
    ...GIVEN.map((_g, i) => `P${i + 1},${100023336901 + i},,${i + 3},${['Hill Street', 'Oak Avenue', 'Kirkstall Road'][i % 3]},Leeds,${postcode(i)},House`)]);
  // Robert Morgan in the housing system; Megan Price has no home there.
  await load(L.id, 'people', 'northgate-housing', ['Customer Ref,Title,Forename,Surname,Date of Birth,Mobile,Prop Ref',
    'N001,Mr,Robert,Morgan,02/03/1971,07700 900123,P0',
    'N900,,Megan,Price,09/06/2016,,',
    ...GIVEN.map((g, i) => `N${100 + i},,${g},${FAMILY[i]},${dob(i).split('-').reverse().join('/')},${phone(i)},P${i + 1}`)]);
  // The CRM: Bob Morgan and Megan Price with no address, and most of the tenants again.
  await load(L.id, 'people', 'civica-crm', ['Contact ID,First Name,Last Name,DOB,Phone,Email,Address 1,Postcode',
    'C-1,Bob,Morgan,1971-03-02,07700900123,bob.morgan@example.com,,',
    'C-900,Megan,Price,2016-06-09,,,,',
    ...GIVEN.slice(0, 24).map((g, i) => `C-${100 + i},${g},${FAMILY[i]},${dob(i)},${phone(i)},${g.toLowerCase()}.${FAMILY[i]!.toLowerCase()}@example.com,${i + 3} ${['Hill Street', 'Oak Avenue', 'Kirkstall Road'][i % 3]},${postcode(i)}`)]);
  const refs = await rows<{ k: string; id: string }>(L.id, sql`select source_system || ':' || source_id as k, record_id as id from source_references where entity_kind = 'person'`);
  ids = new Map(refs.map((r) => [r.k, r.id]));
  await relinkAll(h.store, L.id);
  // Only the pairs this test arranges wait for a decision.
  await rows(L.id, sql`delete from link_reviews where status = 'pending'`);
  await pending(id('northgate-housing:N001'), id('civica-crm:C-1'));
  await pending(id('northgate-housing:N900'), id('civica-crm:C-900'));
  // Enough doubtful pairs for a second page: each housing tenant against the next tenant's CRM record.
  for (let i = 0; i < 23; i++) {
    const [a, b] = sorted(id(`northgate-housing:N${100 + i}`), id(`civica-crm:C-${101 + i}`));
    await rows(L.id, sql`insert into link_reviews (organisation_id, a_id, b_id, weight, probability, comparisons, status)
      values (${L.id}, ${a}, ${b}, ${-1 + i / 100}, ${0.6 + i / 1000}, '[]'::jsonb, 'pending')`);
  }
  // Another landlord with a pair of its own waiting.
  await load(other.id, 'people', 'northgate-housing', ['Customer Ref,Title,Forename,Surname,Date of Birth,Mobile,Prop Ref', 'X1,,Zebedee,Quartermaine,01/01/1980,,']);
  await load(other.id, 'people', 'civica-crm', ['Contact ID,First Name,Last Name,DOB,Phone,Email,Address 1,Postcode', 'Y1,Zeb,Quartermaine,1980-01-01,,,,']);
  const theirs = await rows<{ id: string }>(other.id, sql`select record_id as id from source_references where entity_kind = 'person' order by source_system`);
  otherPair = sorted(theirs[0]!.id, theirs[1]!.id);
  await rows(other.id, sql`delete from link_reviews`);
  await rows(other.id, sql`insert into link_reviews (organisation_id, a_id, b_id, weight, probability, comparisons, status)
    values (${other.id}, ${otherPair[0]}, ${otherPair[1]}, 0, 0.5, '[]'::jsonb, 'pending')`);
});
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

const pendingCount = async () => (await rows<{ n: number }>(L.id, sql`select count(*)::int as n from link_reviews where status = 'pending'`))[0]!.n;

test('the pairs to review are named by the two names as recorded, 20 to a page with GOV.UK pagination and a count', async () => {
  const lead = await browser(L, 'data-lead');
  const total = await pendingCount();
  assert.equal(total, 25);
  const first = await lead.get('/linkage/reviews');
  assert.doesNotMatch(first, /Compare pair/);
  const [a, b] = sorted(id('northgate-housing:N001'), id('civica-crm:C-1'));
  const names = a === id('northgate-housing:N001') ? 'Robert Morgan and Bob Morgan' : 'Bob Morgan and Robert Morgan';
  const second = await lead.get('/linkage/reviews?page=2');
  assert.match(first + second, new RegExp(`<a class="govuk-link" href="/linkage/reviews/${a}/${b}">${names}</a>`));
  // Each pair's dates of birth beside it, as GOV.UK dates: same-named records are told apart before opening them.
  assert.match(first + second, new RegExp(`href="/linkage/reviews/${a}/${b}">[^<]+</a>\\s*</td>\\s*<td class="govuk-table__cell">\\s*2 March 1971 and 2 March 1971`));
  const links = (html: string) => [...html.matchAll(/href="\/linkage\/reviews\/([0-9a-f-]{36})\/([0-9a-f-]{36})"/g)];
  assert.equal(links(first).length, 20, 'twenty pairs on the first page');
  assert.match(first, /Showing 1 to 20 of 25 pairs/);
  assert.match(first, /class="govuk-pagination"/);
  assert.match(first, /href="\/linkage\/reviews\?page=2"/);
  assert.match(first, /(Very likely|Likely|Possibly) the same person/);
  assert.equal(links(second).length, 5);
  assert.match(second, /Showing 21 to 25 of 25 pairs/);
  const seen = new Set([...links(first), ...links(second)].map((m) => `${m[1]}/${m[2]}`));
  assert.equal(seen.size, 25, 'every pair once across the pages');
  for (const html of [first, second]) assert.doesNotMatch(html, /Quartermaine|Zeb/, 'never another landlord’s pairs');
  await lead.get(`/linkage/reviews/${otherPair[0]}/${otherPair[1]}`, 404);
});

test('a pair reads as recorded: names, GOV.UK dates, phones as dialled, plain words, and the numbers behind “How the score was worked out”', async () => {
  const lead = await browser(L, 'data-lead');
  const [a, b] = sorted(id('northgate-housing:N001'), id('civica-crm:C-1'));
  const page = await lead.get(`/linkage/reviews/${a}/${b}`);
  assert.match(page, /Robert Morgan/);
  assert.match(page, /Bob Morgan/);
  assert.match(page, /2 March 1971/);
  assert.doesNotMatch(page, /1971-03-02/);
  assert.match(page, /Flat 12, Moor Road[^<]*LS6 1AA[^<]*\(their home\)/, 'the housing record’s address is its home’s');
  assert.match(page, /07700 900123/);
  assert.doesNotMatch(page, /\+447700900123/);
  assert.match(page, /<li>Same date of birth<\/li>/);
  assert.match(page, /<li>Address missing for one record<\/li>/);
  assert.doesNotMatch(page, /log2|Prior|one side/);
  // The numbers are there, inside the details.
  const details = /<details class="govuk-details"[\s\S]*?<\/details>/.exec(page)?.[0] ?? '';
  assert.match(details, /How the score was worked out/);
  assert.match(details, /hearth-waterfall__value">[+−]?\d+\.\d\d/);
  assert.doesNotMatch(page.replace(details, ''), /hearth-waterfall/);

  const [c, d] = sorted(id('northgate-housing:N900'), id('civica-crm:C-900'));
  const both = await lead.get(`/linkage/reviews/${c}/${d}`);
  assert.match(both, /9 June 2016/);
  assert.doesNotMatch(both, /2016-06-09/);
  assert.match(both, /<li>Both have no address<\/li>/);
  assert.doesNotMatch(both, /Address missing/);
});

/** Every cluster row of the landlord, and the decisions, as they stand. */
const state = async () => ({
  clusters: await rows<{ person_id: string; cluster_id: string; how: string }>(L.id, sql`select person_id, cluster_id, how from person_clusters order by person_id`),
  decided: await rows<{ a_id: string; b_id: string; status: string; decided_by: string | null; decided_at: string | null }>(L.id,
    sql`select a_id, b_id, status, decided_by, decided_at::text from link_reviews order by a_id, b_id`),
});

test('accepting shows “You linked …” with Undo; Undo splits the clusters back exactly as they were, is audited, and twice is harmless', async () => {
  const lead = await browser(L, 'data-lead');
  const x = id('northgate-housing:N110'), y = id('civica-crm:C-111');
  const [a, b] = sorted(x, y);
  const cx = await asRole(L.id, 'data-lead', (c) => clusterMembers(c, x));
  const cy = await asRole(L.id, 'data-lead', (c) => clusterMembers(c, y));
  assert.equal(cx.members.length, 2, 'each side is already a linked person (housing and CRM records)');
  assert.equal(cy.members.length, 2);
  // An earlier rejection between the two people, which accepting supersedes and undoing must bring back.
  const [ra, rb] = sorted(id('civica-crm:C-110'), id('northgate-housing:N111'));
  await rows(L.id, sql`insert into link_reviews (organisation_id, a_id, b_id, weight, probability, comparisons, status, decided_by, decided_at)
    values (${L.id}, ${ra}, ${rb}, -3, 0.1, '[]'::jsonb, 'rejected', 'Earlier lead', '2026-01-05T10:00:00Z')`);
  const before = await state();

  await lead.get(`/linkage/reviews/${a}/${b}`);
  const decided = await lead.post(`/linkage/reviews/${a}/${b}`, { decision: 'accepted' });
  assert.equal(decided.statusCode, 303, decided.body.slice(0, 300));
  const back = decided.headers.location as string;
  assert.match(back, new RegExp(`^/linkage/reviews/${a}/${b}\\?decided=[0-9a-f-]{36}$`));
  const names = [`${GIVEN[10]} ${FAMILY[10]}`, `${GIVEN[11]} ${FAMILY[11]}`];
  const [na, nb] = a === x ? names : [names[1], names[0]];
  const banner = await lead.get(back);
  assert.match(banner, /govuk-notification-banner--success/);
  assert.match(banner, new RegExp(`You linked ${na} and ${nb}`));
  assert.match(banner, new RegExp(`action="/linkage/reviews/${a}/${b}/undo"`));
  assert.match(banner, /Review the next pair: /);
  const merged = await asRole(L.id, 'data-lead', (c) => clusterMembers(c, x));
  assert.deepEqual(merged.members.sort(), [...cx.members, ...cy.members].sort(), 'accepting merged the two people');
  assert.equal((await rows<{ status: string }>(L.id, sql`select status from link_reviews where a_id = ${ra} and b_id = ${rb}`))[0]!.status, 'accepted');

  const undone = await lead.post(`/linkage/reviews/${a}/${b}/undo`, { decision: /name="decision" value="([0-9a-f-]{36})"/.exec(banner)![1]! });
  assert.equal(undone.statusCode, 303, undone.body.slice(0, 300));
  const after = await lead.get(undone.headers.location as string);
  assert.match(after, new RegExp(`Decision undone: ${na} and ${nb} are waiting for a decision again`));
  assert.match(after, /Accept: one person/, 'the pair can be decided again');
  assert.deepEqual(await state(), before, 'clusters, the superseded rejection and the pair are exactly as before');
  const audited = await rows<{ action: string; detail: { undid?: string } }>(L.id, sql`select action, detail from audit_events where action = 'link-undone' and entity_id = ${a}`);
  assert.equal(audited.length, 1);

  // Undo again (the same form, posted twice): nothing more happens.
  const again = await lead.post(`/linkage/reviews/${a}/${b}/undo`, { decision: audited[0]!.detail.undid! });
  assert.equal(again.statusCode, 303);
  assert.deepEqual(await state(), before);
  assert.equal((await rows(L.id, sql`select 1 from audit_events where action = 'link-undone' and entity_id = ${a}`)).length, 1);
});

test('rejecting shows “You kept … apart”; Undo puts the pair back; an undo after someone else decided again is refused', async () => {
  const lead = await browser(L, 'data-lead');
  const [a, b] = sorted(id('northgate-housing:N112'), id('civica-crm:C-113'));
  const before = await state();
  await lead.get(`/linkage/reviews/${a}/${b}`);
  const decided = await lead.post(`/linkage/reviews/${a}/${b}`, { decision: 'rejected' });
  const banner = await lead.get(decided.headers.location as string);
  assert.match(banner, /You kept [A-Z][a-z]+ [A-Z][a-z]+ and [A-Z][a-z]+ [A-Z][a-z]+ apart/);
  const token = /name="decision" value="([0-9a-f-]{36})"/.exec(banner)![1]!;
  assert.equal((await lead.post(`/linkage/reviews/${a}/${b}/undo`, { decision: token })).statusCode, 303);
  assert.deepEqual(await state(), before, 'the pair waits again, clusters as they were');

  // Decided again, then decided differently by another data lead: the first undo no longer applies.
  await lead.get(`/linkage/reviews/${a}/${b}`);
  const second = await lead.post(`/linkage/reviews/${a}/${b}`, { decision: 'rejected' });
  const stale = /name="decision" value="([0-9a-f-]{36})"/.exec(await lead.get(second.headers.location as string))![1]!;
  const other = await api(h, 'POST', `/api/v1/link-reviews/${a}/${b}/decision`, L.as.administrator, { decision: 'accepted' });
  assert.equal(other.status, 200);
  const after = await state();
  const refused = await lead.post(`/linkage/reviews/${a}/${b}/undo`, { decision: stale });
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /Your decision was not undone/);
  assert.match(refused.body, /has decided this pair again since/);
  assert.deepEqual(await state(), after, 'nothing changed');
  // The old token of the first (undone) decision is refused too, not replayed.
  assert.equal((await lead.post(`/linkage/reviews/${a}/${b}/undo`, { decision: token })).statusCode, 409);
});

test('the overview and record linkage give the same people figures, each saying what it counts; no “3 or more sources” with 2 systems', async () => {
  const lead = await browser(L, 'data-lead');
  const overview = await lead.get('/overview');
  const linkage = await lead.get('/linkage');
  const [truth] = await rows<{ records: number; people: number }>(L.id, sql`select count(*)::int as records,
    count(distinct coalesce(c.cluster_id, p.id))::int as people from people p
    left join person_clusters c on c.organisation_id = p.organisation_id and c.person_id = p.id where p.organisation_id = ${L.id}`);
  const stat = (html: string, label: string) => {
    const m = new RegExp(`hearth-stat__value">([\\d,]+)</span>\\s*<span[^>]*>${label.replace(/[()]/g, '\\$&')}</`).exec(html);
    return m ? Number(m[1]!.replace(/,/g, '')) : undefined;
  };
  const row = (html: string, label: string) => {
    const m = new RegExp(`<dt class="govuk-summary-list__key">\\s*${label.replace(/[()]/g, '\\$&')}\\s*</dt>\\s*<dd class="govuk-summary-list__value">\\s*([\\d,]+)`).exec(html);
    return m ? Number(m[1]!.replace(/,/g, '')) : undefined;
  };
  assert.ok(truth!.records > truth!.people, 'linking made fewer people than records');
  for (const [label, value] of [['Person records (from 2 source systems)', truth!.records], ['People after linking', truth!.people]] as const) {
    assert.equal(stat(overview, label), value, `overview: ${label}`);
    assert.equal(row(linkage, label), value, `linkage: ${label}`);
  }
  assert.doesNotMatch(linkage, /3 or more/);
  assert.match(linkage, /People with records from both source systems/);
  assert.match(overview, /href="\/overview"[^>]*>[^<]*(<[^>]+>)?\s*Overview/, 'the Overview link goes to /overview');
});

test('the “Pairs to review” worklist: the first pending pairs by name, the total, for data leads; none of another landlord’s', async () => {
  assert.deepEqual([...pairsToReview.roles].sort(), ['administrator', 'data-lead']);
  assert.equal(pairsToReview.href, '/linkage/reviews');
  const list = await asRole(L.id, 'data-lead', (c) => pairsToReview.items(c, { limit: 3, scope: { homeIds: null } }));
  assert.equal(list.total, await pendingCount());
  assert.equal(list.items.length, 3);
  for (const item of list.items) {
    assert.match(item.href, /^\/linkage\/reviews\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
    assert.match(item.text, /^[A-Z][a-z]+ [A-Z][a-z]+ and [A-Z][a-z]+ [A-Z][a-z]+$/);
    assert.match(item.hint!, /^(Very likely|Likely|Possibly) the same person$|^Probably different people$/);
  }
  const theirs = await asRole(other.id, 'data-lead', (c) => pairsToReview.items(c, { limit: 3, scope: { homeIds: null } }));
  assert.equal(theirs.total, 1);
  assert.equal(theirs.items.length, 1);
  assert.match(theirs.items[0]!.text, /^(Zebedee Quartermaine and Zeb Quartermaine|Zeb Quartermaine and Zebedee Quartermaine)$/);
});
