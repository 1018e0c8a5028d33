// The Fastify instance every route is declared on. Its type provider gives a handler's req.body, req.query and
// req.params the static types of the route's TypeBox schemas (what TypeBoxValidatorCompiler has just checked), and
// checks what a handler returns (or passes to reply.send) against the route's response schemas, so routes need no
// casts and a reply that does not fit its schema (a Date where it says a date-time string, any string where it lists
// codes) is a type error where the reply is built. app.ts makes it with withTypeProvider<RequestTypeProvider>() and
// hands it to each module.
//
// It is @fastify/type-provider-typebox's TypeBoxTypeProvider, word for word; kept here so routes name one type of
// their own. A union of codes must be built with schemas.ts literalUnion/codeList (a tuple of literals): TypeBox
// types a union made from an array of members as never. Generic route builders (platform/records/api.ts) cannot
// have their replies checked inside (TypeScript cannot work Static out through a type parameter), so they check
// them at each caller instead.
import type {
  FastifyBaseLogger, FastifyInstance, FastifyRequest, FastifySchema, FastifyTypeProvider, RawReplyDefaultExpression, RawRequestDefaultExpression,
  RawServerDefault, RouteGenericInterface,
} from 'fastify';
import type { Static, TSchema } from 'typebox';

/** TypeBoxTypeProvider: a request part's and a reply's type is its schema's static type (named for its first use, requests). */
export interface RequestTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}

/** A Fastify instance whose routes' requests and replies are typed from their TypeBox schemas. */
export type TypedFastify = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, RequestTypeProvider>;

/**
 * The type a route's handler sees for a request part validated by schema `S`: exactly the type of req.query /
 * req.body / req.params on a route of this instance, so generic route builders (platform/records/api.ts) can name
 * it in what they call, and a caller's service is checked against the schemas it is given.
 */
type RequestOf<S extends FastifySchema> = FastifyRequest<RouteGenericInterface, RawServerDefault, RawRequestDefaultExpression, S, RequestTypeProvider>;
export type QueryOf<S extends TSchema> = RequestOf<{ querystring: S }>['query'];
export type BodyOf<S extends TSchema> = RequestOf<{ body: S }>['body'];
