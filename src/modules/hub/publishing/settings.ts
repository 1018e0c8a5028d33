// Publishing settings of one organisation (issue 16): on or off, the hub's address, the registration and key the hub
// gave, what to publish, a default local authority; and how the last push went. Administrators only (hub:publish).
// The secret is stored to sign pushes and never shown again: a view says only whether one is saved. Every change is
// audited (names of the fields changed, never the secret) and bumps the version the form was drawn from, so a stale
// form is refused rather than overwriting; saving the same values again changes nothing.
import { eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../../platform/records/context.ts';
import { audit } from '../../../platform/audit/service.ts';
import { can, declarePermissions, type PermissionDeclaration } from '../../../platform/auth/roles.ts';
import { declareAuditActions } from '../../../platform/audit/service.ts';
import { forbidden, invalid, Problem } from '../../../platform/http/problem.ts';
import { hubPublishing } from '../schema.ts';
import { REGISTRATION_PATTERN } from '../standard/schema.ts';
import { isLocalAuthorityCode } from './build.ts';

export const PUBLISHING_PERMISSIONS: readonly PermissionDeclaration[] = [
  { name: 'hub:publish', description: 'publishing the organisation\'s homes and measures to a national hub: its settings, preview and pushes', roles: ['administrator'] },
];
export const PUBLISHING_AUDIT_ACTIONS = ['hub-publishing-changed', 'hub-publish-requested'] as const;
// Declared when loaded, as the webhooks module does, so the checks below hold wherever this file is used.
declarePermissions('hub', PUBLISHING_PERMISSIONS);
declareAuditActions('hub', PUBLISHING_AUDIT_ACTIONS);

export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;
const REGISTRATION = new RegExp(REGISTRATION_PATTERN);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export type PublishingRow = typeof hubPublishing.$inferSelect;

export interface PublishingView {
  enabled: boolean;
  hubUrl: string | null;
  publisher: string | null;
  keyId: string | null;
  /** Whether a secret is saved (it is never shown). */
  hasSecret: boolean;
  publishHomes: boolean;
  publishMeasures: boolean;
  defaultLocalAuthority: string | null;
  version: number;
  status: {
    lastPushAt: Date | null; accepted: number | null; rejected: number | null; invalid: number | null;
    errors: { index?: number; field: string; message: string }[];
    lastFailure: string | null; lastFailureAt: Date | null; failuresInARow: number; nextAttemptAt: Date | null;
    lastPosition: number; fullSyncPending: boolean; measuresPushedAt: Date | null;
  };
}

export interface PublishingInput {
  enabled: boolean;
  hubUrl: string;
  publisher: string;
  keyId: string;
  /** Blank: keep the saved secret. */
  secret?: string;
  publishHomes: boolean;
  publishMeasures: boolean;
  defaultLocalAuthority?: string;
}

export function requirePublish(ctx: Ctx) {
  if (!can(ctx.actor.role, 'hub:publish')) throw forbidden('Only administrators publish to a hub');
}

export function presentPublishing(r: PublishingRow | undefined): PublishingView {
  return {
    enabled: r?.enabled ?? false, hubUrl: r?.hubUrl ?? null, publisher: r?.publisher ?? null, keyId: r?.keyId ?? null, hasSecret: !!r?.secret,
    publishHomes: r?.publishHomes ?? true, publishMeasures: r?.publishMeasures ?? true, defaultLocalAuthority: r?.defaultLocalAuthority ?? null,
    version: r?.version ?? 0,
    status: {
      lastPushAt: r?.lastPushAt ?? null, accepted: r?.lastAccepted ?? null, rejected: r?.lastRejected ?? null, invalid: r?.lastInvalid ?? null,
      errors: r?.lastErrors ?? [], lastFailure: r?.lastFailure ?? null, lastFailureAt: r?.lastFailureAt ?? null, failuresInARow: r?.failuresInARow ?? 0,
      nextAttemptAt: r?.nextAttemptAt ?? null, lastPosition: r?.lastPosition ?? 0, fullSyncPending: r?.fullSync ?? false, measuresPushedAt: r?.measuresPushedAt ?? null,
    },
  };
}

async function load(ctx: Ctx, lock = false): Promise<PublishingRow | undefined> {
  const q = ctx.tx.select().from(hubPublishing).where(eq(hubPublishing.organisationId, ctx.actor.organisationId));
  const [row] = await (lock ? q.for('update') : q);
  return row;
}

export async function getPublishing(ctx: Ctx): Promise<PublishingView> {
  requirePublish(ctx);
  return presentPublishing(await load(ctx));
}

/** The hub's address: https (http only to this machine, for development and tests), no credentials, query or fragment. */
export function hubUrlOf(value: string): string {
  const v = value.trim();
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw invalid('/hubUrl', 'must be a web address starting https://, such as https://hub.example.org');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) throw invalid('/hubUrl', 'must start https:// (http:// only to this machine)');
  if (url.username || url.password) throw invalid('/hubUrl', 'must not contain a user name or password: the key signs each push');
  if (url.search || url.hash) throw invalid('/hubUrl', 'must not have a query (?…) or fragment (#…)');
  if (v.length > 500) throw invalid('/hubUrl', 'must be 500 characters or fewer');
  return url.href.replace(/\/+$/, '');
}

