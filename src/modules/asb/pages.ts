// The ASB officer's pages (issue 15; docs/decisions/0025): the list of cases (/asb), opening a case in one form with a
// step that shows open cases that may be the same problem (/asb/cases/new), and the case (/asb/cases/:id) with forms to
// add an incident and to assess the complainant's risk. Every read and write goes through the cases' service, which
// checks asb:read and asb:write (a 403 page for other roles). Every form carries a CSRF token; writes carry a one-time
// form token; no JavaScript needed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { Type, type Static, type TObject, type TSchema } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { Problem } from '../../platform/http/problem.ts';
import { govukDate, govukDateTime, govukTime } from '../../platform/uk-time.ts';
import { IdParams, QueryValue, type IdRequest } from '../../web/page.ts';
import {
  DateInput, defineForm, formTokenFor, oncePerFormToken, postedFormToken, TimeInput, type ErrorItem, type Form, type FormResult,
} from '../../web/forms/index.ts';
import { blockRecords, formatAddress, homeRecords, normalisePostcode, searchHomes } from '../homes/index.ts';
import { personRecords } from '../people/index.ts';
import { asbActions, asbCaseLinks } from './schema.ts';
import { QUESTION_GROUPS, RISK_LEVEL_LABELS, SCALE_ANSWERS, type AsbSettings, type RiskLevel } from './rules/settings.ts';
import { asbSettingsVersion, currentAsbSettings } from './settings-service.ts';
import {
  addIncident, assessCaseRisk, getCase, listCases, openCase, REPORTED_VIA, similarCases,
  type CaseView, type OpenCaseInput, type PartyInput, type SimilarCase,
} from './service.ts';

type Raw = Record<string, unknown>;
type TagColour = 'red' | 'orange' | 'yellow' | 'green' | 'blue' | 'grey' | 'purple';
const tag = (text: string, colour: TagColour) => ({ text, classes: `govuk-tag--${colour}` });
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const rawText = (raw: Raw | undefined, name: string) => (typeof raw?.[name] === 'string' ? (raw[name] as string) : '');
const rawList = (raw: Raw | undefined, name: string): string[] => (Array.isArray(raw?.[name]) ? (raw[name] as unknown[]).filter((x): x is string => typeof x === 'string') : []);
const rawDate = (raw: Raw | undefined, name: string) => {
  const parts = (raw?.[name] ?? {}) as { day?: string; month?: string; year?: string };
  return { day: parts.day ?? '', month: parts.month ?? '', year: parts.year ?? '' };
};

const RISK_TAGS: Record<RiskLevel, TagColour> = { standard: 'blue', medium: 'orange', high: 'red' };
const riskTag = (level: string | null) => (level && level in RISK_TAGS
  ? tag(RISK_LEVEL_LABELS[level as RiskLevel], RISK_TAGS[level as RiskLevel]) : tag('Not assessed', 'grey'));
const REPORTED_VIA_WORDS: Record<(typeof REPORTED_VIA)[number], string> = {
  phone: 'Phone', email: 'Email', online: 'Online', 'in-person': 'In person', letter: 'Letter', police: 'The police', other: 'Another way',
};

/** The words of a landlord's codes: the settings the case was opened with name its categories and priority. */
function words(s: AsbSettings) {
  const category = new Map(s.categories.map((c) => [c.code, c.label]));
  const priority = new Map(s.priorities.map((p) => [p.code, p.label]));
  const characteristic = new Map(s.protectedCharacteristics.map((c) => [c.code, c.label]));
  return {
    categories: (codes: readonly string[]) => codes.map((c) => category.get(c) ?? c).join(', '),
    priority: (code: string) => priority.get(code) ?? code,
    characteristics: (codes: readonly string[]) => codes.map((c) => characteristic.get(c) ?? c).join(', '),
  };
}

/** A service's refusal as the form's errors, each linked to the control that fixes it (by JSON path, longest match). */
function refusal(err: Problem, hrefs: Record<string, string>, fallback: string): ErrorItem[] {
  if (!err.errors.length) return [{ text: err.message, href: fallback }];
  const paths = Object.keys(hrefs).sort((a, b) => b.length - a.length);
  return err.errors.map((e) => {
    const path = paths.find((p) => e.field === p || e.field.startsWith(`${p}/`));
    const text = path ? `${hrefs[path]!.split('|')[1] ?? ''} ${e.message}`.trim() : `${e.field.slice(1)} ${e.message}`;
    return { text: text.charAt(0).toUpperCase() + text.slice(1), href: path ? hrefs[path]!.split('|')[0]! : fallback };
  });
}

