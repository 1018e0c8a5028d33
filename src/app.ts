// Builds the Hearth web application. Middleware in one visible order:
// health → security headers (CSP nonces) → cookies → info → body parsing → static assets → API docs →
// API (bearer tokens) → pages (session + CSRF) → not found → errors.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import Fastify, { LogController, type FastifyReply, type FastifyRequest, type FastifyError } from 'fastify';
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import csrf from '@fastify/csrf-protection';
import swagger from '@fastify/swagger';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import type { Config } from './config.ts';
import type { Store } from './platform/db/store.ts';
import type { Actor } from './platform/auth/actor.ts';
import { authService } from './platform/auth/service.ts';
import { registerFormats } from './platform/http/formats.ts';
import type { RequestTypeProvider } from './platform/http/typed.ts';
import { Problem, fromDatabaseError } from './platform/http/problem.ts';
import { ProblemSchema } from './platform/http/schemas.ts';
import { PLATFORM_API_TAGS, documentApiRoute } from './platform/http/openapi.ts';
import { API_SECURITY_HEADERS } from './platform/records/api.ts';
import { fieldErrors, nulPointers, NUL_MESSAGE } from './platform/http/validation.ts';
import { errorForLog } from './platform/log.ts';
import { can, permissions, ROLE_NAMES, type Role } from './platform/auth/roles.ts';
import type { NavigationItem } from './platform/modules.ts';
import type { Ctx } from './platform/records/context.ts';
import { buildStylesheet, GOVUK_DIST } from './web/assets.ts';
import { nunjucksEnvironment } from './web/nunjucks.ts';
import { apiDocs } from './web/api-docs.ts';
import { auditApi } from './platform/audit/api.ts';
import { accountsApi } from './platform/auth/api.ts';
import { installModules, type HearthModule, type ModuleDeps, type ModuleJobs } from './platform/modules.ts';
import { MODULES } from './modules/index.ts';
import { landlordNames, ownOrganisation } from './modules/organisations/index.ts';
import { signInPages } from './web/sign-in.ts';
import { registerPages, knownOrganisationName } from './web/pages.ts';
import { SESSION_COOKIE, CSRF_COOKIE, csrfBinding } from './web/session.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
  }
  interface FastifyReply {
    cspNonce: { script: string; style: string };
    /** Render a Nunjucks view inside the layout, with the CSP nonce and CSRF token. */
    view(template: string, data?: Record<string, unknown>): FastifyReply;
  }
}

export { SESSION_COOKIE, CSRF_COOKIE, csrfBinding };
const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

/**
 * The app of every module in the list (src/modules/index.ts). `logStream`: where the log goes (standard output unless
 * given; tests read it). `modules`: another list (a test adding a module to show that the list is all it takes).
 * Returns, besides the app, `jobs`: the modules' background work (the import queue), which starts on first use, or
 * with jobs.start().
 */
