// A landlord's repair settings (the triage tree, priorities, alert rules, emergency screen and slots): one document,
// kept as a new version each time an administrator saves one. With none saved, the shipped default is version 0.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { can, type Permission } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import { repairSettings } from './schema.ts';
import { validateRepairSettings, errorLine, type RepairSettings } from './rules/settings.ts';
import { DEFAULT_REPAIR_SETTINGS } from './rules/default-settings.ts';

export interface VersionedSettings {
  version: number;
  settings: RepairSettings;
  /** When and by whom it was saved (null for the shipped default). */
  createdAt: Date | null;
  createdBy: string | null;
}

/** Everyone who works with repairs reads the settings (the tree, the priorities' names); residents' pages act as Hearth. */
const READERS: readonly Permission[] = ['repairs:settings', 'repairs:raise', 'repairs:plan', 'repairs:work'];

function requireRead(ctx: Ctx) {
  if (!READERS.some((p) => can(ctx.actor.role, p))) throw forbidden('Your role does not allow you to see the repair settings');
}

/** The newest saved version, else version 0: the shipped default. */
export async function currentSettings(ctx: Ctx): Promise<VersionedSettings> {
  requireRead(ctx);
  const [row] = await ctx.tx.select().from(repairSettings)
    .where(eq(repairSettings.organisationId, ctx.actor.organisationId)).orderBy(desc(repairSettings.version)).limit(1);
  if (!row) return { version: 0, settings: DEFAULT_REPAIR_SETTINGS, createdAt: null, createdBy: null };
  return { version: row.version, settings: row.document as RepairSettings, createdAt: row.createdAt, createdBy: row.createdBy };
}

/** One version (a request keeps the version it was triaged with); version 0 is the shipped default. */
export async function settingsVersion(ctx: Ctx, version: number): Promise<VersionedSettings> {
  requireRead(ctx);
  if (version === 0) return { version: 0, settings: DEFAULT_REPAIR_SETTINGS, createdAt: null, createdBy: null };
  const [row] = await ctx.tx.select().from(repairSettings)
    .where(and(eq(repairSettings.organisationId, ctx.actor.organisationId), eq(repairSettings.version, version)));
  if (!row) throw new Problem(404, 'Not found', `No version ${version} of the repair settings`);
  return { version: row.version, settings: row.document as RepairSettings, createdAt: row.createdAt, createdBy: row.createdBy };
}

/**
 * Validate a settings document (parsed JSON) and save it as the next version. Invalid: a 400 whose errors name each
 * JSON path (as JSON pointers), nothing saved. A lock per organisation makes two saves at once take different numbers.
 */
export async function saveSettings(ctx: Ctx, json: unknown): Promise<VersionedSettings> {
  if (!can(ctx.actor.role, 'repairs:settings')) throw forbidden('Your role does not allow you to change the repair settings');
  const result = validateRepairSettings(json);
  if (!result.ok) {
    throw new Problem(400, 'Invalid request', result.errors.slice(0, 20).map(errorLine).join('; '),
      result.errors.map((e) => ({ field: e.path || '/', message: e.message })));
  }
  const org = ctx.actor.organisationId;
  await ctx.tx.execute(sqlLock(org));
  const [last] = await ctx.tx.select({ version: repairSettings.version }).from(repairSettings)
    .where(eq(repairSettings.organisationId, org)).orderBy(desc(repairSettings.version)).limit(1);
  const version = (last?.version ?? 0) + 1;
  const [row] = await ctx.tx.insert(repairSettings).values({
    organisationId: org, version, document: result.settings, createdBy: ctx.actor.name,
  }).returning();
  await audit(ctx.tx, ctx.actor, { action: 'repair-settings-saved', entityKind: 'repair-settings', detail: { version } });
  return { version, settings: result.settings, createdAt: row!.createdAt, createdBy: row!.createdBy };
}

const sqlLock = (org: string) => sql`select pg_advisory_xact_lock(hashtext(${`repair-settings:${org}`}))`;
