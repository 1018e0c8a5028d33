// Free-text notes about a person, a home or a tenancy, every word kept. A note is about exactly one subject, named
// by the id field of its subjectKind; a note whose subject matched no record keeps what it named (subjectNamed) and
// no id, never a guess. Other modules call this service, never the table.
import { and, asc, eq, gt, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { forbidden, invalid } from '../../platform/http/problem.ts';
import { can } from '../../platform/auth/roles.ts';
import { defineRecords, type CreateInput, type ListQuery } from '../../platform/records/service.ts';
import { notes } from './schema.ts';
import { NOTE_SUBJECT_KINDS, SUBJECT_ID_FIELD, type NoteSubjectKind } from './codes.ts';

export type Note = typeof notes.$inferSelect;

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const an = (kind: string) => `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;

/** The subject's id is in the field its kind names, and the other id fields are empty. */
function checkSubject(n: Partial<Note>) {
  const kind = n.subjectKind as NoteSubjectKind;
  if (!(kind in NOTE_SUBJECT_KINDS)) throw invalid('/subjectKind', `must be one of ${Object.keys(NOTE_SUBJECT_KINDS).join(', ')}`);
  const own = SUBJECT_ID_FIELD[kind];
  for (const [other, field] of Object.entries(SUBJECT_ID_FIELD)) {
    if (other !== kind && n[field]) {
      throw invalid(`/${field}`, `must be empty for a note about ${an(kind)} (subjectKind is ${kind}; the ${kind} goes in ${own})`);
    }
  }
  if (!n[own] && !str(n.subjectNamed)) {
    throw invalid(`/${own}`, `is required for a note about ${an(kind)} (or subjectNamed: what the source named, for a note whose ${kind} matched no record)`);
  }
}

export const noteRecords = defineRecords<Note>({
  kind: 'note', label: 'note', table: notes, read: 'records:read', write: 'records:write',
  filters: (q: ListQuery) => [
    str(q.personId) ? eq(notes.personId, str(q.personId)!) : undefined,
    str(q.homeId) ? eq(notes.homeId, str(q.homeId)!) : undefined,
    str(q.tenancyId) ? eq(notes.tenancyId, str(q.tenancyId)!) : undefined,
    str(q.subjectKind) ? eq(notes.subjectKind, str(q.subjectKind)!) : undefined,
  ],
  // Checked on the values as they will be stored (on update: the record with the change applied), before writing.
  prepare: (v) => {
    checkSubject(v);
    return typeof v.notedAt === 'string' ? { notedAt: new Date(v.notedAt) } : {};
  },
});

export const noteService = {
  ...noteRecords,
  /** A note written through Hearth is by the person writing it, now, unless it says otherwise. */
  async create(ctx: Ctx, input: CreateInput) {
    return noteRecords.create(ctx, { author: ctx.actor.name, notedAt: new Date(), ...input });
  },
};

/** Newest first: by when noted (undated last), then when recorded. */
export function newestNoteFirst(a: Note, b: Note): number {
  const at = (n: Note) => n.notedAt?.getTime() ?? -Infinity;
  return at(b) - at(a) || b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id);
}

/** Notes about any of these subjects (a person, a home, a tenancy), newest first. */
export async function notesAbout(ctx: Ctx, about: { personId?: string; homeId?: string; tenancyId?: string }): Promise<Note[]> {
  const where: SQL[] = [];
  if (about.personId) where.push(eq(notes.personId, about.personId));
  if (about.homeId) where.push(eq(notes.homeId, about.homeId));
  if (about.tenancyId) where.push(eq(notes.tenancyId, about.tenancyId));
  if (!where.length) return [];
  return (await noteRecords.find(ctx, or(...where)!)).sort(newestNoteFirst);
}

/**
 * Notes about any of these people, homes or tenancies, newest first, in one statement whatever the number of ids
 * (ids go as array parameters): for views composed from several records at once.
 */
export async function notesAboutAny(ctx: Ctx, about: { personIds?: readonly string[]; homeIds?: readonly string[]; tenancyIds?: readonly string[] }): Promise<Note[]> {
  const where: SQL[] = [];
  const any = (column: typeof notes.personId | typeof notes.homeId | typeof notes.tenancyId, ids: readonly string[] | undefined) => {
    if (ids?.length) where.push(sql`${column} = any(${sql.param([...ids])}::uuid[])`);
  };
  any(notes.personId, about.personIds);
  any(notes.homeId, about.homeIds);
  any(notes.tenancyId, about.tenancyIds);
  if (!where.length) return [];
  // As many as notesAbout would read for each subject (its limit), however many subjects.
  const subjects = (about.personIds?.length ?? 0) + (about.homeIds?.length ?? 0) + (about.tenancyIds?.length ?? 0);
  return (await noteRecords.find(ctx, or(...where)!, 10_000 * subjects)).sort(newestNoteFirst);
}

/**
 * Every note of the organisation in id order, `limit` after the id `after` (null: from the first): for a module that
 * rebuilds a view of its own from all notes (insight's damp and mould signals).
 */
export async function notesInIdOrder(ctx: Ctx, after: string | null, limit: number): Promise<Note[]> {
  return noteRecords.find(ctx, after ? gt(notes.id, after) : sql`true`, limit);
}

/** Where a worklist looks for notes: those about these homes, tenancies or people. */
export interface NoteScope { homeIds: readonly string[]; tenancyIds: readonly string[]; personIds: readonly string[] }

const anyOf = (column: typeof notes.personId | typeof notes.homeId | typeof notes.tenancyId, ids: readonly string[]) =>
  (ids.length ? sql`${column} = any(${sql.param([...ids])}::uuid[])` : undefined);

/**
 * Notes that ask for something to be done and are not done yet, the soonest due first, `limit` from `offset`, and
 * how many there are; `scope` null: the whole organisation, else only notes about what it names.
 */
export async function notesToAction(ctx: Ctx, scope: NoteScope | null, page: { limit: number; offset?: number }): Promise<{ total: number; items: Note[] }> {
  if (!can(ctx.actor.role, noteRecords.rules.read)) throw forbidden();
  const where: SQL[] = [eq(notes.organisationId, ctx.actor.organisationId), isNotNull(notes.actionDue), isNull(notes.actionedAt)];
  if (scope) {
    const about = [anyOf(notes.homeId, scope.homeIds), anyOf(notes.tenancyId, scope.tenancyIds), anyOf(notes.personId, scope.personIds)].filter((x): x is SQL => !!x);
    if (!about.length) return { total: 0, items: [] };
    where.push(or(...about)!);
  }
  const [count] = await ctx.tx.select({ n: sql<number>`count(*)::int` }).from(notes).where(and(...where));
  const items = await ctx.tx.select().from(notes).where(and(...where))
    .orderBy(asc(notes.actionDue), asc(notes.notedAt), asc(notes.id)).limit(page.limit).offset(page.offset ?? 0);
  return { total: count?.n ?? 0, items };
}

/**
 * Mark a note's action done (who and when), if the note is still at `version` (412 otherwise). Idempotent: a note
 * already done is left as it is, whatever the version sent (a second click of the same button).
 */
export async function markActioned(ctx: Ctx, id: string, version: number): Promise<Note> {
  const note = await noteRecords.get(ctx, id);
  if (note.actionedAt) return note;
  return noteRecords.update(ctx, id, version, { actionedAt: new Date(), actionedBy: ctx.actor.name });
}
