// A landlord's ASB settings (categories, priorities, the risk matrix, action targets, the case review rules): one
// document, kept as a new version each time an administrator saves one. With none saved, the shipped default is
// version 0. A case keeps the version it was opened with (docs/decisions/0025).
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import { asbSettings } from './schema.ts';
import { checkAsbSettings, errorLine, type AsbSettings } from './rules/settings.ts';
import { DEFAULT_ASB_SETTINGS } from './rules/default-settings.ts';

export interface VersionedAsbSettings {
  version: number;
  settings: AsbSettings;
  /** When and by whom it was saved (null for the shipped default). */
  savedAt: Date | null;
  savedBy: string | null;
}

const DEFAULT: VersionedAsbSettings = { version: 0, settings: DEFAULT_ASB_SETTINGS, savedAt: null, savedBy: null };

/** Whoever reads or works cases reads the settings (the categories' and priorities' names). */
function requireRead(ctx: Ctx) {
  if (!can(ctx.actor.role, 'asb:read') && !can(ctx.actor.role, 'asb:manage')) throw forbidden('Your role does not allow you to see the ASB settings');
}

// A stored document was checked when it was saved, so it is the settings type as it was then.
const versioned = (row: typeof asbSettings.$inferSelect): VersionedAsbSettings =>
  ({ version: row.version, settings: row.settings as unknown as AsbSettings, savedAt: row.savedAt, savedBy: row.savedBy });

/** The newest saved version, else version 0: the shipped default. */
export async function currentAsbSettings(ctx: Ctx): Promise<VersionedAsbSettings> {
  requireRead(ctx);
  const [row] = await ctx.tx.select().from(asbSettings)
    .where(eq(asbSettings.organisationId, ctx.actor.organisationId)).orderBy(desc(asbSettings.version)).limit(1);
  return row ? versioned(row) : DEFAULT;
}

/** One version (a case keeps the version it was opened with); version 0 is the shipped default. */
export async function asbSettingsVersion(ctx: Ctx, version: number): Promise<VersionedAsbSettings> {
  requireRead(ctx);
  if (version === 0) return DEFAULT;
  const [row] = await ctx.tx.select().from(asbSettings)
    .where(and(eq(asbSettings.organisationId, ctx.actor.organisationId), eq(asbSettings.version, version)));
  if (!row) throw new Problem(404, 'Not found', `No version ${version} of the ASB settings`);
  return versioned(row);
}

/**
 * Check a settings document (parsed JSON) and save it as the next version. Invalid: a 400 whose errors name each JSON
 * path, nothing saved. A lock per organisation makes two saves at once take different numbers.
 */
export async function saveAsbSettings(ctx: Ctx, json: unknown): Promise<VersionedAsbSettings> {
  if (!can(ctx.actor.role, 'asb:manage')) throw forbidden('Your role does not allow you to change the ASB settings');
  const result = checkAsbSettings(json);
  if (!result.ok) {
    throw new Problem(400, 'Invalid request', result.errors.slice(0, 20).map(errorLine).join('; '),
      result.errors.map((e) => ({ field: e.path || '/', message: e.message })));
  }
  const org = ctx.actor.organisationId;
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`asb-settings:${org}`}))`);
  const [last] = await ctx.tx.select({ version: asbSettings.version }).from(asbSettings)
    .where(eq(asbSettings.organisationId, org)).orderBy(desc(asbSettings.version)).limit(1);
  const version = (last?.version ?? 0) + 1;
  const [row] = await ctx.tx.insert(asbSettings).values({
    organisationId: org, version, settings: result.settings as unknown as Record<string, unknown>, savedBy: ctx.actor.name,
  }).returning();
  await audit(ctx.tx, ctx.actor, { action: 'asb-settings-saved', entityKind: 'asb-settings', detail: { version } });
  return versioned(row!);
}
