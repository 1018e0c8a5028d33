// Staff pages for everyday edits to a person (issue 13): contact details, correspondence address, preferred name and
// communication needs; add, review and end a person alert; the alerts due for review. Each form carries the version
// of the record it was drawn from, and the change is made only if the record is still at that version (If-Match):
// when someone else changed it meanwhile, the form is shown again with what they changed, and nothing is overwritten.
// A one-time form token makes a double-clicked form one change. CSRF on every form; no JavaScript needed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { IdParams, QueryValue, type PageRun } from '../../web/page.ts';
import type { Run } from '../../platform/records/api.ts';
import { can, type Permission } from '../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import { line, literalUnion } from '../../platform/http/schemas.ts';
import { govukDate, govukTime, ukDate, ukWallClock } from '../../platform/uk-time.ts';
import { DateInput, defineForm, formTokenFor, oncePerFormToken, postedFormToken, type ErrorItem, type FormResult } from '../../web/forms/index.ts';
import { patchScope } from '../../platform/modules.ts';
import { alertService, fullName, personRecords, type Person, type PersonAlert } from './service.ts';
import { ALERT_CATEGORIES, CATEGORIES_FOR_HACT_CODE, CONFIDENTIALITY_LEVELS, HACT_ALERT_CODES, type AlertCategory, type HactAlertCode } from './codes.ts';
import { displayPhone, parsePhone } from './phone.ts';
import {
  alertOfPerson, alertsToReview, alertToReviewItem, categoryLabel, contactDetailsOf, fieldList, isActive, recentEditsOfPerson,
  updateContactDetails, PHONE_USES, type ContactDetails, type Edit,
} from './edits.ts';

type Raw = Record<string, unknown>;
const rawText = (raw: Raw | undefined, name: string) => (typeof raw?.[name] === 'string' ? (raw[name] as string) : '');
const dateParts = (raw: Raw | undefined, name: string) => {
  const p = (raw?.[name] ?? {}) as { day?: string; month?: string; year?: string };
  return { day: p.day ?? '', month: p.month ?? '', year: p.year ?? '' };
};
const isoParts = (iso: string | null | undefined) => (iso ? { day: String(Number(iso.slice(8, 10))), month: String(Number(iso.slice(5, 7))), year: iso.slice(0, 4) } : { day: '', month: '', year: '' });

function requirePermission(req: FastifyRequest, permission: Permission, what: string) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, permission)) throw forbidden(`Your role does not allow you to ${what}`);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phoneField = (use: (typeof PHONE_USES)[number]) => `${use}Phone` as const;

