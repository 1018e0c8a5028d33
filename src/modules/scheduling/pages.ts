// The planner's pages: /scheduling (a day's appointments by slot, "Build the plan", then each operative's visits in
// order and the jobs not placed, with why) and /scheduling/operatives (list, add, change). No JavaScript needed: the
// date is chosen with a GET form, and each write is a POST with the CSRF token and a one-time form token.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import { literalUnion } from '../../platform/http/schemas.ts';
import { govukDate, govukTime, ukDate } from '../../platform/uk-time.ts';
import { IdParams, QueryValue, type IdRequest } from '../../web/page.ts';
import { defineForm, formTokenFor, oncePerFormToken, postedFormToken, TimeInput, type ErrorItem, type FormResult } from '../../web/forms/index.ts';
import {
  addDays, appointmentsOn, createOperative, emailsOfUsers, isIsoDate, listOperatives, operativeRecords, TRADE_CODES, TRADES, tradeLabel,
  updateOperative, WEEKDAYS, weekdayOf, worksOn, type OperativeInput, type Operative,
} from './service.ts';
import { buildPlan, dayPlan, londonTime } from './plan.ts';

function requireView(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'scheduling:view')) throw forbidden('Your role does not allow you to use the planner');
}
function requirePlan(req: FastifyRequest) {
  requireView(req);
  if (!can(req.actor!.role, 'scheduling:plan')) throw forbidden('Only repairs planners and administrators manage operatives and build plans');
}

const first = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

/** The date asked for: ?date=YYYY-MM-DD, or the date input's three boxes, else tomorrow (London). */
function dateAsked(q: Record<string, unknown>): { date: string; error?: string } {
  const tomorrow = addDays(ukDate(new Date()), 1);
  const iso = first(q.date);
  if (iso) return isIsoDate(iso) ? { date: iso } : { date: tomorrow, error: 'Enter a real date' };
  const [d, m, y] = [first(q['date-day']), first(q['date-month']), first(q['date-year'])].map((s) => s?.trim() ?? '');
  if (!d && !m && !y) return { date: tomorrow };
  const made = `${y!.padStart(4, '0')}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  return /^\d{4}$/.test(y!) && isIsoDate(made) ? { date: made } : { date: tomorrow, error: 'Enter a real date, for example 27 3 2027' };
}

const BuildForm = defineForm({
  schema: Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }),
  messages: { date: 'Choose the day again' },
});

const DAY_CODES = ['1', '2', '3', '4', '5', '6', '7'] as const;
const OperativeForm = defineForm({
  schema: Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]*$' }),
    trades: Type.Array(literalUnion(TRADE_CODES), { minItems: 1 }),
    days: Type.Array(literalUnion(DAY_CODES), { minItems: 1, maxItems: 7 }),
    start: TimeInput(),
    end: TimeInput(),
    basePostcode: Type.Optional(Type.String({ format: 'uk-postcode', maxLength: 10 })),
    baseLatitude: Type.Optional(Type.Number({ minimum: 49, maximum: 61 })),
    baseLongitude: Type.Optional(Type.Number({ minimum: -9, maximum: 2 })),
    userEmail: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    active: Type.Optional(literalUnion(['yes', 'no'] as const)),
    version: Type.Optional(Type.Integer({ minimum: 0, maximum: 999_999_999 })),
  }),
  messages: {
    name: { required: 'Enter the operative’s name', tooLong: 'The name must be 200 characters or fewer', invalid: 'The name must be one line of text' },
    trades: 'Select at least one trade',
    days: 'Select the days they work',
    start: { required: 'Enter the time they start', invalid: 'Enter the time they start, like 8am or 08:00' },
    end: { required: 'Enter the time they finish', invalid: 'Enter the time they finish, like 5pm or 17:00' },
    basePostcode: 'Enter a real postcode, like LS6 1AA',
    baseLatitude: 'Enter a latitude in the UK, between 49 and 61, like 53.8008',
    baseLongitude: 'Enter a longitude in the UK, between -9 and 2, like -1.5491',
    userEmail: 'Enter an email address in the correct format, like name@example.com',
    active: 'Select whether they are given work',
    version: 'The page was out of date: check the operative below and try again',
  },
  ids: { trades: 'trades', days: 'days', version: 'name' },
  check: (v, fail) => {
    if (v.start && v.end && v.end <= v.start) fail('end', 'The time they finish must be after the time they start');
    if ((v.baseLatitude === undefined) !== (v.baseLongitude === undefined)) {
      fail(v.baseLatitude === undefined ? 'baseLatitude' : 'baseLongitude', 'Enter both the latitude and the longitude of the base, or neither');
    }
  },
});
type OperativeValues = Static<typeof OperativeForm.schema>;

/** The field a service's refusal names, as an error summary item linked to its control. */
function problemItem(err: Problem): ErrorItem {
  const field = (err.errors[0]?.field ?? '/name').replace(/^\/(pattern\/)?/, '');
  const id = ({ days: 'days', start: 'start', end: 'end', trades: 'trades', basePostcode: 'basePostcode', baseLatitude: 'baseLatitude', baseLongitude: 'baseLongitude', userEmail: 'userEmail' } as Record<string, string>)[field] ?? 'name';
  return { text: err.errors[0]?.message ?? err.message, href: `#${id}` };
}

