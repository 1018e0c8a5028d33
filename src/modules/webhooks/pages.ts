// The administrators' webhook pages: /webhooks lists the organisation's endpoints with a form to add one (its secret
// shown once on the next page); /webhooks/{id} shows an endpoint with its delivery log and small forms to change its
// event types, disable or enable it, rotate its secret (shown once) and delete it (after a confirmation page). Every
// form is a POST with a CSRF token; no JavaScript needed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { IdParams, type IdRequest, type PageRun } from '../../web/page.ts';
import type { Run } from '../../platform/records/api.ts';
import { can } from '../../platform/auth/roles.ts';
import './declarations.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import { Type } from 'typebox';
import { defineForm, errorLookup, type ErrorItem } from '../../web/forms/index.ts';
import { ALL_EVENTS, eventKinds, MAX_ATTEMPTS, OLD_SECRET_HOURS, RETRY_AFTER_SECONDS } from './codes.ts';
import { checkedUrl } from './api.ts';
import {
  createEndpoint, deleteEndpoint, disableEndpoint, enableEndpoint, getEndpoint, listDeliveries, listEndpoints, rotateSecret, updateEndpoint,
} from './service.ts';

type Raw = Record<string, unknown>;

const rawText = (raw: Raw, name: string) => (typeof raw[name] === 'string' ? (raw[name] as string) : '');

/** The event types fields: the boxes ticked and the other types typed in (separated by spaces or commas). */
const TYPES = {
  eventTypes: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })),
  otherEventTypes: Type.Optional(Type.String({ maxLength: 5000 })),
};
const TYPES_MESSAGES = { eventTypes: 'Select the events to send, or enter their types', otherEventTypes: 'The other event types must be 5,000 characters or fewer' };
const typesOf = (v: { eventTypes?: string[]; otherEventTypes?: string }) => [...(v.eventTypes ?? []), ...(v.otherEventTypes ?? '').split(/[\s,]+/).filter(Boolean)];

const EndpointForm = defineForm({
  schema: Type.Object({ url: Type.String({ maxLength: 2000 }), description: Type.Optional(Type.String()), ...TYPES }),
  messages: { url: { required: 'Enter the URL to send events to', tooLong: 'The URL must be 2,000 characters or fewer' }, description: 'Enter a shorter description', ...TYPES_MESSAGES },
  check: (v, fail) => { if (!typesOf(v).length) fail('eventTypes', 'Select the events to send, or enter their types'); },
});

// The version the page was drawn from: a change made since is refused, not overwritten.
const EventTypesForm = defineForm({
  schema: Type.Object({ ...TYPES, version: Type.Optional(Type.Integer({ minimum: 0, maximum: 999_999_999 })) }),
  messages: { ...TYPES_MESSAGES, version: 'The page was out of date: check the event types below and try again' },
  ids: { version: 'eventTypes' },
});

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
    value: `uk.hearth.${k}.`, text: label, hint: { text: `uk.hearth.${k}.created and .updated`, classes: 'hearth-wrap-anywhere' }, checked: chosen.includes(`uk.hearth.${k}.`),
  })),
];
const otherTypes = (chosen: readonly string[]) => { const known = choices(); return chosen.filter((t) => !known.includes(t)).join(' '); };
/** The event types a form asked for, as it was posted (to draw it again). */
const typesFrom = (raw: Raw) => typesOf({ eventTypes: (raw.eventTypes ?? []) as string[], otherEventTypes: rawText(raw, 'otherEventTypes') });

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

