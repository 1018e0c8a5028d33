// The ASB officer's pages (issue 15; docs/decisions/0025): the list of cases (/asb), opening a case in one form with a
// person picker (a search sent with GET, no JavaScript) and a step that shows open cases that may be the same problem
// (/asb/cases/new), and the case (/asb/cases/:id) with forms to add an incident, assess the complainant's risk, add
// tools and change their status, raise an alert for other services in safe words, record its ASB Case Review, and close
// it. Every read and write
// goes through the module's services, which check asb:read and asb:write (a 403 page for other roles). Every form
// carries a CSRF token; writes carry a one-time form token and go back to the case with a success banner.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static, type TObject, type TSchema } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { Problem } from '../../platform/http/problem.ts';
import { govukDate, govukDateTime, govukTime, ukDate } from '../../platform/uk-time.ts';
import { IdParams, QueryValue, type IdRequest } from '../../web/page.ts';
import {
  DateInput, dateParts, defineForm, formTokenFor, oncePerFormToken, postedFormToken, readDateInput, TimeInput, type ErrorItem, type Form, type FormResult,
} from '../../web/forms/index.ts';
import { blockRecords, formatAddress, homeRecords, normalisePostcode, searchHomes } from '../homes/index.ts';
import { fullName, personRecords, searchPeople, type Person } from '../people/index.ts';
import { linkCases } from './work.ts';
import { QUESTION_GROUPS, RISK_LEVEL_LABELS, SCALE_ANSWERS, type AsbSettings, type RiskLevel } from './rules/settings.ts';
import { asbSettingsVersion, currentAsbSettings } from './settings-service.ts';
import {
  addIncident, addParties, assessCaseRisk, getCase, listCases, openCase, REPORTED_VIA, similarCases,
  type CaseView, type OpenCaseInput, type PartyInput, type SimilarCase,
} from './service.ts';
import { addTool, changeToolStatus, nextToolStatuses, TOOL_KINDS, TOOL_STATUSES, type AsbTool, type ToolKind, type ToolStatus } from './tools.ts';
import { ALERT_WORDS, raiseCaseAlert, type AlertWords } from './alerts.ts';
import { CLOSED_WITH_THE_CASE, closeCase, CLOSING_REASONS, type ClosingReason } from './close.ts';
import { caseAlerts, caseTools, nextOpenActions } from './case-details.ts';
import {
  CASE_REVIEW_OUTCOME_HINTS, CASE_REVIEW_OUTCOMES, caseReviewFindingWords, recordCaseReview, RECOMMENDATIONS_MAX, type CaseReviewOutcome,
} from './case-reviews.ts';
import type { AsbCaseReview } from './service.ts';
import { isUuid } from '../../platform/uuid.ts';

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
    complainantPersonId: 'Find the complainant on our records again',
    perpetratorKind: 'Select who the report is about',
    perpetratorPersonId: 'Find the person reported on our records again',
    perpetratorName: 'The group or description must be 200 characters or fewer',
    step: 'Start again: the form was not complete',
    similar: 'Select what to do with this report',
  },
  ids: { categories: 'categories', protectedCharacteristics: 'protectedCharacteristics', perpetratorKind: 'perpetratorKind', similar: 'similar' },
  // The people come first on the page: finding one on our records leaves the form (a search sent with GET).
  order: ['complainantPersonId', 'complainantName', 'perpetratorKind', 'perpetratorPersonId', 'perpetratorName', 'summary', 'description', 'occurredOn', 'occurredTime', 'place', 'categories', 'protectedCharacteristics', 'similar'],
  check: (v, fail) => {
    if (v.perpetratorKind === 'person' && !v.perpetratorPersonId) fail('perpetratorPersonId', 'Find the person reported on our records, or choose a group or someone not known');
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

const literals = <K extends string>(keys: readonly K[]) => Type.Union(keys.map((k) => Type.Literal(k)));
const TOOL_KIND_CODES = Object.keys(TOOL_KINDS) as ToolKind[];
const TOOL_STATUS_CODES = Object.keys(TOOL_STATUSES) as ToolStatus[];
const ALERT_WORD_CODES = Object.keys(ALERT_WORDS) as AlertWords[];
const CLOSING_REASON_CODES = Object.keys(CLOSING_REASONS) as ClosingReason[];

// The case page's forms name their fields apart (tool…, alert…): several forms share the page and its ids.
const ToolForm = defineForm({
  schema: Type.Object({
    toolKind: literals(TOOL_KIND_CODES),
    toolStatus: literals(TOOL_STATUS_CODES),
    toolStartedOn: Type.Optional(DateInput({ label: 'The date it started' })),
    toolEndsOn: Type.Optional(DateInput({ label: 'The date it ends' })),
    toolNextDateOn: Type.Optional(DateInput({ label: 'The next date' })),
    toolAgainst: Type.Optional(Type.String({ format: 'uuid' })),
    toolNotes: Type.Optional(Type.String({ maxLength: 5000 })),
  }),
  messages: {
    toolKind: 'Select the tool or outcome',
    toolStatus: 'Select its status',
    toolStartedOn: { required: 'Enter the date it started' },
    toolEndsOn: { required: 'Enter the date it ends' },
    toolNextDateOn: { required: 'Enter the next date' },
    toolAgainst: 'Select a party of this case, or no one in particular',
    toolNotes: 'Notes must be 5,000 characters or fewer',
  },
  check: (v, fail) => {
    if (v.toolStartedOn && v.toolEndsOn && v.toolEndsOn < v.toolStartedOn) fail('toolEndsOn', 'The date it ends must be the same as or after the date it started', 'day');
  },
});

const ToolStatusForm = defineForm({
  schema: Type.Object({
    status: literals(TOOL_STATUS_CODES),
    on: Type.Optional(DateInput({ label: 'The date it changed', when: 'today-or-past' })),
    nextDateOn: Type.Optional(DateInput({ label: 'The next date' })),
    notes: Type.Optional(Type.String({ maxLength: 5000 })),
  }),
  messages: {
    status: 'Select its new status',
    on: { required: 'Enter the date it changed', when: 'The date it changed must be today or in the past' },
    nextDateOn: { required: 'Enter the next date' },
    notes: 'Why it changed must be 5,000 characters or fewer',
  },
  ids: { status: 'status' },
});

const AlertForm = defineForm({
  schema: Type.Object({
    alertPersonId: Type.String({ format: 'uuid' }),
    alertWords: literals(ALERT_WORD_CODES),
    alertReviewOn: DateInput({ label: 'The review date', when: 'future' }),
  }),
  messages: {
    alertPersonId: 'Select who the alert is about',
    alertWords: 'Select what other services should be told',
    alertReviewOn: { required: 'Enter the date the alert should be reviewed', when: 'The review date must be in the future' },
  },
  ids: { alertPersonId: 'alertPersonId', alertWords: 'alertWords' },
});

const CloseForm = defineForm({
  schema: Type.Object({
    closingReason: literals(CLOSING_REASON_CODES),
    satisfied: Type.Optional(literals(['yes', 'no'] as const)),
    rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    surveyComment: Type.Optional(Type.String({ maxLength: 5000 })),
  }),
  messages: {
    closingReason: 'Select why the case is closing',
    satisfied: 'Select whether the complainant was satisfied with how the case was handled',
    rating: 'Select how satisfied the complainant was overall, from 1 to 5',
    surveyComment: 'What the complainant said must be 5,000 characters or fewer',
  },
  ids: { closingReason: 'closingReason', satisfied: 'satisfied', rating: 'rating' },
  // The survey is all or nothing: close.ts keeps both answers, or none when the complainant did not answer.
  check: (v, fail) => {
    if (v.satisfied && v.rating === undefined) fail('rating', 'Select how satisfied the complainant was overall, from 1 to 5, or leave the survey empty');
    if (!v.satisfied && (v.rating !== undefined || v.surveyComment)) fail('satisfied', 'Select whether the complainant was satisfied with how the case was handled, or leave the survey empty');
  },
});

// The review's outcome, or none yet: a radio chosen cannot be unchosen, so "none yet" is a choice of its own.
const CASE_REVIEW_OUTCOME_CODES = Object.keys(CASE_REVIEW_OUTCOMES) as CaseReviewOutcome[];
const NO_OUTCOME_YET = 'not-yet';
const CaseReviewForm = defineForm({
  schema: Type.Object({
    reviewOn: DateInput({ label: 'The date of the review' }),
    reviewOutcome: Type.Optional(literals([...CASE_REVIEW_OUTCOME_CODES, NO_OUTCOME_YET])),
    reviewRecommendations: Type.Optional(Type.String({ maxLength: RECOMMENDATIONS_MAX })),
  }),
  messages: {
    reviewOn: { required: 'Enter the date of the review' },
    reviewOutcome: 'Select the outcome of the review, or that there is none yet',
    reviewRecommendations: `The recommendations must be ${RECOMMENDATIONS_MAX.toLocaleString('en-GB')} characters or fewer`,
  },
  ids: { reviewOutcome: 'reviewOutcome' },
});

// ---- Queries ---------------------------------------------------------------------------------------------------------

const ListQuery = Type.Object({ status: QueryValue, after: QueryValue });
const NewQuery = Type.Object({
  postcode: QueryValue, homeId: QueryValue, blockId: QueryValue, place: QueryValue, complainantPersonId: QueryValue, perpetratorPersonId: QueryValue,
  find: QueryValue, personName: QueryValue, 'personDob-day': QueryValue, 'personDob-month': QueryValue, 'personDob-year': QueryValue, personPostcode: QueryValue,
  choose: QueryValue, chosenPersonId: QueryValue,
});
const CaseQuery = Type.Object({ done: QueryValue });
const ToolParams = Type.Object({ id: Type.String({ format: 'uuid' }), toolId: Type.String({ format: 'uuid' }) });
const CaseReviewParams = Type.Object({ id: Type.String({ format: 'uuid' }), reviewId: Type.String({ format: 'uuid' }) });

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
  if (q.homeId && isUuid(q.homeId)) {
    const [home] = await homeRecords.getMany(ctx, [q.homeId]);
    if (home) return formatAddress(home);
  }
  if (q.blockId && isUuid(q.blockId)) {
    const [block] = await blockRecords.getMany(ctx, [q.blockId]);
    if (block) return block.name ?? 'A block';
  }
  return '';
}

