// Note pages: add a note to a person, a home or a tenancy (a one-time form token, so a double-clicked form writes one
// note), optionally asking for something to be done by a date; mark that done (at the note's version: If-Match); and
// the notes whose action is due (the housing officer's worklist), in full. No JavaScript needed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { IdParams, QueryValue, type PageRun } from '../../web/page.ts';
import type { Run } from '../../platform/records/api.ts';
import type { Ctx } from '../../platform/records/context.ts';
import type { WorklistItem, WorklistScope } from '../../platform/modules.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import { govukDate, ukDate } from '../../platform/uk-time.ts';
import { literalUnion } from '../../platform/http/schemas.ts';
import { DateInput, defineForm, formTokenFor, oncePerFormToken, postedFormToken, type FormResult } from '../../web/forms/index.ts';
import { fieldOf } from '../../web/forms/fields.ts';
import { formatAddress, homeRecords } from '../homes/index.ts';
import { fullName, peopleAtHomes, personRecords } from '../people/index.ts';
import { tenancyIdsOfHomes, tenancyService } from '../tenancies/index.ts';
import { patchScope } from '../../platform/modules.ts';
import { NOTE_MAX_LENGTH, NOTE_TYPES, SUBJECT_ID_FIELD, type NoteSubjectKind } from './codes.ts';
import { markActioned, noteService, notesToAction, type Note, type NoteScope } from './service.ts';


const NoteForm = defineForm({
  schema: Type.Object({
    noteType: literalUnion(NOTE_TYPES),
    text: Type.String({ maxLength: NOTE_MAX_LENGTH }),
    needsAction: Type.Optional(Type.Literal('yes')),
    actionDue: Type.Optional(DateInput({ label: 'The date it needs doing by', when: 'today-or-future' })),
  }),
  messages: {
    noteType: 'Select the type of note',
    text: { required: 'Enter the note', tooLong: `The note must be ${NOTE_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer` },
    needsAction: 'Select whether something needs to be done',
    actionDue: { required: 'Enter the date it needs doing by', when: 'The date it needs doing by must be today or in the future' },
  },
  ids: { actionDue: 'actionDue-day', needsAction: 'needsAction' },
  check: (values, fail) => {
    if (values.needsAction && !values.actionDue) fail('actionDue', 'Enter the date it needs doing by', 'day');
    if (!values.needsAction && values.actionDue) fail('needsAction', 'Select ‘Something needs to be done’ to give a date it needs doing by');
  },
});

type Raw = Record<string, unknown>;
const rawText = (raw: Raw | undefined, name: string) => (typeof raw?.[name] === 'string' ? (raw[name] as string) : '');

function requireWrite(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'records:write')) throw forbidden('Your role does not allow you to add notes');
}

/** The subject of a note, as the form shows it and where to go back to. 404 when it is not in the actor's organisation. */
async function subjectOf(ctx: Ctx, kind: NoteSubjectKind, id: string): Promise<{ label: string; back: string }> {
  if (kind === 'person') {
    const p = await personRecords.get(ctx, id);
    return { label: fullName(p), back: `/people/${id}` };
  }
  if (kind === 'home') return { label: formatAddress(await homeRecords.get(ctx, id)), back: `/homes/${id}` };
  const t = await tenancyService.get(ctx, id);
  const home = await homeRecords.get(ctx, t.homeId);
  return { label: `Tenancy ${t.reference}, ${formatAddress(home)}`, back: `/homes/${t.homeId}` };
}

/** Where a note's subject is shown: a person's or a home's page (a tenancy's is its home's). */
async function subjectLinks(ctx: Ctx, list: Note[]): Promise<Map<string, { href: string; label: string }>> {
  const tenancyHomes = await tenancyService.homesOf(ctx, [...new Set(list.map((n) => n.tenancyId).filter((x): x is string => !!x))]);
  const personIds = [...new Set(list.map((n) => n.personId).filter((x): x is string => !!x))];
  const homeIds = [...new Set([...list.map((n) => n.homeId).filter((x): x is string => !!x), ...tenancyHomes.values()])];
  const people = new Map((await personRecords.getMany(ctx, personIds)).map((p) => [p.id, fullName(p)]));
  const homes = new Map((await homeRecords.getMany(ctx, homeIds)).map((h) => [h.id, formatAddress(h)]));
  const out = new Map<string, { href: string; label: string }>();
  for (const n of list) {
    if (n.personId) out.set(n.id, { href: `/people/${n.personId}`, label: people.get(n.personId) ?? 'A person' });
    else if (n.homeId) out.set(n.id, { href: `/homes/${n.homeId}`, label: homes.get(n.homeId) ?? 'A home' });
    else if (n.tenancyId && tenancyHomes.has(n.tenancyId)) {
      const h = tenancyHomes.get(n.tenancyId)!;
      out.set(n.id, { href: `/homes/${h}`, label: `Tenancy at ${homes.get(h) ?? 'a home'}` });
    }
  }
  return out;
}

