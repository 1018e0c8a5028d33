// Tenancy pages: record that someone joins a tenancy (a joint tenant or a household member) or leaves it, each at the
// tenancy's version the officer read (a hidden field: If-Match), so two officers never overwrite each other; and the
// list of tenancies starting or ending near today (the housing officer's worklist). No JavaScript needed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { IdParams, QueryValue, type PageRun } from '../../web/page.ts';
import type { Run } from '../../platform/records/api.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, notFound, Problem } from '../../platform/http/problem.ts';
import { isUuid } from '../../platform/uuid.ts';
import { govukDate, ukDate } from '../../platform/uk-time.ts';
import { literalUnion } from '../../platform/http/schemas.ts';
import { DateInput, defineForm, formTokenFor, oncePerFormToken, postedFormToken, type ErrorItem, type FormResult } from '../../web/forms/index.ts';
import { formatAddress, homeRecords } from '../homes/index.ts';
import { fullName, peopleAtHomes, personRecords, searchPeople, type Person } from '../people/index.ts';
import { patchScope } from '../../platform/modules.ts';
import { MEMBER_ROLES } from './codes.ts';
import { tenancyService } from './service.ts';
import { addMember, endMember, tenanciesStartingOrEnding, type TenancyMoving } from './members.ts';


const JOINING_ROLES = ['joint', 'household-member'] as const;

const JoinForm = defineForm({
  schema: Type.Object({
    personId: Type.String({ format: 'uuid' }),
    role: literalUnion(JOINING_ROLES),
    relationship: Type.Optional(Type.String({ maxLength: 100 })),
    startDate: DateInput({ label: 'The date they joined' }),
    version: Type.Integer({ minimum: 1 }),
  }),
  messages: {
    personId: 'Select who is joining the tenancy',
    role: 'Select whether they are a joint tenant or a household member',
    relationship: 'Their relationship to the lead tenant must be 100 characters or fewer',
    startDate: 'Enter the date they joined',
    version: 'The form was not complete. Open the tenancy again and try again',
  },
  ids: { personId: 'personId', startDate: 'startDate-day' },
});

const LeaveForm = defineForm({
  schema: Type.Object({
    endDate: DateInput({ label: 'The date they left' }),
    confirm: Type.Literal('yes'),
    version: Type.Integer({ minimum: 1 }),
  }),
  messages: {
    endDate: 'Enter the date they left',
    confirm: 'Confirm that they have left the tenancy',
    version: 'The form was not complete. Open the tenancy again and try again',
  },
  ids: { endDate: 'endDate-day' },
});

type Raw = Record<string, unknown>;
const rawText = (raw: Raw | undefined, name: string) => (typeof raw?.[name] === 'string' ? (raw[name] as string) : '');
const rawDate = (raw: Raw | undefined, name: string) => {
  const p = (raw?.[name] ?? {}) as { day?: string; month?: string; year?: string };
  return { day: p.day ?? '', month: p.month ?? '', year: p.year ?? '' };
};

function requireWrite(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'records:write')) throw forbidden('Your role does not allow you to change tenancies');
}

const STALE = 'Someone else changed this tenancy while you were working on it. Nothing has been saved. Check the tenancy as it is now and make your change again';

/** A service's refusal as error summary items: each field it names, linked to what fixes it. */
function refusal(err: Problem, hrefs: Record<string, string>, names: Record<string, string>): ErrorItem[] {
  if (err.status === 412) return [{ text: STALE, href: Object.values(hrefs)[0] ?? '#main-content' }];
  if (!err.errors.length) return [{ text: err.message, href: Object.values(hrefs)[0] ?? '#main-content' }];
  return err.errors.map((e) => ({ text: e.message.startsWith('The ') ? e.message : `${names[e.field] ?? 'The answer'} ${e.message}`, href: hrefs[e.field] ?? '#main-content' }));
}

const JOIN_HREFS = { '/personId': '#personId', '/members': '#personId', '/startDate': '#startDate-day', '/role': '#role' };
const JOIN_NAMES = { '/personId': 'The person', '/members': 'The tenancy', '/startDate': 'The date they joined', '/role': 'The role' };
const LEAVE_HREFS = { '/endDate': '#endDate-day', '/personId': '#endDate-day', '/members': '#endDate-day' };
const LEAVE_NAMES = { '/endDate': 'The date they left', '/personId': 'This person', '/members': 'The tenancy' };

const MemberParams = Type.Object({ id: Type.String({ format: 'uuid' }), personId: Type.String() });
const JoinQuery = Type.Object({ q: QueryValue });
const ListQuery = Type.Object({ page: QueryValue, scope: QueryValue });