/**
 * What the new-case form has been given before it is sent: the place and the people chosen from our records. It travels
 * in the web address between the form and the person picker (a search sent with GET); what is typed into the form
 * never does (an ASB report's words do not belong in addresses and logs), so the people come first on the form.
 */
interface NewState { homeId: string; blockId: string; complainantPersonId: string; perpetratorPersonId: string }
type PartyPick = 'complainant' | 'perpetrator';
const PICK_FIELD = { complainant: 'complainantPersonId', perpetrator: 'perpetratorPersonId' } as const;

/** The state as query parameters; `without` leaves a person out (they are being chosen again, or taken off). */
function stateParams(s: NewState, without?: PartyPick): [string, string][] {
  const out: [string, string][] = [];
  if (s.homeId) out.push(['homeId', s.homeId]);
  else if (s.blockId) out.push(['blockId', s.blockId]);
  else out.push(['place', 'none']);
  for (const pick of ['complainant', 'perpetrator'] as const) {
    const id = s[PICK_FIELD[pick]];
    if (id && pick !== without) out.push([PICK_FIELD[pick], id]);
  }
  return out;
}
const newCaseUrl = (s: NewState, without?: PartyPick, extra: [string, string][] = []) =>
  `/asb/cases/new?${new URLSearchParams([...stateParams(s, without), ...extra]).toString()}`;

