// Webhooks over the API, for administrators (webhooks:manage): add an endpoint (201 with its secret, shown once),
// list, get, change (PATCH with If-Match), disable, enable, rotate the secret, delete; and an endpoint's delivery log.
// Everything is of the caller's organisation: another organisation's ids are 404s, like ids that do not exist.
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { API_ROUTE, etagOf, parseIfMatch, type Run } from '../../platform/records/api.ts';
import { literalUnion, ProblemSchema, strict } from '../../platform/http/schemas.ts';
import { forbidden, invalid, Problem } from '../../platform/http/problem.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.ts';
import { can } from '../../platform/auth/roles.ts';
import './declarations.ts';
import { EVENT_TYPE_PATTERN, MAX_EVENT_TYPES, MAX_ATTEMPTS } from './codes.ts';
import { checkDestination, DestinationRefused, type SafeUrl } from './destination.ts';
import {
  createEndpoint, deleteEndpoint, DELIVERY_STATUSES, disableEndpoint, enableEndpoint, getEndpoint, listDeliveries, listEndpoints, MAX_ENDPOINTS,
  rotateSecret, updateEndpoint, type DeliveryView, type EndpointView,
} from './service.ts';

const tags = ['Webhooks'];
const security = [{ bearer: [] }];
const errors = { 401: ProblemSchema, 403: ProblemSchema };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const when = (description: string) => Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description });

const UrlField = Type.String({ minLength: 1, maxLength: 2000, description: 'Where to POST events: an https URL whose host resolves only to public addresses' });
const EventTypesField = Type.Array(Type.String({ maxLength: 200, pattern: EVENT_TYPE_PATTERN }), {
  minItems: 1, maxItems: MAX_EVENT_TYPES,
  description: 'Event types to send: exact types (uk.hearth.repair.created) or prefixes ending in a dot (uk.hearth.home., or uk.hearth. for every event)',
});
const DescriptionField = Type.Union([Type.String({ maxLength: 200 }), Type.Null()], { description: 'What the endpoint is for' });

const EndpointSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  eventTypes: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')], { description: 'disabled: by an administrator, by a 410 Gone answer, or after failing for about a day (see disabledReason)' }),
  disabledReason: Type.Union([Type.String(), Type.Null()]),
  failuresInARow: Type.Integer({ description: 'Deliveries in a row that failed for good; a success resets it' }),
  version: Type.Integer({ description: 'Increases on every change; the ETag is this number in quotes' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  secrets: Type.Array(Type.Object({
    id: Type.String(), createdAt: Type.String({ format: 'date-time' }),
    expiresAt: when('When this secret stops signing (an older secret after a rotation); null for the current one'),
  }), { description: 'The secrets that sign deliveries now (never the secrets themselves, which are shown once)' }),
}, { $id: 'WebhookEndpoint', description: 'Where events of the chosen types are delivered, signed (Standard Webhooks)' });

const WithSecret = Type.Intersect([EndpointSchema, Type.Object({
  secret: Type.String({ description: 'The new signing secret (whsec_…). Shown this once: keep it where the receiver can read it.' }),
})]);

const DeliverySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  eventId: Type.String({ format: 'uuid', description: 'The CloudEvents id; also the webhook-id header' }),
  eventType: Type.String(),
  status: literalUnion(DELIVERY_STATUSES, { description: `pending (to be tried at nextAttemptAt), delivered, or failed (given up after ${MAX_ATTEMPTS} attempts, or answered 410)` }),
  attempts: Type.Integer(),
  nextAttemptAt: when('When it is tried next; null unless pending'),
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()], { description: 'The HTTP status of the last attempt; null if there was no answer' }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: 'Why the last attempt failed, briefly (the response body is never kept)' }),
  lastAttemptAt: when('When it was last tried'),
  deliveredAt: when('When a 2xx answer came'),
  createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'WebhookDelivery', description: 'One event sent (or to be sent) to one endpoint' });

