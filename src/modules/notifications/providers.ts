// Who sends a message: GOV.UK Notify over its HTTP API (v2), or the local provider, which renders Hearth's own words
// and keeps them (development and tests: nothing leaves the machine). Both answer the same request and response
// shapes, which are GOV.UK Notify's own (POST /v2/notifications/email and /sms), so the service neither knows nor
// cares which it has.
import { createHmac, randomUUID } from 'node:crypto';
import type { Config } from '../../config.ts';
import { CHANNELS, isTemplateName, render, TEMPLATE_NAMES, type Channel, type TemplateName } from './templates.ts';

export interface EmailRequest {
  email_address: string;
  template_id: string;
  personalisation: Record<string, string>;
  reference?: string;
  email_reply_to_id?: string;
}

export interface SmsRequest {
  phone_number: string;
  template_id: string;
  personalisation: Record<string, string>;
  reference?: string;
}

interface SentTemplate { id: string; version: number; uri: string }

export interface EmailResponse {
  id: string;
  reference: string | null;
  content: { subject: string; body: string; from_email?: string };
  uri?: string;
  template: SentTemplate;
}

export interface SmsResponse {
  id: string;
  reference: string | null;
  content: { body: string; from_number?: string };
  uri?: string;
  template: SentTemplate;
}

export interface MessageProvider {
  /** Kept on each message: 'local' | 'notify'. */
  readonly name: 'local' | 'notify';
  /** The provider's id of one of Hearth's templates in a channel. */
  templateId(template: TemplateName, channel: Channel): string;
  sendEmail(request: EmailRequest): Promise<EmailResponse>;
  sendSms(request: SmsRequest): Promise<SmsResponse>;
}

/** GOV.UK Notify's answer to a request it refused (4xx) or failed (5xx): its status and its errors. */
export class NotifyError extends Error {
  readonly status: number;
  readonly errors: { error: string; message: string }[];
  constructor(status: number, errors: { error: string; message: string }[]) {
    super(`GOV.UK Notify answered ${status}${errors.length ? `: ${errors.map((e) => `${e.error}: ${e.message}`).join('; ')}` : ''}`);
    this.name = 'NotifyError';
    this.status = status;
    this.errors = errors;
  }
}

// ---- The local provider ----------------------------------------------------------------------------------------------

const LOCAL_ID = /^local:([a-z-]+):(email|sms)$/;

/** Renders Hearth's own template text; sends nothing. Its template ids are "local:<name>:<channel>". */
export class LocalProvider implements MessageProvider {
  readonly name = 'local' as const;
  templateId(template: TemplateName, channel: Channel): string {
    return `local:${template}:${channel}`;
  }
  private resolve(id: string, channel: Channel): TemplateName {
    const m = LOCAL_ID.exec(id);
    if (!m || m[2] !== channel || !isTemplateName(m[1]!)) throw new NotifyError(400, [{ error: 'BadRequestError', message: `Template not found: ${id}` }]);
    return m[1];
  }
  async sendEmail(r: EmailRequest): Promise<EmailResponse> {
    const template = this.resolve(r.template_id, 'email');
    const { subject, body } = render(template, 'email', r.personalisation);
    return { id: randomUUID(), reference: r.reference ?? null, content: { subject: subject ?? '', body }, template: { id: r.template_id, version: 1, uri: '' } };
  }
  async sendSms(r: SmsRequest): Promise<SmsResponse> {
    const template = this.resolve(r.template_id, 'sms');
    return { id: randomUUID(), reference: r.reference ?? null, content: { body: render(template, 'sms', r.personalisation).body }, template: { id: r.template_id, version: 1, uri: '' } };
  }
}

// ---- GOV.UK Notify ---------------------------------------------------------------------------------------------------

const UUID_LENGTH = 36;