/** A person as the picker and the form show them, to tell people of the same name apart: born, lives at. */
async function peopleDetails(ctx: Ctx, people: readonly Person[]): Promise<Map<string, string>> {
  const homes = new Map((await homeRecords.getMany(ctx, [...new Set(people.flatMap((p) => (p.homeId ? [p.homeId] : [])))])).map((h) => [h.id, formatAddress(h)]));
  return new Map(people.map((p) => {
    const address = p.address ? formatAddress(p.address) : '';
    const lives = address || (p.homeId ? homes.get(p.homeId) ?? '' : '');
    return [p.id, [p.dateOfBirth ? `Born ${govukDate(p.dateOfBirth)}` : 'Date of birth not recorded', lives].filter(Boolean).join(' · ')];
  }));
}

/** The people chosen so far, found again (an id that is not one of the landlord's people is dropped). */
async function chosenPeople(ctx: Ctx, s: NewState) {
  const ids = [s.complainantPersonId, s.perpetratorPersonId].filter((id) => isUuid(id));
  const people = await personRecords.getMany(ctx, [...new Set(ids)]);
  const details = await peopleDetails(ctx, people);
  const shown = (id: string) => {
    const p = people.find((x) => x.id === id);
    return p ? { id: p.id, name: fullName(p), details: details.get(p.id) ?? '' } : null;
  };
  return { complainant: shown(s.complainantPersonId), perpetrator: shown(s.perpetratorPersonId) };
}

const compactPostcode = (v: string | null | undefined) => (v ?? '').replace(/\s+/g, '').toUpperCase();

/**
 * People on our records by name, narrowed by a date of birth and a postcode (their own address's or their home's) when
 * given: the people module's search, then only those that fit. At most 20, best first.
 */