const ContactForm = defineForm({
  schema: Type.Object({
    version: Type.Integer({ minimum: 1 }),
    homePhone: Type.Optional(Type.String({ maxLength: 40 })),
    mobilePhone: Type.Optional(Type.String({ maxLength: 40 })),
    workPhone: Type.Optional(Type.String({ maxLength: 40 })),
    email: Type.Optional(Type.String({ maxLength: 200 })),
    addressLine1: Type.Optional(line(200)),
    addressLine2: Type.Optional(line(200)),
    town: Type.Optional(line(100)),
    postcode: Type.Optional(Type.String({ maxLength: 10, format: 'uk-postcode' })),
    preferredName: Type.Optional(line(100)),
    communicationNeeds: Type.Optional(Type.String({ maxLength: 500 })),
  }),
  messages: {
    version: 'The form was incomplete. Open the page again and make your changes',
    homePhone: { invalid: 'Enter a home phone number, like 01632 960 001', tooLong: 'Enter a home phone number, like 01632 960 001' },
    mobilePhone: { invalid: 'Enter a mobile phone number, like 07700 900 982', tooLong: 'Enter a mobile phone number, like 07700 900 982' },
    workPhone: { invalid: 'Enter a work phone number, like 020 7946 0123', tooLong: 'Enter a work phone number, like 020 7946 0123' },
    email: { invalid: 'Enter an email address in the correct format, like name@example.com', tooLong: 'Email address must be 200 characters or fewer' },
    addressLine1: { required: 'Enter address line 1, typically the building and street', invalid: 'Address line 1 must be one line of text', tooLong: 'Address line 1 must be 200 characters or fewer' },
    addressLine2: { invalid: 'Address line 2 must be one line of text', tooLong: 'Address line 2 must be 200 characters or fewer' },
    town: { required: 'Enter town or city', invalid: 'Town or city must be one line of text', tooLong: 'Town or city must be 100 characters or fewer' },
    postcode: { required: 'Enter postcode', invalid: 'Enter a full UK postcode, like LS6 1AA' },
    preferredName: { invalid: 'Preferred name must be one line of text', tooLong: 'Preferred name must be 100 characters or fewer' },
    communicationNeeds: { tooLong: 'Communication needs must be 500 characters or fewer' },
  },
  check: (v, fail) => {
    for (const use of PHONE_USES) {
      const n = v[phoneField(use)];
      if (n && !parsePhone(n)) fail(phoneField(use), `Enter a ${use} phone number, like ${use === 'mobile' ? '07700 900 982' : use === 'home' ? '01632 960 001' : '020 7946 0123'}`);
    }
    if (v.email && !EMAIL.test(v.email)) fail('email', 'Enter an email address in the correct format, like name@example.com');
    if (v.addressLine1 || v.addressLine2 || v.town || v.postcode) {
      if (!v.addressLine1) fail('addressLine1', 'Enter address line 1, typically the building and street');
      if (!v.town) fail('town', 'Enter town or city');
      if (!v.postcode) fail('postcode', 'Enter postcode');
    }
  },
});
type ContactValues = Static<typeof ContactForm.schema>;

const HACT_CODES = Object.keys(HACT_ALERT_CODES) as HactAlertCode[];
const CATEGORY_CODES = Object.keys(ALERT_CATEGORIES) as AlertCategory[];
const CONFIDENTIALITY = Object.keys(CONFIDENTIALITY_LEVELS) as (keyof typeof CONFIDENTIALITY_LEVELS)[];

const NewAlertForm = defineForm({
  schema: Type.Object({
    hactCode: literalUnion(HACT_CODES),
    category: literalUnion(CATEGORY_CODES),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    confidentiality: literalUnion(CONFIDENTIALITY),
    startDate: DateInput({ label: 'The start date', when: 'today-or-past' }),
    reviewDate: Type.Optional(DateInput({ label: 'The review date', when: 'today-or-future' })),
  }),
  messages: {
    hactCode: 'Select the type of alert',
    category: 'Select the category',
    description: { tooLong: 'The description must be 1,000 characters or fewer' },
    confidentiality: 'Select who may see the alert',
    startDate: { required: 'Enter the start date' },
    reviewDate: {},
  },
  check: (v, fail) => {
    if (v.hactCode && v.category && !CATEGORIES_FOR_HACT_CODE[v.hactCode].includes(v.category)) {
      fail('category', `${ALERT_CATEGORIES[v.category]} does not fit ‘${HACT_ALERT_CODES[v.hactCode]}’: choose ${CATEGORIES_FOR_HACT_CODE[v.hactCode].map((c) => ALERT_CATEGORIES[c].toLowerCase()).join(' or ')}`);
    }
    if (v.startDate && v.reviewDate && v.reviewDate < v.startDate) fail('reviewDate', 'The review date must be the same as or after the start date', 'day');
  },
});

