// What the hub's operator does (issue 16 part 2): add publishers, give and revoke their push keys, register, pause,
// resume and remove the feeds and files the hub pulls, pull a publisher's sources now, and upload a file for a
// publisher. Administrators only (hub:operate). Hub tables have no organisation, so the work is done as the owner
// (store.system), with the audit event (in the operator's organisation's log) in the same transaction: a key made or
// revoked and its audit row commit together. A key's secret is returned once, to be shown once; it is never audited.
import { sql } from 'drizzle-orm';
import type { Store, Db } from '../../../platform/db/store.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import { audit, declareAuditActions } from '../../../platform/audit/service.ts';
import { can, declarePermissions, type PermissionDeclaration, type Role } from '../../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../../platform/http/problem.ts';
import { REGISTRATION_PATTERN } from '../standard/schema.ts';
import { upsertPublisher } from '../intake.ts';
import { createKey, listKeys, revokeKey, type NewKey } from '../push/credentials.ts';
import { listSources, pauseSource, registerSource, resumeSource, unregisterSource, type FileKind, type Source, type SourceKind } from '../sources/registry.ts';
import { pollDueSources } from '../sources/poller.ts';
import { receiveUpload, uploadKind, UploadRefused, type FileReceipt } from '../sources/file.ts';
import type { PullResult } from '../sources/state.ts';
import { publicDataFor } from '../public/queries.ts';

export const HUB_OPERATOR_PERMISSIONS: readonly PermissionDeclaration[] = [
  { name: 'hub:operate', description: "running the hub: its publishers, their push keys, the feeds and files it pulls, uploads for a publisher", roles: ['administrator'] },
];
export const HUB_OPERATOR_AUDIT_ACTIONS = ['hub-publisher-added', 'hub-key-created', 'hub-key-revoked', 'hub-source-registered', 'hub-source-removed'] as const;
// Declared when loaded (as publishing/settings.ts does), so can() and audit() know them wherever this file is used.
declarePermissions('hub', HUB_OPERATOR_PERMISSIONS);
declareAuditActions('hub', HUB_OPERATOR_AUDIT_ACTIONS);

export const PUBLISHER_KINDS = ['private-registered-provider', 'local-authority'] as const;
export type PublisherKind = (typeof PUBLISHER_KINDS)[number];
export const OPERATOR_PAGE_SIZE = 100;
const REGISTRATION = new RegExp(REGISTRATION_PATTERN);
const REGION = /^[EWSN][0-9]{8}$/;
const ENTITY = 'hub-publisher';

/** The actor may run the hub (401 when signed out: the pages send them to sign in). */
export function requireOperator(actor: { role: Role } | null | undefined): asserts actor {
  if (!actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(actor.role, 'hub:operate')) throw forbidden("Only administrators run the hub's publishers, keys and sources");
}

/** Whether the organisation runs this hub (hub.operators). */
export async function isHubOperator(db: Db, organisationId: string): Promise<boolean> {
  return (await db.execute(sql`SELECT 1 FROM hub.operators WHERE organisation_id = ${organisationId}`)).rows.length > 0;
}

/** Make an organisation one that runs this hub (idempotent). */
export async function makeHubOperator(db: Db, organisationId: string): Promise<void> {
  await db.execute(sql`INSERT INTO hub.operators (organisation_id) VALUES (${organisationId}) ON CONFLICT DO NOTHING`);
}

/** A refusal naming the field of the form it is about. */
export class OperatorRefused extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

