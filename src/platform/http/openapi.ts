// What the OpenAPI document says about every API route, so no route has to repeat it: the tags (each with a
// description), the bearer token, and the problem responses every route can give. Each route still names its own
// operationId, summary and description; `npm test` lints the document (redocly.yaml) and fails when one is missing.
import type { FastifySchema } from 'fastify';

/**
 * The platform's own API tags. Each module names its tags (with their descriptions) in its manifest's `apiTags`; the
 * document lists the modules' in the order of the list of modules, then these. A route's tag must be one of them
 * (the linter checks).
 */
export const PLATFORM_API_TAGS = [
  { name: 'Audit', description: 'The append-only audit log: every write, every read of person alerts, every sign-in.' },
  { name: 'Accounts', description: 'Staff accounts and API tokens of your organisation, for administrators: disable, enable, change role, reset password; create and revoke tokens.' },
];

/** What each problem status means, for the document (every 4xx is application/problem+json). */
const PROBLEM_MEANINGS: Record<string, string> = {
  400: 'The request is not valid: `errors` names each field at fault',
  401: 'No valid API token was sent (Authorization: Bearer hearth_…)',
  403: "The token's role may not do this",
  404: 'There is no such record in your organisation',
  409: 'The request conflicts with the record as it is',
  412: 'The record changed since you read it: read it again and send its new ETag in If-Match',
  413: 'The request is larger than this API accepts',
  415: 'The request is not in a media type this operation accepts',
  422: 'The request is well formed but cannot be done: `errors` says why',
  428: 'If-Match is required: send the ETag from your last read',
};

type Schema = Record<string, unknown>;

/**
 * An API route's schema as the document shows it: it needs the bearer token, so it can answer 401 and 403, and 400
 * when it takes input; every 4xx is described and typed application/problem+json. Only the document changes, never
 * how a route validates or serialises.
 */
export function documentApiRoute(route: FastifySchema, problem: object): FastifySchema {
  const schema = route as Schema | undefined;
  const problemSchema = problem as { $id?: string; description?: string };
  if (!schema || schema.hide) return route;
  const response: Schema = { ...(schema.response as Schema | undefined ?? {}) };
  const takesInput = ['params', 'querystring', 'body', 'headers'].some((k) => schema[k] !== undefined);
  for (const status of ['401', '403', ...(takesInput ? ['400'] : [])]) response[status] ??= problemSchema;
  for (const [status, given] of Object.entries(response)) {
    if (!/^4\d\d$/.test(status) || (given as Schema).content) continue;
    const own = (given as Schema).description;
    response[status] = {
      description: own && own !== problemSchema.description ? own : PROBLEM_MEANINGS[status] ?? 'The request cannot be done',
      // The shared problem schema is shown once, as a component, rather than copied into every response.
      content: { 'application/problem+json': { schema: given === problemSchema ? { $ref: `${problemSchema.$id}#` } : given } },
    };
  }
  return { security: [{ bearer: [] }], ...schema, response } as FastifySchema;
}