const ReviewForm = defineForm({
  schema: Type.Object({
    version: Type.Integer({ minimum: 1 }),
    reviewDate: DateInput({ label: 'The next review date', when: 'today-or-future' }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
  }),
  messages: {
    version: 'The form was incomplete. Open the page again and make your changes',
    reviewDate: { required: 'Enter the next review date' },
    description: { tooLong: 'The description must be 1,000 characters or fewer' },
  },
});

const EndForm = defineForm({
  schema: Type.Object({
    version: Type.Integer({ minimum: 1 }),
    endDate: DateInput({ label: 'The end date', when: 'today-or-past' }),
  }),
  messages: {
    version: 'The form was incomplete. Open the page again and make your changes',
    endDate: { required: 'Enter the date the alert ended' },
  },
});

/** "Sam Officer changed the phone numbers or email at 2:31pm on 3 December 2026". */
function editLines(edits: Edit[]): string[] {
  return edits.map((e) => {
    const { date, time } = ukWallClock(e.at);
    return `${e.by} changed the ${fieldList(e.fields) || 'details'} at ${govukTime(time)} on ${govukDate(date)}`;
  });
}

const STALE = 'Someone else changed these details since you opened this page. Your changes have not been saved';
const STALE_ALERT = 'Someone else changed this alert since you opened this page. Your changes have not been saved';
const PAGE_SIZE = 50;

export function peoplePages(app: TypedFastify, page: PageRun, run: Run) {
  /** Run a change once per form token; a second post of the same form goes where the first led. */
  async function once(req: FastifyRequest, work: () => Promise<string>) {
    return oncePerFormToken(req, postedFormToken(req), work);
  }

  // ---- Contact details
  async function showContact(req: FastifyRequest, reply: FastifyReply, id: string, result?: FormResult<ContactValues>, stale?: Edit[]) {
    requirePermission(req, 'records:write', 'change a person’s details');
    const data = await page(req, async (ctx) => ({ person: await personRecords.get(ctx, id) }));
    const p = data.person;
    const stored = contactDetailsOf(p);
    const raw = result?.raw;
    const values = raw ? {
      version: rawText(raw, 'version'), homePhone: rawText(raw, 'homePhone'), mobilePhone: rawText(raw, 'mobilePhone'), workPhone: rawText(raw, 'workPhone'),
      email: rawText(raw, 'email'), addressLine1: rawText(raw, 'addressLine1'), addressLine2: rawText(raw, 'addressLine2'), town: rawText(raw, 'town'),
      postcode: rawText(raw, 'postcode'), preferredName: rawText(raw, 'preferredName'), communicationNeeds: rawText(raw, 'communicationNeeds'),
    } : {
      version: String(p.version), homePhone: displayPhone(stored.phones.home), mobilePhone: displayPhone(stored.phones.mobile), workPhone: displayPhone(stored.phones.work),
      email: stored.email ?? '', addressLine1: stored.address?.line1 ?? '', addressLine2: stored.address?.line2 ?? '', town: stored.address?.town ?? '',
      postcode: stored.address?.postcode ?? '', preferredName: stored.preferredName ?? '', communicationNeeds: stored.communicationNeeds ?? '',
    };
    const errors = result && !result.ok ? result.errors : [];
    return reply.code(stale ? 409 : errors.length ? 400 : 200).view('people/contact-details.njk', {
      ...data, title: `Change contact details: ${fullName(p)}`, backLink: `/people/${id}`, name: fullName(p), values, errors,
      errorFor: result && !result.ok ? result.errorFor : {}, staleLines: stale ? editLines(stale) : null,
      formToken: formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined),
    });
  }

  app.get('/people/:id/contact-details', { schema: { params: IdParams } }, async (req, reply) => showContact(req, reply, req.params.id));

  app.post('/people/:id/contact-details', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requirePermission(req, 'records:write', 'change a person’s details');
    const id = req.params.id;
    const result = ContactForm.parse(req.body);
    if (!result.ok) return showContact(req, reply, id, result);
    const v = result.values;
    const details: ContactDetails = {
      phones: Object.fromEntries(PHONE_USES.filter((u) => v[phoneField(u)]).map((u) => [u, parsePhone(v[phoneField(u)]!)!])),
      ...(v.email ? { email: v.email } : {}),
      address: v.addressLine1 ? { line1: v.addressLine1, ...(v.addressLine2 ? { line2: v.addressLine2 } : {}), ...(v.town ? { town: v.town } : {}), ...(v.postcode ? { postcode: v.postcode } : {}) } : null,
      ...(v.preferredName ? { preferredName: v.preferredName } : {}), ...(v.communicationNeeds ? { communicationNeeds: v.communicationNeeds } : {}),
    };
    try {
      const done = await once(req, async () => {
        await run(req, (ctx) => updateContactDetails(ctx, id, v.version, details));
        return `/people/${id}?updated=contact-details`;
      });
      if (done.kind === 'unknown') return showContact(req, reply, id, ContactForm.fail(result.raw, [{ text: 'The form had expired. Check your changes and save them again', href: '#homePhone' }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 412) {
        const edits = await page(req, async (ctx) => {
          const now = await personRecords.get(ctx, id);
          return { edits: await recentEditsOfPerson(ctx, id, now.version - v.version) };
        });
        return showContact(req, reply, id, ContactForm.fail(result.raw, [{ text: STALE, href: '#changed-meanwhile' }]), edits.edits);
      }
      throw err;
    }
  });

  // ---- Add an alert
  async function showNewAlert(req: FastifyRequest, reply: FastifyReply, id: string, result?: FormResult<Static<typeof NewAlertForm.schema>>) {
    requirePermission(req, 'alerts:write', 'record person alerts');
    const data = await page(req, async (ctx) => ({ person: await personRecords.get(ctx, id) }));
    const raw = result?.raw;
    const values = {
      hactCode: rawText(raw, 'hactCode'), category: rawText(raw, 'category'), description: rawText(raw, 'description'), confidentiality: rawText(raw, 'confidentiality'),
      startDate: raw ? dateParts(raw, 'startDate') : isoParts(ukDate(new Date())), reviewDate: dateParts(raw, 'reviewDate'),
    };
    const errors = result && !result.ok ? result.errors : [];
    return reply.code(errors.length ? 400 : 200).view('people/alert-new.njk', {
      ...data, title: `Add an alert: ${fullName(data.person)}`, backLink: `/people/${id}`, name: fullName(data.person), values, errors,
      errorFor: result && !result.ok ? result.errorFor : {},
      formToken: formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined),
      hactItems: [{ value: '', text: 'Choose the type of alert' }, ...HACT_CODES.map((c) => ({ value: c, text: HACT_ALERT_CODES[c], selected: c === values.hactCode }))],
      categoryItems: [{ value: '', text: 'Choose the category' }, ...CATEGORY_CODES.map((c) => ({ value: c, text: ALERT_CATEGORIES[c], selected: c === values.category }))],
      fits: HACT_CODES.map((c) => ({ type: HACT_ALERT_CODES[c], categories: CATEGORIES_FOR_HACT_CODE[c].length === CATEGORY_CODES.length ? 'Any' : CATEGORIES_FOR_HACT_CODE[c].map((x) => ALERT_CATEGORIES[x]).join(', ') })),
      confidentialityItems: CONFIDENTIALITY.map((c) => ({ value: c, text: CONFIDENTIALITY_LEVELS[c], checked: c === values.confidentiality })),
    });
  }

  app.get('/people/:id/alerts/new', { schema: { params: IdParams } }, async (req, reply) => showNewAlert(req, reply, req.params.id));

  app.post('/people/:id/alerts/new', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requirePermission(req, 'alerts:write', 'record person alerts');
    const id = req.params.id;
    const result = NewAlertForm.parse(req.body);
    if (!result.ok) return showNewAlert(req, reply, id, result);
    const v = result.values;
    try {
      const done = await once(req, async () => {
        const alert = await run(req, async (ctx) => {
          await personRecords.get(ctx, id);
          return alertService.create(ctx, { personId: id, hactCode: v.hactCode, category: v.category, description: v.description ?? null,
            confidentiality: v.confidentiality, startDate: v.startDate, reviewDate: v.reviewDate ?? null });
        });
        return `/people/${id}/alerts/${alert.id}?added=1`;
      });
      if (done.kind === 'unknown') return showNewAlert(req, reply, id, NewAlertForm.fail(result.raw, [{ text: 'The form had expired. Check your answers and add the alert again', href: '#hactCode' }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) return showNewAlert(req, reply, id, NewAlertForm.fail(result.raw, [{ text: err.errors[0]?.message ?? err.message, href: '#hactCode' }]));
      throw err;
    }
  });

  // ---- The alerts due for review (registered before /people/:id/alerts/:alertId; a fixed path wins over parameters)
  app.get('/people/alerts/to-review', { schema: { querystring: Type.Object({ page: QueryValue, all: QueryValue }) } }, async (req, reply) => {
    requirePermission(req, 'alerts:read', 'see person alerts');
    const pageNo = Math.max(1, Math.min(10_000, Number.parseInt(String(req.query.page ?? '1'), 10) || 1));
    const everyone = req.query.all === 'yes';
    const data = await page(req, async (ctx) => {
      const scope = await patchScope(ctx, !everyone);
      const list = await alertsToReview(ctx, { homeIds: scope.homeIds, personIds: scope.personIds, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE });
      return { list, patch: scope.patch };
    });
    const pages = Math.max(1, Math.ceil(data.list.total / PAGE_SIZE));
    const base = `/people/alerts/to-review?${everyone ? 'all=yes&' : ''}page=`;
    return reply.view('people/alerts-to-review.njk', {
      ...data, title: 'Alerts to review', everyone, total: data.list.total, pageNo, pages,
      rows: data.list.items.map((r) => ({ ...alertToReviewItem(r), name: fullName(r.person), category: categoryLabel(r.alert.category),
        type: HACT_ALERT_CODES[r.alert.hactCode as HactAlertCode] ?? 'Other', reviewText: govukDate(r.alert.reviewDate!), overdue: r.overdue })),
      pagination: pages > 1 ? {
        ...(pageNo > 1 ? { previous: { href: `${base}${pageNo - 1}` } } : {}),
        ...(pageNo < pages ? { next: { href: `${base}${pageNo + 1}` } } : {}),
        items: Array.from({ length: pages }, (_, i) => i + 1).filter((n) => n === 1 || n === pages || Math.abs(n - pageNo) <= 2)
          .flatMap((n, i, all) => [...(i > 0 && n - all[i - 1]! > 1 ? [{ ellipsis: true }] : []), { number: String(n), href: `${base}${n}`, current: n === pageNo }]),
      } : null,
    });
  });

  // ---- An alert: review it or end it
  const AlertParams = Type.Object({ id: Type.String({ format: 'uuid' }), alertId: Type.String({ format: 'uuid' }) });
  async function showAlert(req: FastifyRequest, reply: FastifyReply, id: string, alertId: string,
    failed?: { form: 'review' | 'end'; result: FormResult<Record<string, unknown>>; stale?: boolean }) {
    requirePermission(req, 'alerts:read', 'see person alerts');
    const data = await page(req, async (ctx) => ({ person: await personRecords.get(ctx, id), alert: await alertOfPerson(ctx, id, alertId) }));
    const a: PersonAlert = data.alert;
    const p: Person = data.person;
    const raw = failed?.result.raw;
    const errors = failed && !failed.result.ok ? failed.result.errors : [];
    const errorFor = failed && !failed.result.ok ? failed.result.errorFor : {};
    const today = ukDate(new Date());
    return reply.code(failed?.stale ? 409 : errors.length ? 400 : 200).view('people/alert.njk', {
      ...data, title: `${HACT_ALERT_CODES[a.hactCode as HactAlertCode] ?? 'Alert'}: ${fullName(p)}`, backLink: `/people/${id}`, name: fullName(p),
      typeText: HACT_ALERT_CODES[a.hactCode as HactAlertCode] ?? 'Other', categoryText: categoryLabel(a.category),
      confidentialityText: CONFIDENTIALITY_LEVELS[a.confidentiality as keyof typeof CONFIDENTIALITY_LEVELS] ?? a.confidentiality,
      startText: govukDate(a.startDate), reviewText: a.reviewDate ? govukDate(a.reviewDate) : null, endText: a.endDate ? govukDate(a.endDate) : null,
      overdue: !!a.reviewDate && a.reviewDate < today && isActive(a, today), active: isActive(a, today),
      canWrite: can(req.actor!.role, 'alerts:write'), errors, errorFor, stale: !!failed?.stale,
      added: (req.query as { added?: unknown }).added === '1', reviewed: (req.query as { reviewed?: unknown }).reviewed === '1',
      version: failed ? rawText(raw, 'version') : String(a.version),
      values: {
        reviewDate: failed?.form === 'review' ? dateParts(raw, 'reviewDate') : { day: '', month: '', year: '' },
        description: failed?.form === 'review' ? rawText(raw, 'description') : a.description ?? '',
        endDate: failed?.form === 'end' ? dateParts(raw, 'endDate') : { day: '', month: '', year: '' },
      },
      reviewToken: formTokenFor(req, failed?.form === 'review' ? postedFormToken(req) ?? '' : undefined),
      endToken: formTokenFor(req, failed?.form === 'end' ? postedFormToken(req) ?? '' : undefined),
    });
  }

  app.get('/people/:id/alerts/:alertId', { schema: { params: AlertParams, querystring: Type.Object({ added: QueryValue, reviewed: QueryValue }) } },
    async (req, reply) => showAlert(req, reply, req.params.id, req.params.alertId));

  app.post('/people/:id/alerts/:alertId', { schema: { params: AlertParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requirePermission(req, 'alerts:write', 'review or end person alerts');
    const { id, alertId } = req.params;
    const action = (req.body as Raw | undefined)?.action === 'end' ? 'end' : 'review';
    const result = action === 'end' ? EndForm.parse(req.body) : ReviewForm.parse(req.body);
    const asFailed = (r: FormResult<Record<string, unknown>>, stale = false) => showAlert(req, reply, id, alertId, { form: action, result: r, stale });
    if (!result.ok) return asFailed(result);
    const v = result.values as { version: number; reviewDate?: string; description?: string; endDate?: string };
    const patch = action === 'end' ? { endDate: v.endDate } : { reviewDate: v.reviewDate, description: v.description ?? null };
    const form = action === 'end' ? EndForm : ReviewForm;
    try {
      const done = await once(req, async () => {
        await run(req, async (ctx) => {
          await alertOfPerson(ctx, id, alertId);
          return alertService.update(ctx, alertId, v.version, patch);
        });
        return action === 'end' ? `/people/${id}?updated=alert-ended` : `/people/${id}/alerts/${alertId}?reviewed=1`;
      });
      if (done.kind === 'unknown') return asFailed(form.fail(result.raw, [{ text: 'The form had expired. Check your answers and send them again', href: `#${action === 'end' ? 'endDate' : 'reviewDate'}-day` }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 412) return asFailed(form.fail(result.raw, [{ text: STALE_ALERT, href: '#changed-meanwhile' }]), true);
      if (err instanceof Problem && err.status === 400) {
        const items: ErrorItem[] = [{ text: err.errors[0]?.field === '/endDate' ? 'The end date must be the same as or after the start date' : err.errors[0]?.message ?? err.message,
          href: `#${action === 'end' ? 'endDate' : 'reviewDate'}-day` }];
        return asFailed(form.fail(result.raw, items));
      }
      throw err;
    }
  });
}
