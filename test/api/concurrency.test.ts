// Optimistic concurrency under real races: for every kind the API lets you PATCH, ten PATCHes sent at once with the
// same If-Match have exactly one winner. The kinds come from the OpenAPI document, so a new kind with a PATCH route
// fails here until it has a case below. PGlite runs one transaction at a time, so there this checks the rule without
// the race; on PostgreSQL (DATABASE_URL) the PATCHes really do overlap.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';

const N = 10;
let h: Harness; let l: Landlord;
before(async () => { h = await harness(); l = await landlord(h); });
after(() => h.close());

async function created(path: string, body: unknown): Promise<string> {
  const res = await api(h, 'POST', `/api/v1${path}`, l.as.administrator, body);
  assert.equal(res.status, 201, `set-up: POST ${path} gave ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** How to make one record of each kind, and the i-th of N different changes to it. */
const kinds: Record<string, { make: () => Promise<string>; change: (i: number) => Record<string, unknown>; field: string }> = {
  '/organisations': { make: async () => l.id, change: (i) => ({ name: `Renamed landlord ${i}` }), field: 'name' },
  '/estates': { make: () => created('/estates', { name: 'Millfield' }), change: (i) => ({ name: `Estate ${i}` }), field: 'name' },
  '/blocks': { make: () => created('/blocks', sample.block()), change: (i) => ({ name: `Block ${i}` }), field: 'name' },
  '/homes': { make: () => created('/homes', sample.home()), change: (i) => ({ bedrooms: i + 1 }), field: 'bedrooms' },
  '/people': { make: () => created('/people', sample.person()), change: (i) => ({ preferredName: `Name ${i}` }), field: 'preferredName' },
  '/alerts': {
    make: async () => created('/alerts', { personId: await created('/people', sample.person()), hactCode: '10', category: 'RISK', confidentiality: 'confidential', startDate: '2024-01-01' }),
    change: (i) => ({ description: `Alert text ${i}` }), field: 'description',
  },
  '/tenancies': {
    make: async () => created('/tenancies', {
      reference: 'TEN-RACE', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: await created('/homes', sample.home()),
      members: [{ personId: await created('/people', sample.person()), role: 'lead' }],
    }),
    change: (i) => ({ reference: `TEN-RACE-${i}` }), field: 'reference',
  },
  '/repairs': { make: async () => created('/repairs', { jobReference: 'JOB-RACE', homeId: await created('/homes', sample.home()), description: 'Leak under sink' }), change: (i) => ({ description: `Leak ${i}` }), field: 'description' },
  // Ten administrators giving one member of staff the same new role: the first changes it, the rest are stale.
  '/users': {
    make: async () => (await h.auth.addUser({ organisationId: l.id, email: `race-${crypto.randomUUID()}@example.org`, name: 'Race Test', role: 'housing-officer', password: 'a long enough password' })).id,
    change: () => ({ role: 'analyst' }), field: 'role',
  },
  // An endpoint on this machine (the test allows private addresses, as development does), disabled at once so no
  // delivery is ever queued for it (other test files' delivery workers share the database): its description raced.
  '/webhooks': {
    make: async () => {
      process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE = '1';
      const id = await created('/webhooks', { url: 'http://127.0.0.1:9/hook', eventTypes: ['uk.hearth.organisation.'] });
      assert.equal((await api(h, 'POST', `/api/v1/webhooks/${id}/disable`, l.as.administrator)).status, 200);
      return id;
    },
    change: (i) => ({ description: `Endpoint ${i}` }), field: 'description',
  },
  '/operatives': {
    make: () => created('/operatives', { name: 'Sam Fixer', trades: ['plumbing'], pattern: { days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' } }),
    change: (i) => ({ name: `Operative ${i}` }), field: 'name',
  },
  '/notes': {
    make: async () => created('/notes', { subjectKind: 'home', homeId: await created('/homes', sample.home()), text: 'Called round' }),
    change: (i) => ({ text: `Note ${i}` }), field: 'text',
  },
};

test('every kind with a PATCH route: ten concurrent PATCHes with the same If-Match have exactly one winner', async (t) => {
  const doc = (await api(h, 'GET', '/api/openapi.json', {})).body as { paths: Record<string, Record<string, unknown>> };
  const paths = Object.keys(doc.paths).filter((p) => doc.paths[p]!.patch).map((p) => p.replace(/^\/api\/v1/, '').replace(/\/\{id\}$/, ''));
  assert.ok(paths.length >= 9, `found PATCH routes: ${paths.join(', ')}`);
  for (const path of paths) {
    await t.test(path, async () => {
      const kind = kinds[path];
      assert.ok(kind, `PATCH ${path}/{id} has no case in test/api/concurrency.test.ts: add one`);
      const id = await kind.make();
      const read = await api(h, 'GET', `/api/v1${path}/${id}`, l.as.administrator);
      assert.equal(read.status, 200);
      const version = read.body.version as number;
      const headers = { ...l.as.administrator, 'if-match': `"${version}"` };
      const results = await Promise.all(Array.from({ length: N }, (_, i) => api(h, 'PATCH', `/api/v1${path}/${id}`, headers, kind.change(i))));
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 200).length, 1, `one 200 among ${statuses.join(' ')}`);
      assert.equal(statuses.filter((s) => s === 412).length, N - 1, `the rest 412: ${statuses.join(' ')}`);
      const winner = statuses.indexOf(200);
      const now = await api(h, 'GET', `/api/v1${path}/${id}`, l.as.administrator);
      assert.equal(now.body.version, version + 1, 'the version went up by exactly one');
      assert.equal(now.headers.etag, `"${version + 1}"`);
      assert.deepEqual(now.body[kind.field], kind.change(winner)[kind.field], 'the stored value is the winner\'s');
    });
  }
});
