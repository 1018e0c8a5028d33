// Issue 12, done when: "Adding a module is: create its folder with its manifest, add it to the module list." A module
// the app has never heard of (here a small one for recording visits to homes, declared in this file) is added to the
// list, and nothing else changes: its kind of record, permission and audit action are known; its API route is served
// under /api/v1 with a bearer token and is in the OpenAPI document; its page is served signed in, with its link in
// the service navigation for the roles allowed; its writes go through the outbox to its own subscriber, to webhooks
// (its kind is offered on the webhooks page) and to the dead-letter list when its subscriber fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { MODULES } from '../../src/modules/index.ts';
import { defineModule } from '../../src/platform/modules.ts';
import { can } from '../../src/platform/auth/roles.ts';
import { forbidden } from '../../src/platform/http/problem.ts';
import { audit } from '../../src/platform/audit/service.ts';
import { recordsWritten } from '../../src/platform/records/events.ts';
import { originOf, type StoredEvent } from '../../src/platform/events/outbox.ts';
import { deadLetters, replay } from '../../src/platform/events/relay.ts';
import { drainInstalled, installedSubscribers } from '../../src/platform/events/installed.ts';

const seen: StoredEvent[] = [];
let broken = false;

const visitsModule = defineModule({
  name: 'visits',
  entityKinds: [{ kind: 'visit', label: 'Visits' }],
  permissions: [{ name: 'visits:record', description: 'record a visit to a home', roles: ['administrator', 'housing-officer'] }],
  auditActions: ['visit-recorded'],
  apiTags: [{ name: 'Visits', description: 'Visits to homes.' }],
  navigation: [{ href: '/visits', text: 'Visits', sections: ['visits'], permission: 'visits:record', position: 65 }],
  subscribers: [{
    name: 'visits-test', types: ['uk.hearth.visit.'], attempts: 1,
    handle: async (_tx, batch) => {
      if (broken) throw new Error('the visits subscriber failed');
      seen.push(...batch);
    },
  }],
  api(app, { run }) {
    app.post('/visits', {
      schema: {
        tags: ['Visits'], summary: 'Record a visit', security: [{ bearer: [] }],
        body: Type.Object({ homeId: Type.String({ format: 'uuid' }), note: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    }, async (req, reply) => {
      // Typed from the schema: no cast.
      const { homeId } = req.body;
      const id = await run(req, async (ctx) => {
        if (!can(ctx.actor.role, 'visits:record')) throw forbidden('Only housing officers record visits');
        const visit = uuidv7();
        await audit(ctx.tx, ctx.actor, { action: 'visit-recorded', entityKind: 'visit', entityId: visit, detail: { homeId } });
        await recordsWritten(ctx.tx, 'visit', ctx.actor.organisationId, [{ id: visit, created: true, data: { fields: ['homeId', 'note'] } }], originOf(ctx.actor));
        return visit;
      });
      return reply.code(201).send({ id });
    });
  },
  pages(app, { page }) {
    app.get('/visits', async (req, reply) => {
      const data = await page(req, async () => ({}));
      return reply.type('text/html').send(`<!doctype html><title>Visits</title><h1>Visits for ${data.organisationName}</h1>`);
    });
  },
});

let h: Harness;
let l: Landlord;
before(async () => {
  h = await harness({}, { modules: [...MODULES, visitsModule] });
  l = await landlord(h);
});
after(() => h.close());

/** A signed-in staff session of the role, as a cookie. */
async function signIn(role: Role): Promise<string> {
  const email = `${role}.${l.id.slice(-8)}@example.org`, password = 'a long test password 1';
  await h.auth.addUser({ organisationId: l.id, email, name: `Test ${role}`, role, password });
  return `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
}

test('a module added to the list brings its routes, OpenAPI tag, permission, audit action and navigation', async () => {
  const r = await api(h, 'POST', '/api/v1/visits', l.as['housing-officer'], { homeId: uuidv7(), note: 'Checked the boiler' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal((await api(h, 'POST', '/api/v1/visits', l.as.analyst, { homeId: uuidv7(), note: 'x' })).status, 403, 'its permission holds');
  assert.equal((await api(h, 'POST', '/api/v1/visits', l.as['housing-officer'], { homeId: 'not-a-uuid', note: 'x' })).status, 400, 'its schema validates');
  const audited = await api(h, 'GET', `/api/v1/audit-events?action=visit-recorded&entityId=${r.body.id}`, l.as.administrator);
  assert.equal(audited.status, 200, JSON.stringify(audited.body));
  assert.equal(audited.body.items.length, 1, 'its audit action is recorded');

  const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { tags: { name: string }[]; paths: Record<string, unknown> };
  assert.ok(doc.tags.some((t) => t.name === 'Visits'));
  assert.ok(doc.paths['/api/v1/visits']);

  const officer = await signIn('housing-officer');
  const visits = await h.app.inject({ method: 'GET', url: '/visits', headers: { cookie: officer } });
  assert.equal(visits.statusCode, 200);
  assert.match(visits.body, /Visits for /);
  const overview = await h.app.inject({ method: 'GET', url: '/', headers: { cookie: officer } });
  assert.match(overview.body, /href="\/visits"/, 'its link is in the navigation for a role with its permission');
  const analyst = await signIn('analyst');
  assert.doesNotMatch((await h.app.inject({ method: 'GET', url: '/', headers: { cookie: analyst } })).body, /href="\/visits"/, 'and not for others');
  assert.equal((await h.app.inject({ method: 'GET', url: '/visits' })).statusCode, 302, 'signed in only');
  const webhooks = await h.app.inject({ method: 'GET', url: '/webhooks', headers: { cookie: await signIn('administrator') } });
  assert.match(webhooks.body, /uk\.hearth\.visit\./, 'its kind is offered to webhooks');
});

test("its writes reach its subscriber through the outbox; a failure is dead-lettered, the write stands, and a replay hands it back", async () => {
  await drainInstalled(h.store); // the first test's visits
  seen.length = 0;
  const first = await api(h, 'POST', '/api/v1/visits', l.as['housing-officer'], { homeId: uuidv7(), note: 'First' });
  await drainInstalled(h.store);
  assert.deepEqual(seen.filter((e) => e.organisationId === l.id).map((e) => [e.type, e.subject]), [['uk.hearth.visit.created', first.body.id]]);

  broken = true;
  const second = await api(h, 'POST', '/api/v1/visits', l.as['housing-officer'], { homeId: uuidv7(), note: 'Second' });
  assert.equal(second.status, 201, 'a failing subscriber never fails the write');
  await drainInstalled(h.store);
  const dead = await h.store.system((tx) => deadLetters(tx, l.id));
  const [event] = (await h.store.system((tx) => tx.execute(sql`select id from events where organisation_id = ${l.id} and subject = ${second.body.id as string}`))).rows as { id: string }[];
  assert.deepEqual(dead.filter((d) => d.subscriber === 'visits-test').map((d) => d.eventId), [event!.id]);
  // Mended, the dead letter is handed to it again.
  broken = false;
  assert.deepEqual(await replay(h.store, installedSubscribers(), l.id), { replayed: 1, failed: 0 });
  assert.ok(seen.some((e) => e.subject === second.body.id));
});
