// The OpenAPI document and its browsable docs: every operation can be called by name and says what it does, which
// tag it belongs to and what problems it answers with; the docs page loads nothing from other origins.
// (`npm test` also lints the whole document with Redocly: redocly.yaml.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from '../support/harness.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); });

interface Operation { operationId?: string; description?: string; tags?: string[]; security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> }
interface Doc {
  info: { license?: { name: string }; contact?: object };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
}

const operations = (doc: Doc) => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, op })));

test('every operation has a unique operationId, a description and a tag described at the top', async () => {
  const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as Doc;
  const ops = operations(doc);
  assert.ok(ops.length >= 50, `${ops.length} operations`);
  assert.deepEqual(ops.filter((o) => !o.op.operationId).map((o) => o.at), [], 'operations without an operationId');
  const ids = ops.map((o) => o.op.operationId);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'operationIds used twice');
  assert.deepEqual(ops.filter((o) => !o.op.description).map((o) => o.at), [], 'operations without a description');
  const described = new Map((doc.tags ?? []).map((t) => [t.name, t.description]));
  assert.deepEqual(ops.flatMap((o) => (o.op.tags ?? []).filter((t) => !described.get(t)).map((t) => `${o.at}: ${t}`)), [], 'tags not listed with a description');
  // The names recordRoutes gives, as client generators will use them.
  const byPath = (method: string, path: string) => doc.paths[path]?.[method]?.operationId;
  assert.deepEqual(
    [byPath('get', '/api/v1/homes'), byPath('get', '/api/v1/homes/{id}'), byPath('post', '/api/v1/homes'), byPath('patch', '/api/v1/homes/{id}'), byPath('get', '/api/v1/alerts'), byPath('post', '/api/v1/tenancies')],
    ['listHomes', 'getHome', 'createHome', 'updateHome', 'listPersonAlerts', 'createTenancy']);
});

test('the document names its licence (MIT, as package.json) and a contact', async () => {
  const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as Doc;
  assert.equal(doc.info.license?.name, 'MIT');
  assert.ok(doc.info.contact, 'info.contact');
});

test('every operation needs a token and documents its 401 and 403 as application/problem+json', async () => {
  const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as Doc;
  const ops = operations(doc);
  assert.deepEqual(ops.filter((o) => !o.op.security?.length).map((o) => o.at), [], 'operations without security');
  const missing = ops.flatMap((o) => ['401', '403'].filter((s) => !o.op.responses[s]?.content?.['application/problem+json']).map((s) => `${o.at} ${s}`));
  assert.deepEqual(missing, [], 'problem responses not documented');
  // Every documented 4xx is a problem, as the API sends it.
  const notProblems = ops.flatMap((o) => Object.entries(o.op.responses)
    .filter(([s, r]) => /^4/.test(s) && Object.keys(r.content ?? {}).join() !== 'application/problem+json').map(([s]) => `${o.at} ${s}`));
  assert.deepEqual(notProblems, [], '4xx responses not typed application/problem+json');
});

test("the API docs' Content-Security-Policy takes scripts, styles, fonts and images from this origin only", async () => {
  for (const url of ['/api/docs', '/api/docs/person-alerts']) {
    const res = await h.app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, url);
    const csp = String(res.headers['content-security-policy']);
    const directives = new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => { const [name, ...values] = d.split(/\s+/); return [name!, values]; }));
    // Like every page: this origin, and the page's own nonce for its inline script and style.
    const selfAndNonce = (name: string) => {
      const values = directives.get(name) ?? [];
      assert.equal(values[0], "'self'", `${url} ${name}: ${csp}`);
      assert.ok(values.slice(1).every((v) => /^'nonce-[A-Za-z0-9+/=_-]+'$/.test(v)), `${url} ${name}: ${csp}`);
    };
    selfAndNonce('style-src');
    selfAndNonce('script-src');
    assert.deepEqual(directives.get('font-src'), ["'self'"], `${url} font-src: ${csp}`);
    assert.deepEqual(directives.get('img-src'), ["'self'", 'data:'], `${url} img-src: ${csp}`);
    assert.deepEqual(directives.get('default-src'), ["'self'"], `${url} default-src: ${csp}`);
    assert.deepEqual(directives.get('object-src'), ["'none'"], `${url} object-src: ${csp}`);
    assert.ok(!/https:|unsafe-inline|unsafe-eval/.test(csp), `${url}: ${csp}`);
  }
});