export async function buildApp(config: Config, store: Store, options: { logStream?: Writable; modules?: readonly HearthModule[] } = {}) {
  const modules = options.modules ?? MODULES;
  installModules(modules);
  registerFormats();
  const auth = authService(store, {
    tokenDays: config.tokenDays, sessionMinutes: config.sessionMinutes,
    lockoutAttempts: config.signInLockoutAttempts, lockoutMinutes: config.signInLockoutMinutes,
  });
  const app = Fastify({
    // Errors are logged by class, code, message and stack, never with the request values they carry (platform/log.ts).
    logger: { level: config.logLevel, serializers: { err: errorForLog }, ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: config.bodyLimit,
    // X-Forwarded-For is believed only from the proxies listed in HEARTH_TRUSTED_PROXIES: otherwise any client could
    // name a new address per request and escape the per-address sign-in limit.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false } },
    // Responses are never re-validated against Hearth's own input formats.
    serializerOpts: { ajv: { formats: { 'uk-postcode': true, 'past-date': true } } },
  }).withTypeProvider<RequestTypeProvider>(); // requests typed from their TypeBox schemas (platform/http/typed.ts)
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.decorateRequest('actor', undefined);
  // Each module's background work, made once; handed back to its own routes and pages as deps.jobs.
  const jobsOf = new Map<HearthModule, ModuleJobs>();
  for (const m of modules) {
    const made = m.jobs?.({ store, config, log: app.log });
    if (made) jobsOf.set(m, made);
  }
  const jobs: ModuleJobs = {
    async start(o) { for (const j of jobsOf.values()) await j.start(o); },
    async stop() { for (const j of jobsOf.values()) await j.stop(); },
  };
  app.addHook('onClose', async () => { await jobs.stop(); });

  /** Work for the request's actor in their organisation: `withOrg` (a transaction) or `readOrg` (reads only). */
  const scoped = (mode: 'withOrg' | 'readOrg') => <T>(req: FastifyRequest, work: (ctx: Ctx) => Promise<T>): Promise<T> => {
    const actor = req.actor;
    if (!actor) throw new Problem(401, 'Unauthorised', 'Sign in or send an API token');
    return store[mode](actor.organisationId, (tx) => work({ actor, tx }));
  };
  const run = scoped('withOrg');
  const read = scoped('readOrg');
  const depsOf = (m: HearthModule): ModuleDeps<unknown> => ({ config, store, run, read, jobs: jobsOf.get(m), landlords: () => landlordNames(store) });

  // ---- not found and errors (set first: plugins registered later inherit them)
  const navigation = modules.flatMap((m) => m.navigation ?? []);
  app.setNotFoundHandler((req, reply) => {
    if (wantsJson(req)) return sendProblem(reply, new Problem(404, 'Not found', `Nothing at ${req.method} ${req.url.split('?')[0]}`));
    return reply.code(404).view('web/error.njk', { title: 'Page not found', status: 404 });
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const problem = toProblem(err);
    if (problem.status >= 500) req.log.error({ err }, 'request failed');
    if (wantsJson(req)) return sendProblem(reply, problem);
    if (problem.status === 401) return reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`);
    // A form posted without a good CSRF token (an old page, a restart): say so in words, not "Forbidden".
    if (isExpiredForm(err)) {
      return reply.code(403).view('web/error.njk', {
        title: 'The form has expired', status: 403, detail: 'Go back, reload the page and try again.', organisationName: knownOrganisationName(req.actor?.organisationId),
      });
    }
    // A signed-in user refused for their role: what they cannot do, why, who can, and what they can do instead.
    if (problem.status === 403 && req.actor) {
      return reply.code(403).view('web/error.njk', {
        ...refusal(problem, req.actor, req.url, navigation), status: 403, organisationName: knownOrganisationName(req.actor.organisationId),
      });
    }
    return reply.code(problem.status).view('web/error.njk', {
      title: problem.title, status: problem.status, detail: problem.status < 500 ? problem.message : undefined,
      organisationName: knownOrganisationName(req.actor?.organisationId),
    });
  });

  // PostgreSQL cannot store a NUL character in text or jsonb: refuse one anywhere in the query string, the path or a
  // parsed body (JSON or form), naming the field, before any route or schema sees it. Multipart uploads check their
  // fields in receiveUpload; file contents are the import pipeline's (row problems).
  app.addHook('preValidation', async (req) => {
    const errors = [
      ...nulPointers(req.query).map((p) => ({ field: `querystring:${p}`, name: p.slice(1) })),
      ...nulPointers(req.params).map((p) => ({ field: `params:${p}`, name: p.slice(1) })),
      ...nulPointers(req.body).map((p) => ({ field: p, name: p.slice(1) || 'body' })),
    ];
    if (errors.length) {
      throw new Problem(400, 'Invalid request', errors.map((e) => `${e.name}: ${NUL_MESSAGE}`).join('; '),
        errors.map((e) => ({ field: e.field, message: NUL_MESSAGE })));
    }
  });

  // ---- health: before everything else, so a probe never needs a session
  app.get('/health', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await store.system((tx) => tx.execute(sql`select 1`));
      return { status: 'UP', database: { status: 'UP', kind: store.kind } };
    } catch (err) {
      reply.code(503);
      return { status: 'DOWN', database: { status: 'DOWN', kind: store.kind, error: (err as Error).message } };
    }
  });
  app.get('/ping', { schema: { hide: true } }, async () => ({ status: 'UP' }));

  // ---- security headers with a fresh nonce per response
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: config.production ? [] : null,
      },
    },
    strictTransportSecurity: config.production,
  });
  await app.register(cookie, { secret: config.cookieSecret });

  // ---- info: what is running. Anyone may see the name, version and status; what it runs on helps an attacker pick
  // an exploit, so only a signed-in administrator (session or API token) sees it. After the cookie plugin, to read the session.
  app.get('/info', { schema: { hide: true } }, async (req) => {
    const info = { name: pkg.name, version: pkg.version, status: 'UP' };
    const actor = req.headers.authorization ? await auth.fromBearer(req.headers.authorization) : await auth.fromSession(req.cookies[SESSION_COOKIE]);
    if (actor?.role !== 'administrator') return info;
    return { ...info, node: process.version, database: store.kind, commit: process.env.GIT_COMMIT ?? null, uptimeSeconds: Math.round(process.uptime()) };
  });
  // A hub's front door is its public site (HEARTH_FRONT_PAGE, set by `hearth hub start`): a visitor with no session who
  // asks for / goes there; anyone signed in gets their home page, and staff sign in at /sign-in as ever.
  const front = config.frontPage;
  if (front) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.method === 'GET' && (req.url === '/' || req.url.startsWith('/?')) && !req.cookies[SESSION_COOKIE]) return reply.redirect(front, 303);
      return undefined;
    });
  }
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(rateLimit, { global: false });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: config.production, path: '/' },
    // Each token carries (as an HMAC) the session it was made for, so a cookie and token pair from someone else's
    // session is refused. Sign-in and sign-out also clear the secret cookie, so a new one is made for the new session.
    getUserInfo: csrfBinding,
    csrfOpts: { userInfo: true, hmacKey: createHmac('sha256', config.cookieSecret).update('hearth csrf tokens').digest() },
  });

  // ---- assets: GOV.UK Frontend's fonts/images/JS and Hearth's compiled stylesheet
  const cssFile = await buildStylesheet(new URL('../.cache', import.meta.url).pathname);
  const css = fs.readFileSync(cssFile);
  app.get('/assets/app.css', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/css').header('cache-control', 'public, max-age=3600').send(css));
  await app.register(fastifyStatic, { root: path.join(GOVUK_DIST, 'govuk', 'assets'), prefix: '/assets/', decorateReply: false, maxAge: '1h' });
  const govukJs = fs.readFileSync(path.join(GOVUK_DIST, 'govuk', 'govuk-frontend.min.js'));
  app.get('/assets/govuk-frontend.min.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript').header('cache-control', 'public, max-age=3600').send(govukJs));

  // ---- templates
  const env = nunjucksEnvironment({ navigation: modules.flatMap((m) => m.navigation ?? []) });
  app.decorateReply('view', function (this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
    const req = this.request;
    const html = env.render(template, {
      ...data, actor: req.actor, cspNonce: this.cspNonce?.script, csrfToken: req.actor ? this.generateCsrf({ userInfo: csrfBinding(req) }) : data.csrfToken,
    });
    return this.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });

  // ---- OpenAPI document and browsable docs, from the same schemas that validate
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hearth API', version: pkg.version,
        description: 'One record of social housing homes and people. Every request acts for one organisation (from its API token). ' +
          'Updates need If-Match with the ETag you read (412 if stale); POSTs accept Idempotency-Key. Errors are application/problem+json.',
        license: { name: 'MIT', identifier: 'MIT' },
        // The API belongs to each deployment, so its contact is the team that runs it; the project's own is in the README.
        contact: { name: 'The team that runs this Hearth service' },
      },
      tags: [...modules.flatMap((m) => m.apiTags ?? []), ...PLATFORM_API_TAGS],
      servers: [{ url: '/' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token from `hearth tokens add`' } } },
    },
    // The API document describes the API: staff pages (HTML, sessions, forms) are left out of it.
    // Components are named by their $id (Problem, Home, …) rather than def-0, def-1, ….
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    // Every API route is documented with its bearer token and problem responses (platform/http/openapi.ts).
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') ? documentApiRoute(schema, ProblemSchema) : { ...schema, hide: true }, url }),
  });
  app.addSchema(ProblemSchema);
  // The API reference: GOV.UK pages made from this document (web/api-docs.ts), open to anyone as the document is.
  apiDocs(app, { document: () => app.swagger(), actorOf: (req) => auth.fromSession(req.cookies[SESSION_COOKIE]) });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // ---- API: bearer tokens, problem+json
  await app.register(async (api) => {
    api.addHook('onSend', async (_req, reply) => { reply.headers(API_SECURITY_HEADERS); });
    api.addHook('onRequest', async (req) => {
      req.actor = await auth.fromBearer(req.headers.authorization);
      if (!req.actor) throw new Problem(401, 'Unauthorised', 'Send an API token: Authorization: Bearer hearth_…');
    });
    for (const m of modules) m.api?.(api, depsOf(m));
    auditApi(api, run);
    accountsApi(api, run, { tokenDays: config.tokenDays });
  }, { prefix: '/api/v1' });

  // ---- pages: session cookie, CSRF on every form
  await app.register(async (pages) => {
    pages.addHook('onRequest', async (req) => {
      req.actor = await auth.fromSession(req.cookies[SESSION_COOKIE]);
    });
    signInPages(pages, { auth, config });
    registerPages(pages, run, {
      config,
      organisationOf: ownOrganisation,
      modulePages: (page) => { for (const m of modules) m.pages?.(pages, { ...depsOf(m), page }); },
    });
  });

  return { app, auth, run, jobs };
}

const wantsJson = (req: FastifyRequest) => req.url.startsWith('/api/');

function sendProblem(reply: FastifyReply, p: Problem) {
  return reply.code(p.status).type('application/problem+json').send({
    type: p.type, title: p.title, status: p.status, detail: p.message, ...(p.errors.length ? { errors: p.errors } : {}),
  });
}

const isExpiredForm = (err: FastifyError) => err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET';

/** "an administrator or data lead": roles as a person says them, with their article. */
function rolesInWords(roles: readonly Role[]): string {
  const names = roles.map((r) => ROLE_NAMES[r].toLowerCase().replace(/^asb/, 'ASB'));
  const listed = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0] ?? 'administrator';
  return `${/^[aeiouAEIOU]/.test(listed) ? 'an' : 'a'} ${listed}`;
}

/**
 * The page a signed-in user sees when their role may not do what they asked (403), in words for them: "You cannot
 * load files", why, who to ask (the roles that may use the section the page is in, else an administrator), and the
 * parts of Hearth their role does give them (the view lists their service navigation). Never "Forbidden".
 */
export function refusal(problem: Problem, actor: Actor, url: string, navigation: readonly NavigationItem[]) {
  const detail = problem.message;
  const action = /^Your role does not allow you to (.+?)\.?$/.exec(detail)?.[1] ?? /^Only [a-z ]+? (manage .+?)\.?$/.exec(detail)?.[1];
  const heading = problem.title.startsWith('You cannot') ? problem.title : action ? `You cannot ${action}` : 'You cannot do this';
  const path = url.split('?')[0]!;
  // The section the page is in, when the role may not use it at all: then who may is known (else, an administrator).
  const section = navigation.find((n) => n.permission && (path === n.href || path.startsWith(`${n.href}/`)) && !can(actor.role, n.permission));
  const able = section?.permission ? permissions().find((p) => p.name === section.permission)?.roles.filter((r) => r !== actor.role) ?? [] : [];
  const role = ROLE_NAMES[actor.role].toLowerCase().replace(/^asb/, 'ASB');
  const said = problem.title.startsWith('You cannot') || !/^Your role does not allow/.test(detail);
  return {
    title: heading,
    refusal: {
      reason: said ? `${detail.replace(/\.?$/, '.')}` : `You are signed in as ${/^[aeiou]/i.test(role) ? 'an' : 'a'} ${role}, and your role does not include this.`,
      // A refusal that already says whom to ask ("Ask a housing officer …") is not followed by a second answer.
      ask: /\bask\b/i.test(detail) ? null : `If you need this done, ask ${rolesInWords(able.length ? able : ['administrator'])}.`,
    },
  };
}

/** Turn anything thrown into a problem that names the field at fault where there is one. */
export function toProblem(err: FastifyError): Problem {
  if (err instanceof Problem) return err;
  const db = fromDatabaseError(err);
  if (db) return db;
  if (err.validation) {
    const where = err.validationContext ?? 'body';
    const prefix = where === 'body' ? '' : `${where}:`;
    const named = fieldErrors(err.validation as never).map((e) => ({ field: prefix + e.field, message: e.message }));
    return new Problem(400, 'Invalid request', named.map((e) => `${e.field.replace(/^\//, '') || 'body'} ${e.message}`).join('; '), named);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, 'Request body too large', 'body: is larger than this API accepts', [{ field: '/', message: 'is too large' }]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem(415, 'Unsupported media type', 'Send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new Problem(400, 'Invalid request', 'body: is not valid JSON', [{ field: '/', message: 'is not valid JSON' }]);
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return new Problem(403, 'Forbidden', 'The form has expired. Go back, reload the page and try again.');
  }
  if (err.statusCode === 429) return new Problem(429, 'Too many requests', 'Too many attempts. Wait a minute and try again.');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new Problem(err.statusCode, 'Invalid request', err.message);
  return new Problem(500, 'Something went wrong', 'Something went wrong');
}