/** An API key is `{key name}-{service id}-{secret}`: the name may itself have hyphens, the two UUIDs end it. */
export function parseApiKey(key: string): { serviceId: string; secret: string } {
  const secret = key.slice(-UUID_LENGTH);
  const serviceId = key.slice(-(UUID_LENGTH * 2 + 1), -(UUID_LENGTH + 1));
  if (key.length < UUID_LENGTH * 2 + 3 || key.at(-(UUID_LENGTH + 1)) !== '-') throw new Error('That is not a GOV.UK Notify API key');
  return { serviceId, secret };
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * The bearer token for one request: a JWT signed with HMAC SHA-256 by the key's secret, its issuer the service id and
 * issued now (Notify refuses a token more than 30 seconds old, so one is made per request).
 */
export function notifyJwt(apiKey: string, now = new Date()): string {
  const { serviceId, secret } = parseApiKey(apiKey);
  const signing = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))}.${base64url(JSON.stringify({ iss: serviceId, iat: Math.floor(now.getTime() / 1000) }))}`;
  return `${signing}.${base64url(createHmac('sha256', secret).update(signing).digest())}`;
}

export interface NotifyOptions {
  apiKey: string;
  /** https://api.notifications.service.gov.uk, without a trailing slash. */
  baseUrl: string;
  /** Hearth's template name → Notify's template id, by channel. */
  templates: Readonly<Record<string, { email?: string; sms?: string }>>;
  /** One request's time limit (default 10 s). */
  timeoutMs?: number;
  now?: () => Date;
}

export const NOTIFY_TIMEOUT_MS = 10_000;

export class NotifyProvider implements MessageProvider {
  readonly name = 'notify' as const;
  readonly #options: NotifyOptions;
  constructor(options: NotifyOptions) {
    parseApiKey(options.apiKey);
    // Every template must have a Notify template in each channel, found out as Hearth starts rather than when a
    // resident's confirmation fails to go.
    const missing = TEMPLATE_NAMES.flatMap((t) => CHANNELS.filter((c) => !options.templates[t]?.[c]).map((c) => `${t} (${c})`));
    if (missing.length) throw new Error(`Setting HEARTH_NOTIFY_TEMPLATES has no GOV.UK Notify template for ${missing.join(', ')}`);
    this.#options = options;
  }
  templateId(template: TemplateName, channel: Channel): string {
    return this.#options.templates[template]![channel]!;
  }
  sendEmail(r: EmailRequest): Promise<EmailResponse> {
    return this.#post<EmailResponse>('/v2/notifications/email', r);
  }
  sendSms(r: SmsRequest): Promise<SmsResponse> {
    return this.#post<SmsResponse>('/v2/notifications/sms', r);
  }
  async #post<T>(path: string, body: EmailRequest | SmsRequest): Promise<T> {
    const o = this.#options;
    const res = await fetch(`${o.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${notifyJwt(o.apiKey, o.now?.())}`, 'user-agent': 'Hearth' },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(o.timeoutMs ?? NOTIFY_TIMEOUT_MS),
    });
    const text = await res.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    if (!res.ok) {
      const errors = (json as { errors?: unknown } | undefined)?.errors;
      throw new NotifyError(res.status, Array.isArray(errors)
        ? errors.map((e: { error?: unknown; message?: unknown }) => ({ error: String(e.error ?? ''), message: String(e.message ?? '') }))
        : []);
    }
    const sent = json as { id?: unknown; content?: { body?: unknown } } | undefined;
    if (typeof sent?.id !== 'string' || typeof sent.content?.body !== 'string') throw new Error(`GOV.UK Notify answered ${res.status} without a notification`);
    return json as T;
  }
}

/** The provider the settings choose: GOV.UK Notify with an API key, else the local provider. */
export function providerFromConfig(config: Pick<Config, 'notifyApiKey' | 'notifyBaseUrl' | 'notifyTemplates'>): MessageProvider {
  return config.notifyApiKey
    ? new NotifyProvider({ apiKey: config.notifyApiKey, baseUrl: config.notifyBaseUrl, templates: config.notifyTemplates })
    : new LocalProvider();
}
