// Saved views of /hub-insight: one user's filters under a name, in their organisation (row-level security), seen,
// opened, subscribed to and deleted by that user only: another user's view is "not found", never "forbidden", so its
// existence is not given away.
import { and, asc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../../platform/records/context.ts';
import { invalid, notFound } from '../../../platform/http/problem.ts';
import { hubInsightSubscriptions, hubInsightViews } from '../schema.ts';
import { filtersRecord, parseFilters, requireInsight, type InsightFilters } from './service.ts';

export const VIEW_NAME_MAX = 100;

export interface SavedView {
  id: string;
  name: string;
  filters: InsightFilters;
  createdAt: Date;
  subscribed: boolean;
  lastSentAt: Date | null;
}

const mine = (ctx: Ctx, id: string) => and(eq(hubInsightViews.organisationId, ctx.actor.organisationId), eq(hubInsightViews.userId, ctx.actor.id), eq(hubInsightViews.id, id));

/** A view's name: one line, 1 to 100 characters. */
export function checkViewName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (!name) throw invalid('/name', 'Enter a name for the view');
  if (name.length > VIEW_NAME_MAX) throw invalid('/name', `The name of the view must be ${VIEW_NAME_MAX} characters or fewer`);
  if (/\p{Cc}/u.test(name)) throw invalid('/name', 'The name of the view must be one line of text');
  return name;
}

export async function saveView(ctx: Ctx, name: string, filters: InsightFilters): Promise<SavedView> {
  requireInsight(ctx.actor);
  const [row] = await ctx.tx.insert(hubInsightViews).values({
    organisationId: ctx.actor.organisationId, id: uuidv7(), userId: ctx.actor.id, name: checkViewName(name), filters: filtersRecord(filters),
  }).returning();
  return { id: row!.id, name: row!.name, filters, createdAt: row!.createdAt, subscribed: false, lastSentAt: null };
}

/** The actor's own views, by name, with whether they are subscribed. */
export async function listViews(ctx: Ctx): Promise<SavedView[]> {
  requireInsight(ctx.actor);
  const rows = await ctx.tx.select({ v: hubInsightViews, s: hubInsightSubscriptions }).from(hubInsightViews)
    .leftJoin(hubInsightSubscriptions, and(eq(hubInsightSubscriptions.organisationId, hubInsightViews.organisationId), eq(hubInsightSubscriptions.viewId, hubInsightViews.id)))
    .where(and(eq(hubInsightViews.organisationId, ctx.actor.organisationId), eq(hubInsightViews.userId, ctx.actor.id)))
    .orderBy(asc(hubInsightViews.name), asc(hubInsightViews.id));
  return rows.map(({ v, s }) => ({ id: v.id, name: v.name, filters: parseFilters(v.filters).filters, createdAt: v.createdAt, subscribed: !!s, lastSentAt: s?.lastSentAt ?? null }));
}

/** One of the actor's own views; 404 for anyone else's. */
export async function getView(ctx: Ctx, id: string): Promise<SavedView> {
  requireInsight(ctx.actor);
  const [row] = await ctx.tx.select({ v: hubInsightViews, s: hubInsightSubscriptions }).from(hubInsightViews)
    .leftJoin(hubInsightSubscriptions, and(eq(hubInsightSubscriptions.organisationId, hubInsightViews.organisationId), eq(hubInsightSubscriptions.viewId, hubInsightViews.id)))
    .where(mine(ctx, id));
  if (!row) throw notFound('saved view');
  return { id: row.v.id, name: row.v.name, filters: parseFilters(row.v.filters).filters, createdAt: row.v.createdAt, subscribed: !!row.s, lastSentAt: row.s?.lastSentAt ?? null };
}

/** Delete one of the actor's own views (its subscription goes with it); 404 for anyone else's. */
export async function deleteView(ctx: Ctx, id: string): Promise<void> {
  requireInsight(ctx.actor);
  const gone = await ctx.tx.delete(hubInsightViews).where(mine(ctx, id)).returning({ id: hubInsightViews.id });
  if (!gone.length) throw notFound('saved view');
}