function requireWrite(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'asb:write')) throw new Problem(403, 'Forbidden', 'Your role does not allow you to open or work ASB cases. Ask an ASB officer.');
}

// ---- The forms -------------------------------------------------------------------------------------------------------

const PERPETRATOR_KINDS = ['person', 'group', 'unknown'] as const;
const SIMILAR_CHOICE = '^(isolated|linked|add:[0-9a-fA-F-]{36})$';

const CaseForm = defineForm({
  schema: Type.Object({
    summary: Type.String({ maxLength: 200 }),
    description: Type.String({ maxLength: 20_000 }),
    occurredOn: DateInput({ label: 'The date it happened', when: 'today-or-past' }),
    occurredTime: Type.Optional(TimeInput()),
    place: Type.Optional(Type.String({ maxLength: 200 })),
    categories: Type.Array(Type.String({ maxLength: 60 }), { minItems: 1, maxItems: 20 }),
    protectedCharacteristics: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 20 })),
    homeId: Type.Optional(Type.String({ format: 'uuid' })),
    blockId: Type.Optional(Type.String({ format: 'uuid' })),
    complainantName: Type.Optional(Type.String({ maxLength: 200 })),
    complainantPersonId: Type.Optional(Type.String({ format: 'uuid' })),
    perpetratorKind: Type.Union(PERPETRATOR_KINDS.map((k) => Type.Literal(k))),
    perpetratorPersonId: Type.Optional(Type.String({ format: 'uuid' })),
    perpetratorName: Type.Optional(Type.String({ maxLength: 200 })),
    step: Type.Optional(Type.Literal('similar')),
    similar: Type.Optional(Type.String({ pattern: SIMILAR_CHOICE })),
  }),
  messages: {
    summary: { required: 'Enter the problem in a line', tooLong: 'The problem in a line must be 200 characters or fewer' },
    description: { required: 'Enter what happened', tooLong: 'What happened must be 20,000 characters or fewer' },
    occurredOn: { required: 'Enter the date it happened', when: 'The date it happened must be today or in the past' },
    occurredTime: 'Enter the time it happened like 21:30 or 9:30pm',
    place: 'Where it happened must be 200 characters or fewer',
    categories: 'Select what kind of behaviour it is',
    protectedCharacteristics: 'Select the protected characteristics from the list',
    homeId: 'Choose the home again: find it by its postcode',
    blockId: 'Choose the block again: find it by its postcode',
    complainantName: 'The complainant’s name must be 200 characters or fewer',
    complainantPersonId: 'Enter the complainant’s person id as it is in the web address of their page, after /people/',
    perpetratorKind: 'Select who the report is about',
    perpetratorPersonId: 'Enter the person id of the person reported as it is in the web address of their page, after /people/',
    perpetratorName: 'The group or description must be 200 characters or fewer',
    step: 'Start again: the form was not complete',
    similar: 'Select what to do with this report',
  },
  ids: { categories: 'categories', protectedCharacteristics: 'protectedCharacteristics', perpetratorKind: 'perpetratorKind', similar: 'similar' },
  order: ['summary', 'description', 'occurredOn', 'occurredTime', 'place', 'categories', 'protectedCharacteristics', 'complainantName', 'complainantPersonId', 'perpetratorKind', 'perpetratorPersonId', 'perpetratorName', 'similar'],
  check: (v, fail) => {
    if (v.perpetratorKind === 'person' && !v.perpetratorPersonId) fail('perpetratorPersonId', 'Enter the person id of the person reported, or choose a group or someone unknown');
    if (v.perpetratorKind === 'group' && !v.perpetratorName) fail('perpetratorName', 'Enter what the group is called or how it was described');
    if (v.step === 'similar' && !v.similar) fail('similar', 'Select what to do with this report');
  },
});
type CaseValues = Static<typeof CaseForm.schema>;

