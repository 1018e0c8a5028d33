// The hub's push API (issue 16; decision 0026): POST /hub/api/v1/batches takes a batch of the standard's records from
// a publisher, signed as Standard Webhooks sign (webhook-id, webhook-timestamp, webhook-signature over the exact body)
// with one of the publisher's keys (hub-publisher, hub-key). Not under the bearer-token API: a publisher is not a
// Hearth user, and its signature is its credential. The checks, in order, each refusing with the header or field at
// fault (problem+json, as the rest of Hearth): size (413), headers and signature (401), the envelope (422), that the
// batch is the signer's own (403), then intake.ts receive(): records checked one by one, the good ones applied, the
// bad ones returned as errors; the same webhook-id again is answered from its first arrival (replayed: true), and
// with another body refused (409). The contract, with examples: docs/hub-push.md.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Webhook } from 'standardwebhooks';
import type { Store } from '../../../platform/db/store.ts';
import type { TypedFastify } from '../../../platform/http/typed.ts';
import { Problem, type FieldError } from '../../../platform/http/problem.ts';
import { API_ROUTE, API_SECURITY_HEADERS } from '../../../platform/records/api.ts';
import { nulPointers } from '../../../platform/http/validation.ts';
import { validateBatch } from '../standard/validate.ts';
import { MAX_BATCH_RECORDS, REGISTRATION_PATTERN } from '../standard/schema.ts';
import { BatchConflict, receive, type Receipt } from '../intake.ts';
import { publicDataFor } from '../public/queries.ts';
import { activeSecret } from './credentials.ts';
import { PUSH_PREFIX } from './client.ts';

/** Largest batch body accepted: 10,000 records of the standard fit in a few megabytes. */
export const PUSH_BODY_LIMIT = 20 * 1024 * 1024;
/** How far webhook-timestamp may be from the hub's clock, either way (the Standard Webhooks libraries' tolerance). */
export const PUSH_TOLERANCE_SECONDS = 5 * 60;
/** Batches a minute from one publisher at one address. */
export const PUSH_PER_MINUTE = 600;

export interface PushDeps { store: Store }
export interface PushOptions {
  /** Batches a minute per publisher and address (default PUSH_PER_MINUTE); 0 for no limit (benchmarks). */
  perMinute?: number;
  bodyLimit?: number;
}

const WEBHOOK_ID = /^[\x21-\x7e]{1,200}$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,100}$/;
const REGISTRATION = new RegExp(REGISTRATION_PATTERN);

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** 401 naming the header at fault. */
const refused = (header: string, message: string) =>
  new Problem(401, 'Unauthorised', `${header}: ${message}`, [{ field: `headers:/${header}`, message }]);

/** A header sent exactly once, else undefined (absent) or a refusal (repeated). */
function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  if (Array.isArray(v)) throw refused(name, 'was sent more than once: send it once');
  return v === undefined || v === '' ? undefined : v;
}

function required(req: FastifyRequest, name: string, what: string): string {
  const v = header(req, name);
  if (v === undefined) throw refused(name, `is missing: ${what}`);
  return v;
}

/** The signer: who they say they are, with which key, and the Standard Webhooks headers (checked for shape only). */
function signedHeaders(req: FastifyRequest) {
  const publisher = required(req, 'hub-publisher', 'send your Regulator of Social Housing registration number (such as L1234)');
  if (!REGISTRATION.test(publisher)) throw refused('hub-publisher', 'must be a Regulator of Social Housing registration number (such as L1234, 4567 or 12AB)');
  const keyId = required(req, 'hub-key', 'send the id of the push key that signed the batch (hk_…)');
  if (!KEY_ID.test(keyId)) throw refused('hub-key', 'must be a key id as the hub gave it (hk_ and letters, digits, - and _)');
  const howToSign = 'sign the body as Standard Webhooks say (docs/hub-push.md)';
  const id = required(req, 'webhook-id', `send a unique id for the batch (such as a UUID); ${howToSign}`);
  if (!WEBHOOK_ID.test(id)) throw refused('webhook-id', 'must be 1 to 200 printable characters without spaces (such as a UUID)');
  const timestamp = required(req, 'webhook-timestamp', `send the time of signing in Unix seconds; ${howToSign}`);
  const signature = required(req, 'webhook-signature', howToSign);
  return { publisher, keyId, id, timestamp, signature };
}

