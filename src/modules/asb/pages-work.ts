// The ASB officer's work pages (issue 15): the actions to do across cases (/asb/actions: overdue, due soon, all; the
// officer's cases or every case), marking one done from the list, adding an action of the officer's own to a case, and
// the cases as CSV (/asb/cases.csv) with complainants and witnesses named only for the cases the reader's team has.
// Reads and writes go through work.ts, which checks asb:read and asb:write. Forms carry the CSRF token; no JavaScript.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';
import { can } from '../../platform/auth/roles.ts';
import { Problem } from '../../platform/http/problem.ts';
import { csvDocument, csvFilename, sendCsv } from '../../platform/http/csv.ts';
import { isCalendarDate } from '../../platform/http/formats.ts';
import { govukDate, ukDate } from '../../platform/uk-time.ts';
import { IdParams, QueryValue, type IdRequest } from '../../web/page.ts';
import { DateInput, defineForm, formTokenFor, oncePerFormToken, postedFormToken, type FormResult } from '../../web/forms/index.ts';
import { getCase } from './service.ts';
import { actionList, addAction, completeAction, exportCases, UPDATE_COMPLAINANT, type ActionDue, type CaseExportRow } from './work.ts';
import { ACTION_TAGS, actionsHref } from './worklists.ts';

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const PAGE_SIZE = 50;

const ActionsQuery = Type.Object({ due: QueryValue, mine: QueryValue, kind: QueryValue, after: QueryValue, done: QueryValue, next: QueryValue });
const DoneParams = Type.Object({ id: Type.String({ format: 'uuid' }), actionId: Type.String({ format: 'uuid' }) });
const DoneBody = Type.Object({ back: Type.Optional(Type.String({ maxLength: 2000 })) });
const CsvQuery = Type.Object({ status: QueryValue });

const DUE_CHOICES: readonly { value: string; text: string; due: ActionDue }[] = [
  { value: 'overdue', text: 'Overdue', due: 'overdue' },
  { value: 'due-soon', text: 'Due today or the next working day', due: 'due-soon' },
  { value: 'all', text: 'All open actions', due: 'all-open' },
];
const KIND_WORDS: Record<string, string> = { acknowledge: 'New reports to acknowledge', [UPDATE_COMPLAINANT.kind]: 'Updates to complainants' };
const KIND = /^[a-z0-9-]{1,60}$/;