const iso = (d: Date | null) => d?.toISOString() ?? null;
const presentEndpoint = (e: EndpointView) => ({ ...e, createdAt: e.createdAt.toISOString(), updatedAt: e.updatedAt.toISOString() });
const presentDelivery = (d: DeliveryView) => ({
  ...d, nextAttemptAt: iso(d.nextAttemptAt), lastAttemptAt: iso(d.lastAttemptAt), deliveredAt: iso(d.deliveredAt), createdAt: d.createdAt.toISOString(),
});

/** Permission first (so no one else learns anything from the URL check), then the URL's destination. */
export async function checkedUrl(req: FastifyRequest, url: string, field = '/url'): Promise<SafeUrl> {
  if (!req.actor || !can(req.actor.role, 'webhooks:manage')) throw forbidden('Only administrators manage webhooks');
  try {
    return await checkDestination(url);
  } catch (err) {
    if (err instanceof DestinationRefused) throw invalid(field, err.message);
    throw err;
  }
}

/** These answers hold a secret, which is not kept in a replayable form, so a retry cannot come from an Idempotency-Key. */
function refuseIdempotencyKey(req: FastifyRequest) {
  if (req.headers['idempotency-key'] === undefined) return;
  throw new Problem(400, 'Invalid request', 'Idempotency-Key: is not accepted here, because the answer holds a secret; send the request without it',
    [{ field: 'header:Idempotency-Key', message: 'is not accepted by this operation' }]);
}

