// The administrators' webhook pages: /webhooks lists the organisation's endpoints with a form to add one (its secret
// shown once on the next page); /webhooks/{id} shows an endpoint with its delivery log and small forms to change its
// event types, disable or enable it, rotate its secret (shown once) and delete it (after a confirmation page). Every
// form is a POST with a CSRF token; no JavaScript needed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IdParams, type PageRun } from '../../web/page.ts';
import type { Run } from '../../platform/records/api.ts';
import { can } from '../../platform/auth/roles.ts';
import './declarations.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import { errorLookup, type ErrorItem } from '../../web/forms.ts';
import { ALL_EVENTS, eventKinds, MAX_ATTEMPTS, OLD_SECRET_HOURS, RETRY_AFTER_SECONDS } from './codes.ts';
import { checkedUrl } from './api.ts';
import {
  createEndpoint, deleteEndpoint, disableEndpoint, enableEndpoint, getEndpoint, listDeliveries, listEndpoints, rotateSecret, updateEndpoint,
} from './service.ts';

type Body = Record<string, unknown>;

const field = (body: Body, name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
const fields = (body: Body, name: string) => {
  const v = body[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
};

const STATUS_TAGS = {
  active: { text: 'Active', classes: 'govuk-tag--green' },
  disabled: { text: 'Disabled', classes: 'govuk-tag--grey' },
  pending: { text: 'Pending', classes: 'govuk-tag--blue' },
  delivered: { text: 'Delivered', classes: 'govuk-tag--green' },
  failed: { text: 'Failed', classes: 'govuk-tag--red' },
} as const;

/** The choices of the event types field: every event, or each kind of record; anything else goes in "other". */
const choices = () => [ALL_EVENTS, ...Object.keys(eventKinds()).map((k) => `uk.hearth.${k}.`)];
const choiceItems = (chosen: readonly string[]) => [
  { value: ALL_EVENTS, text: 'Every event', hint: { text: 'uk.hearth. – every record created or changed' }, checked: chosen.includes(ALL_EVENTS) },
  { divider: 'or' },
  ...Object.entries(eventKinds()).map(([k, label]) => ({
    value: `uk.hearth.${k}.`, text: label, hint: { text: `uk.hearth.${k}.created and .updated` }, checked: chosen.includes(`uk.hearth.${k}.`),
  })),
];
const otherTypes = (chosen: readonly string[]) => { const known = choices(); return chosen.filter((t) => !known.includes(t)).join(' '); };
/** The event types a form asked for: the boxes ticked and the other types typed in (separated by spaces or commas). */
const typesFrom = (body: Body) => [...fields(body, 'eventTypes'), ...field(body, 'otherEventTypes').split(/[\s,]+/).filter(Boolean)];

const RETRIES = RETRY_AFTER_SECONDS.map((s) => (s < 60 ? `${s} seconds` : s < 3600 ? `${s / 60} minutes` : `${s / 3600} hours`)).join(', ');

function requireManage(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'webhooks:manage')) throw forbidden('Only administrators manage webhooks');
}

/** A service's refusal as an error summary item, linked to the field it is about. */
function problemItem(err: Problem): ErrorItem {
  const f = err.errors[0]?.field ?? '';
  const href = f.startsWith('/eventTypes') ? '#eventTypes' : f === '/description' ? '#description' : '#url';
  const text = err.errors[0] ? `${f.startsWith('/url') ? 'The URL' : f.startsWith('/eventTypes') ? 'The event types' : 'The description'} ${err.errors[0].message}` : err.message;
  return { text, href };
}