const IncidentForm = defineForm({
  schema: Type.Object({
    description: Type.String({ maxLength: 20_000 }),
    occurredOn: DateInput({ label: 'The date it happened', when: 'today-or-past' }),
    occurredTime: Type.Optional(TimeInput()),
    place: Type.Optional(Type.String({ maxLength: 200 })),
    reportedVia: Type.Optional(Type.Union(REPORTED_VIA.map((k) => Type.Literal(k)))),
  }),
  messages: {
    description: { required: 'Enter what happened', tooLong: 'What happened must be 20,000 characters or fewer' },
    occurredOn: { required: 'Enter the date it happened', when: 'The date it happened must be today or in the past' },
    occurredTime: 'Enter the time it happened like 21:30 or 9:30pm',
    place: 'Where it happened must be 200 characters or fewer',
    reportedVia: 'Select how it was reported',
  },
  ids: { reportedVia: 'reportedVia' },
});
type IncidentValues = Static<typeof IncidentForm.schema>;

/** The risk form of a settings version: one radio group per question, `risk-<question id>`, none required alone. */
const riskForms = new Map<string, Form<TObject>>();
function riskForm(s: AsbSettings): Form<TObject> {
  const key = JSON.stringify(s.riskMatrix.questions.map((q) => [q.id, q.answer]));
  let form = riskForms.get(key);
  if (form) return form;
  const props: Record<string, TSchema> = {};
  const messages: Record<string, string> = {};
  for (const q of s.riskMatrix.questions) {
    props[`risk-${q.id}`] = Type.Optional(Type.String({ pattern: q.answer === 'yes-no' ? '^(yes|no)$' : `^[0-${SCALE_ANSWERS.length - 1}]$` }));
    messages[`risk-${q.id}`] = `Select an answer to “${q.text}”`;
  }
  const first = `risk-${s.riskMatrix.questions[0]!.id}`;
  form = defineForm({
    schema: Type.Object(props),
    messages,
    check: (values, fail) => {
      if (!Object.values(values).some((v) => v !== undefined)) fail(first, 'Answer at least one question to assess the risk');
    },
  }) as Form<TObject>;
  riskForms.set(key, form);
  return form;
}

// ---- Queries ---------------------------------------------------------------------------------------------------------

const ListQuery = Type.Object({ status: QueryValue, after: QueryValue });
const NewQuery = Type.Object({ postcode: QueryValue, homeId: QueryValue, blockId: QueryValue, place: QueryValue });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Each case's next open action (the soonest due), for the list: the plan lives in this module's own table. */
async function nextActions(ctx: Ctx, caseIds: readonly string[]): Promise<Map<string, { label: string; dueAt: Date }>> {
  if (!caseIds.length) return new Map();
  const rows = await ctx.tx.select({ caseId: asbActions.caseId, label: asbActions.label, dueAt: asbActions.dueAt }).from(asbActions)
    .where(and(eq(asbActions.organisationId, ctx.actor.organisationId), inArray(asbActions.caseId, [...caseIds]), isNull(asbActions.doneAt)))
    .orderBy(asc(asbActions.dueAt));
  const next = new Map<string, { label: string; dueAt: Date }>();
  for (const r of rows) if (!next.has(r.caseId)) next.set(r.caseId, { label: r.label, dueAt: r.dueAt });
  return next;
}

/**
 * Links a new case to the open cases it may repeat, both ways round ("opened as linked"). The service has no link
 * function yet; the links are this module's own table, written in the same transaction as the case.
 */
async function linkCases(ctx: Ctx, caseId: string, others: readonly string[], reason: string) {
  if (!others.length) return;
  const org = ctx.actor.organisationId;
  await ctx.tx.insert(asbCaseLinks).values(others.flatMap((other) => [
    { organisationId: org, id: uuidv7(), caseId, linkedCaseId: other, reason },
    { organisationId: org, id: uuidv7(), caseId: other, linkedCaseId: caseId, reason },
  ])).onConflictDoNothing();
}

/** The homes and blocks at a postcode, to choose the case's place from. */
async function placesAtPostcode(ctx: Ctx, postcode: string) {
  const homes = (await searchHomes(ctx, postcode, 200)).filter((h) => h.postcode === postcode)
    .map((h) => ({ id: h.id, address: formatAddress(h), blockId: h.blockId }))
    .sort((a, b) => a.address.localeCompare(b.address, 'en-GB', { numeric: true }));
  const blockIds = [...new Set(homes.flatMap((h) => (h.blockId ? [h.blockId] : [])))];
  const blocks = (await blockRecords.getMany(ctx, blockIds)).map((b) => ({ id: b.id, name: b.name ?? 'Unnamed block' }));
  return { homes, blocks };
}

