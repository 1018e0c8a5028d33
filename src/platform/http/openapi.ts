// What the OpenAPI document says about every API route, so no route has to repeat it: the tags (each with a
// description), the bearer token, and the problem responses every route can give. Each route still names its own
// operationId, summary and description; `npm test` lints the document (redocly.yaml) and fails when one is missing.
import type { FastifySchema } from 'fastify';

/** The API's tags, in the order the docs show them. A route's tag must be one of these (the linter checks). */
export const API_TAGS = [
  { name: 'Organisations', description: 'The landlord an API token acts for. Landlords are added by the operator (`hearth orgs add`).' },
  { name: 'Estates', description: 'Estates: groups of blocks and homes managed together.' },
  { name: 'Blocks', description: 'Buildings with homes in them, with the height and storeys that decide whether a block is higher-risk.' },
  { name: 'Homes', description: 'Homes, each with its UPRN and BS 7666 address.' },
  { name: 'People', description: 'People, their contact points, and the composed view of a person with tenancies and alerts.' },
  { name: 'Person alerts', description: 'Alerts about a person (HACT and UKHDS categories). Sensitive: readable only with alerts:read, and every read is audited.' },
  { name: 'Tenancies', description: 'Tenancies of homes and their members (lead, joint tenant, household member).' },
  { name: 'Repairs', description: 'Repair jobs of homes, with the description kept word for word.' },
  { name: 'Notes', description: 'Free-text notes about exactly one person, home or tenancy.' },
  { name: 'Hazards', description: "Hazard reports about homes and what happened to them, with their Awaab's Law clocks." },
  { name: 'Insight', description: "The regulator's questions: the higher-risk buildings register, the damp and mould register, Awaab's Law clocks and the dashboard's figures." },
  { name: 'Imports', description: 'Loading files of homes, people, tenancies, repairs and more, and the rows that did not load.' },
  { name: 'Record linkage', description: 'Which person records are one person: reviews of doubtful pairs and the decisions on them.' },
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