export function webhookPages(app: FastifyInstance, page: PageRun, run: Run) {
  const id = (req: FastifyRequest) => (req.params as { id: string }).id;

  // ---- The list, and the form to add one
  async function showList(req: FastifyRequest, reply: FastifyReply, body?: Body, errors: ErrorItem[] = []) {
    requireManage(req);
    const data = await page(req, async (ctx) => ({ endpoints: await listEndpoints(ctx) }));
    const chosen = body ? typesFrom(body) : [];
    return reply.code(errors.length ? 400 : 200).view('webhooks.njk', {
      ...data, title: 'Webhooks', section: 'webhooks', STATUS_TAGS, errors, errorFor: errorLookup(errors),
      values: { url: field(body ?? {}, 'url'), description: field(body ?? {}, 'description'), other: otherTypes(chosen) }, choiceItems: choiceItems(chosen),
    });
  }

  app.get('/webhooks', async (req, reply) => showList(req, reply));

  app.post('/webhooks', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    const body = (req.body ?? {}) as Body;
    const url = field(body, 'url').trim();
    const eventTypes = typesFrom(body);
    const errors: ErrorItem[] = [];
    if (!url) errors.push({ text: 'Enter the URL to send events to', href: '#url' });
    else if (url.length > 2000) errors.push({ text: 'The URL must be 2,000 characters or fewer', href: '#url' });
    if (!eventTypes.length) errors.push({ text: 'Select the events to send, or enter their types', href: '#eventTypes' });
    if (errors.length) return showList(req, reply, body, errors);
    try {
      const safe = await checkedUrl(req, url);
      const data = await page(req, async (ctx) => ({ endpoint: await createEndpoint(ctx, { url: safe, description: field(body, 'description'), eventTypes }) }));
      // The secret is in this answer and nowhere else that can be read back.
      return reply.view('webhook-secret.njk', { ...data, title: 'Webhook endpoint added', section: 'webhooks', added: true, oldSecretHours: OLD_SECRET_HOURS });
    } catch (err) {
      if (err instanceof Problem && (err.status === 400 || err.status === 409)) return showList(req, reply, body, [problemItem(err)]);
      throw err;
    }
  });

  // ---- One endpoint
  async function showEndpoint(req: FastifyRequest, reply: FastifyReply, errors: ErrorItem[] = [], body?: Body) {
    requireManage(req);
    const data = await page(req, async (ctx) => ({
      endpoint: await getEndpoint(ctx, id(req)),
      deliveries: await listDeliveries(ctx, id(req), { limit: 100 }),
    }));
    const chosen = body ? typesFrom(body) : data.endpoint.eventTypes;
    return reply.code(errors.length ? 400 : 200).view('webhook.njk', {
      ...data, title: data.endpoint.description || data.endpoint.url, section: 'webhooks', backLink: '/webhooks', STATUS_TAGS, errors, errorFor: errorLookup(errors),
      choiceItems: choiceItems(chosen), other: otherTypes(chosen), retries: RETRIES, maxAttempts: MAX_ATTEMPTS, oldSecretHours: OLD_SECRET_HOURS,
      eventKinds: eventKinds(),
    });
  }

  app.get('/webhooks/:id', { schema: { params: IdParams } }, async (req, reply) => showEndpoint(req, reply));

  /** Do a change and go back to the endpoint's page; a refusal is shown there as an error. */
  const act = (href: string, work: (req: FastifyRequest) => Promise<unknown>) => async (req: FastifyRequest, reply: FastifyReply) => {
    requireManage(req);
    try {
      await work(req);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) return showEndpoint(req, reply, [{ ...problemItem(err), href }], (req.body ?? {}) as Body);
      if (err instanceof Problem && err.status === 412) {
        return showEndpoint(req, reply, [{ text: 'Someone changed this endpoint while you were looking at it. Check it below and try again.', href }]);
      }
      throw err;
    }
    return reply.redirect(`/webhooks/${id(req)}`, 303);
  };

  app.post('/webhooks/:id/event-types', { schema: { params: IdParams }, preHandler: app.csrfProtection }, act('#eventTypes', (req) => {
    const body = (req.body ?? {}) as Body;
    const version = /^\d{1,9}$/.test(field(body, 'version')) ? Number(field(body, 'version')) : undefined;
    return run(req, (ctx) => updateEndpoint(ctx, id(req), { eventTypes: typesFrom(body) }, version));
  }));
  app.post('/webhooks/:id/disable', { schema: { params: IdParams }, preHandler: app.csrfProtection },
    act('#status', (req) => run(req, (ctx) => disableEndpoint(ctx, id(req)))));
  app.post('/webhooks/:id/enable', { schema: { params: IdParams }, preHandler: app.csrfProtection },
    act('#status', (req) => run(req, (ctx) => enableEndpoint(ctx, id(req)))));

  app.post('/webhooks/:id/rotate', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    const data = await page(req, async (ctx) => ({ endpoint: await rotateSecret(ctx, id(req)) }));
    return reply.view('webhook-secret.njk', {
      ...data, title: 'New signing secret', section: 'webhooks', backLink: `/webhooks/${data.endpoint.id}`, added: false, oldSecretHours: OLD_SECRET_HOURS,
    });
  });

  app.get('/webhooks/:id/delete', { schema: { params: IdParams } }, async (req, reply) => {
    requireManage(req);
    const data = await page(req, async (ctx) => ({ endpoint: await getEndpoint(ctx, id(req)) }));
    return reply.view('webhook-delete.njk', { ...data, title: 'Delete this webhook endpoint?', section: 'webhooks', backLink: `/webhooks/${data.endpoint.id}` });
  });

  app.post('/webhooks/:id/delete', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    await run(req, (ctx) => deleteEndpoint(ctx, id(req)));
    return reply.redirect('/webhooks', 303);
  });
}
