// The audit log: every write, every read of sensitive data, every sign-in. Written in the same transaction as
// the work it describes, so an audited action and its audit row commit or fail together.
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/store.ts';
import type { Actor } from '../auth/actor.ts';
import { auditEvents } from './schema.ts';

/**
 * What an audit event records. The platform's own actions are below; a module declares its own (its manifest's
 * `auditActions`, installed at start). audit() refuses an action nobody declared, so the log's vocabulary stays known.
 */
export type AuditAction = string;

const PLATFORM_ACTIONS = ['create', 'update', 'delete', 'read-sensitive', 'sign-in', 'sign-in-failed', 'sign-in-locked', 'sign-out',
  'token-created', 'token-revoked', 'user-created', 'user-disabled', 'user-enabled', 'user-role-changed', 'user-password-reset', 'export'];
const ACTIONS = new Map<string, string>(PLATFORM_ACTIONS.map((a) => [a, 'platform']));

/** Declare audit actions (a module's, when it is installed). The same declaration again is a no-op; a clash is an error. */
export function declareAuditActions(by: string, actions: readonly string[]): void {
  for (const a of actions) {
    const known = ACTIONS.get(a);
    if (known && known !== by) throw new Error(`audit action ${a} is declared by both ${known} and ${by}`);
    ACTIONS.set(a, by);
  }
}

/** Every declared audit action and who declared it. */
export const auditActions = (): { action: string; by: string }[] => [...ACTIONS].map(([action, by]) => ({ action, by }));

export interface AuditEntry {
  action: AuditAction;
  entityKind: string;
  entityId?: string | null;
  detail?: Record<string, unknown>;
}

export async function audit(tx: Db, actor: Actor, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  for (const e of list) if (!ACTIONS.has(e.action)) throw new Error(`audit action ${e.action} is declared by no installed module (src/modules/index.ts)`);
  await tx.insert(auditEvents).values(list.map((e) => ({
    organisationId: actor.organisationId,
    id: uuidv7(),
    actorKind: actor.kind,
    actorId: actor.id,
    actorName: actor.name,
    action: e.action,
    entityKind: e.entityKind,
    entityId: e.entityId ?? null,
    detail: e.detail ?? null,
  })));
}

export interface AuditQuery {
  entityKind?: string;
  entityId?: string;
  action?: string;
  before?: Date;
  limit: number;
}

export async function listAudit(tx: Db, organisationId: string, q: AuditQuery) {
  const where = [eq(auditEvents.organisationId, organisationId)];
  if (q.entityKind) where.push(eq(auditEvents.entityKind, q.entityKind));
  if (q.entityId) where.push(eq(auditEvents.entityId, q.entityId));
  if (q.action) where.push(eq(auditEvents.action, q.action));
  if (q.before) where.push(lt(auditEvents.at, q.before));
  return tx.select().from(auditEvents).where(and(...where)).orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(q.limit);
}

/** An actor whose fields are placeholders, for statements compiled once (fill with actorValues). */
export const placeholderActor = {
  organisationId: sql.placeholder('actorOrganisationId'), kind: sql.placeholder('actorKind'),
  id: sql.placeholder('actorId'), name: sql.placeholder('actorName'),
} as const;

export function actorValues(actor: Actor) {
  return { actorOrganisationId: actor.organisationId, actorKind: actor.kind, actorId: actor.id, actorName: actor.name };
}

type ActorFields = { organisationId: unknown; kind: unknown; id: unknown; name: unknown };

/**
 * SQL: an INSERT that audits a read of every row of `cte` (which has an `id` column), for use as a data-modifying
 * CTE in the same statement as the read.
 */
export function auditReadsSql(actor: ActorFields, entityKind: string, cte: string): SQL {
  return sql`insert into audit_events (organisation_id, id, actor_kind, actor_id, actor_name, action, entity_kind, entity_id)
    select ${actor.organisationId}::uuid, gen_random_uuid(), ${actor.kind}, ${actor.id}, ${actor.name}, 'read-sensitive', ${entityKind}, c.id
    from ${sql.identifier(cte)} c`;
}
