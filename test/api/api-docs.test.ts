// The API reference at /api/docs (issue 13 defect 9), made on the server from the app's own OpenAPI document: every
// operation in the document appears (in the contents, and in full on its tag's page), with every value an enum in its
// parameters, request body or successful responses allows; nested fields are named by their path; the introduction
// explains tokens, errors, If-Match, cursors and idempotency keys; and it is open without signing in, as the
// document is. (test/browser/api-docs.test.ts checks it in a browser: axe, 375 px, fonts, no JavaScript.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from '../support/harness.ts';
import { tagSlug } from '../../src/web/api-docs.ts';

type Schema = Record<string, unknown>;
interface Operation {
  operationId: string; summary: string; tags: string[];
  parameters?: { name: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Doc { tags: { name: string; description: string }[]; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

let h: Harness;
let doc: Doc;
let contents: string;
const pages = new Map<string, string>();
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

before(async () => {
  h = await harness();
  doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as Doc;
  const res = await h.app.inject({ method: 'GET', url: '/api/docs' });
  assert.equal(res.statusCode, 200);
  contents = res.body;
  for (const t of doc.tags) {
    const page = await h.app.inject({ method: 'GET', url: `/api/docs/${tagSlug(t.name)}` });
    assert.equal(page.statusCode, 200, t.name);
    pages.set(t.name, page.body);
  }
});
after(async () => { await h.close(); });

test('every operation in the OpenAPI document is in the contents and in full on its tag page', () => {
  const ops = operations();
  assert.ok(ops.length >= 50, `${ops.length} operations`);
  const missing: string[] = [];
  for (const { path, method, op } of ops) {
    const at = `${method.toUpperCase()} ${path}`;
    const slug = tagSlug(op.tags[0]!);
    if (!contents.includes(`href="/api/docs/${slug}#${op.operationId}"`)) missing.push(`${at}: not in the contents`);
    const page = pages.get(op.tags[0]!) ?? '';
    const section = page.split(`id="${op.operationId}"`)[1]?.split(/<h2 class="govuk-heading-l/)[0];
    if (!section) { missing.push(`${at}: no section on /api/docs/${slug}`); continue; }
    if (!section.includes(`>${escape(op.summary)}</h2>`)) missing.push(`${at}: summary`);
    if (!section.includes(`>${method.toUpperCase()}</strong> <code>${escape(path)}</code>`)) missing.push(`${at}: method and path`);
    for (const p of op.parameters ?? []) if (!section.includes(`<code>${escape(p.name)}</code>`)) missing.push(`${at}: parameter ${p.name}`);
    for (const status of Object.keys(op.responses)) if (!section.includes(`<th scope="row" class="govuk-table__header">${status}</th>`)) missing.push(`${at}: response ${status}`);
  }
  assert.deepEqual(missing, []);
});

/** Every enum value reachable from a schema (through $ref, anyOf, allOf, arrays and properties), with where it is. */
function enumValues(schema: Schema | undefined, seen = new Set<Schema>()): string[] {
  if (!schema || seen.has(schema)) return [];
  seen.add(schema);
  const ref = typeof schema.$ref === 'string' ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : undefined;
  return [
    ...(Array.isArray(schema.enum) ? schema.enum.map(String) : []),
    ...enumValues(ref, seen),
    ...[schema.anyOf, schema.oneOf, schema.allOf].flatMap((list) => (Array.isArray(list) ? (list as Schema[]).flatMap((s) => enumValues(s, seen)) : [])),
    ...enumValues(schema.items as Schema | undefined, seen),
    ...Object.values((schema.properties ?? {}) as Record<string, Schema>).flatMap((s) => (s.not ? [] : enumValues(s, seen))),
  ];
}

test("every value an enum allows, in an operation's parameters, request body or successful responses, is listed", () => {
  const missing: string[] = [];
  let checked = 0;
  for (const { path, method, op } of operations()) {
    const section = pages.get(op.tags[0]!)!.split(`id="${op.operationId}"`)[1]!.split(/<h2 class="govuk-heading-l/)[0]!;
    const schemas = [
      ...(op.parameters ?? []).map((p) => p.schema),
      ...Object.values(op.requestBody?.content ?? {}).map((c) => c.schema),
      ...Object.entries(op.responses).filter(([s]) => /^2/.test(s)).flatMap(([, r]) => Object.values(r.content ?? {}).map((c) => c.schema)),
    ];
    for (const value of new Set(schemas.flatMap((s) => enumValues(s)))) {
      checked++;
      if (!section.includes(`<code>${escape(value)}</code>`)) missing.push(`${method.toUpperCase()} ${path}: ${value}`);
    }
  }
  assert.ok(checked > 200, `${checked} enum values checked`);
  assert.deepEqual(missing.slice(0, 20), []);
  // One by name: a home's property types, from the Home schema.
  const homes = pages.get('Homes')!;
  for (const v of ['house', 'flat', 'maisonette', 'bungalow', 'bedsit']) assert.ok(homes.includes(`<code>${v}</code>`), v);
});

test('nested fields are named by their path, with their type, and required fields say so', () => {
  const homes = pages.get('Homes')!;
  const createHome = homes.split('id="createHome"')[1]!.split(/<h2 class="govuk-heading-l/)[0]!;
  // sourceReferences is a list of objects: its items' fields follow it, each named from the top.
  assert.match(createHome, /<code>sourceReferences<\/code><\/th>\s*<td class="govuk-table__cell">No<\/td>\s*<td class="govuk-table__cell">list of objects<\/td>/);
  assert.match(createHome, /<code>sourceReferences\[\]\.system<\/code><\/th>\s*<td class="govuk-table__cell">Yes<\/td>\s*<td class="govuk-table__cell">string<\/td>/);
  // A list's response fields are those of its items.
  const listHomes = homes.split('id="listHomes"')[1]!.split(/<h2 class="govuk-heading-l/)[0]!;
  assert.match(listHomes, /<code>items\[\]\.postcode<\/code>/);
  assert.match(listHomes, /<code>nextCursor<\/code><\/th>\s*<td class="govuk-table__cell">Yes<\/td>\s*<td class="govuk-table__cell">string or null<\/td>/);
  // A field that may not be sent in an update (`not: {}`) is not offered as a field.
  const alerts = pages.get('Person alerts')!;
  const update = alerts.split('id="updatePersonAlert"')[1]?.split(/<h2 class="govuk-heading-l/)[0] ?? '';
  const body = update.split('aria-label="Request body: ')[1]?.split('<h3')[0] ?? '';
  assert.ok(body.includes('<code>hactCode</code></th>'), 'the update has its request body fields');
  assert.ok(!body.includes('<code>personId</code></th>'), 'personId cannot be changed');
  assert.ok(update.split('aria-label="Response fields (200)')[1]?.includes('<code>personId</code></th>'), 'but an alert read back has it');
});

test('the introduction explains tokens, errors, If-Match, cursors and idempotency keys, and links the document', () => {
  for (const words of ['Authorization: Bearer hearth_…', 'href="/users#api-tokens"', 'application/problem+json', '<code>If-Match</code>', '428', '412',
    '<code>nextCursor</code>', '<code>cursor</code>', '<code>Idempotency-Key</code>', 'Idempotent-Replayed: true', 'href="/api/openapi.json"']) {
    assert.ok(contents.includes(words), words);
  }
  // The error fields come from the document's Problem schema.
  for (const field of Object.keys(doc.components.schemas.Problem!.properties as object)) assert.ok(contents.includes(`<code>${field}</code>`), field);
  // Tags in the document's order, each with its description.
  const at = doc.tags.map((t) => contents.indexOf(`href="/api/docs/${tagSlug(t.name)}">${escape(t.name)}</a>`));
  assert.ok(at.every((i) => i > 0), 'every tag is in the contents');
  assert.deepEqual(at, [...at].sort((a, b) => a - b), 'in the order of the document');
  for (const t of doc.tags) assert.ok(contents.includes(escape(t.description).split('`')[0]!), t.name);
});

test('open without signing in, as HTML with the pages\' security headers; an unknown part is a 404 page; the Swagger UI is gone', async () => {
  for (const url of ['/api/docs', '/api/docs/', '/api/docs/homes']) {
    const res = await h.app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, url);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/, url);
    assert.doesNotMatch(csp, /https:|unsafe-inline|unsafe-eval/, url);
    assert.ok(!res.body.includes('href="/sign-in'), `${url} does not ask to sign in`);
  }
  const unknown = await h.app.inject({ method: 'GET', url: '/api/docs/no-such-part' });
  assert.equal(unknown.statusCode, 404);
  assert.match(String(unknown.headers['content-type']), /^text\/html/);
  assert.equal((await h.app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui.css' })).statusCode, 404);
  // The reference's own pages are not API operations.
  assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith('/api/docs')));
});