/** The case's place in words: the home's address or the block's name. */
async function placeWords(ctx: Ctx, q: { homeId?: string; blockId?: string }): Promise<string> {
  if (q.homeId && UUID.test(q.homeId)) {
    const [home] = await homeRecords.getMany(ctx, [q.homeId]);
    if (home) return formatAddress(home);
  }
  if (q.blockId && UUID.test(q.blockId)) {
    const [block] = await blockRecords.getMany(ctx, [q.blockId]);
    if (block) return block.name ?? 'A block';
  }
  return '';
}

/** The form's values as an OpenCaseInput: the complainant first (who reported it), then the person reported. */
function caseInput(v: CaseValues): { input: OpenCaseInput; partyFields: string[] } {
  const parties: PartyInput[] = [];
  const partyFields: string[] = [];
  if (v.complainantPersonId) { parties.push({ role: 'complainant', kind: 'person', personId: v.complainantPersonId, name: v.complainantName ?? null }); partyFields.push('complainantPersonId'); }
  else if (v.complainantName) { parties.push({ role: 'complainant', kind: 'unknown', name: v.complainantName }); partyFields.push('complainantName'); }
  const complainant = parties.length ? 0 : null;
  if (v.perpetratorKind === 'person') { parties.push({ role: 'alleged-perpetrator', kind: 'person', personId: v.perpetratorPersonId ?? null }); partyFields.push('perpetratorPersonId'); }
  else { parties.push({ role: 'alleged-perpetrator', kind: v.perpetratorKind, name: v.perpetratorName ?? null }); partyFields.push('perpetratorName'); }
  const places = v.homeId ? [{ homeId: v.homeId }] : v.blockId ? [{ blockId: v.blockId }] : [];
  return {
    partyFields,
    input: {
      summary: v.summary, categories: v.categories, protectedCharacteristics: v.protectedCharacteristics ?? [], parties, places,
      incident: { occurredOn: v.occurredOn, occurredTime: v.occurredTime ?? null, place: v.place ?? null, description: v.description, reportedByPartyIndex: complainant },
    },
  };
}

/** The form's posted answers as hidden fields, to carry them through the similar-cases step. */
function hiddenFields(raw: Raw): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'step' || name === 'similar') continue;
    if (Array.isArray(value)) for (const x of value) if (typeof x === 'string') out.push({ name, value: x });
    if (typeof value === 'string' && value) out.push({ name, value });
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [part, x] of Object.entries(value)) if (typeof x === 'string' && x) out.push({ name: `${name}-${part}`, value: x });
    }
  }
  return out;
}

// ---- The pages -------------------------------------------------------------------------------------------------------