/** The tenancy, its home and its members' names, for the forms. */
async function tenancyPage(ctx: Ctx, id: string) {
  const tenancy = await tenancyService.get(ctx, id);
  const home = await homeRecords.get(ctx, tenancy.homeId);
  const people = await personRecords.getMany(ctx, tenancy.members.map((m) => m.personId));
  const names = new Map(people.map((p) => [p.id, fullName(p)]));
  return { tenancy, home, address: formatAddress(home), names };
}

const PAGE_SIZE = 50;

/** GOV.UK pagination for a list of `total` items, `page` shown. */
export function paginate(base: string, query: Record<string, string>, page: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const href = (n: number) => `${base}?${new URLSearchParams({ ...query, page: String(n) })}`;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1) items.push({ number: n, href: href(n), current: n === page });
    else if (!('ellipsis' in (items[items.length - 1] ?? {}))) items.push({ ellipsis: true });
  }
  return pages > 1 ? { items, previous: page > 1 ? { href: href(page - 1) } : undefined, next: page < pages ? { href: href(page + 1) } : undefined } : null;
}
export const pageNumber = (v: unknown) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 1e6 ? n : 1;
};

/** A tenancy starting or ending as a worklist line: its home, and when. */
export async function movingItems(ctx: Ctx, moving: TenancyMoving[]) {
  const homes = new Map((await homeRecords.getMany(ctx, [...new Set(moving.map((m) => m.tenancy.homeId))])).map((h) => [h.id, h]));
  return moving.map((m) => {
    const home = homes.get(m.tenancy.homeId);
    return {
      href: `/homes/${m.tenancy.homeId}`,
      text: `${home ? formatAddress(home) : 'A home'} (tenancy ${m.tenancy.reference})`,
      hint: `${m.change === 'starts' ? 'Starts' : 'Ends'} ${govukDate(m.date)}`,
    };
  });
}

