// The sections of the home page for the actor's role, from every installed module's manifest (`worklists`), in
// position order; each asked for its first few items and its total, in the page's transaction.
import type { FastifyBaseLogger } from 'fastify';
import type { Ctx } from '../../platform/records/context.ts';
import { installedModules, type WorklistItem, type WorklistScope, type WorklistSection } from '../../platform/modules.ts';
import type { Role } from '../../platform/auth/roles.ts';

/** How many items each section shows on the home page. */
export const FIRST = 5;

/**
 * Sections of work a service will bring, shown until it does: an honest placeholder (no items, "coming soon") that
 * the service's own sections replace. None now: the ASB officer's came with the ASB service (issue 15).
 */
export const PLACEHOLDERS: readonly WorklistSection[] = [];
const placeholderIds = new Set(PLACEHOLDERS.map((s) => s.id));

/** The sections a role sees: those naming it, by position (then id). */
export function sectionsFor(role: Role, sections = installedModules().flatMap((m) => m.worklists ?? [])): WorklistSection[] {
  return sections.filter((s) => s.roles.includes(role)).sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
}

export interface SectionView {
  id: string; title: string; href: string; empty: string; byPatch: boolean; placeholder: boolean;
  total: number; items: WorklistItem[];
  /** The section could not be read (its error is in the log); the rest of the page still shows. */
  failed: boolean;
}

/**
 * Each section's first items and total. Each runs in a savepoint of its own, so one that fails (its error logged)
 * shows as "could not be shown" and the others still run.
 */
export async function readSections(ctx: Ctx, sections: readonly WorklistSection[], scope: WorklistScope, log: FastifyBaseLogger): Promise<SectionView[]> {
  const out: SectionView[] = [];
  for (const s of sections) {
    const base = { id: s.id, title: s.title, href: s.href, empty: s.empty, byPatch: !!s.byPatch, placeholder: placeholderIds.has(s.id) };
    try {
      const got = await ctx.tx.transaction((tx) => s.items({ ...ctx, tx }, { limit: FIRST, scope: s.byPatch ? scope : { homeIds: null, personIds: null } }));
      out.push({ ...base, total: got.total, items: got.items.slice(0, FIRST), failed: false });
    } catch (err) {
      log.error({ err, section: s.id }, 'a home page section could not be read');
      out.push({ ...base, total: 0, items: [], failed: true });
    }
  }
  return out;
}
