// JSON routes for a kind of record: list (filters + cursor), get, create (Idempotency-Key), update (If-Match).
// The TypeBox schemas given here both validate requests and describe the API in the OpenAPI document.
import { Type, type Static, type TSchema } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from './context.ts';
import { Problem } from '../http/problem.ts';
import type { Permission } from '../auth/roles.ts';
import { checkKey, IdempotencyRace, requestHash, storedResponse, storeResponse } from '../http/idempotency.ts';
import { ProblemSchema } from '../http/schemas.ts';
import type { BodyOf, QueryOf, TypedFastify } from '../http/typed.ts';

export type Run = <T>(req: FastifyRequest, work: (ctx: Ctx) => Promise<T>) => Promise<T>;

/** A record as the routes send it: its id, and its version for the ETag. */
interface ApiRow { id: string; version: number }

/**
 * What the routes call: a module's record service (defineRecords) or one composed over it (tenancies with their
 * members). Its inputs are the static types of the route's schemas, so a service that wants something else is a
 * type error at the module's recordRoutes call, not a cast.
 */
export interface RoutedRecords<TRow extends ApiRow, Q extends TSchema, U extends TSchema> {
  list(ctx: Ctx, q: QueryOf<Q>): Promise<{ items: TRow[]; nextCursor: string | null }>;
  get(ctx: Ctx, id: string): Promise<TRow>;
  update(ctx: Ctx, id: string, expectedVersion: number, patch: BodyOf<U>): Promise<TRow>;
}
/** …and, when the kind is created over the API, its create (with the permission it needs, and the audit of a replay). */
export interface CreatedRecords<TRow extends ApiRow, Q extends TSchema, C extends TSchema, U extends TSchema> extends RoutedRecords<TRow, Q, U> {
  rules: { write: Permission };
  create(ctx: Ctx, input: BodyOf<C>): Promise<TRow>;
  replayed(ctx: Ctx, id: string): Promise<void>;
}

interface RecordRouteCommon<TRow extends ApiRow, R extends TSchema, Q extends TSchema, U extends TSchema> {
  /** Path under /api/v1, e.g. "/homes". */
  path: string;
  tag: string;
  /** Singular name for summaries, e.g. "home". */
  name: string;
  record: R;
  update: U;
  query: Q;
  /**
   * Turn a stored row into its API representation: the record schema's static type, so a Date where the schema says
   * a date-time string (or any other mismatch) is a type error here, at the module's call (see presentRecord).
   */
  present: (row: TRow) => Static<R>;
  /** Replace the plain get with a composed view (e.g. a person with tenancies and alerts). */
  get?: {
    schema: TSchema;
    summary: string;
    load: (req: FastifyRequest, id: string) => Promise<{ etag: string; body: unknown }>;
  };
}

/**
 * A kind of record's routes. `without: ['create']`: the kind is not created over the API (organisations are created
 * by an operator), so there is no create schema and its service need not offer one.
 */
export type RecordRouteOptions<TRow extends ApiRow, R extends TSchema, Q extends TSchema, C extends TSchema, U extends TSchema> =
  RecordRouteCommon<TRow, R, Q, U> & (
    | { without?: undefined; create: C; service: CreatedRecords<TRow, NoInfer<Q>, NoInfer<C>, NoInfer<U>> }
    | { without: readonly ['create']; create?: undefined; service: RoutedRecords<TRow, NoInfer<Q>, NoInfer<U>> });