/** The notes about a patch: about its homes, their tenancies, and the people recorded at or living in them. */
async function noteScope(ctx: Ctx, scope: WorklistScope): Promise<NoteScope | null> {
  if (!scope.homeIds) return null;
  const homeIds = scope.homeIds;
  const residents = await tenancyService.residentsOfHomes(ctx, homeIds);
  const personIds = new Set([...(await peopleAtHomes(ctx, homeIds)).map((p) => p.id), ...[...residents.values()].flat()]);
  return { homeIds, tenancyIds: await tenancyIdsOfHomes(ctx, homeIds), personIds: [...personIds] };
}

/** Notes whose action is due as worklist lines: the subject, the type of note and its first words; when due; "Overdue" when past. */
async function actionItems(ctx: Ctx, list: Note[]): Promise<(WorklistItem & { note: Note; words: string })[]> {
  const links = await subjectLinks(ctx, list);
  const today = ukDate(new Date());
  return list.map((n) => {
    const link = links.get(n.id) ?? { href: '/', label: 'Not known' };
    const words = n.text.length > 120 ? `${n.text.slice(0, 117).trimEnd()}…` : n.text;
    return {
      note: n, words, href: link.href, text: `${link.label}: ${n.noteType ?? 'Note'}`,
      hint: `Due ${govukDate(n.actionDue!)}. ${words}`,
      ...(n.actionDue! < today ? { tag: { text: 'Overdue', colour: 'red' as const } } : {}),
    };
  });
}

/** The worklist section: the soonest-due notes not yet done, in the officer's patch. */
export const notesToActionSection = {
  id: 'notes-to-action', title: 'Notes to action', roles: ['housing-officer'] as const, position: 20,
  href: '/notes/to-action', empty: 'No notes need anything doing', byPatch: true,
  items: async (ctx: Ctx, { limit, scope }: { limit: number; scope: WorklistScope }) => {
    const list = await notesToAction(ctx, await noteScope(ctx, scope), { limit });
    return { total: list.total, items: (await actionItems(ctx, list.items)).map(({ note: _n, words: _w, ...item }) => item) };
  },
};

const PAGE_SIZE = 50;
function paginate(query: Record<string, string>, page: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const href = (n: number) => `/notes/to-action?${new URLSearchParams({ ...query, page: String(n) })}`;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1) items.push({ number: n, href: href(n), current: n === page });
    else if (!('ellipsis' in (items[items.length - 1] ?? {}))) items.push({ ellipsis: true });
  }
  return pages > 1 ? { items, previous: page > 1 ? { href: href(page - 1) } : undefined, next: page < pages ? { href: href(page + 1) } : undefined } : null;
}

const ListQuery = Type.Object({ page: QueryValue, scope: QueryValue });
const ActionedForm = defineForm({
  schema: Type.Object({ version: Type.Integer({ minimum: 1 }), returnTo: Type.Optional(Type.String({ maxLength: 500 })) }),
  messages: { version: 'The form was not complete', returnTo: 'The form was not complete' },
});