export interface PublisherRow {
  publisher: string; name: string; kind: string; region: string | null;
  homes: number; lastReceived: Date | null; sources: number; failing: number; paused: number; keys: number;
  /** No data yet, Failing, Paused or OK. */
  status: 'none' | 'failing' | 'paused' | 'ok';
}

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Publishers a page at a time (by name), each with its homes, last batch, sources and active keys. */
export async function listPublishers(db: Db, page = 1): Promise<{ rows: PublisherRow[]; total: number }> {
  const offset = (Math.max(1, page) - 1) * OPERATOR_PAGE_SIZE;
  const rows = (await db.execute(sql`SELECT p.publisher, p.name, p.kind, p.region, count(*) OVER () AS total,
      (SELECT count(*) FROM hub.homes h WHERE h.publisher = p.publisher) AS homes,
      (SELECT max(received_at) FROM hub.batches b WHERE b.publisher = p.publisher) AS last_received,
      (SELECT count(*) FROM hub.credentials c WHERE c.publisher = p.publisher AND c.revoked_at IS NULL) AS keys,
      s.n AS sources, s.failing, s.paused
    FROM hub.publishers p
    LEFT JOIN LATERAL (SELECT count(*) AS n, count(*) FILTER (WHERE status = 'failing') AS failing, count(*) FILTER (WHERE status = 'paused') AS paused
      FROM hub.sources s WHERE s.publisher = p.publisher) s ON true
    ORDER BY p.name, p.publisher LIMIT ${OPERATOR_PAGE_SIZE} OFFSET ${offset}`)).rows as Record<string, unknown>[];
  let total = n(rows[0]?.total);
  if (!rows.length && offset > 0) total = n((await db.execute(sql`SELECT count(*) AS n FROM hub.publishers`)).rows[0]?.n);
  return {
    total,
    rows: rows.map((r) => {
      const failing = n(r.failing);
      const paused = n(r.paused);
      const lastReceived = r.last_received ? new Date(r.last_received as string) : null;
      return {
        publisher: String(r.publisher), name: String(r.name), kind: String(r.kind), region: (r.region as string | null) ?? null,
        homes: n(r.homes), lastReceived, sources: n(r.sources), failing, paused, keys: n(r.keys),
        status: failing ? 'failing' : paused ? 'paused' : lastReceived ? 'ok' : 'none',
      };
    }),
  };
}

export interface NewPublisher { registration: string; name: string; kind: string; region?: string }

/** Add a publisher; refuses, naming the field, a registration, name, kind or region that is wrong or already there. */
export async function addPublisher(store: Store, actor: Actor, p: NewPublisher): Promise<string> {
  requireOperator(actor);
  const registration = p.registration.trim().toUpperCase();
  if (!registration) throw new OperatorRefused('registration', 'Enter the registration number');
  if (!REGISTRATION.test(registration)) throw new OperatorRefused('registration', 'The registration number must be a Regulator of Social Housing registration number, such as L1234, LH1234, 4567 or 12AB');
  const name = p.name.trim();
  if (!name) throw new OperatorRefused('name', "Enter the landlord's name");
  if (name.length > 200) throw new OperatorRefused('name', 'The name must be 200 characters or fewer');
  if (!(PUBLISHER_KINDS as readonly string[]).includes(p.kind)) throw new OperatorRefused('kind', 'Select the kind of landlord');
  const region = (p.region ?? '').trim().toUpperCase();
  if (region && !REGION.test(region)) throw new OperatorRefused('region', 'The region must be an ONS region code, such as E12000003, or left empty');
  return store.system(async (db) => {
    const known = await db.execute(sql`SELECT name FROM hub.publishers WHERE publisher = ${registration}`);
    if (known.rows.length) throw new OperatorRefused('registration', `${registration} is already a publisher of this hub (${String((known.rows[0] as { name: string }).name)})`);
    await upsertPublisher(db, { publisher: registration, name, kind: p.kind as PublisherKind, region: region || null });
    await audit(db, actor, { action: 'hub-publisher-added', entityKind: ENTITY, detail: { publisher: registration, name, kind: p.kind, region: region || null } });
    return registration;
  });
}

export interface PublisherDetail {
  publisher: { publisher: string; name: string; kind: string; region: string | null; createdAt: Date };
  homes: number;
  lastReceived: Date | null;
  keys: Awaited<ReturnType<typeof listKeys>>;
  sources: Source[];
}

export async function publisherDetail(db: Db, registration: string): Promise<PublisherDetail | undefined> {
  const p = (await db.execute(sql`SELECT publisher, name, kind, region, created_at FROM hub.publishers WHERE publisher = ${registration}`)).rows[0] as
    { publisher: string; name: string; kind: string; region: string | null; created_at: string } | undefined;
  if (!p) return undefined;
  const facts = (await db.execute(sql`SELECT (SELECT count(*) FROM hub.homes WHERE publisher = ${registration}) AS homes,
    (SELECT max(received_at) FROM hub.batches WHERE publisher = ${registration}) AS last_received`)).rows[0] as Record<string, unknown>;
  return {
    publisher: { publisher: p.publisher, name: p.name, kind: p.kind, region: p.region, createdAt: new Date(p.created_at) },
    homes: n(facts.homes), lastReceived: facts.last_received ? new Date(facts.last_received as string) : null,
    keys: await listKeys(db, registration), sources: await listSources(db, registration),
  };
}