/** "an estate", "a home": summaries read as English. */
const an = (noun: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
/** "person alert" → "PersonAlert", for operationIds (getPersonAlert; listPersonAlerts from the tag, which is plural). */
const pascal = (words: string) => words.replace(/(?:^|[\s-]+)(\w)/g, (_m, c: string) => c.toUpperCase());

export const etagOf = (row: { version: number }) => `"${row.version}"`;

/**
 * A stored record as the API sends it: its timestamps as the ISO 8601 strings its schema's date-time says (what the
 * serialiser wrote for a Date too, so the response is the same). Other fields pass as they are.
 */
export function presentRecord<T extends { createdAt: Date; updatedAt: Date }>({ createdAt, updatedAt, ...rest }: T) {
  return { ...rest, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}

export function parseIfMatch(header: string | undefined): number {
  if (!header) {
    throw new Problem(428, 'Precondition required', 'Send If-Match with the ETag from your last read of this record, so no one else\'s change is overwritten',
      [{ field: 'header:If-Match', message: 'is required' }]);
  }
  const m = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!m) throw new Problem(400, 'Invalid request', 'If-Match: must be an ETag this API returned, such as "3"', [{ field: 'header:If-Match', message: 'is not an ETag from this API' }]);
  return Number(m[1]);
}

/**
 * Options every JSON route carries: helmet's per-response CSP nonces are for HTML pages; JSON gets the fixed, stricter
 * headers of API_SECURITY_HEADERS instead (sent by the API scope in app.ts), without rebuilding a policy per response.
 */
export const API_ROUTE = { helmet: false } as const;

export const API_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
} as const;

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export function recordRoutes<TRow extends ApiRow, R extends TSchema, Q extends TSchema, C extends TSchema, U extends TSchema>(
  app: TypedFastify, run: Run, o: RecordRouteOptions<TRow, R, Q, C, U>): void {
  const present = o.present;
  const svc = o.service;
  const security = [{ bearer: [] }];
  // The reply schemas, as plain TSchema: TypeScript cannot work TypeBox's Static out through the generic R, so in
  // here a reply is not checked; it is checked where R is known, against `present` at each module's call.
  const record: TSchema = o.record;
  const page: TSchema = Type.Object({ items: Type.Array(o.record), nextCursor: Type.Union([Type.String(), Type.Null()]) });

  app.get(o.path, {
    ...API_ROUTE,
    schema: {
      tags: [o.tag], summary: `List ${o.name} records`, security, querystring: o.query, operationId: `list${pascal(o.tag)}`,
      description: `One page of your organisation's ${o.tag.toLowerCase()}, filtered by the query; send nextCursor back as cursor for the next page (null on the last).`,
      response: { 200: page, ...errors },
    },
  }, async (req) => {
    const page = await run(req, (ctx) => svc.list(ctx, req.query));
    return { items: page.items.map(present), nextCursor: page.nextCursor };
  });

  app.get(`${o.path}/:id`, {
    ...API_ROUTE,
    schema: {
      tags: [o.tag], summary: o.get?.summary ?? `Get ${an(o.name)}`, security, params: IdParams, operationId: `get${pascal(o.name)}`,
      description: `Returns ${an(o.name)} of your organisation by id, with its version as the ETag header: send that as If-Match to update it. 404 if there is no such ${o.name} in your organisation.`,
      response: { 200: o.get?.schema ?? record, ...errors },
    },
  }, async (req, reply) => {
    if (o.get) {
      const view = await o.get.load(req, req.params.id);
      reply.header('etag', view.etag);
      return view.body;
    }
    const row = await run(req, (ctx) => svc.get(ctx, req.params.id));
    reply.header('etag', etagOf(row));
    return present(row);
  });

  if (!o.without) {
    const { create, service } = o;
    app.post(o.path, {
      ...API_ROUTE,
      schema: {
        tags: [o.tag], summary: `Create ${an(o.name)}`, security, body: create, operationId: `create${pascal(o.name)}`,
        description: `Creates ${an(o.name)} in your organisation: 201 with the record, its ETag and Location. Send Idempotency-Key so a retry creates nothing twice; ` +
          'the same key with a different body is a 422. A 400 names each field at fault.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'A unique key (such as a UUID) so a retried request creates nothing twice' })) }),
        response: { 201: record, 409: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    }, async (req, reply) => createIdempotently(req, reply, run, {
      permission: service.rules.write,
      replayed: (ctx, r) => service.replayed(ctx, (r.body as { id: string }).id),
    }, async (ctx) => {
      const row = await service.create(ctx, req.body);
      return { statusCode: 201, headers: { etag: etagOf(row), location: `/api/v1${o.path}/${row.id}` }, body: present(row) };
    }));
  }

  app.patch(`${o.path}/:id`, {
    ...API_ROUTE,
    schema: {
      tags: [o.tag], summary: `Update ${an(o.name)} (send If-Match)`, security, params: IdParams, body: o.update, operationId: `update${pascal(o.name)}`,
      description: `Changes the fields sent and leaves the rest as they are. Send If-Match with the ETag from your last read: without it, 428; ` +
        `if the ${o.name} changed since, 412 (read it again). 200 with the record and its new ETag.`,
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The ETag from your last read; required' })) }),
      response: { 200: record, 412: ProblemSchema, 428: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const expected = parseIfMatch(req.headers['if-match']);
    const row = await run(req, (ctx) => svc.update(ctx, req.params.id, expected, req.body));
    reply.header('etag', etagOf(row));
    return present(row);
  });
}

/** A response as runIdempotently keeps it: `B` is the route's reply body (its response schema's static type). */
export interface StoredResponse<B = unknown> { statusCode: number; headers: Record<string, string>; body: B }

export interface IdempotencyOptions<B = unknown> {
  /** What the request needs: checked before a key is looked up, so a replay is never an answer to someone without it. */
  permission: Permission;
  /** What makes two requests the same (default: method, URL and body). */
  hash?: string;
  /** Called in the transaction when a stored response is sent again: audit it when it carries sensitive data. */
  replayed?: (ctx: Ctx, response: StoredResponse<B>) => Promise<void>;
}

/**
 * Run a create so that a retry with the same Idempotency-Key (the caller's own: keys are per user or token) gets the
 * first response, and two at once create one record. `work` may return more than the response (`T`), which a replay
 * does not have (undefined). The caller sends the response.
 */
export async function runIdempotently<T extends StoredResponse>(req: FastifyRequest, run: Run, o: IdempotencyOptions<T['body']>,
  work: (ctx: Ctx) => Promise<T>): Promise<{ response: StoredResponse<T['body']>; replayed: boolean; fresh?: T }> {
  const key = req.headers['idempotency-key'] as string | undefined;
  if (key !== undefined) checkKey(key);
  const hash = o.hash ?? requestHash(req.method, req.url, req.body);
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(req, async (ctx) => {
        if (key) {
          // A cast at a real limit: the stored response is what this route sent for this caller's key and request
          // (the hash covers method, URL and body), kept as JSON; TypeScript cannot follow its type through the database.
          // B is a response schema's static type (strings, numbers, arrays…), which JSON gives back as it was.
          const stored = await storedResponse(ctx, key, hash, o.permission) as StoredResponse<T['body']> | undefined;
          if (stored) {
            await o.replayed?.(ctx, stored);
            return { response: stored, replayed: true };
          }
        }
        const fresh = await work(ctx);
        const response = { statusCode: fresh.statusCode, headers: fresh.headers, body: fresh.body };
        if (key && !(await storeResponse(ctx, key, hash, response))) throw new IdempotencyRace();
        return { response, replayed: false, fresh };
      });
    } catch (err) {
      // Another request with this key committed while we worked: our transaction rolled back, so read theirs.
      if (err instanceof IdempotencyRace && attempt < 2) continue;
      throw err;
    }
  }
}

/** Send a response from runIdempotently, saying when it is a replay. */
export function sendStored<B>(reply: FastifyReply, r: { response: StoredResponse<B>; replayed: boolean }): B {
  reply.code(r.response.statusCode).headers(r.response.headers);
  if (r.replayed) reply.header('idempotent-replayed', 'true');
  return r.response.body;
}

/** Run a create so that a retry with the same Idempotency-Key returns the first response. */
export async function createIdempotently<B>(req: FastifyRequest, reply: FastifyReply, run: Run, o: IdempotencyOptions<B>, work: (ctx: Ctx) => Promise<StoredResponse<B>>): Promise<B> {
  return sendStored(reply, await runIdempotently(req, run, o, work));
}
