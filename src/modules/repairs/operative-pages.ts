// The operative's mobile-first pages (issue 14): today's jobs in the planned order (and tomorrow's), and a job sheet
// with the safety words, access notes and the buttons for what happened: start, complete (what was done), no access
// (why), needs a follow-on (what is needed), and add a photo. Operatives have no records:read: the service reads a job
// for them only after `jobAccess` has checked its visit is theirs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';
import { IdParams, QueryValue, type IdRequest } from '../../web/page.ts';
import { knownOrganisationName } from '../../web/pages.ts';
import { can } from '../../platform/auth/roles.ts';
import { Problem } from '../../platform/http/problem.ts';
import { govukDate, govukDateTime, ukDate } from '../../platform/uk-time.ts';
import { defineForm, formTokenFor, oncePerFormToken, postedFormToken, type ErrorItem, type FormResult } from '../../web/forms/index.ts';
import { nextStatuses, WORK_STATUSES, type WorkStatus } from './rules/work-status.ts';
import { MAX_PHOTO_BYTES, PHOTO_MESSAGES } from './rules/photos.ts';
import { addWorkOrderPhoto, changeStatus, myJobs, needsFollowOn, workOrder } from './work-orders.ts';
import { jobSheetData } from './work-order-pages.ts';
import { currentSettings } from './settings-service.ts';
import { multipartCsrfValid, multipartCsrfExpired } from '../../web/forms/multipart.ts';

const DateQuery = Type.Object({ date: QueryValue });

const ActionForm = defineForm({
  schema: Type.Object({
    action: Type.Union([Type.Literal('in-progress'), Type.Literal('complete'), Type.Literal('no-access'), Type.Literal('follow-on')]),
    version: Type.Integer({ minimum: 1 }),
    workDone: Type.Optional(Type.String({ maxLength: 2000 })),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    followOn: Type.Optional(Type.String({ maxLength: 2000 })),
  }),
  messages: {
    action: 'Choose what happened',
    version: 'The page was out of date: look at the job again',
    workDone: 'What you did must be 2,000 characters or fewer',
    reason: 'Why there was no access must be 2,000 characters or fewer',
    followOn: 'What the next visit needs must be 2,000 characters or fewer',
  },
  check: (v, fail) => {
    if (v.action === 'complete' && !v.workDone) fail('workDone', 'Enter what you did');
    if (v.action === 'no-access' && !v.reason) fail('reason', 'Say why there was no access');
    if (v.action === 'follow-on' && !v.followOn) fail('followOn', 'Enter what the next visit needs to do');
  },
});

const HREFS: Record<string, string> = { '/status': '#actions', '/workDone': '#workDone', '/reason': '#reason', '/followOn': '#followOn', '/photo': '#photo' };

function requireWork(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'repairs:work')) throw new Problem(403, 'Forbidden', 'These pages are for operatives: the jobs booked to them. Staff see work orders at Repairs.');
}