const daysInWords = (days: readonly number[]) => {
  const sorted = [...days].sort();
  if (sorted.join() === '1,2,3,4,5') return 'Monday to Friday';
  if (sorted.join() === '1,2,3,4,5,6,7') return 'Every day';
  return sorted.map((d) => WEEKDAYS[d - 1]).join(', ');
};

export function schedulingPages(app: TypedFastify, { page, run }: PageDeps): void {
  // ---- the day: appointments by slot, the plan
  app.get('/scheduling', { schema: { querystring: Type.Object({ date: QueryValue, 'date-day': QueryValue, 'date-month': QueryValue, 'date-year': QueryValue }) } }, async (req, reply) => {
    requireView(req);
    const asked = dateAsked(req.query);
    return showDay(req, reply, asked.date, asked.error ? [{ text: asked.error, href: '#date-day' }] : []);
  });

  async function showDay(req: FastifyRequest, reply: FastifyReply, date: string, errors: ErrorItem[], posted?: unknown) {
    const data = await page(req, async (ctx: Ctx) => {
      // One after another: the work shares one connection.
      const list = await appointmentsOn(ctx, date);
      const view = await dayPlan(ctx, date);
      const ops = await listOperatives(ctx);
      const names = new Map(ops.map((o) => [o.id, o.name]));
      const bySlot = new Map<string, typeof list>();
      for (const a of list) bySlot.set(a.slot, [...(bySlot.get(a.slot) ?? []), a]);
      return {
        slots: [...bySlot].map(([slot, items]) => ({
          slot, window: `${govukTime(londonTime(items[0]!.windowStart))} to ${govukTime(londonTime(items[0]!.windowEnd))}`,
          rows: items.map((a) => ({
            reference: a.jobReference, href: a.href, label: a.label, trade: tradeLabel(a.trade), minutes: a.minutes,
            status: a.status === 'attended' ? 'Attended' : null,
            operative: a.operativeId ? names.get(a.operativeId) ?? null : null,
            planned: a.plannedStart ? govukTime(londonTime(a.plannedStart)) : null,
          })),
        })),
        total: list.length,
        working: ops.filter((o) => worksOn(o, date)).length,
        plan: view.plan ? { ...view.plan, builtAtWords: `${govukDate(ukDate(view.plan.builtAt))} at ${govukTime(londonTime(view.plan.builtAt))}` } : null,
        routes: view.routes.map((r) => ({
          name: r.operative.name,
          visits: r.visits.map((v) => ({ ...v, planned: govukTime(londonTime(v.plannedStart)), window: `${v.slot}: ${govukTime(londonTime(v.windowStart))} to ${govukTime(londonTime(v.windowEnd))}` })),
        })),
        notPlaced: view.notPlaced,
      };
    });
    return reply.code(errors.length ? 400 : 200).view('scheduling/day.njk', {
      ...data, title: `Appointments on ${govukDate(date)}`, section: 'scheduling', date, dateWords: `${WEEKDAYS[weekdayOf(date) - 1]} ${govukDate(date)}`,
      dateParts: { day: String(Number(date.slice(8))), month: String(Number(date.slice(5, 7))), year: date.slice(0, 4) },
      previous: addDays(date, -1), next: addDays(date, 1), errors,
      canPlan: can(req.actor!.role, 'scheduling:plan'),
      formToken: formTokenFor(req, posted),
    });
  }

  app.post('/scheduling/plan', { preHandler: app.csrfProtection }, async (req, reply) => {
    requirePlan(req);
    const form = BuildForm.parse(req.body);
    if (!form.ok || !isIsoDate(form.values.date)) throw new Problem(400, 'Bad request', 'The form was not complete. Go back, reload the page and try again');
    const date = form.values.date;
    const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
      await buildPlan(ctx, date);
      return `/scheduling?date=${date}#plan`;
    }));
    if (done.kind === 'unknown') return showDay(req, reply, date, [{ text: 'The form had expired. Build the plan again', href: '#build' }], postedFormToken(req) ?? '');
    return reply.redirect(done.location, 303);
  });

  // ---- operatives
  app.get('/scheduling/operatives', async (req, reply) => {
    requireView(req);
    const data = await page(req, async (ctx) => {
      const ops = await listOperatives(ctx);
      const emails = await emailsOfUsers(ctx, ops.flatMap((o) => (o.userId ? [o.userId] : [])));
      return {
        operatives: ops.map((o) => ({
          id: o.id, name: o.name, active: o.active, trades: o.trades.map(tradeLabel).join(', '), days: daysInWords(o.pattern.days),
          hours: `${govukTime(o.pattern.start)} to ${govukTime(o.pattern.end)}`, basePostcode: o.basePostcode, email: o.userId ? emails.get(o.userId) ?? null : null,
        })),
      };
    });
    return reply.view('scheduling/operatives.njk', { ...data, title: 'Operatives', section: 'scheduling', canPlan: can(req.actor!.role, 'scheduling:plan') });
  });

  async function showOperative(req: FastifyRequest, reply: FastifyReply, op: Operative | null, result?: FormResult<OperativeValues>) {
    const data = await page(req, async (ctx) => ({
      email: op?.userId ? (await emailsOfUsers(ctx, [op.userId])).get(op.userId) ?? '' : '',
    }));
    // A refusal drawn over the record as it now is (someone else's change) has nothing typed to show again.
    const raw = result?.raw && Object.keys(result.raw).length ? result.raw : undefined;
    const textOf = (k: string, fallback: string) => (raw ? (typeof raw[k] === 'string' ? raw[k] as string : '') : fallback);
    const listOf = (k: string, fallback: string[]) => (raw ? (Array.isArray(raw[k]) ? raw[k] as string[] : []) : fallback);
    const trades = listOf('trades', op?.trades ?? []);
    const days = listOf('days', (op?.pattern.days ?? [1, 2, 3, 4, 5]).map(String));
    const errors = result && !result.ok ? result.errors : [];
    return reply.code(errors.length ? 400 : 200).view('scheduling/operative.njk', {
      ...data, op, errors, errorFor: result && !result.ok ? result.errorFor : {},
      title: op ? op.name : 'Add an operative', section: 'scheduling', backLink: '/scheduling/operatives',
      action: op ? `/scheduling/operatives/${op.id}` : '/scheduling/operatives/new',
      formToken: formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined),
      values: {
        name: textOf('name', op?.name ?? ''), start: textOf('start', op?.pattern.start ?? '08:00'), end: textOf('end', op?.pattern.end ?? '17:00'),
        basePostcode: textOf('basePostcode', op?.basePostcode ?? ''), baseLatitude: textOf('baseLatitude', op?.baseLatitude?.toString() ?? ''),
        baseLongitude: textOf('baseLongitude', op?.baseLongitude?.toString() ?? ''), userEmail: textOf('userEmail', data.email),
        active: textOf('active', op?.active === false ? 'no' : 'yes'),
      },
      tradeItems: TRADE_CODES.map((code) => ({ value: code, text: TRADES[code], checked: trades.includes(code) })),
      dayItems: WEEKDAYS.map((d, i) => ({ value: String(i + 1), text: d, checked: days.includes(String(i + 1)) })),
    });
  }

  function inputOf(v: OperativeValues): OperativeInput {
    return {
      name: v.name, trades: v.trades, pattern: { days: v.days.map(Number), start: v.start, end: v.end },
      basePostcode: v.basePostcode ?? null, baseLatitude: v.baseLatitude ?? null, baseLongitude: v.baseLongitude ?? null,
      userEmail: v.userEmail ?? null, active: v.active !== 'no',
    };
  }

  /** Save the form once per token, or draw it again with what was typed and what is wrong. */
  async function save(req: FastifyRequest, reply: FastifyReply, op: Operative | null, work: (ctx: Ctx, input: OperativeInput, version: number) => Promise<unknown>) {
    const result = OperativeForm.parse(req.body);
    if (!result.ok) return showOperative(req, reply, op, result);
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await work(ctx, inputOf(result.values), result.values.version ?? -1);
        return '/scheduling/operatives';
      }));
      if (done.kind === 'unknown') return showOperative(req, reply, op, OperativeForm.fail(result.raw, [{ text: 'The form had expired. Check the details and save them again', href: '#name' }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) return showOperative(req, reply, op, OperativeForm.fail(result.raw, [problemItem(err)]));
      if (err instanceof Problem && err.status === 412 && op) {
        const now = await page(req, (ctx) => operativeRecords.get(ctx, op.id));
        return showOperative(req, reply, now, OperativeForm.fail({}, [{ text: 'Someone changed this operative while you were looking at it. Check the details below and make your change again.', href: '#name' }]));
      }
      throw err;
    }
  }

  app.get('/scheduling/operatives/new', async (req, reply) => {
    requirePlan(req);
    return showOperative(req, reply, null);
  });
  app.post('/scheduling/operatives/new', { preHandler: app.csrfProtection }, async (req, reply) => {
    requirePlan(req);
    return save(req, reply, null, (ctx, input) => createOperative(ctx, input));
  });

  const operativeOf = (req: IdRequest) => page(req, (ctx) => operativeRecords.get(ctx, req.params.id));
  app.get('/scheduling/operatives/:id', { schema: { params: IdParams } }, async (req, reply) => {
    requirePlan(req);
    return showOperative(req, reply, await operativeOf(req));
  });
  app.post('/scheduling/operatives/:id', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requirePlan(req);
    const op = await operativeOf(req);
    return save(req, reply, op, (ctx, input, version) => updateOperative(ctx, op.id, version, input));
  });
}