/** Too old or too new: a replay, or a sender whose clock is wrong. Checked before the key is looked up. */
function checkTimestamp(timestamp: string, now: Date): void {
  if (!/^[0-9]{1,12}$/.test(timestamp)) throw refused('webhook-timestamp', 'must be the time of signing in whole Unix seconds (such as 1767225600)');
  const off = Number(timestamp) - Math.floor(now.getTime() / 1000);
  if (Math.abs(off) > PUSH_TOLERANCE_SECONDS) {
    const minutes = Math.round(Math.abs(off) / 60);
    throw refused('webhook-timestamp', `is ${minutes} minute${minutes === 1 ? '' : 's'} ${off < 0 ? 'behind' : 'ahead of'} the hub's clock ` +
      `(at most ${PUSH_TOLERANCE_SECONDS / 60} either way is accepted): the batch is replayed or the sender's clock is wrong; sign it again now`);
  }
}

/** The body as JSON, with the envelope checked; the records are checked one by one by receive(). */
function readBatch(raw: string): { publisher: string; records: unknown[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Problem(400, 'Invalid request', `body: is not valid JSON (${(err as Error).message})`, [{ field: '/', message: 'is not valid JSON' }]);
  }
  const records = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>).records : undefined;
  // The envelope alone (the records are checked by receive, once): records stands in empty unless it is itself wrong.
  const envelope = validateBatch(Array.isArray(records) && records.length <= MAX_BATCH_RECORDS ? { ...(parsed as object), records: [] } : parsed);
  if (!envelope.ok) throw unreadable(envelope.errors);
  // PostgreSQL cannot store a NUL character: "\u0000" becomes one only once parsed.
  const nul = nulPointers(parsed);
  if (nul.length) throw unreadable(nul.map((field) => ({ field, message: 'contains a NUL character (\\u0000), which the hub cannot store: remove it' })));
  return { publisher: envelope.publisher, records: records as unknown[] };
}

/** 422 with every envelope error; each message starts with the field it is about. */
function unreadable(errors: FieldError[]): Problem {
  const named = errors.map((e) => {
    const dotted = e.field.slice(1).replaceAll('/', '.');
    return !dotted || e.message.startsWith(dotted) ? e.message : `${dotted}: ${e.message}`;
  });
  return new Problem(422, 'Invalid batch', named.join('; '), errors);
}

function problemOf(err: FastifyError, bodyLimit: number): Problem {
  if (err instanceof Problem) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, 'Request body too large',
        `body: is larger than the hub accepts (${megabytes(bodyLimit)}): send at most ${MAX_BATCH_RECORDS.toLocaleString('en-GB')} records a batch, in several batches`,
        [{ field: '/', message: `is larger than ${megabytes(bodyLimit)}` }]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem(415, 'Unsupported media type', 'content-type: send the batch as application/json', [{ field: 'headers:/content-type', message: 'must be application/json' }]);
  }
  if (err.statusCode === 429) return new Problem(429, 'Too many requests', 'Too many batches from this publisher: wait a minute and send again (the same webhook-id is safe to resend)');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new Problem(err.statusCode, 'Invalid request', err.message);
  return new Problem(500, 'Something went wrong', 'Something went wrong');
}

function sendProblem(reply: FastifyReply, p: Problem) {
  return reply.code(p.status).type('application/problem+json').send({
    type: p.type, title: p.title, status: p.status, detail: p.message, ...(p.errors.length ? { errors: p.errors } : {}),
  });
}

