// JSON routes for a kind of record: list (filters + cursor), get, create (Idempotency-Key), update (If-Match).
// The TypeBox schemas given here both validate requests and describe the API in the OpenAPI document.
import { Type, type TSchema } from 'typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from './context.ts';
import type { ListQuery, RecordService } from './service.ts';
import { Problem } from '../http/problem.ts';
import type { Permission } from '../auth/roles.ts';
import { checkKey, IdempotencyRace, requestHash, storedResponse, storeResponse } from '../http/idempotency.ts';
import { ProblemSchema } from '../http/schemas.ts';

export type Run = <T>(req: FastifyRequest, work: (ctx: Ctx) => Promise<T>) => Promise<T>;

export interface RecordRouteOptions {
  /** Path under /api/v1, e.g. "/homes". */
  path: string;
  tag: string;
  /** Singular name for summaries, e.g. "home". */
  name: string;
  service: RecordService<never>;
  record: TSchema;
  create: TSchema;
  update: TSchema;
  query: TSchema;
  /** Turn a stored row into its API representation. */
  present?: (row: Record<string, unknown>) => unknown;
  /** Replace the plain get with a composed view (e.g. a person with tenancies and alerts). */
  get?: {
    schema: TSchema;
    summary: string;
    load: (req: FastifyRequest, id: string) => Promise<{ etag: string; body: unknown }>;
  };
  /** Operations this kind does not offer (e.g. organisations are created by an operator, not over the API). */
  without?: ('create')[];
}

/** "an estate", "a home": summaries read as English. */
const an = (noun: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
/** "person alert" → "PersonAlert", for operationIds (getPersonAlert; listPersonAlerts from the tag, which is plural). */
const pascal = (words: string) => words.replace(/(?:^|[\s-]+)(\w)/g, (_m, c: string) => c.toUpperCase());

export const etagOf = (row: { version: number }) => `"${row.version}"`;

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

export function recordRoutes(app: FastifyInstance, run: Run, o: RecordRouteOptions): void {
  const present = o.present ?? ((r: Record<string, unknown>) => r);
  const svc = o.service as unknown as RecordService<Record<string, unknown> & { id: string; organisationId: string; version: number }>;
  const security = [{ bearer: [] }];

  app.get(o.path, {
    ...API_ROUTE,
    schema: {
      tags: [o.tag], summary: `List ${o.name} records`, security, querystring: o.query, operationId: `list${pascal(o.tag)}`,
      description: `One page of your organisation's ${o.tag.toLowerCase()}, filtered by the query; send nextCursor back as cursor for the next page (null on the last).`,
      response: { 200: Type.Object({ items: Type.Array(o.record), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors },
    },
  }, async (req) => {
    const page = await run(req, (ctx) => svc.list(ctx, req.query as ListQuery));
    return { items: page.items.map(present), nextCursor: page.nextCursor };
  });

  app.get(`${o.path}/:id`, {
    ...API_ROUTE,
    schema: {
      tags: [o.tag], summary: o.get?.summary ?? `Get ${an(o.name)}`, security, params: IdParams, operationId: `get${pascal(o.name)}`,
      description: `Returns ${an(o.name)} of your organisation by id, with its version as the ETag header: send that as If-Match to update it. 404 if there is no such ${o.name} in your organisation.`,
      response: { 200: o.get?.schema ?? o.record, ...errors },
    },
  }, async (req, reply) => {
    if (o.get) {
      const view = await o.get.load(req, (req.params as { id: string }).id);
      reply.header('etag', view.etag);
      return view.body;
    }
    const row = await run(req, (ctx) => svc.get(ctx, (req.params as { id: string }).id));
    reply.header('etag', etagOf(row));
    return present(row);
  });

  if (!o.without?.includes('create')) {
    app.post(o.path, {
      ...API_ROUTE,
      schema: {
        tags: [o.tag], summary: `Create ${an(o.name)}`, security, body: o.create, operationId: `create${pascal(o.name)}`,
        description: `Creates ${an(o.name)} in your organisation: 201 with the record, its ETag and Location. Send Idempotency-Key so a retry creates nothing twice; ` +
          'the same key with a different body is a 422. A 400 names each field at fault.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'A unique key (such as a UUID) so a retried request creates nothing twice' })) }),
        response: { 201: o.record, 409: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    }, async (req, reply) => createIdempotently(req, reply, run, {
      permission: svc.rules.write,
      replayed: (ctx, r) => svc.replayed(ctx, (r.body as { id: string }).id),
    }, async (ctx) => {
      const row = await svc.create(ctx, req.body as Record<string, unknown>);
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
      response: { 200: o.record, 412: ProblemSchema, 428: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const expected = parseIfMatch(req.headers['if-match']);
    const row = await run(req, (ctx) => svc.update(ctx, (req.params as { id: string }).id, expected, req.body as Record<string, unknown>));
    reply.header('etag', etagOf(row));
    return present(row);
  });
}

export interface StoredResponse { statusCode: number; headers: Record<string, string>; body: unknown }

export interface IdempotencyOptions {
  /** What the request needs: checked before a key is looked up, so a replay is never an answer to someone without it. */
  permission: Permission;
  /** What makes two requests the same (default: method, URL and body). */
  hash?: string;
  /** Called in the transaction when a stored response is sent again: audit it when it carries sensitive data. */
  replayed?: (ctx: Ctx, response: StoredResponse) => Promise<void>;
}

/**
 * Run a create so that a retry with the same Idempotency-Key (the caller's own: keys are per user or token) gets the
 * first response, and two at once create one record. `work` may return more than the response (`T`), which a replay
 * does not have (undefined). The caller sends the response.
 */
export async function runIdempotently<T extends StoredResponse>(req: FastifyRequest, run: Run, o: IdempotencyOptions,
  work: (ctx: Ctx) => Promise<T>): Promise<{ response: StoredResponse; replayed: boolean; fresh?: T }> {
  const key = req.headers['idempotency-key'] as string | undefined;
  if (key !== undefined) checkKey(key);
  const hash = o.hash ?? requestHash(req.method, req.url, req.body);
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(req, async (ctx) => {
        if (key) {
          const stored = await storedResponse(ctx, key, hash, o.permission);
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
export function sendStored(reply: FastifyReply, r: { response: StoredResponse; replayed: boolean }) {
  reply.code(r.response.statusCode).headers(r.response.headers);
  if (r.replayed) reply.header('idempotent-replayed', 'true');
  return r.response.body;
}

/** Run a create so that a retry with the same Idempotency-Key returns the first response. */
export async function createIdempotently(req: FastifyRequest, reply: FastifyReply, run: Run, o: IdempotencyOptions, work: (ctx: Ctx) => Promise<StoredResponse>) {
  return sendStored(reply, await runIdempotently(req, run, o, work));
}