async function findPeople(ctx: Ctx, name: string, dob: string | null, postcode: string | null) {
  const found = await searchPeople(ctx, name, dob || postcode ? 200 : 20);
  const homeIds = postcode ? [...new Set(found.flatMap((m) => (m.person.homeId ? [m.person.homeId] : [])))] : [];
  const homePostcodes = new Map((await homeRecords.getMany(ctx, homeIds)).map((h) => [h.id, compactPostcode(h.postcode)]));
  const fits = found.filter(({ person: p }) => (!dob || p.dateOfBirth === dob)
    && (!postcode || compactPostcode(p.address?.postcode) === postcode || (p.homeId && homePostcodes.get(p.homeId) === postcode))).slice(0, 20);
  const details = await peopleDetails(ctx, fits.map((m) => m.person));
  return fits.map((m) => ({ id: m.person.id, name: fullName(m.person), details: details.get(m.person.id) ?? '', reasons: m.reasons }));
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
      return { list, settings, next: await nextOpenActions(ctx, list.items.map((c) => c.id)) };
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

  async function showNew(req: FastifyRequest, reply: FastifyReply, q: NewState, result?: FormResult<CaseValues>, similar: SimilarCase[] = []) {
    requireWrite(req);
    const data = await page(req, async (ctx) => ({
      settings: (await currentAsbSettings(ctx)).settings, placeText: await placeWords(ctx, q), chosen: await chosenPeople(ctx, q),
    }));
    const raw = result?.raw;
    const errors = result && !result.ok ? result.errors : [];
    const errorFor = result && !result.ok ? result.errorFor : {};
    const token = formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined);
    const common = { organisationName: data.organisationName, section: 'asb', errors, errorFor, formToken: token, placeText: data.placeText };
    if (similar.length && raw) {
      const w = words(data.settings);
      return reply.code(errors.length ? 400 : 200).view('asb/case-similar.njk', {
        ...common, title: 'There are open cases that may be the same problem', backLink: newCaseUrl(q),
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
    // A person chosen from our records is someone the report is about, unless the form said otherwise.
    const perpetratorKind = rawText(raw, 'perpetratorKind') || (data.chosen.perpetrator ? 'person' : '');
    return reply.code(errors.length ? 400 : 200).view('asb/case-new.njk', {
      ...common, title: 'Open an ASB case', backLink: '/asb/cases/new',
      homeId: q.homeId, blockId: q.blockId,
      complainant: data.chosen.complainant, perpetrator: data.chosen.perpetrator,
      findComplainant: newCaseUrl(q, undefined, [['find', 'complainant']]), findPerpetrator: newCaseUrl(q, undefined, [['find', 'perpetrator']]),
      values: {
        summary: rawText(raw, 'summary'), description: rawText(raw, 'description'), occurredOn: rawDate(raw, 'occurredOn'), occurredTime: rawText(raw, 'occurredTime'),
        place: rawText(raw, 'place'), complainantName: rawText(raw, 'complainantName'), perpetratorName: rawText(raw, 'perpetratorName'),
      },
      categoryItems: data.settings.categories.map((c) => ({ value: c.code, text: c.label, hint: c.hint ? { text: c.hint } : undefined, checked: categories.includes(c.code) })),
      characteristicItems: data.settings.protectedCharacteristics.map((c) => ({ value: c.code, text: c.label, checked: characteristics.includes(c.code) })),
      perpetratorKind,
    });
  }

  /**
   * The person picker: search our records by name (a date of birth and a postcode narrow it), choose one from the
   * results, and go back to the form with them chosen. Both forms are sent with GET, carrying the place and the people
   * chosen so far.
   */
  async function pickPerson(req: FastifyRequest, reply: FastifyReply, pick: PartyPick, q: NewState, query: Record<string, string | string[] | undefined>) {
    requireWrite(req);
    const name = one(query.personName).trim();
    const dobParts = { day: one(query['personDob-day']), month: one(query['personDob-month']), year: one(query['personDob-year']) };
    const postcodeTyped = one(query.personPostcode).trim();
    const searched = query.personName !== undefined;
    const errors: ErrorItem[] = [];
    if (searched && !name) errors.push({ text: 'Enter a name to search for', href: '#personName' });
    const dob = readDateInput(dobParts, { label: 'Date of birth' }, 'past');
    if (dob.kind === 'error') errors.push({ text: dob.text, href: `#personDob-${dob.part}` });
    const chosen = one(query.chosenPersonId);
    if (one(query.choose) === 'yes') {
      if (isUuid(chosen)) return reply.redirect(newCaseUrl({ ...q, [PICK_FIELD[pick]]: chosen }), 303);
      errors.push({ text: pick === 'complainant' ? 'Select the complainant from the results, or search again' : 'Select the person reported from the results, or search again', href: '#chosenPersonId' });
    }
    const canSearch = searched && name && dob.kind !== 'error';
    const data = await page(req, async (ctx) => ({
      placeText: await placeWords(ctx, q),
      results: canSearch ? await findPeople(ctx, name, dob.kind === 'date' ? dob.date : null, postcodeTyped ? compactPostcode(postcodeTyped) : null) : null,
    }));
    const carried = stateParams(q, pick).map(([n, value]) => ({ name: n, value }));
    const terms = [['personName', name], ['personDob-day', dobParts.day], ['personDob-month', dobParts.month], ['personDob-year', dobParts.year], ['personPostcode', postcodeTyped]]
      .filter(([, v]) => v).map(([n, value]) => ({ name: n!, value: value! }));
    const who = pick === 'complainant' ? 'the complainant' : 'the person reported';
    return reply.code(errors.length ? 400 : 200).view('asb/case-person.njk', {
      organisationName: data.organisationName, section: 'asb', title: `Find ${who} on our records`, backLink: newCaseUrl(q),
      errors, errorFor: Object.fromEntries(errors.map((e) => [e.href.slice(1), e.text])), placeText: data.placeText, pick, who,
      carried, terms, values: { personName: name, personDob: dobParts, personPostcode: postcodeTyped },
      searched: !!canSearch, results: data.results,
      resultItems: (data.results ?? []).map((r) => ({ value: r.id, text: r.name, hint: { text: [r.details, r.reasons.join('; ')].filter(Boolean).join(' · ') }, checked: r.id === chosen })),
      notOnRecords: newCaseUrl(q, pick),
    });
  }

  app.get('/asb/cases/new', { schema: { querystring: NewQuery } }, async (req, reply) => {
    const q: NewState = {
      homeId: one(req.query.homeId), blockId: one(req.query.blockId),
      complainantPersonId: one(req.query.complainantPersonId), perpetratorPersonId: one(req.query.perpetratorPersonId),
    };
    if (!q.homeId && !q.blockId && one(req.query.place) !== 'none') return choosePlace(req, reply, one(req.query.postcode));
    const find = one(req.query.find);
    if (find === 'complainant' || find === 'perpetrator') return pickPerson(req, reply, find, q, req.query);
    return showNew(req, reply, q);
  });

  app.post('/asb/cases/new', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    let result = CaseForm.parse(req.body);
    const q: NewState = {
      homeId: rawText(result.raw, 'homeId'), blockId: rawText(result.raw, 'blockId'),
      complainantPersonId: rawText(result.raw, 'complainantPersonId'), perpetratorPersonId: rawText(result.raw, 'perpetratorPersonId'),
    };
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
          // The report's people join that case (a person already in it in the same role is not added twice), and the
          // incident is the complainant's report.
          const parties = await addParties(ctx, caseId, input.parties);
          const by = incident.reportedByPartyIndex != null ? parties[incident.reportedByPartyIndex] : undefined;
          await addIncident(ctx, caseId, {
            occurredOn: incident.occurredOn, occurredTime: incident.occurredTime, place: incident.place, description: incident.description,
            reportedByPartyId: by?.id ?? null,
          });
          return `/asb/cases/${caseId}?done=incident#incidents`;
        }
        const opened = await openCase(ctx, input);
        if (v.similar === 'linked') {
          const others = (await similarCases(ctx, keysOf(v), opened.case.id)).map((c) => c.id);
          // Linked both ways round, in the same transaction as the case.
          for (const other of others) await linkCases(ctx, opened.case.id, other, 'Opened as linked: it may be the same problem');
        }
        return `/asb/cases/${opened.case.id}?done=opened`;
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
  type CaseForms = {
    incident?: FormResult<IncidentValues>; risk?: FormResult<Record<string, unknown>>; tool?: FormResult<ToolValues>; alert?: FormResult<AlertValues>;
    caseReview?: FormResult<CaseReviewValues>;
  };
  async function showCase(req: IdRequest, reply: FastifyReply, forms: CaseForms = {}, done = '') {
    const data = await page(req, async (ctx) => {
      const view = await getCase(ctx, req.params.id);
      const { settings } = await asbSettingsVersion(ctx, view.case.settingsVersion);
      const tools = await caseTools(ctx, view.case.id);
      const alerts = await caseAlerts(ctx, view.case);
      return { view, settings, tools, alerts, ...(await namesOf(ctx, view)) };
    });
    const { view, settings } = data;
    const c = view.case;
    const w = words(settings);
    const now = Date.now();
    const today = ukDate(new Date());
    const failed = Object.values(forms).filter((f): f is Extract<FormResult<unknown>, { ok: false }> => !!f && !f.ok);
    const errors = failed.flatMap((f) => f.errors);
    const errorFor = Object.assign({}, ...failed.map((f) => f.errorFor)) as Record<string, string>;
    const incidentRaw = forms.incident?.raw;
    const riskRaw = forms.risk?.raw ?? riskAnswersRaw(view);
    const toolRaw = forms.tool?.raw;
    const alertRaw = forms.alert?.raw;
    const canWork = can(req.actor!.role, 'asb:write') && c.status === 'open';
    const partyName = (p: ShownParty) => partyWords(p, data.people);
    const parties = new Map(view.parties.map((p) => [p.id, p]));
    // Only a person on our records can carry an alert: the person parties the actor may see, each once.
    const alertPeople = [...new Map(view.parties.filter((p) => !p.hidden && p.kind === 'person' && p.personId).map((p) => [p.personId!, p])).values()];
    const tokenFor = (form: keyof CaseForms) => formTokenFor(req, forms[form] ? postedFormToken(req) ?? '' : undefined);
    return reply.code(errors.length ? 400 : 200).view('asb/case.njk', {
      organisationName: data.organisationName, title: `${c.reference}: ${c.summary.slice(0, 60)}`, section: 'asb', backLink: '/asb',
      c, canWork, errors, errorFor, banner: errors.length ? null : DONE_WORDS[done] ?? null,
      statusText: c.status === 'open' ? 'Open' : 'Closed',
      closed: c.status === 'closed' ? closedDetails(c, view.identitiesShown) : null,
      categoriesText: w.categories(c.categories), priorityText: w.priority(c.priorityCode), priorityReason: c.priorityReason,
      hateText: c.hate ? `Yes${c.protectedCharacteristics.length ? `: ${w.characteristics(c.protectedCharacteristics)}` : ''}` : 'No',
      riskTag: riskTag(c.riskLevel), riskWords: view.risk ? `Scored ${view.risk.score}, assessed ${govukDateTime(view.risk.assessedAt)} by ${view.risk.assessedBy}` : 'The complainant’s risk has not been assessed',
      openedText: govukDateTime(c.openedAt),
      caseReview: c.caseReviewFlaggedAt ? `The ASB Case Review threshold was met on ${govukDateTime(c.caseReviewFlaggedAt)}. Tell the complainant they can ask for a case review.` : null,
      identitiesShown: view.identitiesShown,
      parties: view.parties.map((p) => ({
        role: ROLE_LABELS[p.role], name: partyName(p),
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
        tag: a.doneAt ? (a.note === CLOSED_WITH_THE_CASE ? tag(CLOSED_WITH_THE_CASE, 'grey') : tag('Done', 'green')) : a.dueAt.getTime() < now ? tag('Overdue', 'red') : tag('To do', 'blue'),
      })),
      tools: data.tools.map((t) => {
        const against = t.againstPartyId ? parties.get(t.againstPartyId) : undefined;
        return {
          id: t.id, label: toolLabel(t), tag: toolTag(t), notes: t.notes, canChange: nextToolStatuses(t.status).length > 0,
          dates: toolDates(t),
          against: against ? `${partyName(against)}${against.hidden ? '' : ` (${ROLE_LABELS[against.role].toLowerCase()})`}` : 'No one in particular',
        };
      }),
      alertsHidden: data.alerts === null,
      alerts: (data.alerts ?? []).map((al) => {
        const ended = !!al.endDate && al.endDate < today;
        return {
          who: data.people.get(al.personId) ?? 'Someone only the case’s team sees',
          words: al.description ?? '', raisedText: govukDate(al.startDate),
          reviewText: al.reviewDate ? govukDate(al.reviewDate) : 'No review date',
          tag: ended ? tag(`Ended ${govukDate(al.endDate!)}`, 'grey') : al.endDate ? tag(`Ends ${govukDate(al.endDate)}`, 'orange') : tag('Active', 'green'),
        };
      }),
      incidentValues: {
        description: rawText(incidentRaw, 'description'), occurredOn: rawDate(incidentRaw, 'occurredOn'), occurredTime: rawText(incidentRaw, 'occurredTime'), place: rawText(incidentRaw, 'place'),
      },
      viaItems: [{ value: '', text: 'Not recorded' }, ...REPORTED_VIA.map((v) => ({ value: v, text: REPORTED_VIA_WORDS[v], selected: rawText(incidentRaw, 'reportedVia') === v }))],
      riskGroups: riskGroups(settings, riskRaw),
      toolValues: {
        startedOn: rawDate(toolRaw, 'toolStartedOn'), endsOn: rawDate(toolRaw, 'toolEndsOn'), nextDateOn: rawDate(toolRaw, 'toolNextDateOn'), notes: rawText(toolRaw, 'toolNotes'),
      },
      toolKindItems: TOOL_KIND_CODES.map((k) => ({ value: k, text: TOOL_KINDS[k], checked: rawText(toolRaw, 'toolKind') === k })),
      toolStatusItems: TOOL_STATUS_CODES.map((k) => ({ value: k, text: TOOL_STATUSES[k], selected: (rawText(toolRaw, 'toolStatus') || 'proposed') === k })),
      toolAgainstItems: [
        { value: '', text: 'No one in particular' },
        ...view.parties.map((p) => ({ value: p.id, text: `${partyName(p)}${p.hidden ? '' : ` (${ROLE_LABELS[p.role].toLowerCase()})`}`, selected: rawText(toolRaw, 'toolAgainst') === p.id })),
      ],
      alertPersonItems: alertPeople.map((p) => ({
        value: p.personId, text: partyName(p), hint: { text: ROLE_LABELS[p.role] }, checked: rawText(alertRaw, 'alertPersonId') === p.personId,
      })),
      alertWordItems: ALERT_WORD_CODES.map((k) => ({ value: k, text: ALERT_WORDS[k].label, checked: rawText(alertRaw, 'alertWords') === k })),
      alertReviewOn: rawDate(alertRaw, 'alertReviewOn'),
      incidentToken: tokenFor('incident'), riskToken: tokenFor('risk'), toolToken: tokenFor('tool'), alertToken: tokenFor('alert'),
      // A review may be recorded on a closed case too (one may be asked for after it closed); the latest one takes the form.
      canRecordReview: can(req.actor!.role, 'asb:write'),
      caseReviews: view.caseReviews.map((r, i, all) => caseReviewView(r, i === all.length - 1, forms.caseReview?.raw, today)),
      caseReviewToken: tokenFor('caseReview'),
    });
  }

  app.get('/asb/cases/:id', { schema: { params: IdParams, querystring: CaseQuery } }, async (req, reply) => showCase(req, reply, {}, one(req.query.done)));

  app.post('/asb/cases/:id/incidents', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const result = IncidentForm.parse(req.body);
    if (!result.ok) return showCase(req, reply, { incident: result });
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await addIncident(ctx, req.params.id, { occurredOn: v.occurredOn, occurredTime: v.occurredTime ?? null, place: v.place ?? null, description: v.description, reportedVia: v.reportedVia ?? null });
        return `/asb/cases/${req.params.id}?done=incident#incidents`;
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
        return `/asb/cases/${req.params.id}?done=risk#risk`;
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

  // ---- Tools and outcomes
  app.post('/asb/cases/:id/tools', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const result = ToolForm.parse(req.body);
    if (!result.ok) return showCase(req, reply, { tool: result });
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await addTool(ctx, req.params.id, {
          kind: v.toolKind, status: v.toolStatus, startedOn: v.toolStartedOn ?? null, endsOn: v.toolEndsOn ?? null, nextDateOn: v.toolNextDateOn ?? null,
          againstPartyId: v.toolAgainst ?? null, notes: v.toolNotes ?? null,
        });
        return `/asb/cases/${req.params.id}?done=tool#tools`;
      }));
      if (done.kind === 'unknown') return showCase(req, reply, { tool: ToolForm.fail(result.raw, [{ text: 'The form had expired. Add the tool again', href: '#toolKind' }]) });
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 409) return showCase(req, reply, { tool: ToolForm.fail(result.raw, [{ text: err.message, href: '#closed' }]) });
      if (err instanceof Problem && err.status === 400) {
        return showCase(req, reply, { tool: ToolForm.fail(result.raw, refusal(err, {
          '/kind': '#toolKind|The tool', '/status': '#toolStatus|Its status', '/startedOn': '#toolStartedOn-day|The date it started',
          '/endsOn': '#toolEndsOn-day|The date it ends', '/nextDateOn': '#toolNextDateOn-day|The next date', '/againstPartyId': '#toolAgainst|Who it is against',
          '/notes': '#toolNotes|Notes',
        }, '#toolKind')) });
      }
      throw err;
    }
  });

  /** A tool's page: what it is, and the form to change its status (a form of its own: it needs a date and a reason). */
  async function showTool(req: FastifyRequest, reply: FastifyReply, caseId: string, toolId: string, form?: FormResult<ToolStatusValues>) {
    requireWrite(req);
    const data = await page(req, async (ctx) => {
      const view = await getCase(ctx, caseId);
      const tool = (await caseTools(ctx, caseId)).find((t) => t.id === toolId);
      if (!tool) throw new Problem(404, 'Not Found', 'This case has no such tool');
      return { view, tool, ...(await namesOf(ctx, view)) };
    });
    const { view, tool } = data;
    if (view.case.status !== 'open') return reply.redirect(`/asb/cases/${caseId}#tools`, 303);
    const raw = form?.raw;
    const errors = form && !form.ok ? form.errors : [];
    const against = tool.againstPartyId ? view.parties.find((p) => p.id === tool.againstPartyId) : undefined;
    return reply.code(errors.length ? 400 : 200).view('asb/case-tool.njk', {
      organisationName: data.organisationName, section: 'asb', title: `Change the status of the ${toolLabel(tool).toLowerCase()}`, backLink: `/asb/cases/${caseId}#tools`,
      c: view.case, tool, label: toolLabel(tool), statusTag: toolTag(tool), dates: toolDates(tool),
      against: against ? partyWords(against, data.people) : 'No one in particular',
      errors, errorFor: form && !form.ok ? form.errorFor : {},
      // Only the moves it may make: ended and refused are final (no form then).
      statusItems: nextToolStatuses(tool.status).map((k) => ({ value: k, text: TOOL_STATUSES[k], checked: rawText(raw, 'status') === k })),
      values: { on: rawDate(raw, 'on'), nextDateOn: raw ? rawDate(raw, 'nextDateOn') : dateParts(tool.nextDateOn), notes: rawText(raw, 'notes') },
      formToken: formTokenFor(req, form ? postedFormToken(req) ?? '' : undefined),
    });
  }

  app.get('/asb/cases/:id/tools/:toolId', { schema: { params: ToolParams } }, async (req, reply) => showTool(req, reply, req.params.id, req.params.toolId));

  app.post('/asb/cases/:id/tools/:toolId/status', { schema: { params: ToolParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const { id, toolId } = req.params;
    const result = ToolStatusForm.parse(req.body);
    if (!result.ok) return showTool(req, reply, id, toolId, result);
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await changeToolStatus(ctx, id, toolId, v.status, { on: v.on ?? null, nextDateOn: v.nextDateOn ?? null, notes: v.notes ?? null });
        return `/asb/cases/${id}?done=tool-status#tools`;
      }));
      if (done.kind === 'unknown') return showTool(req, reply, id, toolId, ToolStatusForm.fail(result.raw, [{ text: 'The form had expired. Choose the status again', href: '#status' }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      // A move the status cannot make (an ended tool put back in place): the service's words, on the choice.
      if (err instanceof Problem && err.status === 409) return showTool(req, reply, id, toolId, ToolStatusForm.fail(result.raw, [{ text: err.message, href: '#status' }]));
      if (err instanceof Problem && err.status === 400) {
        return showTool(req, reply, id, toolId, ToolStatusForm.fail(result.raw, refusal(err, {
          '/status': '#status|Its new status', '/on': '#on-day|The date it changed', '/nextDateOn': '#nextDateOn-day|The next date', '/notes': '#notes|Why it changed',
        }, '#status')));
      }
      throw err;
    }
  });

  // ---- Alerts for other services
  app.post('/asb/cases/:id/alerts', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const result = AlertForm.parse(req.body);
    if (!result.ok) return showCase(req, reply, { alert: result });
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await raiseCaseAlert(ctx, req.params.id, { personId: v.alertPersonId, words: v.alertWords, reviewOn: v.alertReviewOn });
        return `/asb/cases/${req.params.id}?done=alert#alerts`;
      }));
      if (done.kind === 'unknown') return showCase(req, reply, { alert: AlertForm.fail(result.raw, [{ text: 'The form had expired. Raise the alert again', href: '#alertPersonId' }]) });
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 409) return showCase(req, reply, { alert: AlertForm.fail(result.raw, [{ text: err.message, href: '#closed' }]) });
      if (err instanceof Problem && err.status === 400) {
        return showCase(req, reply, { alert: AlertForm.fail(result.raw, refusal(err, {
          '/personId': '#alertPersonId|The person', '/words': '#alertWords|The words', '/reviewOn': '#alertReviewOn-day|The review date',
          // The people module's own checks, should they refuse what this module passed.
          '/reviewDate': '#alertReviewOn-day|The review date',
        }, '#alertPersonId')) });
      }
      throw err;
    }
  });

  // ---- The ASB Case Review: when it is or was held, its outcome and recommendations
  app.post('/asb/cases/:id/case-reviews/:reviewId', { schema: { params: CaseReviewParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const { id, reviewId } = req.params;
    const result = CaseReviewForm.parse(req.body);
    if (!result.ok) return showCase(req, reply, { caseReview: result });
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await recordCaseReview(ctx, id, reviewId, {
          reviewOn: v.reviewOn, outcome: v.reviewOutcome === NO_OUTCOME_YET ? null : v.reviewOutcome ?? null, recommendations: v.reviewRecommendations ?? null,
        });
        return `/asb/cases/${id}?done=case-review#case-review`;
      }));
      if (done.kind === 'unknown') return showCase(req, reply, { caseReview: CaseReviewForm.fail(result.raw, [{ text: 'The form had expired. Save the review again', href: '#reviewOn-day' }]) });
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) {
        return showCase(req, reply, { caseReview: CaseReviewForm.fail(result.raw, refusal(err, {
          '/reviewOn': '#reviewOn-day|The date of the review', '/outcome': '#reviewOutcome|The outcome', '/recommendations': '#reviewRecommendations|Recommendations',
        }, '#reviewOn-day')) });
      }
      throw err;
    }
  });

  // ---- Closing the case
  async function showClose(req: IdRequest, reply: FastifyReply, form?: FormResult<CloseValues>) {
    requireWrite(req);
    const data = await page(req, async (ctx) => {
      const view = await getCase(ctx, req.params.id);
      return { view, alerts: await caseAlerts(ctx, view.case) };
    });
    const c = data.view.case;
    if (c.status !== 'open') return reply.redirect(`/asb/cases/${c.id}#closed`, 303);
    const raw = form?.raw;
    const errors = form && !form.ok ? form.errors : [];
    const today = ukDate(new Date());
    const openActions = data.view.actions.filter((a) => !a.doneAt).length;
    const activeAlerts = (data.alerts ?? []).filter((a) => !a.endDate || a.endDate >= today).length;
    return reply.code(errors.length ? 400 : 200).view('asb/case-close.njk', {
      organisationName: data.organisationName, section: 'asb', title: `Close ${c.reference}`, backLink: `/asb/cases/${c.id}`, c,
      errors, errorFor: form && !form.ok ? form.errorFor : {},
      warning: closeWarning(openActions, activeAlerts),
      reasonItems: CLOSING_REASON_CODES.map((k) => ({ value: k, text: CLOSING_REASONS[k], checked: rawText(raw, 'closingReason') === k })),
      satisfiedItems: [{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }].map((i) => ({ ...i, checked: rawText(raw, 'satisfied') === i.value })),
      ratingItems: RATING_WORDS.map((text, i) => ({ value: String(i + 1), text: `${i + 1}: ${text}`, checked: rawText(raw, 'rating') === String(i + 1) })),
      surveyComment: rawText(raw, 'surveyComment'),
      formToken: formTokenFor(req, form ? postedFormToken(req) ?? '' : undefined),
    });
  }

  app.get('/asb/cases/:id/close', { schema: { params: IdParams } }, async (req, reply) => showClose(req, reply));

  app.post('/asb/cases/:id/close', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const result = CloseForm.parse(req.body);
    if (!result.ok) return showClose(req, reply, result);
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await closeCase(ctx, req.params.id, {
          reason: v.closingReason,
          satisfaction: v.satisfied && v.rating !== undefined ? { satisfiedWithHandling: v.satisfied === 'yes', rating: v.rating, comment: v.surveyComment ?? null } : null,
        });
        return `/asb/cases/${req.params.id}?done=closed#closed`;
      }));
      if (done.kind === 'unknown') return showClose(req, reply, CloseForm.fail(result.raw, [{ text: 'The form had expired. Choose the reason again', href: '#closingReason' }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      // Closed meanwhile (by someone else): the case shows how.
      if (err instanceof Problem && err.status === 409) return reply.redirect(`/asb/cases/${req.params.id}#closed`, 303);
      if (err instanceof Problem && err.status === 400) {
        return showClose(req, reply, CloseForm.fail(result.raw, refusal(err, {
          '/reason': '#closingReason|Why it is closing', '/satisfaction/satisfiedWithHandling': '#satisfied|Whether they were satisfied',
          '/satisfaction/rating': '#rating|How satisfied they were', '/satisfaction/comment': '#surveyComment|What they said',
        }, '#closingReason')));
      }
      throw err;
    }
  });
}