export function asbPages(app: TypedFastify, deps: PageDeps): void {
  const { page, run } = deps;

  // ---- The list of cases
  app.get('/asb', { schema: { querystring: ListQuery } }, async (req, reply) => {
    const status = one(req.query.status) === 'closed' ? 'closed' : one(req.query.status) === 'all' ? 'all' : 'open';
    const after = one(req.query.after);
    const data = await page(req, async (ctx) => {
      const list = await listCases(ctx, { status: status === 'all' ? undefined : status, limit: 50, cursor: after || undefined });
      const { settings } = await currentAsbSettings(ctx);
      return { list, settings, next: await nextActions(ctx, list.items.map((c) => c.id)) };
    });
    const w = words(data.settings);
    const now = Date.now();
    return reply.view('asb/cases.njk', {
      organisationName: data.organisationName, title: 'ASB cases', section: 'asb', status,
      canOpen: can(req.actor!.role, 'asb:write'),
      statusItems: [['open', 'Open'], ['closed', 'Closed'], ['all', 'Any']].map(([value, text]) => ({ value, text, selected: value === status })),
      nextPage: data.list.nextCursor ? `/asb?${new URLSearchParams({ status, after: data.list.nextCursor }).toString()}` : null,
      rows: data.list.items.map((c) => {
        const next = data.next.get(c.id);
        return {
          id: c.id, reference: c.reference, summary: c.summary, categories: w.categories(c.categories), priority: w.priority(c.priorityCode),
          hate: c.hate, riskTag: riskTag(c.riskLevel), status: c.status === 'open' ? 'Open' : 'Closed',
          next: next ? { label: next.label, dueText: govukDateTime(next.dueAt), overdue: next.dueAt.getTime() < now } : null,
        };
      }),
    });
  });

  // ---- Opening a case: first the place, found by its postcode (a form sent with GET), then the one-page form
  async function choosePlace(req: FastifyRequest, reply: FastifyReply, postcode: string) {
    requireWrite(req);
    const asked = postcode.trim() !== '';
    const normal = asked ? normalisePostcode(postcode) : null;
    const data = await page(req, async (ctx) => (normal ? await placesAtPostcode(ctx, normal) : { homes: [], blocks: [] }));
    const errors: ErrorItem[] = !asked ? [] : !normal ? [{ text: 'Enter a real postcode, like LS6 1AA', href: '#postcode' }]
      : !data.homes.length ? [{ text: `No homes at ${normal} are held in Hearth: check the postcode`, href: '#postcode' }] : [];
    return reply.code(errors.length ? 400 : 200).view('asb/case-place.njk', {
      ...data, title: 'Where is the problem?', section: 'asb', backLink: '/asb', postcode, normal, errors,
      errorFor: Object.fromEntries(errors.map((e) => [e.href.slice(1), e.text])),
    });
  }

  async function showNew(req: FastifyRequest, reply: FastifyReply, q: { homeId: string; blockId: string }, result?: FormResult<CaseValues>, similar: SimilarCase[] = []) {
    requireWrite(req);
    const data = await page(req, async (ctx) => ({ settings: (await currentAsbSettings(ctx)).settings, placeText: await placeWords(ctx, q) }));
    const raw = result?.raw;
    const errors = result && !result.ok ? result.errors : [];
    const errorFor = result && !result.ok ? result.errorFor : {};
    const token = formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined);
    const common = { organisationName: data.organisationName, section: 'asb', errors, errorFor, formToken: token, placeText: data.placeText };
    if (similar.length && raw) {
      const w = words(data.settings);
      return reply.code(errors.length ? 400 : 200).view('asb/case-similar.njk', {
        ...common, title: 'There are open cases that may be the same problem', backLink: '/asb/cases/new',
        hidden: hiddenFields(raw),
        cases: similar.map((c) => ({ ...c, categoriesText: w.categories(c.categories), priority: w.priority(c.priorityCode), openedText: govukDate(c.openedAt.toISOString().slice(0, 10)) })),
        choiceItems: [
          ...similar.map((c) => ({ value: `add:${c.id}`, text: `Add this report to ${c.reference} as a new incident`, checked: rawText(raw, 'similar') === `add:${c.id}` })),
          { divider: 'or' },
          { value: 'linked', text: similar.length === 1 ? 'Open a new case linked to it' : 'Open a new case linked to them', checked: rawText(raw, 'similar') === 'linked' },
          { value: 'isolated', text: 'Log it as an isolated incident (a new case, not linked)', checked: rawText(raw, 'similar') === 'isolated' },
        ],
      });
    }
    const categories = rawList(raw, 'categories');
    const characteristics = rawList(raw, 'protectedCharacteristics');
    const perpetratorKind = rawText(raw, 'perpetratorKind');
    return reply.code(errors.length ? 400 : 200).view('asb/case-new.njk', {
      ...common, title: 'Open an ASB case', backLink: '/asb/cases/new',
      homeId: q.homeId, blockId: q.blockId,
      values: {
        summary: rawText(raw, 'summary'), description: rawText(raw, 'description'), occurredOn: rawDate(raw, 'occurredOn'), occurredTime: rawText(raw, 'occurredTime'),
        place: rawText(raw, 'place'), complainantName: rawText(raw, 'complainantName'), complainantPersonId: rawText(raw, 'complainantPersonId'),
        perpetratorPersonId: rawText(raw, 'perpetratorPersonId'), perpetratorName: rawText(raw, 'perpetratorName'),
      },
      categoryItems: data.settings.categories.map((c) => ({ value: c.code, text: c.label, hint: c.hint ? { text: c.hint } : undefined, checked: categories.includes(c.code) })),
      characteristicItems: data.settings.protectedCharacteristics.map((c) => ({ value: c.code, text: c.label, checked: characteristics.includes(c.code) })),
      perpetratorKind,
    });
  }

  app.get('/asb/cases/new', { schema: { querystring: NewQuery } }, async (req, reply) => {
    const q = { homeId: one(req.query.homeId), blockId: one(req.query.blockId) };
    if (!q.homeId && !q.blockId && one(req.query.place) !== 'none') return choosePlace(req, reply, one(req.query.postcode));
    return showNew(req, reply, q);
  });

  app.post('/asb/cases/new', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    let result = CaseForm.parse(req.body);
    const q = { homeId: rawText(result.raw, 'homeId'), blockId: rawText(result.raw, 'blockId') };
    if (!result.ok && result.errors.every((e) => e.href === '#similar')) {
      // The similar-cases step sent without a choice: the step again, with its error. If the cases it showed have
      // closed meanwhile, there is nothing to choose: the report opens a case as any first report does.
      const bare = CaseForm.parse({ ...(req.body as object), step: undefined, similar: undefined });
      const similar = await run(req, (ctx) => similarFor(ctx, bare));
      if (similar.length) return showNew(req, reply, q, result, similar);
      result = bare;
    }
    if (!result.ok) return showNew(req, reply, q, result);
    const v = result.values;
    const { input, partyFields } = caseInput(v);
    // First post: look for open cases at the same home or block, or about the same people, before opening one.
    if (!v.similar) {
      const similar = await run(req, (ctx) => similarCases(ctx, keysOf(v)));
      if (similar.length) return showNew(req, reply, q, result, similar);
    }
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        if (v.similar?.startsWith('add:')) {
          const caseId = v.similar.slice(4);
          const { incident } = input;
          // The report's complainant is not made a party of that case (the service adds parties only on opening): their
          // name is kept as the incident's reporter.
          await addIncident(ctx, caseId, {
            occurredOn: incident.occurredOn, occurredTime: incident.occurredTime, place: incident.place, description: incident.description, reportedByName: v.complainantName ?? null,
          });
          return `/asb/cases/${caseId}#incidents`;
        }
        const opened = await openCase(ctx, input);
        if (v.similar === 'linked') {
          const others = (await similarCases(ctx, keysOf(v), opened.case.id)).map((c) => c.id);
          await linkCases(ctx, opened.case.id, others, 'Opened as linked: it may be the same problem');
        }
        return `/asb/cases/${opened.case.id}`;
      }));
      if (done.kind === 'unknown') return showNew(req, reply, q, CaseForm.fail(result.raw, [{ text: 'The form had expired. Check your answers and continue again', href: '#summary' }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && (err.status === 400 || err.status === 409 || err.status === 404)) {
        const parties = Object.fromEntries(partyFields.map((f, i) => [`/parties/${i}`, `#${f}|${PARTY_WORDS[f] ?? ''}`]));
        return showNew(req, reply, q, CaseForm.fail({ ...result.raw, step: undefined, similar: undefined }, refusal(err, {
          '/summary': '#summary|The problem in a line', '/categories': '#categories|The kind of behaviour',
          '/protectedCharacteristics': '#protectedCharacteristics|Protected characteristics', '/incident/occurredOn': '#occurredOn-day|The date it happened',
          '/incident/occurredTime': '#occurredTime|The time it happened', '/incident/description': '#description|What happened', '/incident/place': '#place|Where it happened',
          '/places': '#summary|The place', '/occurredOn': '#occurredOn-day|The date it happened', '/description': '#description|What happened', ...parties,
        }, '#summary')));
      }
      throw err;
    }
  });

  // ---- The case
  async function showCase(req: IdRequest, reply: FastifyReply, forms: { incident?: FormResult<IncidentValues>; risk?: FormResult<Record<string, unknown>> } = {}) {
    const data = await page(req, async (ctx) => {
      const view = await getCase(ctx, req.params.id);
      const { settings } = await asbSettingsVersion(ctx, view.case.settingsVersion);
      return { view, settings, ...(await namesOf(ctx, view)) };
    });
    const { view, settings } = data;
    const c = view.case;
    const w = words(settings);
    const now = Date.now();
    const errors = [...(forms.incident && !forms.incident.ok ? forms.incident.errors : []), ...(forms.risk && !forms.risk.ok ? forms.risk.errors : [])];
    const errorFor = { ...(forms.incident && !forms.incident.ok ? forms.incident.errorFor : {}), ...(forms.risk && !forms.risk.ok ? forms.risk.errorFor : {}) };
    const incidentRaw = forms.incident?.raw;
    const riskRaw = forms.risk?.raw ?? riskAnswersRaw(view);
    const canWork = can(req.actor!.role, 'asb:write') && c.status === 'open';
    return reply.code(errors.length ? 400 : 200).view('asb/case.njk', {
      organisationName: data.organisationName, title: `${c.reference}: ${c.summary.slice(0, 60)}`, section: 'asb', backLink: '/asb',
      c, canWork, errors, errorFor,
      statusText: c.status === 'open' ? 'Open' : 'Closed',
      categoriesText: w.categories(c.categories), priorityText: w.priority(c.priorityCode), priorityReason: c.priorityReason,
      hateText: c.hate ? `Yes${c.protectedCharacteristics.length ? `: ${w.characteristics(c.protectedCharacteristics)}` : ''}` : 'No',
      riskTag: riskTag(c.riskLevel), riskWords: view.risk ? `Scored ${view.risk.score}, assessed ${govukDateTime(view.risk.assessedAt)} by ${view.risk.assessedBy}` : 'The complainant’s risk has not been assessed',
      openedText: govukDateTime(c.openedAt),
      caseReview: c.caseReviewFlaggedAt ? `The ASB Case Review threshold was met on ${govukDateTime(c.caseReviewFlaggedAt)}. Tell the complainant they can ask for a case review.` : null,
      identitiesShown: view.identitiesShown,
      parties: view.parties.map((p) => ({
        role: p.role === 'complainant' ? 'Complainant' : p.role === 'witness' ? 'Witness' : 'Alleged perpetrator',
        name: p.hidden ? p.name : (p.personId ? data.people.get(p.personId) : null) ?? p.name ?? (p.kind === 'unknown' ? 'Not known' : 'Not recorded'),
        personId: p.hidden ? null : p.personId, kind: p.kind === 'group' ? 'A group' : p.kind === 'unknown' ? 'Not on our records' : 'On our records',
        notes: p.notes, hidden: p.hidden,
      })),
      places: view.places.map((pl) => (pl.homeId ? { href: `/homes/${pl.homeId}`, text: data.homes.get(pl.homeId) ?? 'A home' }
        : pl.blockId ? { href: `/blocks/${pl.blockId}`, text: data.blocks.get(pl.blockId) ?? 'A block' } : { href: null, text: 'A tenancy' })),
      incidents: [...view.incidents].sort((a, b) => b.occurredOn.localeCompare(a.occurredOn) || b.id.localeCompare(a.id)).map((i) => ({
        when: `${govukDate(i.occurredOn)}${i.occurredTime ? `, ${govukTime(i.occurredTime.slice(0, 5))}` : ''}`, place: i.place, description: i.description,
        via: i.reportedVia ? REPORTED_VIA_WORDS[i.reportedVia as keyof typeof REPORTED_VIA_WORDS] ?? i.reportedVia : null, reportedText: govukDateTime(i.reportedAt),
      })),
      actions: view.actions.map((a) => ({
        label: a.label, dueText: govukDateTime(a.dueAt),
        tag: a.doneAt ? tag('Done', 'green') : a.dueAt.getTime() < now ? tag('Overdue', 'red') : tag('To do', 'blue'),
      })),
      incidentValues: {
        description: rawText(incidentRaw, 'description'), occurredOn: rawDate(incidentRaw, 'occurredOn'), occurredTime: rawText(incidentRaw, 'occurredTime'), place: rawText(incidentRaw, 'place'),
      },
      viaItems: [{ value: '', text: 'Not recorded' }, ...REPORTED_VIA.map((v) => ({ value: v, text: REPORTED_VIA_WORDS[v], selected: rawText(incidentRaw, 'reportedVia') === v }))],
      riskGroups: riskGroups(settings, riskRaw),
      incidentToken: formTokenFor(req, forms.incident ? postedFormToken(req) ?? '' : undefined),
      riskToken: formTokenFor(req, forms.risk ? postedFormToken(req) ?? '' : undefined),
    });
  }

  app.get('/asb/cases/:id', { schema: { params: IdParams } }, async (req, reply) => showCase(req, reply));

  app.post('/asb/cases/:id/incidents', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const result = IncidentForm.parse(req.body);
    if (!result.ok) return showCase(req, reply, { incident: result });
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await addIncident(ctx, req.params.id, { occurredOn: v.occurredOn, occurredTime: v.occurredTime ?? null, place: v.place ?? null, description: v.description, reportedVia: v.reportedVia ?? null });
        return `/asb/cases/${req.params.id}#incidents`;
      }));
      if (done.kind === 'unknown') return showCase(req, reply, { incident: IncidentForm.fail(result.raw, [{ text: 'The form had expired. Add the incident again', href: '#description' }]) });
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && (err.status === 400 || err.status === 409)) {
        return showCase(req, reply, { incident: IncidentForm.fail(result.raw, refusal(err, {
          '/occurredOn': '#occurredOn-day|The date it happened', '/occurredTime': '#occurredTime|The time it happened', '/description': '#description|What happened',
          '/reportedVia': '#reportedVia|How it was reported',
        }, '#description')) });
      }
      throw err;
    }
  });

  app.post('/asb/cases/:id/risk', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const { settings } = await run(req, async (ctx) => asbSettingsVersion(ctx, (await getCase(ctx, req.params.id)).case.settingsVersion));
    const form = riskForm(settings);
    const result = form.parse(req.body);
    if (!result.ok) return showCase(req, reply, { risk: result });
    const answers: Record<string, boolean | number> = {};
    for (const q of settings.riskMatrix.questions) {
      const a = (result.values as Record<string, string | undefined>)[`risk-${q.id}`];
      if (a !== undefined) answers[q.id] = q.answer === 'yes-no' ? a === 'yes' : Number(a);
    }
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await assessCaseRisk(ctx, req.params.id, answers);
        return `/asb/cases/${req.params.id}#risk`;
      }));
      if (done.kind === 'unknown') return showCase(req, reply, { risk: form.fail(result.raw, [{ text: 'The form had expired. Answer the questions again', href: `#risk-${settings.riskMatrix.questions[0]!.id}` }]) });
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && (err.status === 400 || err.status === 409)) {
        const hrefs = Object.fromEntries(settings.riskMatrix.questions.map((q) => [`/answers/${q.id}`, `#risk-${q.id}|“${q.text}”`]));
        return showCase(req, reply, { risk: form.fail(result.raw, refusal(err, hrefs, `#risk-${settings.riskMatrix.questions[0]!.id}`)) });
      }
      throw err;
    }
  });
}