export function webhookPages(app: TypedFastify, page: PageRun, run: Run) {
  const id = (req: IdRequest) => req.params.id;

  // ---- The list, and the form to add one
  async function showList(req: FastifyRequest, reply: FastifyReply, raw?: Raw, errors: ErrorItem[] = []) {
    requireManage(req);
    const data = await page(req, async (ctx) => ({ endpoints: await listEndpoints(ctx) }));
    const chosen = raw ? typesFrom(raw) : [];
    return reply.code(errors.length ? 400 : 200).view('webhooks/webhooks.njk', {
      ...data, title: 'Webhooks', section: 'webhooks', STATUS_TAGS, errors, errorFor: errorLookup(errors),
      values: { url: rawText(raw ?? {}, 'url'), description: rawText(raw ?? {}, 'description'), other: otherTypes(chosen) }, choiceItems: choiceItems(chosen),
    });
  }

  app.get('/webhooks', async (req, reply) => showList(req, reply));

  app.post('/webhooks', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    const form = EndpointForm.parse(req.body);
    if (!form.ok) return showList(req, reply, form.raw, form.errors);
    try {
      const safe = await checkedUrl(req, form.values.url);
      const data = await page(req, async (ctx) => ({ endpoint: await createEndpoint(ctx, { url: safe, description: form.values.description ?? '', eventTypes: typesOf(form.values) }) }));
      // The secret is in this answer and nowhere else that can be read back.
      return reply.view('webhooks/webhook-secret.njk', { ...data, title: 'Webhook endpoint added', section: 'webhooks', added: true, oldSecretHours: OLD_SECRET_HOURS });
    } catch (err) {
      if (err instanceof Problem && (err.status === 400 || err.status === 409)) return showList(req, reply, form.raw, [problemItem(err)]);
      throw err;
    }
  });

  // ---- One endpoint
  async function showEndpoint(req: IdRequest, reply: FastifyReply, errors: ErrorItem[] = [], raw?: Raw) {
    requireManage(req);
    const data = await page(req, async (ctx) => ({
      endpoint: await getEndpoint(ctx, id(req)),
      deliveries: await listDeliveries(ctx, id(req), { limit: 100 }),
    }));
    const chosen = raw ? typesFrom(raw) : data.endpoint.eventTypes;
    return reply.code(errors.length ? 400 : 200).view('webhooks/webhook.njk', {
      ...data, title: data.endpoint.description || data.endpoint.url, section: 'webhooks', backLink: '/webhooks', STATUS_TAGS, errors, errorFor: errorLookup(errors),
      choiceItems: choiceItems(chosen), other: otherTypes(chosen), retries: RETRIES, maxAttempts: MAX_ATTEMPTS, oldSecretHours: OLD_SECRET_HOURS,
      eventKinds: eventKinds(),
    });
  }

  app.get('/webhooks/:id', { schema: { params: IdParams } }, async (req, reply) => showEndpoint(req, reply));

  /** Do a change and go back to the endpoint's page; a refusal is shown there as an error. */
  const act = (href: string, work: (req: IdRequest) => Promise<unknown>, raw?: Raw) => async (req: IdRequest, reply: FastifyReply) => {
    requireManage(req);
    try {
      await work(req);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) return showEndpoint(req, reply, [{ ...problemItem(err), href }], raw);
      if (err instanceof Problem && err.status === 412) {
        return showEndpoint(req, reply, [{ text: 'Someone changed this endpoint while you were looking at it. Check it below and try again.', href }]);
      }
      throw err;
    }
    return reply.redirect(`/webhooks/${id(req)}`, 303);
  };

  app.post('/webhooks/:id/event-types', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    const form = EventTypesForm.parse(req.body);
    if (!form.ok) return showEndpoint(req, reply, form.errors, form.raw);
    return act('#eventTypes', () => run(req, (ctx) => updateEndpoint(ctx, id(req), { eventTypes: typesOf(form.values) }, form.values.version)), form.raw)(req, reply);
  });
  app.post('/webhooks/:id/disable', { schema: { params: IdParams }, preHandler: app.csrfProtection },
    act('#status', (req) => run(req, (ctx) => disableEndpoint(ctx, id(req)))));
  app.post('/webhooks/:id/enable', { schema: { params: IdParams }, preHandler: app.csrfProtection },
    act('#status', (req) => run(req, (ctx) => enableEndpoint(ctx, id(req)))));

  app.post('/webhooks/:id/rotate', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    const data = await page(req, async (ctx) => ({ endpoint: await rotateSecret(ctx, id(req)) }));
    return reply.view('webhooks/webhook-secret.njk', {
      ...data, title: 'New signing secret', section: 'webhooks', backLink: `/webhooks/${data.endpoint.id}`, added: false, oldSecretHours: OLD_SECRET_HOURS,
    });
  });

  app.get('/webhooks/:id/delete', { schema: { params: IdParams } }, async (req, reply) => {
    requireManage(req);
    const data = await page(req, async (ctx) => ({ endpoint: await getEndpoint(ctx, id(req)) }));
    return reply.view('webhooks/webhook-delete.njk', { ...data, title: 'Delete this webhook endpoint?', section: 'webhooks', backLink: `/webhooks/${data.endpoint.id}` });
  });

  app.post('/webhooks/:id/delete', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    await run(req, (ctx) => deleteEndpoint(ctx, id(req)));
    return reply.redirect('/webhooks', 303);
  });
}