type ToolValues = Static<typeof ToolForm.schema>;
type ToolStatusValues = Static<typeof ToolStatusForm.schema>;
type AlertValues = Static<typeof AlertForm.schema>;
type CloseValues = Static<typeof CloseForm.schema>;
type CaseReviewValues = Static<typeof CaseReviewForm.schema>;

/** What the case page's banner says after each form (?done=…). */
const DONE_WORDS: Record<string, string> = {
  opened: 'Case opened', incident: 'Incident added', risk: 'Risk assessment saved', tool: 'Tool added', 'tool-status': 'Tool’s status changed',
  alert: 'Alert raised: other services see only its words', closed: 'Case closed', 'case-review': 'ASB Case Review recorded',
};

type ShownParty = CaseView['parties'][number];
/** A party as the actor may see them: "Witness 1" outside the case's team, else their name on our records or as given. */
const partyWords = (p: ShownParty, people: ReadonlyMap<string, string>) => (p.hidden ? p.name
  : (p.personId ? people.get(p.personId) : null) ?? p.name ?? (p.kind === 'unknown' ? 'Not known' : 'Not recorded'));

const ROLE_LABELS: Record<string, string> = { complainant: 'Complainant', witness: 'Witness', 'alleged-perpetrator': 'Alleged perpetrator' };