/** Back to a page of Hearth only (never another site). */
const localPath = (v: unknown) => (typeof v === 'string' && /^\/(?![/\\])[\w\-./?=&%#]*$/.test(v) ? v : undefined);

export function notePages(app: TypedFastify, page: PageRun, run: Run) {
  async function showNew(req: FastifyRequest, reply: FastifyReply, kind: NoteSubjectKind, id: string, result?: FormResult<Static<typeof NoteForm.schema>>) {
    requireWrite(req);
    const data = await page(req, (ctx) => subjectOf(ctx, kind, id));
    const raw = result?.raw;
    const errors = result && !result.ok ? result.errors : [];
    const parts = (raw?.actionDue ?? {}) as { day?: string; month?: string; year?: string };
    return reply.code(errors.length ? 400 : 200).view('notes/note-new.njk', {
      ...data, title: 'Add a note', backLink: data.back, action: `${kind === 'person' ? '/people' : kind === 'home' ? '/homes' : '/tenancies'}/${id}/notes/new`,
      errors, errorFor: result && !result.ok ? result.errorFor : {}, maxLength: NOTE_MAX_LENGTH,
      formToken: formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined),
      typeItems: [{ value: '', text: 'Choose the type of note' }, ...NOTE_TYPES.map((t) => ({ value: t, text: t, selected: rawText(raw, 'noteType') === t }))],
      values: { text: rawText(raw, 'text'), needsAction: rawText(raw, 'needsAction') === 'yes',
        actionDue: { day: parts.day ?? '', month: parts.month ?? '', year: parts.year ?? '' } },
    });
  }

  for (const [kind, base] of [['person', '/people'], ['home', '/homes'], ['tenancy', '/tenancies']] as const) {
    app.get(`${base}/:id/notes/new`, { schema: { params: IdParams } }, async (req, reply) => showNew(req, reply, kind, req.params.id));
    app.post(`${base}/:id/notes/new`, { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
      requireWrite(req);
      const id = req.params.id;
      const result = NoteForm.parse(req.body);
      if (!result.ok) return showNew(req, reply, kind, id, result);
      const v = result.values;
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        // The subject must be the actor's organisation's (404 otherwise), through its own module.
        const subject = await subjectOf(ctx, kind, id);
        await noteService.create(ctx, { subjectKind: kind, [SUBJECT_ID_FIELD[kind]]: id, noteType: v.noteType, text: v.text,
          actionDue: v.needsAction ? v.actionDue : null });
        return subject.back;
      }));
      if (done.kind === 'unknown') return showNew(req, reply, kind, id, NoteForm.fail(result.raw, [{ text: 'The form had expired. Check the note and add it again', href: '#noteType' }]));
      return reply.redirect(done.location, 303);
    });
  }

  // ---- Mark a note's action done: at the version shown (a stale page is refused), twice is once.
  app.post('/notes/:id/actioned', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const result = ActionedForm.parse(req.body);
    if (!result.ok) throw new Problem(400, 'Bad request', 'The form was not complete. Go back, reload the page and try again');
    const back = localPath(fieldOf(req.body, 'returnTo'));
    const location = await run(req, async (ctx) => {
      const note = await markActioned(ctx, req.params.id, result.values.version);
      return back ?? (await subjectLinks(ctx, [note])).get(note.id)?.href ?? '/notes/to-action';
    }).catch((err: unknown) => {
      if (err instanceof Problem && err.status === 412) {
        throw new Problem(409, 'Conflict', 'Someone else changed this note while you were looking at it. Nothing has been saved. Go back, reload the page and try again');
      }
      throw err;
    });
    return reply.redirect(location, 303);
  });

  // ---- Notes to action: all of them (the worklist shows the first few)
  app.get('/notes/to-action', { schema: { querystring: ListQuery } }, async (req, reply) => {
    const n = Number(req.query.page);
    const pageNo = Number.isInteger(n) && n >= 1 && n <= 1e6 ? n : 1;
    const everywhere = req.query.scope === 'all';
    const data = await page(req, async (ctx) => {
      const scope = await patchScope(ctx, !everywhere);
      const list = await notesToAction(ctx, await noteScope(ctx, scope), { limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE });
      const items = await actionItems(ctx, list.items);
      return { total: list.total, patchName: scope.patch?.name ?? null,
        rows: items.map((i) => ({ ...i, id: i.note.id, version: i.note.version, due: govukDate(i.note.actionDue!), by: i.note.author, type: i.note.noteType ?? 'Note' })) };
    });
    const returnTo = `/notes/to-action${pageNo > 1 || everywhere ? `?${new URLSearchParams({ ...(everywhere ? { scope: 'all' } : {}), ...(pageNo > 1 ? { page: String(pageNo) } : {}) })}` : ''}`;
    return reply.view('notes/to-action.njk', {
      ...data, title: 'Notes to action', everywhere, returnTo, canWrite: can(req.actor!.role, 'records:write'),
      pagination: paginate(everywhere ? { scope: 'all' } : {}, pageNo, data.total),
    });
  });
}