export function webhooksApi(app: TypedFastify, run: Run) {
  app.get('/webhooks', {
    ...API_ROUTE,
    schema: {
      tags, security, operationId: 'listWebhookEndpoints', summary: 'List your organisation’s webhook endpoints (administrators)',
      description: 'Newest first, with their event types, status (and why one is disabled) and the secrets that sign, never the secrets themselves.',
      response: { 200: Type.Object({ items: Type.Array(EndpointSchema) }), ...errors },
    },
  }, async (req) => ({ items: (await run(req, listEndpoints)).map(presentEndpoint) }));

  app.post('/webhooks', {
    ...API_ROUTE,
    schema: {
      tags, security, operationId: 'createWebhookEndpoint', summary: 'Add a webhook endpoint: 201 with its signing secret, shown this once',
      description: 'Events of your organisation whose type matches are POSTed to the URL as CloudEvents, signed as Standard Webhooks say (docs/webhooks.md). ' +
        'The URL must be https and its host must resolve only to public addresses (checked now and at every delivery). ' +
        `At most ${MAX_ENDPOINTS} endpoints per organisation (409). Idempotency-Key is not accepted (the answer holds a secret).`,
      body: Type.Object({ url: UrlField, description: Type.Optional(DescriptionField), eventTypes: EventTypesField }, strict),
      response: { 201: WithSecret, 409: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    refuseIdempotencyKey(req);
    const body = req.body;
    const url = await checkedUrl(req, body.url);
    const made = await run(req, (ctx) => createEndpoint(ctx, { ...body, url }));
    reply.code(201).header('location', `/api/v1/webhooks/${made.id}`).header('etag', etagOf(made));
    return { ...presentEndpoint(made), secret: made.secret };
  });

  app.get('/webhooks/:id', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'getWebhookEndpoint', summary: 'Get a webhook endpoint (administrators)',
      description: 'The ETag is the version: send it in If-Match to change the endpoint.',
      response: { 200: EndpointSchema, 404: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const endpoint = await run(req, (ctx) => getEndpoint(ctx, req.params.id));
    reply.header('etag', etagOf(endpoint));
    return presentEndpoint(endpoint);
  });

  app.patch('/webhooks/:id', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'updateWebhookEndpoint', summary: 'Change a webhook endpoint’s URL, description or event types (send If-Match)',
      description: 'Only the fields sent change. A new URL is checked as when an endpoint is added. Deliveries already queued go to the new URL.',
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The ETag from your last read; required' })) }),
      body: Type.Object({ url: Type.Optional(UrlField), description: Type.Optional(DescriptionField), eventTypes: Type.Optional(EventTypesField) }, strict),
      response: { 200: EndpointSchema, 404: ProblemSchema, 412: ProblemSchema, 428: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const expected = parseIfMatch(req.headers['if-match']);
    const body = req.body;
    const url = body.url === undefined ? undefined : await checkedUrl(req, body.url);
    const endpoint = await run(req, (ctx) => updateEndpoint(ctx, req.params.id, { ...body, url }, expected));
    reply.header('etag', etagOf(endpoint));
    return presentEndpoint(endpoint);
  });

  app.delete('/webhooks/:id', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'deleteWebhookEndpoint', summary: 'Delete a webhook endpoint and its delivery log',
      description: 'Nothing more is sent to it, including deliveries still waiting to be retried.',
      response: { 204: Type.Null({ description: 'Deleted' }), 404: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    await run(req, (ctx) => deleteEndpoint(ctx, req.params.id));
    return reply.code(204).send(null);
  });

  app.post('/webhooks/:id/disable', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'disableWebhookEndpoint', summary: 'Disable a webhook endpoint: nothing is sent to it until it is enabled',
      description: 'Deliveries already queued wait; events that happen while it is disabled are not queued for it. Disabling a disabled endpoint changes nothing.',
      response: { 200: EndpointSchema, 404: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const endpoint = await run(req, (ctx) => disableEndpoint(ctx, req.params.id));
    reply.header('etag', etagOf(endpoint));
    return presentEndpoint(endpoint);
  });

  app.post('/webhooks/:id/enable', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'enableWebhookEndpoint', summary: 'Enable a webhook endpoint again',
      description: 'Deliveries that were waiting are sent, and new events are queued for it again. Clears the count of failed deliveries.',
      response: { 200: EndpointSchema, 404: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const endpoint = await run(req, (ctx) => enableEndpoint(ctx, req.params.id));
    reply.header('etag', etagOf(endpoint));
    return presentEndpoint(endpoint);
  });

  app.post('/webhooks/:id/rotate-secret', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'rotateWebhookSecret', summary: 'Make a new signing secret (shown this once); the old one signs too for 24 hours',
      description: 'For 24 hours each delivery carries a signature made with each secret, so the receiver can switch to the new one without missing a delivery. ' +
        'Idempotency-Key is not accepted (the answer holds a secret).',
      response: { 200: WithSecret, 404: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    refuseIdempotencyKey(req);
    const endpoint = await run(req, (ctx) => rotateSecret(ctx, req.params.id));
    reply.header('etag', etagOf(endpoint));
    return { ...presentEndpoint(endpoint), secret: endpoint.secret };
  });

  app.get('/webhooks/:id/deliveries', {
    ...API_ROUTE,
    schema: {
      tags, security, params: IdParams, operationId: 'listWebhookDeliveries', summary: 'A webhook endpoint’s delivery log, newest first',
      description: 'Each event sent or to be sent to the endpoint: status, attempts, the last status code or error, and when it is tried next. Kept for 30 days once done.',
      querystring: Type.Object({
        status: Type.Optional(literalUnion(DELIVERY_STATUSES)),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor from the previous page' })),
      }, strict),
      response: { 200: Type.Object({ items: Type.Array(DeliverySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), 404: ProblemSchema, ...errors },
    },
  }, async (req) => {
    const q = req.query;
    const limit = q.limit ?? 50;
    const items = await run(req, (ctx) => listDeliveries(ctx, req.params.id, { status: q.status, limit, before: decodeCursor(q.cursor) }));
    return { items: items.map(presentDelivery), nextCursor: items.length === limit ? encodeCursor(items[items.length - 1]!.id) : null };
  });
}