const TOOL_TAGS: Record<ToolStatus, TagColour> = { proposed: 'blue', 'in-place': 'green', breached: 'red', ended: 'grey', refused: 'grey' };
const toolLabel = (t: AsbTool) => TOOL_KINDS[t.kind as ToolKind] ?? t.kind;
const toolTag = (t: AsbTool) => tag(TOOL_STATUSES[t.status as ToolStatus] ?? t.status, TOOL_TAGS[t.status as ToolStatus] ?? 'grey');
/** A tool's dates in words, those it has. */
function toolDates(t: AsbTool): string[] {
  return [
    t.startedOn ? `Started ${govukDate(t.startedOn)}` : null,
    t.endsOn ? `${t.status === 'ended' ? 'Ended' : 'Ends'} ${govukDate(t.endsOn)}` : null,
    t.nextDateOn ? `Next date ${govukDate(t.nextDateOn)}` : null,
  ].filter((x): x is string => !!x);
}

const RATING_WORDS = ['very dissatisfied', 'dissatisfied', 'neither satisfied nor dissatisfied', 'satisfied', 'very satisfied'] as const;

/** What closing will do to the case's open actions and the alerts it raised, in words. */
function closeWarning(actions: number, alerts: number): string {
  const count = (n: number, one: string, many: string) => `${n === 0 ? 'no' : n} ${n === 1 ? one : many}`;
  return 'Closing the case marks its open actions done and ends the alerts it raised, so other services stop seeing them. '
    + `It has ${count(actions, 'open action', 'open actions')} and ${count(alerts, 'alert in force', 'alerts in force')}. Nothing more can be added to a closed case.`;
}

