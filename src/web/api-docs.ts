// The API reference at /api/docs: server-rendered GOV.UK pages made from the app's own OpenAPI document (the one at
// /api/openapi.json), so the reference never says anything the API does not. A contents page (the conventions every
// route shares, then each tag's operations, in the document's order of tags) and one page per tag, each operation
// with its parameters, request body fields, responses and response fields. No JavaScript is needed; open to anyone,
// as the document is, and a signed-in member of staff sees their own header.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../platform/auth/actor.ts';
import { knownOrganisationName } from './pages.ts';

type Schema = Record<string, unknown>;
interface Parameter { name: string; in: string; required?: boolean; description?: string; schema?: Schema }
interface Content { schema?: Schema }
interface Operation {
  operationId?: string; summary?: string; description?: string; tags?: string[]; parameters?: Parameter[];
  requestBody?: { required?: boolean; description?: string; content?: Record<string, Content> };
  responses?: Record<string, { description?: string; content?: Record<string, Content> }>;
  'x-permission'?: string | string[]; 'x-permissions'?: string | string[];
}
export interface OpenApiDocument {
  info?: { title?: string; version?: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Text as the page shows it: words, and `code` spans (the document's descriptions mark code with backticks). */
export type Text = { text: string; code?: boolean }[];
export interface FieldRow {
  /** Dotted from the top: `address.postcode`, `items[].id`. */
  name: string;
  type: string;
  required: boolean;
  description: Text;
  /** The values it may take, when the schema lists them. */
  values: string[];
  /** Limits and defaults in words ("up to 200 characters", "default 50"). */
  notes: string[];
}
export interface ParameterRow extends FieldRow { in: string }
export interface OperationView {
  id: string; method: string; path: string; summary: string; description: Text; permissions: string[];
  parameters: ParameterRow[];
  body?: { contentType: string; required: boolean; fields: FieldRow[]; type: string; description: Text };
  responses: { status: string; meaning: Text; contentTypes: string[] }[];
  /** The fields of each successful (2xx) response with a body. */
  results: { status: string; contentType: string; type: string; description: Text; fields: FieldRow[] }[];
}
export interface TagView { name: string; slug: string; description: Text; operations: OperationView[] }
export interface ApiReference { title: string; version: string; description: Text; tags: TagView[]; problemFields: FieldRow[] }

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SUCCESS: Record<string, string> = { 200: 'Success', 201: 'Created', 202: 'Accepted: the work goes on after the response', 204: 'Success, with no body' };
const FORMATS: Record<string, string> = {
  uuid: 'UUID', date: 'date, YYYY-MM-DD', 'date-time': 'date and time, ISO 8601', email: 'email address', uri: 'URL',
  binary: 'file', 'uk-postcode': 'UK postcode', 'past-date': 'date, YYYY-MM-DD, not in the future',
};
/** How deep nested objects are opened: deeper ones are named by type only. */
const MAX_DEPTH = 4;

export const tagSlug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'other';

/** Backticked spans as code; the rest as plain text (escaped by the template). */
export function text(s: string | undefined): Text {
  if (!s) return [];
  return s.split(/(`[^`]+`)/).filter(Boolean).map((part) => (/^`[^`]+`$/.test(part) ? { text: part.slice(1, -1), code: true } : { text: part }));
}

class Schemas {
  private readonly doc: OpenApiDocument;
  constructor(doc: OpenApiDocument) { this.doc = doc; }

  /** The schema a $ref names (#/components/schemas/Home, or Home# as @fastify/swagger may leave it). */
  resolve(s: Schema | undefined): { schema: Schema; name?: string } {
    let schema = s ?? {};
    let name: string | undefined;
    for (let i = 0; i < 10 && typeof schema.$ref === 'string'; i++) {
      const ref = schema.$ref;
      name = ref.startsWith('#/components/schemas/') ? decodeURIComponent(ref.slice('#/components/schemas/'.length)) : ref.replace(/#.*$/, '');
      schema = this.doc.components?.schemas?.[name] ?? {};
    }
    return { schema, name };
  }

  /** One field's type in words, the values it may take, its limits, and the object (if any) whose fields go under it. */
  describe(s: Schema | undefined): { type: string; values: string[]; notes: string[]; description?: string; object?: Schema; list?: boolean; nullable: boolean } {
    const { schema, name } = this.resolve(s);
    const description = (s?.description ?? schema.description) as string | undefined;
    const notes = limits(schema);
    if (Array.isArray(schema.allOf)) {
      return { type: name ?? 'object', values: [], notes, description, object: this.merge(schema.allOf as Schema[]), nullable: false };
    }
    const choices = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    if (Array.isArray(choices)) {
      const nullable = choices.some((c) => this.resolve(c).schema.type === 'null');
      const rest = choices.filter((c) => this.resolve(c).schema.type !== 'null');
      const parts = rest.map((c) => this.describe(c));
      const withNull = (t: string) => (nullable ? `${t} or null` : t);
      // A union of single values (TypeBox's literals): one type, its values listed.
      if (parts.length && parts.every((p) => p.values.length && !p.object)) {
        const types = [...new Set(parts.map((p) => p.type))];
        return { type: withNull(types.join(' or ')), values: parts.flatMap((p) => p.values), notes: [...notes, ...new Set(parts.flatMap((p) => p.notes))], description: description ?? parts[0]?.description, nullable };
      }
      if (parts.length === 1) {
        const only = parts[0]!;
        return { ...only, type: withNull(only.type), notes: [...notes, ...only.notes], description: description ?? only.description, nullable };
      }
      return { type: withNull(parts.map((p) => p.type).join(' or ') || 'any'), values: [...new Set(parts.flatMap((p) => p.values))], notes, description, nullable };
    }
    const values = Array.isArray(schema.enum) ? (schema.enum as unknown[]).map(String) : schema.const !== undefined ? [String(schema.const)] : [];
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
    const nullable = types.includes('null');
    const type = types.find((t) => t !== 'null');
    if (type === 'array' || schema.items) {
      const item = this.describe(schema.items as Schema | undefined);
      const label = item.object ? (this.resolve(schema.items as Schema).name ?? 'objects') : item.type.replace(/^(string|integer|number|boolean)\b/, '$1s');
      return { type: `list of ${label}${nullable ? ' or null' : ''}`, values: item.values, notes: [...notes, ...item.notes.map((n) => `each ${n}`)], description, object: item.object, list: true, nullable };
    }
    if (type === 'object' || schema.properties) {
      const open = schema.additionalProperties && typeof schema.additionalProperties === 'object' && !schema.properties;
      return { type: `${open ? 'object with any keys' : name ?? 'object'}${nullable ? ' or null' : ''}`, values, notes, description, object: schema.properties ? schema : undefined, nullable };
    }
    const format = typeof schema.format === 'string' ? FORMATS[schema.format] ?? schema.format : undefined;
    const base = format === 'file' ? 'file' : `${type ?? (values.length ? 'string' : 'any')}${format ? ` (${format})` : ''}`;
    return { type: `${base}${nullable ? ' or null' : ''}`, values, notes, description, nullable };
  }

  merge(parts: Schema[]): Schema {
    const properties: Schema = {};
    const required: string[] = [];
    for (const p of parts) {
      const { schema } = this.resolve(p);
      const inner = Array.isArray(schema.allOf) ? this.merge(schema.allOf as Schema[]) : schema;
      Object.assign(properties, inner.properties ?? {});
      required.push(...((inner.required as string[] | undefined) ?? []));
    }
    return { type: 'object', properties, required };
  }

  /** The fields of an object, its nested objects' fields under theirs (`address.postcode`, `items[].id`). */
  fields(object: Schema | undefined, prefix = '', depth = 0, open: Set<Schema> = new Set()): FieldRow[] {
    if (!object?.properties || open.has(object) || depth >= MAX_DEPTH) return [];
    const required = new Set((object.required as string[] | undefined) ?? []);
    const rows: FieldRow[] = [];
    for (const [key, child] of Object.entries(object.properties as Record<string, Schema>)) {
      // `not: {}` is a field the request may not send (one that cannot be changed): it is not a field to document.
      if (child.not && Object.keys(child.not as object).length === 0) continue;
      const d = this.describe(child);
      const name = `${prefix}${key}`;
      rows.push({ name, type: d.type, required: required.has(key), description: text(d.description), values: d.values, notes: d.notes });
      if (d.object) rows.push(...this.fields(d.object, `${name}${d.list ? '[]' : ''}.`, depth + 1, new Set([...open, object])));
    }
    return rows;
  }
}

function limits(s: Schema): string[] {
  const notes: string[] = [];
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  const [minL, maxL, min, max, minI, maxI] = [n('minLength'), n('maxLength'), n('minimum'), n('maximum'), n('minItems'), n('maxItems')];
  if (minL !== undefined && maxL !== undefined) notes.push(minL === maxL ? `exactly ${maxL} characters` : `${minL} to ${maxL} characters`);
  else if (maxL !== undefined) notes.push(`up to ${maxL} characters`);
  else if (minL !== undefined && minL > 1) notes.push(`at least ${minL} characters`);
  else if (minL === 1) notes.push('not empty');
  if (min !== undefined && max !== undefined) notes.push(`${min} to ${max}`);
  else if (min !== undefined) notes.push(`at least ${min}`);
  else if (max !== undefined) notes.push(`at most ${max}`);
  if (minI !== undefined && maxI !== undefined) notes.push(`${minI} to ${maxI} items`);
  else if (maxI !== undefined) notes.push(`up to ${maxI} items`);
  else if (minI !== undefined) notes.push(`at least ${minI} item${minI === 1 ? '' : 's'}`);
  if (s.default !== undefined) notes.push(`default ${JSON.stringify(s.default)}`);
  return notes;
}

function operationView(schemas: Schemas, method: string, path: string, op: Operation): OperationView {
  const parameters = (op.parameters ?? []).map((p): ParameterRow => {
    const d = schemas.describe(p.schema);
    return { name: p.name, in: p.in, required: Boolean(p.required), type: d.type, description: text(p.description ?? d.description), values: d.values, notes: d.notes };
  });
  let body: OperationView['body'];
  const [bodyType, bodyContent] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
  if (bodyType) {
    const d = schemas.describe(bodyContent?.schema);
    body = { contentType: bodyType, required: Boolean(op.requestBody?.required), type: d.type, description: text(op.requestBody?.description ?? d.description), fields: schemas.fields(d.object, d.list ? '[].' : '') };
  }
  const responses = Object.entries(op.responses ?? {}).map(([status, r]) => ({
    status,
    meaning: text(!r.description || r.description === 'Default Response' ? SUCCESS[status] ?? 'Success' : r.description),
    contentTypes: Object.keys(r.content ?? {}),
  }));
  const results = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status)).flatMap(([status, r]) =>
    Object.entries(r.content ?? {}).map(([contentType, c]) => {
      const d = schemas.describe(c.schema);
      return { status, contentType, type: d.type, description: text(d.description), fields: schemas.fields(d.object, d.list ? '[].' : '') };
    }));
  const permission = op['x-permissions'] ?? op['x-permission'];
  return {
    id: op.operationId ?? `${method}-${path}`.replace(/[^A-Za-z0-9-]+/g, '-'),
    method: method.toUpperCase(), path, summary: op.summary ?? `${method.toUpperCase()} ${path}`, description: text(op.description),
    permissions: permission === undefined ? [] : Array.isArray(permission) ? permission : [permission],
    parameters, body, responses, results,
  };
}

/** The reference the pages show, from an OpenAPI document: its tags in the document's order, each with its operations. */
export function apiReference(doc: OpenApiDocument): ApiReference {
  const schemas = new Schemas(doc);
  const tags = new Map<string, TagView>();
  for (const t of doc.tags ?? []) tags.set(t.name, { name: t.name, slug: tagSlug(t.name), description: text(t.description), operations: [] });
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      if (!METHODS.includes(method)) continue;
      const view = operationView(schemas, method, path, op);
      // An operation is listed under its first tag (one place to read it); untagged ones under "Other".
      const tag = op.tags?.[0] ?? 'Other';
      if (!tags.has(tag)) tags.set(tag, { name: tag, slug: tagSlug(tag), description: [], operations: [] });
      tags.get(tag)!.operations.push(view);
    }
  }
  const problem = schemas.resolve({ $ref: '#/components/schemas/Problem' }).schema;
  return {
    title: doc.info?.title ?? 'API', version: doc.info?.version ?? '', description: text(doc.info?.description),
    tags: [...tags.values()].filter((t) => t.operations.length), problemFields: schemas.fields(problem),
  };
}