const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const weekday = (date: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long' }).format(new Date(`${date}T00:00:00Z`));

/**
 * The page runner for operatives. The shared one reads the organisation's name through the organisations service,
 * which asks for records:read (operatives do not have it); the name is the one pages have already seen.
 */
function operativePage(deps: PageDeps): PageDeps['page'] {
  return (req, work) => {
    if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
    if (can(req.actor.role, 'records:read')) return deps.page(req, work);
    return deps.run(req, async (ctx) => ({ ...(await work(ctx)), organisationName: knownOrganisationName(ctx.actor.organisationId) ?? '' }));
  };
}

export function operativePages(app: TypedFastify, deps: PageDeps): void {
  const { run } = deps;
  const page = operativePage(deps);

  app.get('/my-jobs', { schema: { querystring: DateQuery } }, async (req, reply) => {
    requireWork(req);
    const today = ukDate(new Date());
    const asked = typeof req.query.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(req.query.date) ? req.query.date : today;
    const date = asked === addDays(today, 1) ? asked : today; // today or tomorrow
    const data = await page(req, async (ctx) => ({ ...(await myJobs(ctx, date)), slots: (await currentSettings(ctx)).settings.slots }));
    const slotLabel = (code: string) => data.slots.find((s) => s.code === code)?.label ?? code;
    const jobs = data.jobs.map((j, i) => ({
      n: i + 1, id: j.workOrder.id, reference: j.workOrder.jobReference, address: j.address, description: j.workOrder.description ?? '',
      time: j.appointment.plannedStart ? `Arrive ${govukDateTime(j.appointment.plannedStart).replace(/^.* at /, 'at ')}` : slotLabel(j.appointment.slot),
      status: WORK_STATUSES[j.workOrder.workStatus as WorkStatus] ?? '', safetyWords: j.workOrder.operativeWords ?? [], done: j.appointment.status === 'attended',
    }));
    return reply.view('repairs/my-jobs.njk', {
      ...data, jobs, title: date === today ? 'Your jobs today' : 'Your jobs tomorrow', section: 'my-jobs', dateText: `${weekday(date)} ${govukDate(date)}`,
      isToday: date === today, otherHref: date === today ? `/my-jobs?date=${addDays(today, 1)}` : '/my-jobs',
    });
  });

  async function showJob(req: IdRequest, reply: FastifyReply, result?: FormResult<Static<typeof ActionForm.schema>>, extra: ErrorItem[] = [], status = 400) {
    requireWork(req);
    const data = await page(req, async (ctx) => ({ v: await workOrder(ctx, req.params.id) }));
    const raw = (result?.raw ?? {}) as Record<string, unknown>;
    const text = (k: string) => (typeof raw[k] === 'string' ? raw[k] as string : '');
    const errors = [...(result && !result.ok ? result.errors : []), ...extra];
    const moves = nextStatuses(data.v.workOrder.workStatus as WorkStatus, req.actor!.role);
    return reply.code(errors.length ? status : 200).view('repairs/my-job.njk', {
      ...data, ...jobSheetData(data.v), title: `${data.v.workOrder.jobReference}: job sheet`, section: 'my-jobs', backLink: '/my-jobs',
      canStart: moves.includes('in-progress'), canComplete: moves.includes('complete'), canNoAccess: moves.includes('no-access'),
      open: !['complete', 'cancelled'].includes(data.v.workOrder.workStatus ?? ''),
      values: { workDone: text('workDone'), reason: text('reason'), followOn: text('followOn') }, errors,
      errorFor: Object.fromEntries(errors.map((e) => [e.href.replace(/^#/, ''), e.text])), formToken: formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined),
      maxPhotoText: `${Math.round(MAX_PHOTO_BYTES / 1024 / 1024)}MB`,
    });
  }

  app.get('/my-jobs/:id', { schema: { params: IdParams } }, async (req, reply) => showJob(req, reply));

  app.post('/my-jobs/:id', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWork(req);
    const result = ActionForm.parse(req.body);
    if (!result.ok) return showJob(req, reply, result);
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        if (v.action === 'follow-on') {
          await needsFollowOn(ctx, req.params.id, v.version, v.followOn ?? '');
          return '/my-jobs';
        }
        await changeStatus(ctx, req.params.id, v.version, v.action, { workDone: v.workDone ?? null, reason: v.reason ?? null });
        return v.action === 'in-progress' ? `/my-jobs/${req.params.id}` : '/my-jobs';
      }));
      if (done.kind === 'unknown') return showJob(req, reply, ActionForm.fail(result.raw, [{ text: 'The page had expired. Choose again', href: '#actions' }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && [400, 409, 412].includes(err.status)) {
        const items = err.status === 412 ? [{ text: 'The job changed while you had it open. Check it and choose again', href: '#actions' }]
          : err.errors.map((e) => ({ text: e.message.charAt(0).toUpperCase() + e.message.slice(1), href: HREFS[e.field] ?? '#actions' }));
        return showJob(req, reply, ActionForm.fail(result.raw, items.length ? items : [{ text: err.message, href: '#actions' }]), undefined, err.status === 409 ? 409 : 400);
      }
      throw err;
    }
  });

  // A photo: multipart, parsed in this scope only; the CSRF token is the form's first field, checked before the file is read.
  app.register(async (scope: TypedFastify) => {
    await scope.register(multipart);
    scope.post('/my-jobs/:id/photos', { schema: { params: IdParams } }, async (req, reply) => {
      requireWork(req);
      if (!req.isMultipart()) throw new Problem(400, 'Invalid request', 'The form was not sent as a file upload');
      let csrf = false;
      let file: { bytes: Buffer; name: string } | undefined;
      let tooLarge = false;
      try {
        for await (const part of req.parts({ limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 5, fieldSize: 4096, parts: 6 } })) {
          if (part.type === 'field') {
            if (part.fieldname === '_csrf') csrf = multipartCsrfValid(app, req, reply, String(part.value ?? ''));
            continue;
          }
          if (!csrf) throw multipartCsrfExpired();
          if (part.fieldname !== 'photo' || file) { part.file.resume(); continue; }
          const bytes = await part.toBuffer();
          file = { bytes, name: part.filename ?? 'photo' };
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') tooLarge = true;
        else throw err;
      }
      if (!csrf) throw multipartCsrfExpired();
      if (tooLarge) return showJob(req, reply, undefined, [{ text: PHOTO_MESSAGES.tooLarge, href: '#photo' }], 413);
      if (!file || (!file.bytes.length && !file.name)) return showJob(req, reply, undefined, [{ text: 'Select a photo', href: '#photo' }]);
      try {
        await run(req, (ctx) => addWorkOrderPhoto(ctx, req.params.id, file.bytes, file.name));
      } catch (err) {
        if (err instanceof Problem && err.status === 400) return showJob(req, reply, undefined, [{ text: err.errors[0]?.message ?? err.message, href: '#photo' }]);
        throw err;
      }
      return reply.redirect(`/my-jobs/${req.params.id}#photos`, 303);
    });
  });
}
