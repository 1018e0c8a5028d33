// The data lead's worklist section "Imports with problems" (issue 13): recent imports that finished with rows not
// loaded or values left out, or that stopped, each linking to its result page with what went wrong in words.
import { and, count, desc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';
import type { Ctx } from '../../platform/records/context.ts';
import type { WorklistItem, WorklistSection } from '../../platform/modules.ts';
import { imports } from './schema.ts';

/** How far back "recent" goes. */
export const RECENT_DAYS = 30;

const n = (x: number) => x.toLocaleString('en-GB');
const rows = (x: number) => `${n(x)} ${x === 1 ? 'row' : 'rows'}`;

/** "12 rows not loaded, 3 warnings"; for an import that stopped, "Stopped before the end" and what it had not loaded. */
export function problemsInWords(imp: { status: string; rejected: number; duplicates: number; warnings: number }): string {
  const notLoaded = imp.rejected + imp.duplicates;
  const parts = [
    ...(imp.status === 'failed' ? ['Stopped before the end'] : []),
    ...(notLoaded ? [`${rows(notLoaded)} not loaded`] : []),
    ...(imp.warnings ? [`${n(imp.warnings)} ${imp.warnings === 1 ? 'warning' : 'warnings'}`] : []),
  ];
  return parts.join(', ');
}

/** Imports of the last RECENT_DAYS days that finished with problems or stopped, the latest first, and how many. */
export async function importsWithProblems(ctx: Ctx, options: { limit: number }): Promise<{ total: number; items: WorklistItem[] }> {
  if (!can(ctx.actor.role, 'imports:manage')) throw forbidden('Your role does not allow you to load files or see what was loaded');
  const where = and(
    eq(imports.organisationId, ctx.actor.organisationId),
    inArray(imports.status, ['completed', 'failed']),
    or(eq(imports.status, 'failed'), gt(imports.rejected, 0), gt(imports.duplicates, 0), gt(imports.warnings, 0)),
    sql`${imports.createdAt} > now() - make_interval(days => ${RECENT_DAYS})`,
  );
  const [{ total } = { total: 0 }] = await ctx.tx.select({ total: count() }).from(imports).where(where);
  const found = await ctx.tx.select().from(imports).where(where)
    .orderBy(desc(sql`coalesce(${imports.finishedAt}, ${imports.createdAt})`), desc(imports.id)).limit(options.limit);
  return {
    total: Number(total),
    items: found.map((imp) => ({
      href: `/imports/${imp.id}`,
      text: `${imp.fileName} from ${imp.sourceSystem}`,
      hint: problemsInWords(imp),
      ...(imp.status === 'failed' ? { tag: { text: 'Stopped', colour: 'red' as const } } : {}),
    })),
  };
}

export const importsWithProblemsSection: WorklistSection = {
  id: 'ingest-imports-with-problems',
  title: 'Imports with problems',
  roles: ['data-lead', 'administrator'],
  position: 45,
  href: '/imports',
  empty: `No imports in the last ${RECENT_DAYS} days had rows not loaded or warnings`,
  items: (ctx, { limit }) => importsWithProblems(ctx, { limit }),
};