/** A new push key: its secret is in the answer and nowhere that can be read back. */
export async function createPushKey(store: Store, actor: Actor, registration: string): Promise<NewKey> {
  requireOperator(actor);
  return store.system(async (db) => {
    const key = await createKey(db, registration);
    await audit(db, actor, { action: 'hub-key-created', entityKind: ENTITY, detail: { publisher: registration, keyId: key.keyId } });
    return key;
  });
}

/** Revoke a key: false when it was revoked already (nothing audited then). */
export async function revokePushKey(store: Store, actor: Actor, registration: string, keyId: string): Promise<boolean> {
  requireOperator(actor);
  return store.system(async (db) => {
    let revoked: boolean;
    try {
      revoked = await revokeKey(db, registration, keyId);
    } catch (err) {
      throw new Problem(404, 'Not found', (err as Error).message);
    }
    if (revoked) await audit(db, actor, { action: 'hub-key-revoked', entityKind: ENTITY, detail: { publisher: registration, keyId } });
    return revoked;
  });
}

export interface NewSourceInput { kind: string; url: string; fileKind?: string }

/** Register a feed or file; `checkUrl` refuses addresses the hub must not fetch. Refusals name the field (SourceRefused). */
export async function addSource(store: Store, actor: Actor, registration: string, s: NewSourceInput, checkUrl?: (url: string) => Promise<void>): Promise<Source> {
  requireOperator(actor);
  return store.system(async (db) => {
    const source = await registerSource(db, {
      publisher: registration, kind: s.kind as SourceKind, url: s.url.trim(), fileKind: s.kind === 'file' ? (s.fileKind || null) as FileKind | null : null,
    }, checkUrl ? { checkUrl } : {});
    await audit(db, actor, { action: 'hub-source-registered', entityKind: ENTITY, detail: { publisher: registration, source: source.id, kind: source.kind, url: source.url, fileKind: source.fileKind } });
    return source;
  });
}

export type SourceAction = 'pause' | 'resume' | 'remove';

/** Pause, resume or remove a source of the publisher; a source it does not have is not found. */
export async function changeSource(store: Store, actor: Actor, registration: string, id: string, action: SourceAction, now = new Date()): Promise<void> {
  requireOperator(actor);
  const done = await store.system(async (db) => {
    if (action === 'pause') {
      return pauseSource(db, registration, id, `Paused by ${actor.name} on ${now.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })}`);
    }
    if (action === 'resume') return resumeSource(db, registration, id);
    const gone = await unregisterSource(db, registration, id);
    if (gone) await audit(db, actor, { action: 'hub-source-removed', entityKind: ENTITY, detail: { publisher: registration, source: id } });
    return gone;
  });
  if (!done) throw new Problem(404, 'Not found', `Publisher ${registration} has no source ${id}`);
}

/** Pull every source of the publisher that is not paused, now, whatever its schedule. */
export async function pullNow(store: Store, actor: Actor, registration: string, options: { maxBytes?: number; checkUrl?: (url: string) => Promise<void> } = {}): Promise<PullResult[]> {
  requireOperator(actor);
  const results = await pollDueSources(store, { publisher: registration, everyMinutes: 0, ...options });
  if (results.some((r) => r.batches > 0)) publicDataFor(store).changed(registration);
  return results;
}

export const UPLOAD_KINDS = ['homes', 'measures', 'batch'] as const satisfies readonly FileKind[];
const KIND_FILE: Readonly<Record<FileKind, string>> = { homes: 'homes.csv', measures: 'measures.csv', batch: 'batch.json' };

/**
 * A file uploaded for the publisher: what it is from `kind` when chosen, else from its name (homes.csv, measures.csv,
 * .json). Refusals (UploadRefused) name the file.
 */
export async function uploadFor(store: Store, actor: Actor, registration: string, fileName: string, body: Uint8Array, kind: FileKind | undefined,
  options: { maxBytes?: number } = {}): Promise<FileReceipt> {
  requireOperator(actor);
  const byName = uploadKind(fileName);
  if (!kind && !byName) {
    throw new UploadRefused(`${fileName} is not named as a file of the standard: name it homes.csv, measures.csv or *.json, or choose what it holds`);
  }
  // receiveUpload tells the kind from a name: a chosen kind is given as its file's name, and messages name the real file.
  const asName = kind && kind !== byName ? KIND_FILE[kind] : fileName;
  try {
    const receipt = await receiveUpload(store, registration, asName, body, options);
    if (!receipt.replayed) publicDataFor(store).changed(registration);
    return receipt;
  } catch (err) {
    if (err instanceof UploadRefused && asName !== fileName) throw new UploadRefused(err.message.replaceAll(asName, fileName));
    throw err;
  }
}