export function tenancyPages(app: TypedFastify, page: PageRun, run: Run) {
  // ---- Someone joins
  async function showJoin(req: FastifyRequest, reply: FastifyReply, id: string, q: string, result?: FormResult<Static<typeof JoinForm.schema>>) {
    requireWrite(req);
    const data = await page(req, async (ctx) => {
      const t = await tenancyPage(ctx, id);
      const today = ukDate(new Date());
      const current = new Set(t.tenancy.members.filter((m) => !m.endDate || m.endDate >= today).map((m) => m.personId));
      // Who may be joining: people recorded at the home, and those the officer searched for by name.
      const candidates = new Map<string, Person>();
      for (const p of await peopleAtHomes(ctx, [t.tenancy.homeId])) candidates.set(p.id, p);
      const found = q ? await searchPeople(ctx, q, 20) : [];
      for (const { person: p } of found) candidates.set(p.id, p);
      const chosen = rawText(result?.raw, 'personId');
      if (chosen && isUuid(chosen) && !candidates.has(chosen)) for (const p of await personRecords.getMany(ctx, [chosen])) candidates.set(p.id, p);
      return { ...t, searched: !!q, foundCount: found.length, people: [...candidates.values()].filter((p) => !current.has(p.id)) };
    });
    const raw = result?.raw;
    const errors = result && !result.ok ? result.errors : [];
    const chosen = rawText(raw, 'personId');
    return reply.code(errors.length ? 400 : 200).view('tenancies/member-new.njk', {
      ...data, title: 'Add someone to the tenancy', backLink: `/homes/${data.tenancy.homeId}`, q, errors, errorFor: result && !result.ok ? result.errorFor : {},
      version: result ? rawText(raw, 'version') || String(data.tenancy.version) : String(data.tenancy.version),
      formToken: formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined),
      personItems: data.people.map((p) => ({ value: p.id, text: fullName(p), checked: p.id === chosen,
        hint: { text: [p.dateOfBirth ? `Born ${govukDate(p.dateOfBirth)}` : 'Date of birth not recorded', p.homeId === data.tenancy.homeId ? 'recorded at this home' : ''].filter(Boolean).join(', ') } })),
      roleItems: JOINING_ROLES.map((r) => ({ value: r, text: MEMBER_ROLES[r], checked: rawText(raw, 'role') === r })),
      values: { relationship: rawText(raw, 'relationship'), startDate: rawDate(raw, 'startDate') },
    });
  }

  app.get('/tenancies/:id/members/new', { schema: { params: IdParams, querystring: JoinQuery } }, async (req, reply) =>
    showJoin(req, reply, req.params.id, typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : ''));

  app.post('/tenancies/:id/members/new', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const id = req.params.id;
    const result = JoinForm.parse(req.body);
    const q = rawText(result.raw, 'q');
    if (!result.ok) return showJoin(req, reply, id, q, result);
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        if (!(await personRecords.getMany(ctx, [v.personId])).length) throw new Problem(400, 'Bad request', 'Select who is joining the tenancy', [{ field: '/personId', message: 'Select who is joining the tenancy' }]);
        const t = await addMember(ctx, id, v.version, { personId: v.personId, role: v.role, relationship: v.relationship ?? null, startDate: v.startDate }, ukDate(new Date()));
        return `/homes/${t.homeId}`;
      }));
      if (done.kind === 'unknown') return showJoin(req, reply, id, q, JoinForm.fail(result.raw, [{ text: 'The form had expired. Check your answers and send them again', href: '#personId' }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && (err.status === 400 || err.status === 412)) {
        // Stale: drawn again from the tenancy as it is now (its new version), with what was typed.
        const raw = err.status === 412 ? { ...result.raw, version: '' } : result.raw;
        return showJoin(req, reply, id, q, JoinForm.fail(raw, refusal(err, JOIN_HREFS, JOIN_NAMES)));
      }
      throw err;
    }
  });

  // ---- Someone leaves
  async function showLeave(req: FastifyRequest, reply: FastifyReply, id: string, personId: string, result?: FormResult<Static<typeof LeaveForm.schema>>) {
    requireWrite(req);
    if (!isUuid(personId)) throw notFound('person in this tenancy');
    const data = await page(req, async (ctx) => tenancyPage(ctx, id));
    const member = data.tenancy.members.find((m) => m.personId === personId);
    if (!member) throw notFound('person in this tenancy');
    const raw = result?.raw;
    const errors = result && !result.ok ? result.errors : [];
    return reply.code(errors.length ? 400 : 200).view('tenancies/member-end.njk', {
      ...data, title: 'Record that someone has left the tenancy', backLink: `/homes/${data.tenancy.homeId}`, errors, errorFor: result && !result.ok ? result.errorFor : {},
      name: data.names.get(personId) ?? 'This person', member, roleLabel: MEMBER_ROLES[member.role],
      isLead: member.role === 'lead', hasLeft: !!member.endDate,
      startText: member.startDate ? govukDate(member.startDate) : govukDate(data.tenancy.startDate),
      endText: member.endDate ? govukDate(member.endDate) : '',
      version: result ? rawText(raw, 'version') || String(data.tenancy.version) : String(data.tenancy.version),
      formToken: formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined),
      values: { endDate: rawDate(raw, 'endDate'), confirm: rawText(raw, 'confirm') === 'yes' },
    });
  }

  app.get('/tenancies/:id/members/:personId/end', { schema: { params: MemberParams } }, async (req, reply) => showLeave(req, reply, req.params.id, req.params.personId));

  app.post('/tenancies/:id/members/:personId/end', { schema: { params: MemberParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const { id, personId } = req.params;
    if (!isUuid(personId)) throw notFound('person in this tenancy');
    const result = LeaveForm.parse(req.body);
    if (!result.ok) return showLeave(req, reply, id, personId, result);
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => `/homes/${(await endMember(ctx, id, v.version, personId, v.endDate)).homeId}`));
      if (done.kind === 'unknown') return showLeave(req, reply, id, personId, LeaveForm.fail(result.raw, [{ text: 'The form had expired. Check your answers and send them again', href: '#endDate-day' }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && (err.status === 400 || err.status === 412)) {
        const raw = err.status === 412 ? { ...result.raw, version: '' } : result.raw;
        return showLeave(req, reply, id, personId, LeaveForm.fail(raw, refusal(err, LEAVE_HREFS, LEAVE_NAMES)));
      }
      throw err;
    }
  });

  // ---- Tenancies starting or ending: all of them (the worklist shows the first few)
  app.get('/tenancies/starting-or-ending', { schema: { querystring: ListQuery } }, async (req, reply) => {
    const n = pageNumber(req.query.page);
    const everywhere = req.query.scope === 'all';
    const data = await page(req, async (ctx) => {
      const scope = await patchScope(ctx, !everywhere);
      const list = await tenanciesStartingOrEnding(ctx, scope.homeIds, ukDate(new Date()), { limit: PAGE_SIZE, offset: (n - 1) * PAGE_SIZE });
      return { total: list.total, items: await movingItems(ctx, list.items), patchName: scope.patch?.name ?? null };
    });
    return reply.view('tenancies/starting-or-ending.njk', {
      ...data, title: 'Tenancies starting or ending', everywhere,
      pagination: paginate('/tenancies/starting-or-ending', everywhere ? { scope: 'all' } : {}, n, data.total),
    });
  });
}