const PARTY_WORDS: Record<string, string> = {
  complainantPersonId: 'The complainant’s person id', complainantName: 'The complainant’s name',
  perpetratorPersonId: 'The person id of the person reported', perpetratorName: 'The group',
};

const keysOf = (v: CaseValues) => ({
  homeIds: v.homeId ? [v.homeId] : [], blockIds: v.blockId ? [v.blockId] : [],
  personIds: [v.complainantPersonId, v.perpetratorKind === 'person' ? v.perpetratorPersonId : undefined].filter((x): x is string => !!x),
});

/** The similar cases for a posted form whose own answers are complete (else none). */
async function similarFor(ctx: Ctx, result: FormResult<CaseValues>): Promise<SimilarCase[]> {
  return result.ok ? similarCases(ctx, keysOf(result.values)) : [];
}

/** The names the case page shows: people the actor may see, homes' addresses and blocks' names. */
async function namesOf(ctx: Ctx, view: CaseView) {
  const personIds = view.parties.flatMap((p) => (!p.hidden && p.personId ? [p.personId] : []));
  const people = new Map((await personRecords.getMany(ctx, personIds)).map((p) => [p.id, `${p.givenName} ${p.familyName}`]));
  const homes = new Map((await homeRecords.getMany(ctx, view.places.flatMap((p) => (p.homeId ? [p.homeId] : [])))).map((h) => [h.id, formatAddress(h)]));
  const blocks = new Map((await blockRecords.getMany(ctx, view.places.flatMap((p) => (p.blockId ? [p.blockId] : [])))).map((b) => [b.id, b.name ?? 'A block']));
  return { people, homes, blocks };
}