export interface ApiDocsOptions {
  /** The OpenAPI document (app.swagger()), read once when first asked for. */
  document: () => unknown;
  /** Who is signed in (the session cookie), to show their own header; the pages are open to anyone. */
  actorOf?: (req: FastifyRequest) => Promise<Actor | undefined>;
}

/** GET /api/docs (introduction and contents) and /api/docs/:tag (one tag's operations), outside the API and its tokens. */
export function apiDocs(app: FastifyInstance, options: ApiDocsOptions) {
  let reference: ApiReference | undefined;
  const load = () => (reference ??= apiReference(options.document() as OpenApiDocument));
  const who = async (req: FastifyRequest) => {
    req.actor = await options.actorOf?.(req);
    return { organisationName: knownOrganisationName(req.actor?.organisationId) };
  };
  const contents = async (req: FastifyRequest, reply: FastifyReply) =>
    reply.view('web/api-docs.njk', { ...(await who(req)), title: 'API documentation', api: load() });
  app.get('/api/docs', { schema: { hide: true } }, contents);
  app.get('/api/docs/', { schema: { hide: true } }, contents);
  app.get<{ Params: { tag: string } }>('/api/docs/:tag', { schema: { hide: true } }, async (req, reply) => {
    const api = load();
    const at = api.tags.findIndex((t) => t.slug === req.params.tag);
    const data = await who(req);
    if (at < 0) return reply.code(404).view('web/error.njk', { ...data, title: 'Page not found', status: 404 });
    const tag = api.tags[at]!;
    return reply.view('web/api-docs-tag.njk', {
      ...data, title: `${tag.name} – API documentation`, api, tag, previous: api.tags[at - 1], next: api.tags[at + 1],
    });
  });
}
