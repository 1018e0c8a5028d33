// Messages to residents: notify() keeps one in the caller's transaction, and messagesFor() lists them for
// administrators (notifications:read: they hold contact details).
//
// When a message goes (decision): never inside the caller's transaction. With GOV.UK Notify, notify() stores the message
// 'queued' with Hearth's own rendering, and the worker (worker.ts, `hearth start`) sends it once the caller's work has
// committed: a resident is never told about a repair that was then rolled back, no transaction waits on Notify for up
// to 10 seconds, and a refused or failed send is recorded on the message ('failed', with Notify's words) without
// touching the repair it was about. The local provider sends nothing, so its message is rendered and kept as 'sent' at
// once. Either way the caller's work fails only on its own mistakes: an unknown template or a missing placeholder.
import { and, desc, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/records/context.ts';
import type { Store } from '../../platform/db/store.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, invalid } from '../../platform/http/problem.ts';
import { notifications } from './schema.ts';
import { checkPersonalisation, isTemplateName, render, type Channel, type TemplateName } from './templates.ts';
import { LocalProvider, type MessageProvider } from './providers.ts';

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface NotifyInput {
  channel: Channel;
  /** An email address, or a phone number for a text message. */
  to: string;
  template: TemplateName;
  /** A value for each ((placeholder)) of the template. */
  personalisation: Readonly<Record<string, string>>;
  /** Our reference, given to the provider too (the repair's reference). */
  reference?: string | null;
  /** What it is about: 'repair-request' and its id. */
  about?: { kind: string; id: string } | null;
}

export interface MessageView {
  id: string;
  channel: Channel;
  to: string;
  template: string;
  /** As the resident sees it: Hearth's rendering until GOV.UK Notify has sent it, then Notify's own. */
  subject: string | null;
  body: string;
  reference: string | null;
  provider: 'local' | 'notify';
  providerId: string | null;
  status: MessageStatus;
  error: string | null;
  about: { kind: string; id: string } | null;
  createdAt: Date;
}

// The provider this process sends through: the local one until the app's settings say otherwise (the manifest's
// `jobs`, made once per app from its settings, calls useMessageProvider). Commands and unit tests that never build
// the app keep the local provider, which sends nothing.
let active: MessageProvider = new LocalProvider();

/** Send through this provider from now on (the app, from its settings; tests). */
export function useMessageProvider(provider: MessageProvider): void {
  active = provider;
}

/** The provider messages go through now. */
export const messageProvider = (): MessageProvider => active;

type Row = typeof notifications.$inferSelect;

function present(r: Row): MessageView {
  return {
    id: r.id, channel: r.channel as Channel, to: r.recipient, template: r.templateId, subject: r.subject, body: r.body, reference: r.reference,
    provider: r.provider as 'local' | 'notify', providerId: r.providerId, status: r.status as MessageStatus, error: r.error,
    about: r.aboutKind && r.aboutId ? { kind: r.aboutKind, id: r.aboutId } : null, createdAt: r.createdAt,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{7,20}$/;

/**
 * Keep a message to a resident, in the caller's transaction, for the actor's organisation; GOV.UK Notify sends it
 * after the transaction commits (see the top of this file). Any actor may: the caller's own service has checked what
 * it is doing. Throws for the caller's mistakes only (MissingPersonalisation names the missing placeholders).
 */
export async function notify(ctx: Ctx, input: NotifyInput): Promise<MessageView> {
  if (!isTemplateName(input.template)) throw new Error(`There is no message template called ${String(input.template)}`);
  if (input.channel !== 'email' && input.channel !== 'sms') throw new Error(`There is no channel called ${String(input.channel)}`);
  const to = input.to.trim();
  if (input.channel === 'email' ? !EMAIL.test(to) : !PHONE.test(to)) {
    throw invalid('/to', input.channel === 'email' ? 'Enter an email address in the correct format, like name@example.com' : 'Enter a phone number, like 07700 900 982');
  }
  // Only the placeholders' values are kept and sent, each as text.
  checkPersonalisation(input.template, input.channel, input.personalisation);
  const personalisation = Object.fromEntries(Object.entries(input.personalisation).filter(([, v]) => typeof v === 'string'));
  const provider = active;
  let row: Omit<Row, 'organisationId' | 'id' | 'createdAt'>;
  const common = {
    channel: input.channel, recipient: to, templateId: input.template, personalisation, reference: input.reference ?? null,
    provider: provider.name, aboutKind: input.about?.kind ?? null, aboutId: input.about?.id ?? null, error: null,
  };
  if (provider.name === 'local') {
    // Nothing leaves Hearth, so it is "sent" now, as the local provider renders it.
    const sent = await send(provider, common);
    row = { ...common, status: 'sent', providerId: sent.id, subject: sent.subject, body: sent.body };
  } else {
    const { subject, body } = render(input.template, input.channel, personalisation);
    row = { ...common, status: 'queued', providerId: null, subject, body };
  }
  const [saved] = await ctx.tx.insert(notifications).values({ organisationId: ctx.actor.organisationId, id: uuidv7(), ...row }).returning();
  return present(saved!);
}

interface Sendable {
  channel: string; recipient: string; templateId: string; personalisation: Record<string, string>; reference: string | null;
}

/** One message through a provider: its id, and the subject and body as the resident gets them. */
async function send(provider: MessageProvider, m: Sendable): Promise<{ id: string; subject: string | null; body: string }> {
  const template = m.templateId as TemplateName;
  const reference = m.reference ?? undefined;
  if (m.channel === 'email') {
    const r = await provider.sendEmail({ email_address: m.recipient, template_id: provider.templateId(template, 'email'), personalisation: m.personalisation, reference });
    return { id: r.id, subject: r.content.subject, body: r.content.body };
  }
  const r = await provider.sendSms({ phone_number: m.recipient, template_id: provider.templateId(template, 'sms'), personalisation: m.personalisation, reference });
  return { id: r.id, subject: null, body: r.content.body };
}

function requireRead(ctx: Ctx) {
  if (!can(ctx.actor.role, 'notifications:read')) throw forbidden('Your role does not allow you to see the messages sent to residents');
}

/** The organisation's messages, newest first; only those about one thing when `about` is given. */
export async function messagesFor(ctx: Ctx, options: { about?: { kind: string; id: string }; limit?: number } = {}): Promise<MessageView[]> {
  requireRead(ctx);
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const where = [eq(notifications.organisationId, ctx.actor.organisationId)];
  if (options.about) where.push(eq(notifications.aboutKind, options.about.kind), eq(notifications.aboutId, options.about.id));
  const rows = await ctx.tx.select().from(notifications).where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(limit);
  return rows.map(present);
}

// ---- Sending what is queued (the worker, and tests) ------------------------------------------------------------------

export interface SendOptions {
  /** Only this organisation's messages (tests sharing a database; a server's worker sends every organisation's). */
  organisationId?: string;
  /** Messages claimed at a time. */
  batch?: number;
}

export interface SendOutcome {
  organisationId: string;
  id: string;
  status: 'sent' | 'failed';
  error?: string;
}

/** A short reason for the messages page: Notify's own words, or why there was no answer. Never the personalisation. */
function reason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError') return 'GOV.UK Notify did not answer in time';
  if (e.cause?.code === 'ECONNREFUSED') return 'GOV.UK Notify could not be reached (connection refused)';
  return (e.message ?? String(err)).slice(0, 500);
}

/**
 * Send the queued messages through `provider`, each once. A message is claimed (queued → sending, FOR UPDATE SKIP
 * LOCKED) in a short transaction before it is sent, so two workers never send the same one and no transaction waits
 * on the provider; what came of it is recorded in another. A refusal or failure is recorded as 'failed' with the
 * reason and not tried again: a resident must not get the same message twice, and an administrator sees it.
 */
export async function sendQueued(store: Store, provider: MessageProvider, options: SendOptions = {}): Promise<SendOutcome[]> {
  if (!options.organisationId) {
    // One organisation at a time, those waiting longest first: a claim stays on one landlord's shard on Citus, which
    // cannot lock rows across shards (docs/scaling.md).
    const batch = options.batch ?? 50;
    const waiting = await store.system(async (tx) => ((await tx.execute(sql`select organisation_id from notifications
      where status = 'queued' and provider = ${provider.name} group by organisation_id order by min(created_at) limit ${batch}`)).rows as { organisation_id: string }[]));
    const outcomes: SendOutcome[] = [];
    for (const { organisation_id: org } of waiting) {
      if (outcomes.length >= batch) break;
      outcomes.push(...await sendQueued(store, provider, { ...options, organisationId: org, batch: batch - outcomes.length }));
    }
    return outcomes;
  }
  const claimed = await store.system(async (tx) => (await tx.execute(sql`with due as (
      select organisation_id, id from notifications
      where status = 'queued' and provider = ${provider.name} and organisation_id = ${options.organisationId}
      order by created_at limit ${options.batch ?? 50}
      for update skip locked)
    update notifications n set status = 'sending' from due where n.organisation_id = due.organisation_id and n.id = due.id
    returning n.organisation_id, n.id, n.channel, n.recipient, n.template_id, n.personalisation, n.reference`)).rows as {
      organisation_id: string; id: string; channel: string; recipient: string; template_id: string; personalisation: Record<string, string>; reference: string | null;
    }[]);
  const outcomes: SendOutcome[] = [];
  for (const m of claimed) {
    let outcome: SendOutcome;
    try {
      const sent = await send(provider, { channel: m.channel, recipient: m.recipient, templateId: m.template_id, personalisation: m.personalisation, reference: m.reference });
      await store.system((tx) => tx.execute(sql`update notifications set status = 'sent', provider_id = ${sent.id}, subject = ${sent.subject}, body = ${sent.body}, error = null
        where organisation_id = ${m.organisation_id} and id = ${m.id} and status = 'sending'`));
      outcome = { organisationId: m.organisation_id, id: m.id, status: 'sent' };
    } catch (err) {
      const error = reason(err);
      await store.system((tx) => tx.execute(sql`update notifications set status = 'failed', error = ${error}
        where organisation_id = ${m.organisation_id} and id = ${m.id} and status = 'sending'`));
      outcome = { organisationId: m.organisation_id, id: m.id, status: 'failed', error };
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Messages left 'sending' by a process that stopped mid-send, an hour or more after they were made: whether the resident
 * got them is not known, so they are marked failed for an administrator to check, never sent again blindly.
 */
export async function failAbandoned(store: Store, now = new Date()): Promise<number> {
  const rows = await store.system((tx) => tx.execute(sql`update notifications
    set status = 'failed', error = 'Hearth stopped while sending it: check GOV.UK Notify before sending it again'
    where status = 'sending' and created_at < ${new Date(now.getTime() - 3600_000).toISOString()}::timestamptz returning id`));
  return rows.rows.length;
}