/** The last assessment's answers as the risk form's posted values, so the form shows them. */
function riskAnswersRaw(view: CaseView): Raw {
  const raw: Raw = {};
  for (const [id, a] of Object.entries(view.risk?.answers ?? {})) raw[`risk-${id}`] = typeof a === 'boolean' ? (a ? 'yes' : 'no') : String(a);
  return raw;
}

/** The risk matrix's questions by group, as radio items. */
function riskGroups(s: AsbSettings, raw: Raw) {
  const groups = new Map<string, { legend: string; questions: unknown[] }>();
  for (const q of s.riskMatrix.questions) {
    const name = `risk-${q.id}`;
    const chosen = rawText(raw, name);
    const items = q.answer === 'yes-no'
      ? [{ value: 'yes', text: 'Yes', checked: chosen === 'yes' }, { value: 'no', text: 'No', checked: chosen === 'no' }]
      : SCALE_ANSWERS.map((text, i) => ({ value: String(i), text, checked: chosen === String(i) }));
    const group = groups.get(q.group) ?? { legend: (QUESTION_GROUPS as Record<string, string>)[q.group] ?? q.group, questions: [] };
    group.questions.push({ name, text: q.text, hint: q.hint, items, inline: q.answer === 'yes-no' });
    groups.set(q.group, group);
  }
  return [...groups.values()];
}