/** The receipt as the API answers it: errors name the record (index) and field. */
const present = (r: Receipt) => ({
  id: r.id, records: r.records, accepted: r.accepted, rejected: r.rejected, replayed: r.replayed,
  errors: r.errors.map((e) => ({ index: e.index ?? null, field: e.field, message: e.message })),
});

/**
 * Register POST /hub/api/v1/batches on `app` (a module's pages(app, deps) gets the right one), in a scope of its own:
 * the body is kept as the string that was signed, errors are problem+json, and no session, CSRF or bearer token is
 * involved.
 */
export function hubPushRoutes(app: TypedFastify, deps: PushDeps, options: PushOptions = {}): void {
  const bodyLimit = options.bodyLimit ?? PUSH_BODY_LIMIT;
  const perMinute = options.perMinute ?? PUSH_PER_MINUTE;
  app.register(async (scope) => {
    // Only JSON, kept as received: the signature is over these exact characters.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_req, body, done) => { done(null, body); });
    scope.addHook('onSend', async (_req, reply) => { reply.headers(API_SECURITY_HEADERS); });
    scope.setErrorHandler((err: FastifyError, req, reply) => {
      const problem = problemOf(err, bodyLimit);
      if (problem.status >= 500) req.log.error({ err }, 'hub push failed');
      return sendProblem(reply, problem);
    });
    scope.setNotFoundHandler((req, reply) => sendProblem(reply, new Problem(404, 'Not found',
      `Nothing at ${req.method} ${req.url.split('?')[0]}: batches are sent with POST ${PUSH_PREFIX}/batches`)));

    scope.post('/batches', {
      ...API_ROUTE,
      bodyLimit,
      schema: { hide: true },
      // Per publisher and address: another sender naming a publisher cannot use up that publisher's allowance.
      ...(perMinute > 0 ? {
        config: { rateLimit: { max: perMinute, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => `hub-push|${String(req.headers['hub-publisher'])}|${req.ip}` } },
      } : {}),
    }, async (req, reply) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      const signer = signedHeaders(req);
      checkTimestamp(signer.timestamp, new Date());
      const key = await deps.store.system((db) => activeSecret(db, signer.publisher, signer.keyId));
      if (!key.ok) {
        throw key.reason === 'revoked'
          ? refused('hub-key', `was revoked at ${key.revokedAt.toISOString()}: sign with a current key`)
          : refused('hub-key', `is not a key of publisher ${signer.publisher} on this hub: check hub-publisher and hub-key, or ask the hub for a key`);
      }
      try {
        new Webhook(key.secret).verify(raw, {
          'webhook-id': signer.id, 'webhook-timestamp': signer.timestamp, 'webhook-signature': signer.signature,
        }, { jsonParse: false });
      } catch {
        throw refused('webhook-signature', `does not match the body: it must be v1,<base64 HMAC-SHA256 of "webhook-id.webhook-timestamp.body"> ` +
          `made with the secret of key ${signer.keyId}, and the body must be sent exactly as it was signed`);
      }
      const batch = readBatch(raw);
      if (batch.publisher !== signer.publisher) {
        const message = `is ${batch.publisher}, but the batch was signed by publisher ${signer.publisher}: a publisher writes only its own data`;
        throw new Problem(403, 'Forbidden', `publisher: ${message}`, [{ field: '/publisher', message }]);
      }
      try {
        const receipt = await deps.store.system((db) => receive(db, { publisher: signer.publisher, id: signer.id, via: 'push', body: raw, records: batch.records }));
        // The public site's figures are made again from what was just applied.
        if (!receipt.replayed) publicDataFor(deps.store).changed(signer.publisher);
        return reply.code(200).send(present(receipt));
      } catch (err) {
        if (err instanceof BatchConflict) {
          throw new Problem(409, 'Conflict', `webhook-id: ${err.message}`, [{ field: 'headers:/webhook-id', message: 'was used before for a different body' }]);
        }
        throw err;
      }
    });
  }, { prefix: PUSH_PREFIX });
}
