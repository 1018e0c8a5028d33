// What a page module needs from the web layer: the page runner's type (from the module manifest) and the id in a
// page's URL. Kept apart from pages.ts (which registers every page), so a page never imports what imports it.
import type { FastifyRequest, RawRequestDefaultExpression, RawServerDefault, RouteGenericInterface } from 'fastify';
import { Type } from 'typebox';
import type { RequestTypeProvider } from '../platform/http/typed.ts';
export type { PageRun } from '../platform/modules.ts';

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * The request a page route declared with `schema: { params: IdParams }` hands its handler (req.params.id typed), for
 * the helpers such a route shares (show the page again with errors, do a change and go back).
 */
export type IdRequest = FastifyRequest<RouteGenericInterface, RawServerDefault, RawRequestDefaultExpression, { params: typeof IdParams }, RequestTypeProvider>;

/**
 * An optional query string value on a page, read as leniently as before pages had query schemas: any text, or a
 * list of texts when the key is given twice (?q=a&q=b), which the page's own parsing then makes sense of or ignores,
 * so an odd URL never becomes a 400 page. Unknown keys are allowed too (Type.Object lets extra properties through).
 */
export const QueryValue = Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())]));