/** Where to go after marking an action done: the list or the case page it was marked on (never another site). */
const backTo = (back: string | undefined) => (back && /^\/asb\/(actions(\?[^\s\\#]*)?|cases\/[0-9a-f-]{36})$/i.test(back) ? back : '/asb/actions');

function requireWrite(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'asb:write')) throw new Problem(403, 'Forbidden', 'Your role does not allow you to work ASB cases. Ask an ASB officer.');
}

const ActionForm = defineForm({
  schema: Type.Object({
    label: Type.String({ maxLength: 200 }),
    dueOn: DateInput({ label: 'The date it is due', when: 'today-or-future' }),
  }),
  messages: {
    label: { required: 'Enter what is to be done', tooLong: 'What is to be done must be 200 characters or fewer' },
    dueOn: { required: 'Enter the date it is due', when: 'The date it is due must be today or later' },
  },
});
type ActionValues = Static<typeof ActionForm.schema>;

// ---- The CSV ---------------------------------------------------------------------------------------------------------

const CSV_HEADER = ['reference', 'status', 'summary', 'opened', 'closed', 'categories', 'priority', 'risk', 'hate incident', 'protected characteristics',
  'places', 'complainants', 'witnesses', 'alleged perpetrators'];

/** The cases as CSV: lists within a cell separated by "; ", every cell neutralised against spreadsheet formulas. */
export function casesCsv(rows: readonly CaseExportRow[]): string {
  return csvDocument([CSV_HEADER, ...rows.map((r) => [
    r.reference, r.status === 'open' ? 'Open' : 'Closed', r.summary, r.openedOn, r.closedOn ?? '', r.categories.join('; '), r.priority, r.risk,
    r.hate ? 'Yes' : 'No', r.protectedCharacteristics.join('; '), r.places.join('; '), r.complainants.join('; '), r.witnesses.join('; '),
    r.allegedPerpetrators.join('; '),
  ])]);
}

// ---- The pages -------------------------------------------------------------------------------------------------------

export function asbWorkPages(app: TypedFastify, deps: PageDeps): void {
  const { page, run } = deps;

  app.get('/asb/actions', { schema: { querystring: ActionsQuery } }, async (req, reply) => {
    const choice = DUE_CHOICES.find((c) => c.value === one(req.query.due)) ?? DUE_CHOICES[2]!;
    const mine = one(req.query.mine) === '1';
    const kind = KIND.test(one(req.query.kind)) ? one(req.query.kind) : '';
    const after = one(req.query.after);
    const filter = { due: choice.due, mine, kind: kind || undefined };
    const data = await page(req, async (ctx) => ({ list: await actionList(ctx, { ...filter, limit: PAGE_SIZE, cursor: after || undefined }) }));
    const here = actionsHref(filter);
    const next = one(req.query.next);
    return reply.view('asb/actions.njk', {
      organisationName: data.organisationName, title: 'ASB actions', section: 'asb',
      total: data.list.total, mine, kindText: kind ? KIND_WORDS[kind] ?? `Actions of kind “${kind}”` : null, dueText: choice.text,
      canWork: can(req.actor!.role, 'asb:write'), back: after ? `${here}&after=${encodeURIComponent(after)}` : here,
      done: one(req.query.done) === '1', nextUpdateText: isCalendarDate(next) ? govukDate(next) : null,
      dueLinks: DUE_CHOICES.map((c) => ({ text: c.text, href: actionsHref({ ...filter, due: c.due }), current: c === choice })),
      whoseLinks: [
        { text: 'Your cases', href: actionsHref({ ...filter, mine: true }), current: mine },
        { text: 'Every case', href: actionsHref({ ...filter, mine: false }), current: !mine },
      ],
      pagination: data.list.nextCursor || after ? {
        ...(after ? { previous: { href: here, labelText: 'First page' } } : {}),
        ...(data.list.nextCursor ? { next: { href: `${here}&after=${encodeURIComponent(data.list.nextCursor)}`, labelText: 'Next page' } } : {}),
      } : null,
      rows: data.list.items.map((i) => ({
        caseId: i.case.id, actionId: i.action.id, reference: i.case.reference, summary: i.case.summary, label: i.action.label,
        tag: { text: ACTION_TAGS[i.state].text, classes: `govuk-tag--${ACTION_TAGS[i.state].colour}` }, words: i.words,
      })),
    });
  });

  app.post('/asb/cases/:id/actions/:actionId/done', { schema: { params: DoneParams, body: DoneBody }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    // Marking a done action done again changes nothing (a double click): no one-time token is needed on each row's button.
    const done = await run(req, (ctx) => completeAction(ctx, req.params.id, req.params.actionId));
    const back = backTo(req.body?.back);
    const params = new URLSearchParams({ done: '1' });
    if (done.nextUpdate) params.set('next', ukDate(done.nextUpdate.dueAt));
    return reply.redirect(`${back}${back.includes('?') ? '&' : '?'}${params.toString()}`, 303);
  });

  // ---- An action of the officer's own
  async function showNew(req: IdRequest, reply: FastifyReply, result?: FormResult<ActionValues>) {
    requireWrite(req);
    const data = await page(req, async (ctx) => ({ c: (await getCase(ctx, req.params.id)).case }));
    if (data.c.status !== 'open') throw new Problem(409, 'Conflict', 'The case is closed: a new report about the same problem opens a new case, linked to this one');
    const raw = result?.raw;
    const date = (raw?.dueOn ?? {}) as { day?: string; month?: string; year?: string };
    const errors = result && !result.ok ? result.errors : [];
    return reply.code(errors.length ? 400 : 200).view('asb/action-new.njk', {
      organisationName: data.organisationName, title: 'Add an action', section: 'asb', backLink: `/asb/cases/${data.c.id}`, c: data.c,
      errors, errorFor: result && !result.ok ? result.errorFor : {}, formToken: formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined),
      values: { label: typeof raw?.label === 'string' ? raw.label : '', dueOn: { day: date.day ?? '', month: date.month ?? '', year: date.year ?? '' } },
    });
  }

  app.get('/asb/cases/:id/actions/new', { schema: { params: IdParams } }, async (req, reply) => showNew(req, reply));

  app.post('/asb/cases/:id/actions', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const result = ActionForm.parse(req.body);
    if (!result.ok) return showNew(req, reply, result);
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await addAction(ctx, req.params.id, { label: result.values.label, dueOn: result.values.dueOn });
        return `/asb/cases/${req.params.id}#actions`;
      }));
      if (done.kind === 'unknown') return showNew(req, reply, ActionForm.fail(result.raw, [{ text: 'The form had expired. Add the action again', href: '#label' }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) {
        const hrefs: Record<string, [string, string]> = { '/label': ['#label', 'What is to be done'], '/dueOn': ['#dueOn-day', 'The date it is due'] };
        return showNew(req, reply, ActionForm.fail(result.raw, err.errors.map((e) => {
          const [href, name] = hrefs[e.field] ?? ['#label', e.field.slice(1)];
          return { text: `${name} ${e.message}`, href };
        })));
      }
      throw err;
    }
  });

  // ---- The cases as CSV, the same status filter as /asb
  app.get('/asb/cases.csv', { schema: { querystring: CsvQuery } }, async (req, reply) => {
    const status = one(req.query.status) === 'closed' ? 'closed' : one(req.query.status) === 'all' ? 'all' : 'open';
    const data = await page(req, async (ctx) => ({ rows: await exportCases(ctx, { status: status === 'all' ? undefined : status }) }));
    return sendCsv(reply, csvFilename('asb-cases', data.organisationName, status), casesCsv(data.rows));
  });
}