/** A closed case's closing details; the survey's comment is the complainant's words, shown only to the case's team. */
function closedDetails(c: CaseView['case'], identitiesShown: boolean) {
  const s = c.satisfaction as { satisfiedWithHandling?: boolean; rating?: number; comment?: string | null } | null;
  return {
    closedText: c.closedAt ? govukDateTime(c.closedAt) : 'Not recorded',
    reason: c.closingReason ? CLOSING_REASONS[c.closingReason as ClosingReason] ?? c.closingReason : 'Not recorded',
    survey: s && typeof s.rating === 'number'
      ? `${s.satisfiedWithHandling ? 'Satisfied' : 'Not satisfied'} with how the case was handled; overall ${s.rating} out of 5 (${RATING_WORDS[s.rating - 1] ?? ''})`
      : 'The complainant did not answer the survey',
    comment: identitiesShown ? s?.comment ?? null : null,
  };
}

const PARTY_WORDS: Record<string, string> = {
  complainantPersonId: 'The complainant', complainantName: 'The complainant’s name',
  perpetratorPersonId: 'The person reported', perpetratorName: 'The group',
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

/**
 * A case review as the case page shows it: when the threshold was met and why, what is recorded of the review, and
 * (for the latest) the form's values: what was posted, else what is recorded.
 */
function caseReviewView(r: AsbCaseReview, withForm: boolean, raw: Raw | undefined, today: string) {
  const outcome = r.outcome && Object.hasOwn(CASE_REVIEW_OUTCOMES, r.outcome) ? r.outcome as CaseReviewOutcome : null;
  const chosen = raw ? rawText(raw, 'reviewOutcome') : outcome ?? NO_OUTCOME_YET;
  const heldOrDue = r.reviewOn && r.reviewOn > today ? 'Not yet: the review is to be held on that date' : 'Not recorded';
  return {
    id: r.id, triggeredText: govukDateTime(r.triggeredAt), finding: caseReviewFindingWords(r.finding),
    recorded: r.reviewOn !== null, reviewOnText: r.reviewOn ? govukDate(r.reviewOn) : 'Not recorded',
    outcomeText: outcome ? CASE_REVIEW_OUTCOMES[outcome] : r.outcome ?? heldOrDue,
    recommendations: r.recommendations,
    withForm,
    values: { reviewOn: raw ? rawDate(raw, 'reviewOn') : dateParts(r.reviewOn), recommendations: raw ? rawText(raw, 'reviewRecommendations') : r.recommendations ?? '' },
    outcomeItems: [
      ...CASE_REVIEW_OUTCOME_CODES.map((k) => ({ value: k, text: CASE_REVIEW_OUTCOMES[k], hint: { text: CASE_REVIEW_OUTCOME_HINTS[k] }, checked: chosen === k })),
      { divider: 'or' },
      { value: NO_OUTCOME_YET, text: 'No outcome yet', hint: { text: 'The review has not been held, or its outcome is not known yet' }, checked: chosen === NO_OUTCOME_YET },
    ],
  };
}