/** Save the settings; `expectedVersion` is the version the form showed (a change made since is refused). */
export async function savePublishing(ctx: Ctx, input: PublishingInput, expectedVersion: number): Promise<PublishingView> {
  requirePublish(ctx);
  const current = await load(ctx, true);
  if ((current?.version ?? 0) !== expectedVersion) {
    throw new Problem(412, 'Precondition failed', 'The publishing settings have changed since you opened this page: check them and try again');
  }
  const blankOrNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);
  const hubUrl = blankOrNull(input.hubUrl) ? hubUrlOf(input.hubUrl) : null;
  const publisher = blankOrNull(input.publisher)?.toUpperCase() ?? null;
  if (publisher && !REGISTRATION.test(publisher)) throw invalid('/publisher', 'must be a Regulator of Social Housing registration number, such as L1234, LH1234, 4567 or 00CN');
  const keyId = blankOrNull(input.keyId);
  if (keyId && !KEY_ID_PATTERN.test(keyId)) throw invalid('/keyId', 'must be the key id the hub gave: letters, digits, - and _, up to 100 characters');
  const newSecret = blankOrNull(input.secret);
  if (newSecret && !SECRET_PATTERN.test(newSecret)) throw invalid('/secret', 'must be the secret the hub gave with the key: whsec_ followed by base64');
  const secret = newSecret ?? current?.secret ?? null;
  const defaultLocalAuthority = blankOrNull(input.defaultLocalAuthority)?.toUpperCase() ?? null;
  if (defaultLocalAuthority && !isLocalAuthorityCode(defaultLocalAuthority)) throw invalid('/defaultLocalAuthority', 'must be the ONS (GSS) code of a local authority district, such as E08000035');
  if (input.enabled) {
    if (!hubUrl) throw invalid('/hubUrl', 'is required to publish: enter the hub\'s address');
    if (!publisher) throw invalid('/publisher', 'is required to publish: enter the registration number the hub knows you by');
    if (!keyId) throw invalid('/keyId', 'is required to publish: enter the key id the hub gave');
    if (!secret) throw invalid('/secret', 'is required to publish: enter the secret the hub gave with the key');
    if (!input.publishHomes && !input.publishMeasures) throw invalid('/publishHomes', 'choose what to publish: homes, measures or both');
  }
  const next = { enabled: input.enabled, hubUrl, publisher, keyId, secret, publishHomes: input.publishHomes, publishMeasures: input.publishMeasures, defaultLocalAuthority };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => (current?.[k] ?? (k === 'enabled' ? false : k.startsWith('publish') ? true : null)) !== next[k]);
  if (current && !changed.length) return presentPublishing(current);
  // A new hub or registration holds nothing of ours: everything is sent again, and what the old one held is forgotten.
  const newTarget = changed.includes('hubUrl') || changed.includes('publisher');
  const resend = newTarget || (input.enabled && !current?.enabled) || changed.includes('defaultLocalAuthority') || changed.includes('publishHomes');
  const reset = resend ? { fullSync: true, fullSyncAfter: null, measuresPushedAt: null, nextAttemptAt: null, failuresInARow: 0 } : {};
  const [row] = current
    ? await ctx.tx.update(hubPublishing).set({ ...next, ...reset, version: sql`${hubPublishing.version} + 1`, updatedAt: sql`now()` })
      .where(eq(hubPublishing.organisationId, ctx.actor.organisationId)).returning()
    : await ctx.tx.insert(hubPublishing).values({ organisationId: ctx.actor.organisationId, ...next, ...reset }).returning();
  if (newTarget) await ctx.tx.execute(sql`delete from hub_published_homes where organisation_id = ${ctx.actor.organisationId}`);
  await audit(ctx.tx, ctx.actor, {
    action: 'hub-publishing-changed', entityKind: 'organisation', entityId: ctx.actor.organisationId,
    detail: { fields: changed, enabled: row!.enabled, hubUrl: row!.hubUrl, publisher: row!.publisher, keyId: row!.keyId },
  });
  return presentPublishing(row);
}

/** "Publish now": every home and the measures are sent again at once (the worker's next run, or the caller's). */
export async function requestFullPublish(ctx: Ctx): Promise<PublishingView> {
  requirePublish(ctx);
  const current = await load(ctx, true);
  if (!current?.enabled) throw new Problem(409, 'Conflict', 'Publishing is turned off: turn it on and save the settings first');
  const [row] = await ctx.tx.update(hubPublishing).set({ fullSync: true, fullSyncAfter: null, measuresPushedAt: null, nextAttemptAt: null, failuresInARow: 0 })
    .where(eq(hubPublishing.organisationId, ctx.actor.organisationId)).returning();
  await audit(ctx.tx, ctx.actor, { action: 'hub-publish-requested', entityKind: 'organisation', entityId: ctx.actor.organisationId, detail: { hubUrl: row!.hubUrl, publisher: row!.publisher } });
  return presentPublishing(row);
}
