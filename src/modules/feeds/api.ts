// Change feeds over the API (RPDE 1.0; decision 0018): GET /api/v1/feeds/<kind> pages through one organisation's
// records of a kind in the order they last changed; a consumer follows `next` for ever, and on the last page (no
// items, `next` the page itself) waits a while and asks again.
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { API_ROUTE, type Run } from '../../platform/records/api.ts';
import { ProblemSchema, strict } from '../../platform/http/schemas.ts';
import { Problem } from '../../platform/http/problem.ts';
import type { Store } from '../../platform/db/store.ts';
import { sequence } from '../../platform/events/relay.ts';
import { FEED_SOURCES, type FeedSource } from './sources.ts';
import { FEED_PAGE, feedPage, parseCursor, waitingToBeSequenced, type FeedCursor } from './service.ts';

const security = [{ bearer: [] }];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

const FeedQuery = Type.Object({
  afterTimestamp: Type.Optional(Type.String({
    description: 'The `modified` of the last item read (a whole number, 0 or more); with afterId. Leave both out for the first page. Follow `next` rather than making these.',
  })),
  afterId: Type.Optional(Type.String({ description: 'The `id` (a UUID) of the last item read; with afterTimestamp.' })),
}, strict);

const feedPageSchema = (s: FeedSource) => Type.Object({
  next: Type.String({ format: 'uri', description: 'The absolute URL of the next page; on the last page (no items), this page\'s own URL: ask it again later for changes' }),
  items: Type.Array(Type.Object({
    state: Type.Union([Type.Literal('updated'), Type.Literal('deleted')], { description: 'updated: the record as it is now (data); deleted: it is gone (no data)' }),
    kind: Type.Literal(s.kind),
    id: Type.String({ format: 'uuid', description: 'The record\'s id' }),
    modified: Type.Integer({ minimum: 1, description: 'The position of the record\'s latest event: only grows; items come in (modified, id) order' }),
    data: Type.Optional(s.record),
  }), { description: `Up to ${FEED_PAGE} records, each once, at its latest change` }),
  license: Type.String({ format: 'uri', description: 'Where the terms of this data are: see the Feeds tag of the API documentation' }),
}, { description: 'One page of the feed (RPDE 1.0)' });

/** Host names and addresses, with a port: what a `next` link may be built on (a Host header of anything else is refused). */
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * This server's origin as the client reached it, for absolute links (RPDE asks for them): the Host header, or the
 * forwarded host and protocol from a proxy listed in HEARTH_TRUSTED_PROXIES.
 */
function origin(req: FastifyRequest): string {
  if (!HOST.test(req.host ?? '')) {
    throw new Problem(400, 'Invalid request', 'Host: must be a host name or address, with an optional port', [{ field: 'header:Host', message: 'is not a host name' }]);
  }
  return `${req.protocol}://${req.host}`;
}

export function feedsApi(app: TypedFastify, read: Run, store: Store) {
  for (const source of FEED_SOURCES) {
    const path = `${app.prefix}/feeds/${source.path}`;
    app.get(`/feeds/${source.path}`, {
      ...API_ROUTE,
      schema: {
        tags: ['Feeds'], security, querystring: FeedQuery, operationId: `get${source.title}Feed`,
        summary: `Change feed of ${source.title.toLowerCase()} (RPDE 1.0): each record once, at its latest change`,
        description: `Your organisation's ${source.title.toLowerCase()} in the order they last changed, ${FEED_PAGE} a page: each item is a record as ` +
          `GET /api/v1/${source.path}/{id} returns it (state updated), or the id of one that is gone (state deleted, kept at least 7 days). ` +
          'Start without parameters and follow `next`; a record that changes again comes again further on. The last page has no items and ' +
          '`next` is its own URL: ask it again later for new changes. A cursor that is not one `next` gave is a 400 naming the parameter.',
        response: { 200: feedPageSchema(source), ...errors },
      },
    }, async (req) => {
      const after = parseCursor(req.query);
      const base = `${origin(req)}${path}`;
      const url = (c: FeedCursor | null) => (c ? `${base}?afterTimestamp=${c.afterTimestamp}&afterId=${c.afterId}` : base);
      // The relay sequences every second; a request that finds events of its kind still waiting sequences them
      // itself (one try: if the relay holds the sequencer it is doing just that), so a write is in the feed at once.
      if (await read(req, (ctx) => waitingToBeSequenced(ctx, source))) await sequence(store);
      const page = await read(req, (ctx) => feedPage(ctx, source, after));
      return { next: url(page.last ?? after), items: page.items, license: `${origin(req)}/api/docs/feeds` };
    });
  }

  // Any other kind: people, alerts and notes are personal or sensitive and have no feed (sources.ts).
  app.get('/feeds/:kind', { ...API_ROUTE, schema: { hide: true, params: Type.Object({ kind: Type.String() }) } }, async (req) => {
    const { kind } = req.params;
    const message = `is not a change feed: the feeds are ${FEED_SOURCES.map((s) => s.path).join(', ')}`;
    throw new Problem(400, 'Invalid request', `kind: ${JSON.stringify(kind.slice(0, 50))} ${message}`, [{ field: 'params:/kind', message }]);
  });
}
