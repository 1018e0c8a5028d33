// The resident's journey: report a repair, find my repair (issue 14). Public pages, no staff sign-in, one landlord's
// each (/landlords/:organisationId/…), GOV.UK pattern, no JavaScript needed. They act as Hearth for that landlord (a
// system actor named "resident (online)") in its own transaction, so row-level security holds as for staff.
//
// Steps, in order (each page sends the resident on to the first step not yet answered, so "Change" from the check
// page comes back to it once the changed answer and anything it affects are answered again):
//   emergency → where (inside the home or communal) → postcode → address → problem/0, problem/1, … (the triage tree, as
//   deep as it goes) → describe → photos → when (the slots that can be met, after diagnosis) → contact → check → sent.
// Decision: an emergency on the first screen stops the report: gas → the National Gas Emergency number; the others →
// call the landlord now. An emergency needs a person to judge and send someone within hours, which a booking form
// cannot promise. Exits of the tree stop it too, each with its own words.
import type { FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { isValid as isPostcode } from 'postcode';
import type { TypedFastify } from '../../../platform/http/typed.ts';
import type { PageDeps } from '../../../platform/modules.ts';
import type { Ctx } from '../../../platform/records/context.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import { Problem } from '../../../platform/http/problem.ts';
import { isUuid } from '../../../platform/uuid.ts';
import { csrfBinding } from '../../../web/session.ts';
import { fieldOf } from '../../../web/forms/fields.ts';
import { errorLookup, formTokenFor, oncePerFormToken, postedFormToken, type ErrorItem } from '../../../web/forms/index.ts';
import { optionsAt, resolve, describePath } from '../rules/triage.ts';
import { isExit, isNode, type RepairSettings } from '../rules/settings.ts';
import { checkPhoto, MAX_PHOTO_BYTES } from '../rules/photos.ts';
import { currentSettings } from '../settings-service.ts';
import {
  submitRepairRequest, homesAtPostcode, offerSlots, findRepair, slotsToChangeTo, changeAppointment, cancelRepair, appointmentWords,
  normaliseReference, TooManyForHome, CONTACT_BY, DESCRIPTION_MAX, MAX_PHOTOS, RESIDENT_ONLINE, type ContactBy,
} from '../requests.ts';
import { ensureVisitCookie, visitOf, type ReportAnswers, type Visit } from './visit.ts';

/** Per address: reports sent, and tries at finding a repair (a reference and postcode pair guessed one at a time). */
const SUBMITS_PER_MINUTE = 10;
const FINDS_PER_MINUTE = 10;
/** Slots offered at once: the soonest. */
const SLOTS_SHOWN = 12;
const NATIONAL_GAS_EMERGENCY = '0800 111 999';
/** The value of the tree's question for shared areas, where a landlord's tree has one (the default's does). */
const COMMUNAL_NODE = 'communal';

type Render = Record<string, unknown>;
interface Landlord { id: string; name: string }

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : '');
const radios = (items: { value: string; text: string; hint?: string }[], checked?: string) =>
  items.map((i) => ({ value: i.value, text: i.text, ...(i.hint ? { hint: { text: i.hint } } : {}), checked: i.value === checked }));

export function reportPages(app: TypedFastify, deps: PageDeps): void {
  const { store, config } = deps;
  const secure = config.production;

  /** Work as the resident online, for one landlord, in one transaction. */
  const asResident = <T>(organisationId: string, work: (ctx: Ctx) => Promise<T>) =>
    store.withOrg(organisationId, (tx) => work({ actor: systemActor(organisationId, RESIDENT_ONLINE), tx }));

  /** The landlord in the URL (404 for an id that is not one), and the resident's visit cookie. */
  async function landlordOf(req: FastifyRequest, reply: FastifyReply): Promise<Landlord> {
    const id = text(fieldOf(req.params, 'organisationId'));
    if (!isUuid(id)) throw new Problem(404, 'Page not found');
    const org = (await deps.landlords()).find((l) => l.id === id);
    if (!org) throw new Problem(404, 'Page not found');
    ensureVisitCookie(req, reply, secure);
    return { id: org.id, name: org.name };
  }

  function view(req: FastifyRequest, reply: FastifyReply, template: string, landlord: Landlord | null, data: Render, status = 200) {
    const errors = (data.errors as ErrorItem[] | undefined) ?? [];
    return reply.code(errors.length && status === 200 ? 400 : status).view(template, {
      caption: landlord ? `Repairs – ${landlord.name}` : undefined, landlordName: landlord?.name, errors, errorFor: errorLookup(errors),
      ...data, csrfToken: reply.generateCsrf({ userInfo: csrfBinding(req) }),
    });
  }

  /** A page's address as the resident reached it, for messages (behind a proxy: as HEARTH_TRUSTED_PROXIES allow). */
  const absolute = (req: FastifyRequest, path: string) => `${req.protocol}://${req.host}${path}`;
  const base = (l: Landlord) => `/landlords/${l.id}/report-a-repair`;
  const findBase = (l: Landlord) => `/landlords/${l.id}/find-a-repair`;
  const csrf = { preHandler: app.csrfProtection };

  // ---- which landlord ----------------------------------------------------------------------------------------------

  app.get('/report-a-repair', async (req, reply) => {
    const orgs = await deps.landlords();
    if (orgs.length === 1) return reply.redirect(`/landlords/${orgs[0]!.id}/report-a-repair`, 303);
    ensureVisitCookie(req, reply, secure);
    return view(req, reply, 'repairs/report-stop.njk', null, {
      title: 'Choose your landlord', paragraphs: ['Who do you rent your home from?'],
      links: orgs.map((o) => ({ href: `/landlords/${o.id}/report-a-repair`, text: o.name })),
    });
  });
  app.get('/find-a-repair', async (_req, reply) => {
    const orgs = await deps.landlords();
    return reply.redirect(orgs.length === 1 ? `/landlords/${orgs[0]!.id}/find-a-repair` : '/report-a-repair', 303);
  });

  // ---- the report's steps ------------------------------------------------------------------------------------------

  /** The first step not yet answered (its URL under the report's base), given the landlord's tree. */
  function nextStep(a: ReportAnswers, settings: RepairSettings): string {
    if (!a.emergency) return 'emergency';
    if (a.emergency !== 'none') return settings.emergencies.find((e) => e.value === a.emergency)?.action === 'gas' ? 'stop/gas' : 'stop/emergency';
    if (a.communal === undefined) return 'where';
    if (!a.postcode) return 'postcode';
    if (!a.homeId) return 'address';
    const path = a.triagePath ?? [];
    const r = resolve(settings.tree, path);
    if (r.kind === 'unknown') return `problem/${r.at}`;
    if (r.kind === 'node') return `problem/${path.length}`;
    if (r.kind === 'exit') return 'stop/exit';
    if (a.description === undefined) return 'describe';
    if (!a.photosDone) return 'photos';
    if (!a.whenDone) return 'when';
    if (!a.contact) return 'contact';
    return 'check';
  }
  /** The step before this one, for the Back link. */
  function previousStep(step: string, a: ReportAnswers): string | undefined {
    const depth = /^problem\/(\d+)$/.exec(step)?.[1];
    if (depth !== undefined) return Number(depth) === 0 ? 'address' : `problem/${Number(depth) - 1}`;
    const order = ['emergency', 'where', 'postcode', 'address', 'problem', 'describe', 'photos', 'when', 'contact', 'check'];
    const i = order.indexOf(step);
    if (i <= 0) return undefined;
    const before = order[i - 1]!;
    return before === 'problem' ? `problem/${Math.max((a.triagePath?.length ?? 1) - 1, 0)}` : before;
  }
  /** Whether `step` may be shown yet: every step before it answered. */
  function reached(step: string, a: ReportAnswers, settings: RepairSettings): boolean {
    const order = ['emergency', 'where', 'postcode', 'address', 'problem', 'describe', 'photos', 'when', 'contact', 'check'];
    let next = nextStep(a, settings);
    // A stop is reached from the step that led to it: that step (and those before) may be answered again.
    if (next === 'stop/emergency' || next === 'stop/gas') next = 'emergency';
    if (next === 'stop/exit') next = `problem/${Math.max((a.triagePath?.length ?? 1) - 1, 0)}`;
    const rank = (s: string) => (s.startsWith('problem/') ? order.indexOf('problem') + Number(s.slice(8)) / 100 : order.indexOf(s));
    return rank(step) <= rank(next);
  }

  interface StepContext { landlord: Landlord; visit: Visit; answers: ReportAnswers; settings: RepairSettings; url: string }
  async function stepContext(req: FastifyRequest, reply: FastifyReply): Promise<StepContext> {
    const landlord = await landlordOf(req, reply);
    const visit = visitOf(req, landlord.id);
    const { settings } = await asResident(landlord.id, (ctx) => currentSettings(ctx));
    return { landlord, visit, answers: visit.report, settings, url: base(landlord) };
  }
  const goNext = (reply: FastifyReply, c: StepContext) => reply.redirect(`${c.url}/${nextStep(c.answers, c.settings)}`, 303);
  /** Show a step only once the steps before it are answered; else the first that is not. */
  const guard = (reply: FastifyReply, c: StepContext, step: string) => (reached(step, c.answers, c.settings) ? null : goNext(reply, c));
  const back = (c: StepContext, step: string) => {
    const p = previousStep(step, c.answers);
    return p ? `${c.url}/${p}` : c.url;
  };

  app.get('/landlords/:organisationId/report-a-repair', async (req, reply) => {
    const landlord = await landlordOf(req, reply);
    return view(req, reply, 'repairs/report-stop.njk', landlord, {
      title: 'Report a repair',
      paragraphs: [
        `Use this service to report a repair to your home, or to a shared area of your building, to ${landlord.name}.`,
        'You will need your postcode. You can add up to 3 photos, and choose a time for us to visit.',
        'It takes about 5 minutes.',
      ],
      start: { href: `${base(landlord)}/emergency`, text: 'Start now' },
      links: [{ href: findBase(landlord), text: 'Find a repair you have already reported' }],
    });
  });

  // Emergency screen.
  const emergencyItems = (s: RepairSettings) => [
    ...s.emergencies.map((e) => ({ value: e.value, text: e.label })),
    { divider: 'or' },
    { value: 'none', text: 'None of these' },
  ];
  const showEmergency = (req: FastifyRequest, reply: FastifyReply, c: StepContext, errors: ErrorItem[] = []) =>
    view(req, reply, 'repairs/report-form.njk', c.landlord, {
      title: 'Is it one of these emergencies?', action: `${c.url}/emergency`, backLink: c.url, errors,
      fields: [{ kind: 'radios', name: 'emergency', legend: 'Is it one of these emergencies?', isPageHeading: true,
        hint: 'Tell us now if anyone is in danger.',
        items: emergencyItems(c.settings).map((i) => ('divider' in i ? i : { ...i, checked: c.answers.emergency === i.value })) }],
    });
  app.get('/landlords/:organisationId/report-a-repair/emergency', async (req, reply) => showEmergency(req, reply, await stepContext(req, reply)));
  app.post('/landlords/:organisationId/report-a-repair/emergency', csrf, async (req, reply) => {
    const c = await stepContext(req, reply);
    const value = text(fieldOf(req.body, 'emergency'));
    const known = value === 'none' ? null : c.settings.emergencies.find((e) => e.value === value);
    if (value !== 'none' && !known) return showEmergency(req, reply, c, [{ text: 'Select if it is one of these emergencies, or None of these', href: '#emergency' }]);
    c.answers.emergency = value;
    if (known) return reply.redirect(`${c.url}/stop/${known.action === 'gas' ? 'gas' : 'emergency'}`, 303);
    return goNext(reply, c);
  });

  // Inside the home, or a shared area.
  const showWhere = (req: FastifyRequest, reply: FastifyReply, c: StepContext, errors: ErrorItem[] = []) =>
    view(req, reply, 'repairs/report-form.njk', c.landlord, {
      title: 'Where is the repair?', action: `${c.url}/where`, backLink: back(c, 'where'), errors,
      fields: [{ kind: 'radios', name: 'where', legend: 'Where is the repair?', isPageHeading: true,
        items: radios([
          { value: 'home', text: 'Inside my home' },
          { value: 'communal', text: 'In a shared area of my building', hint: 'Such as a stairwell, entrance, lift or shared garden' },
        ], c.answers.communal === undefined ? undefined : c.answers.communal ? 'communal' : 'home') }],
    });
  app.get('/landlords/:organisationId/report-a-repair/where', async (req, reply) => {
    const c = await stepContext(req, reply);
    return guard(reply, c, 'where') ?? showWhere(req, reply, c);
  });
  app.post('/landlords/:organisationId/report-a-repair/where', csrf, async (req, reply) => {
    const c = await stepContext(req, reply);
    const value = text(fieldOf(req.body, 'where'));
    if (value !== 'home' && value !== 'communal') return showWhere(req, reply, c, [{ text: 'Select where the repair is', href: '#where' }]);
    c.answers.communal = value === 'communal';
    // A tree with a question for shared areas (the default's "communal") starts there for a shared area, so the resident
    // is not asked which room of their home it is in.
    const shared = c.settings.tree.options.find((o) => o.value === COMMUNAL_NODE && isNode(o));
    const path = c.answers.triagePath ?? [];
    if (shared && c.answers.communal && path[0] !== COMMUNAL_NODE) { c.answers.triagePath = [COMMUNAL_NODE]; forgetWhen(c.answers); }
    if (!c.answers.communal && path[0] === COMMUNAL_NODE) { c.answers.triagePath = []; forgetWhen(c.answers); }
    return goNext(reply, c);
  });

  // Postcode, then the homes Hearth holds there.
  const showPostcode = (req: FastifyRequest, reply: FastifyReply, c: StepContext, value?: string, errors: ErrorItem[] = []) =>
    view(req, reply, 'repairs/report-form.njk', c.landlord, {
      title: 'What is your postcode?', action: `${c.url}/postcode`, backLink: back(c, 'postcode'), errors,
      fields: [{ kind: 'input', name: 'postcode', label: 'What is your postcode?', isPageHeading: true, value: value ?? c.answers.postcode,
        autocomplete: 'postal-code', classes: 'govuk-input--width-10', spellcheck: false, hint: 'For example, LS6 1AA' }],
    });
  app.get('/landlords/:organisationId/report-a-repair/postcode', async (req, reply) => {
    const c = await stepContext(req, reply);
    return guard(reply, c, 'postcode') ?? showPostcode(req, reply, c);
  });
  app.post('/landlords/:organisationId/report-a-repair/postcode', csrf, async (req, reply) => {
    const c = await stepContext(req, reply);
    const value = text(fieldOf(req.body, 'postcode')).slice(0, 20);
    if (!value) return showPostcode(req, reply, c, value, [{ text: 'Enter your postcode', href: '#postcode' }]);
    if (!isPostcode(value)) return showPostcode(req, reply, c, value, [{ text: 'Enter a full UK postcode, like LS6 1AA', href: '#postcode' }]);
    const homes = await asResident(c.landlord.id, (ctx) => homesAtPostcode(ctx, value));
    if (c.answers.postcode !== value) delete c.answers.homeId;
    c.answers.postcode = value;
    if (!homes.length) return reply.redirect(`${c.url}/stop/postcode`, 303);
    return goNext(reply, c);
  });

  const showAddress = async (req: FastifyRequest, reply: FastifyReply, c: StepContext, errors: ErrorItem[] = []) => {
    const homes = await asResident(c.landlord.id, (ctx) => homesAtPostcode(ctx, c.answers.postcode!));
    if (!homes.length) return reply.redirect(`${c.url}/stop/postcode`, 303);
    return view(req, reply, 'repairs/report-form.njk', c.landlord, {
      title: 'Select your address', action: `${c.url}/address`, backLink: back(c, 'address'), errors,
      fields: [{ kind: 'radios', name: 'homeId', legend: 'Select your address', isPageHeading: true,
        hint: `Homes at ${c.answers.postcode} that ${c.landlord.name} looks after.`,
        items: [...radios(homes.map((h) => ({ value: h.id, text: h.address })), c.answers.homeId), { divider: 'or' },
          { value: 'not-listed', text: 'My address is not listed' }] }],
      links: [{ href: `${c.url}/postcode`, text: 'Change the postcode' }],
    });
  };
  app.get('/landlords/:organisationId/report-a-repair/address', async (req, reply) => {
    const c = await stepContext(req, reply);
    return guard(reply, c, 'address') ?? showAddress(req, reply, c);
  });
  app.post('/landlords/:organisationId/report-a-repair/address', csrf, async (req, reply) => {
    const c = await stepContext(req, reply);
    if (!c.answers.postcode) return goNext(reply, c);
    const value = text(fieldOf(req.body, 'homeId'));
    if (value === 'not-listed') return reply.redirect(`${c.url}/stop/not-listed`, 303);
    const homes = await asResident(c.landlord.id, (ctx) => homesAtPostcode(ctx, c.answers.postcode!));
    const home = homes.find((h) => h.id === value);
    if (!home) return showAddress(req, reply, c, [{ text: 'Select your address', href: '#homeId' }]);
    c.answers.homeId = home.id;
    c.answers.address = home.address;
    return goNext(reply, c);
  });

  // The triage tree: one question a page, as deep as the tree goes.
  const showProblem = (req: FastifyRequest, reply: FastifyReply, c: StepContext, depth: number, errors: ErrorItem[] = []) => {
    const path = (c.answers.triagePath ?? []).slice(0, depth);
    const at = optionsAt(c.settings.tree, path);
    if (!at.ok) return reply.redirect(`${c.url}/problem/0`, 303);
    const chosen = c.answers.triagePath?.[depth];
    return view(req, reply, 'repairs/report-form.njk', c.landlord, {
      title: at.question, action: `${c.url}/problem/${depth}`, backLink: back(c, `problem/${depth}`), errors,
      fields: [{ kind: 'radios', name: 'answer', legend: at.question, isPageHeading: true, hint: at.hint,
        items: radios(at.options.map((o) => ({ value: o.value, text: o.label, hint: o.hint })), chosen) }],
    });
  };
  const depthOf = (req: FastifyRequest) => {
    const d = Number(text(fieldOf(req.params, 'depth')));
    if (!Number.isInteger(d) || d < 0 || d > 10) throw new Problem(404, 'Page not found');
    return d;
  };
  app.get('/landlords/:organisationId/report-a-repair/problem/:depth', async (req, reply) => {
    const c = await stepContext(req, reply);
    const depth = depthOf(req);
    return guard(reply, c, `problem/${depth}`) ?? showProblem(req, reply, c, depth);
  });
  app.post('/landlords/:organisationId/report-a-repair/problem/:depth', csrf, async (req, reply) => {
    const c = await stepContext(req, reply);
    const depth = depthOf(req);
    if (!reached(`problem/${depth}`, c.answers, c.settings)) return goNext(reply, c);
    const before = c.answers.triagePath ?? [];
    const path = before.slice(0, depth);
    const at = optionsAt(c.settings.tree, path);
    const value = text(fieldOf(req.body, 'answer'));
    const option = at.ok ? at.options.find((o) => o.value === value) : undefined;
    if (!option) return showProblem(req, reply, c, depth, [{ text: 'Select the answer that best describes the problem', href: '#answer' }]);
    // The same answer again keeps the answers after it; a new one asks them again.
    const next = before[depth] === value ? before : [...path, value];
    if (JSON.stringify(next) !== JSON.stringify(before)) forgetWhen(c.answers);
    c.answers.triagePath = next;
    if (depth === 0) c.answers.communal = value === COMMUNAL_NODE;
    if (isNode(option)) return reply.redirect(`${c.url}/problem/${depth + 1}`, 303);
    if (isExit(option)) return reply.redirect(`${c.url}/stop/exit`, 303);
    return goNext(reply, c);
  });
  /** A changed problem or description may change the priority, so the slots offered: ask again. */
  const forgetWhen = (a: ReportAnswers) => { delete a.whenDone; delete a.appointment; };

  // What is wrong, and where.
  const showDescribe = (req: FastifyRequest, reply: FastifyReply, c: StepContext, raw?: { description: string; location: string }, errors: ErrorItem[] = []) =>
    view(req, reply, 'repairs/report-form.njk', c.landlord, {
      title: 'Describe the problem', action: `${c.url}/describe`, backLink: back(c, 'describe'), errors, heading: 'Describe the problem',
      intro: [`You told us: ${describePath(c.settings.tree, c.answers.triagePath ?? []) ?? ''}.`],
      fields: [
        { kind: 'count', name: 'description', label: 'What is wrong?', maxlength: DESCRIPTION_MAX, value: raw?.description ?? c.answers.description,
          hint: 'For example, what you can see, when it started and if it is getting worse. If you can see damp or mould, tell us.' },
        { kind: 'input', name: 'location', label: 'Where exactly is the problem? (optional)', value: raw?.location ?? c.answers.location,
          hint: 'For example, "bedroom wall behind the wardrobe"' },
      ],
    });
  app.get('/landlords/:organisationId/report-a-repair/describe', async (req, reply) => {
    const c = await stepContext(req, reply);
    return guard(reply, c, 'describe') ?? showDescribe(req, reply, c);
  });
  app.post('/landlords/:organisationId/report-a-repair/describe', csrf, async (req, reply) => {
    const c = await stepContext(req, reply);
    if (!reached('describe', c.answers, c.settings)) return goNext(reply, c);
    const raw = { description: text(fieldOf(req.body, 'description')), location: text(fieldOf(req.body, 'location')) };
    const errors: ErrorItem[] = [];
    if (!raw.description) errors.push({ text: 'Enter what is wrong', href: '#description' });
    else if (raw.description.length > DESCRIPTION_MAX) errors.push({ text: `What is wrong must be ${DESCRIPTION_MAX} characters or fewer`, href: '#description' });
    if (raw.location.length > 200) errors.push({ text: 'Where the problem is must be 200 characters or fewer', href: '#location' });
    if (errors.length) return showDescribe(req, reply, c, raw, errors);
    if (c.answers.description !== raw.description) forgetWhen(c.answers);
    c.answers.description = raw.description;
    c.answers.location = raw.location;
    return goNext(reply, c);
  });

  // Photos: multipart, parsed in this scope only; the CSRF token is a field of it (attached to the body).
  const showPhotos = (req: FastifyRequest, reply: FastifyReply, c: StepContext, errors: ErrorItem[] = []) => {
    const kept = c.answers.photos ?? [];
    return view(req, reply, 'repairs/report-form.njk', c.landlord, {
      title: 'Add photos of the problem (optional)', heading: 'Add photos of the problem (optional)', action: `${c.url}/photos`,
      backLink: back(c, 'photos'), errors, enctype: 'multipart/form-data',
      intro: ['Photos help us send the right person with the right parts. You can add up to 3.'],
      kept: kept.map((p) => p.name),
      fields: kept.length >= MAX_PHOTOS ? [] : [{ kind: 'file', name: 'photos', label: kept.length ? 'Add another photo' : 'Upload photos',
        hint: 'JPG, PNG or WebP, smaller than 10MB each' }],
      button: 'Continue', secondary: kept.length ? { name: 'remove', value: 'all', text: 'Remove photos' } : undefined,
    });
  };
  app.get('/landlords/:organisationId/report-a-repair/photos', async (req, reply) => {
    const c = await stepContext(req, reply);
    return guard(reply, c, 'photos') ?? showPhotos(req, reply, c);
  });
  app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_PHOTO_BYTES + 1, files: MAX_PHOTOS + 1, fields: 10, fieldSize: 4096, parts: 16 },
      throwFileSizeLimit: false,
      // Each file as its name and bytes (a truncated one is too large), so errors can name the file.
      async onFile(part) {
        const bytes = await part.toBuffer();
        (part as unknown as { value: unknown }).value = { filename: part.filename, bytes, truncated: part.file.truncated };
      },
    });
    scope.post('/landlords/:organisationId/report-a-repair/photos', csrf, async (req, reply) => {
      const c = await stepContext(req, reply);
      if (!reached('photos', c.answers, c.settings)) return goNext(reply, c);
      if (text(fieldOf(req.body, 'remove')) === 'all') {
        delete c.answers.photos;
        return showPhotos(req, reply, c);
      }
      const posted = fieldOf(req.body, 'photos');
      const files = (Array.isArray(posted) ? posted : posted ? [posted] : [])
        .filter((f): f is { filename: string; bytes: Buffer; truncated: boolean } => typeof f === 'object' && f !== null && 'bytes' in f)
        .filter((f) => f.filename || f.bytes.length); // an empty file input posts a nameless empty part
      const kept = c.answers.photos ?? [];
      if (kept.length + files.length > MAX_PHOTOS) {
        return showPhotos(req, reply, c, [{ text: `Select up to ${MAX_PHOTOS} photos${kept.length ? ` (you have added ${kept.length})` : ''}`, href: '#photos' }]);
      }
      const errors: ErrorItem[] = [];
      const added: NonNullable<ReportAnswers['photos']> = [];
      for (const f of files) {
        const name = f.filename.replace(/[^\p{L}\p{N} ._()-]/gu, '').slice(0, 100) || 'photo';
        const checked = f.truncated ? { ok: false as const, message: 'The selected file must be smaller than 10MB' } : await checkPhoto(f.bytes, name);
        if (checked.ok) added.push({ name, photo: { contentType: checked.contentType, bytes: checked.bytes, width: checked.width, height: checked.height } });
        else errors.push({ text: `${name}: ${checked.message}`, href: '#photos' });
      }
      if (errors.length) return showPhotos(req, reply, c, errors);
      c.answers.photos = [...kept, ...added];
      c.answers.photosDone = true;
      // Photos added: the page again, to add another or carry on; none chosen: carry on.
      if (added.length && c.answers.photos.length < MAX_PHOTOS) return reply.redirect(`${c.url}/photos`, 303);
      return goNext(reply, c);
    });
  });

  // When: the slots that can be met (after diagnosis), or none suits.
  const draftOf = (a: ReportAnswers) => ({ homeId: a.homeId!, triagePath: a.triagePath ?? [], description: a.description ?? '' });
  const showWhen = async (req: FastifyRequest, reply: FastifyReply, c: StepContext, raw?: { slot: string; availability: string }, errors: ErrorItem[] = []) => {
    const offer = await asResident(c.landlord.id, (ctx) => offerSlots(ctx, draftOf(c.answers)));
    const shown = offer.slots.slice(0, SLOTS_SHOWN);
    const chosen = raw?.slot ?? (c.answers.appointment ? `${c.answers.appointment.date}|${c.answers.appointment.slot}` : c.answers.whenDone ? 'none' : undefined);
    const taken = c.answers.slotTaken ? [{ text: 'That time is no longer free. Choose another', href: '#slot' }] : [];
    delete c.answers.slotTaken;
    return view(req, reply, 'repairs/report-form.njk', c.landlord, {
      title: 'When can we visit?', heading: 'When can we visit?', action: `${c.url}/when`, backLink: back(c, 'when'), errors: [...taken, ...errors],
      intro: shown.length
        ? [`How urgent it is: ${offer.priority}.`, 'Choose a time when someone aged 18 or over will be in.']
        : [`We have no times free online for this repair. We will contact you to arrange a visit.`],
      fields: [
        ...(shown.length ? [{ kind: 'radios', name: 'slot', legend: 'Choose a time', items: [
          ...radios(shown.map((s) => ({ value: `${s.date}|${s.slot}`, text: appointmentWords(s, c.settings.slots) })), chosen),
          { divider: 'or' }, { value: 'none', text: 'None of these times suit me', checked: chosen === 'none' },
        ] }] : []),
        { kind: 'input', name: 'availability', label: 'When are you usually in? (optional)', value: raw?.availability ?? c.answers.availability,
          hint: 'For example, "weekday mornings" or "after 3pm"' },
      ],
    });
  };
  app.get('/landlords/:organisationId/report-a-repair/when', async (req, reply) => {
    const c = await stepContext(req, reply);
    return guard(reply, c, 'when') ?? showWhen(req, reply, c);
  });
  app.post('/landlords/:organisationId/report-a-repair/when', csrf, async (req, reply) => {
    const c = await stepContext(req, reply);
    if (!reached('when', c.answers, c.settings)) return goNext(reply, c);
    const raw = { slot: text(fieldOf(req.body, 'slot')), availability: text(fieldOf(req.body, 'availability')) };
    const offer = await asResident(c.landlord.id, (ctx) => offerSlots(ctx, draftOf(c.answers)));
    const shown = offer.slots.slice(0, SLOTS_SHOWN);
    const errors: ErrorItem[] = [];
    const slot = shown.find((s) => `${s.date}|${s.slot}` === raw.slot);
    if (shown.length && !slot && raw.slot !== 'none') errors.push({ text: raw.slot ? 'That time is no longer free. Choose another' : 'Select a time, or None of these times suit me', href: '#slot' });
    if (raw.availability.length > 200) errors.push({ text: 'When you are usually in must be 200 characters or fewer', href: '#availability' });
    if (errors.length) return showWhen(req, reply, c, raw, errors);
    c.answers.appointment = slot ? { date: slot.date, slot: slot.slot, label: appointmentWords(slot, c.settings.slots) } : null;
    c.answers.availability = raw.availability;
    c.answers.whenDone = true;
    return goNext(reply, c);
  });

  // How to contact you.
  interface ContactRaw { name: string; phone: string; email: string; contactBy: string }
  const showContact = (req: FastifyRequest, reply: FastifyReply, c: StepContext, raw?: ContactRaw, errors: ErrorItem[] = []) => {
    const v = raw ?? { name: c.answers.contact?.name ?? '', phone: c.answers.contact?.phone ?? '', email: c.answers.contact?.email ?? '', contactBy: c.answers.contact?.contactBy ?? '' };
    return view(req, reply, 'repairs/report-form.njk', c.landlord, {
      title: 'Your contact details', heading: 'Your contact details', action: `${c.url}/contact`, backLink: back(c, 'contact'), errors,
      intro: ['We will use these to confirm your repair and to contact you about it.'],
      fields: [
        { kind: 'input', name: 'name', label: 'Full name', value: v.name, autocomplete: 'name', spellcheck: false },
        { kind: 'input', name: 'phone', label: 'Phone number', value: v.phone, autocomplete: 'tel', type: 'tel', classes: 'govuk-input--width-20',
          hint: 'For international numbers include the country code' },
        { kind: 'input', name: 'email', label: 'Email address', value: v.email, autocomplete: 'email', type: 'email', spellcheck: false },
        { kind: 'radios', name: 'contactBy', legend: 'How should we contact you?', small: true,
          items: radios(Object.entries(CONTACT_BY).map(([value, t]) => ({ value, text: t })), v.contactBy) },
      ],
    });
  };
  app.get('/landlords/:organisationId/report-a-repair/contact', async (req, reply) => {
    const c = await stepContext(req, reply);
    return guard(reply, c, 'contact') ?? showContact(req, reply, c);
  });
  app.post('/landlords/:organisationId/report-a-repair/contact', csrf, async (req, reply) => {
    const c = await stepContext(req, reply);
    if (!reached('contact', c.answers, c.settings)) return goNext(reply, c);
    const raw: ContactRaw = { name: text(fieldOf(req.body, 'name')), phone: text(fieldOf(req.body, 'phone')), email: text(fieldOf(req.body, 'email')), contactBy: text(fieldOf(req.body, 'contactBy')) };
    const errors: ErrorItem[] = [];
    if (!raw.name) errors.push({ text: 'Enter your full name', href: '#name' });
    else if (raw.name.length > 200) errors.push({ text: 'Full name must be 200 characters or fewer', href: '#name' });
    if (raw.phone && !/^\+?[0-9 ()-]{7,20}$/.test(raw.phone)) errors.push({ text: 'Enter a phone number, like 07700 900 982 or +44 808 157 0192', href: '#phone' });
    if (raw.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw.email)) errors.push({ text: 'Enter an email address in the correct format, like name@example.com', href: '#email' });
    if (!Object.hasOwn(CONTACT_BY, raw.contactBy)) errors.push({ text: 'Select how we should contact you', href: '#contactBy' });
    else if (raw.contactBy === 'email' && !raw.email) errors.push({ text: 'Enter your email address, or choose another way to contact you', href: '#email' });
    else if (raw.contactBy !== 'email' && !raw.phone) errors.push({ text: 'Enter your phone number, or choose another way to contact you', href: '#phone' });
    if (errors.length) return showContact(req, reply, c, raw, errors);
    c.answers.contact = { name: raw.name, contactBy: raw.contactBy as ContactBy, ...(raw.phone ? { phone: raw.phone } : {}), ...(raw.email ? { email: raw.email } : {}) };
    return goNext(reply, c);
  });

  // Check your answers, and send them once.
  const showCheck = (req: FastifyRequest, reply: FastifyReply, c: StepContext, errors: ErrorItem[] = []) => {
    const a = c.answers;
    const row = (key: string, value: string, step: string) => ({
      key: { text: key }, value: { text: value || 'Not given' },
      actions: { items: [{ href: `${c.url}/${step}`, text: 'Change', visuallyHiddenText: key.toLowerCase() }] },
    });
    const contact = a.contact!;
    return view(req, reply, 'web/check-answers.njk', c.landlord, {
      title: 'Check your answers before reporting your repair', errors, action: `${c.url}/check`, submitText: 'Report the repair',
      formToken: formTokenFor(req), backLink: `${c.url}/contact`,
      rows: [
        row('Where', a.communal ? 'In a shared area of my building' : 'Inside my home', 'where'),
        row('Address', a.address ?? '', 'postcode'),
        row('Problem', describePath(c.settings.tree, a.triagePath ?? []) ?? '', 'problem/0'),
        row('What is wrong', a.description ?? '', 'describe'),
        row('Where exactly', a.location ?? '', 'describe'),
        row('Photos', (a.photos ?? []).map((p) => p.name).join(', ') || 'None', 'photos'),
        row('Visit', a.appointment ? a.appointment.label : 'We will contact you to arrange a time', 'when'),
        row('When you are usually in', a.availability ?? '', 'when'),
        row('Name', contact.name, 'contact'),
        row('Phone', contact.phone ?? '', 'contact'),
        row('Email', contact.email ?? '', 'contact'),
        row('Contact me by', CONTACT_BY[contact.contactBy], 'contact'),
      ],
    });
  };
  app.get('/landlords/:organisationId/report-a-repair/check', async (req, reply) => {
    const c = await stepContext(req, reply);
    return guard(reply, c, 'check') ?? showCheck(req, reply, c);
  });
  app.post('/landlords/:organisationId/report-a-repair/check', {
    ...csrf, config: { rateLimit: { max: SUBMITS_PER_MINUTE, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    const c = await stepContext(req, reply);
    const done = await oncePerFormToken(req, postedFormToken(req), async () => {
      if (nextStep(c.answers, c.settings) !== 'check') return `${c.url}/${nextStep(c.answers, c.settings)}`;
      const a = c.answers;
      try {
        const sent = await asResident(c.landlord.id, (ctx) => submitRepairRequest(ctx, {
          homeId: a.homeId!, communal: a.communal, triagePath: a.triagePath!, description: a.description!, location: a.location || null,
          availability: a.availability || null, contactName: a.contact!.name, contactPhone: a.contact!.phone ?? null, contactEmail: a.contact!.email ?? null,
          contactBy: a.contact!.contactBy, channel: 'online', appointment: a.appointment ? { date: a.appointment.date, slot: a.appointment.slot } : null,
          photos: (a.photos ?? []).map((p) => p.photo), findUrl: absolute(req, findBase(c.landlord)),
        }));
        const priority = c.settings.priorities.find((p) => p.code === sent.request.priorityCode);
        c.visit.done = {
          reference: sent.request.reference, priority: priority?.label ?? sent.request.priorityCode, damp: sent.request.hazardReportId !== null,
          ...(sent.appointment ? { appointment: appointmentWords(sent.appointment, c.settings.slots) } : {}),
          contactBy: a.contact!.contactBy, ...(a.contact!.email ? { email: a.contact!.email } : {}), ...(a.contact!.phone ? { phone: a.contact!.phone } : {}),
        };
        c.visit.report = {};
        return `${c.url}/confirmation`;
      } catch (err) {
        // The transaction has rolled back: nothing of the report was kept. A slot taken meanwhile: choose again.
        if (err instanceof Problem && err.status === 409) {
          forgetWhen(a);
          a.slotTaken = true;
          return `${c.url}/when`;
        }
        if (err instanceof TooManyForHome) return `${c.url}/stop/too-many`;
        throw err;
      }
    });
    if (done.kind === 'unknown') return showCheck(req, reply, c, [{ text: 'This page had expired. Check your answers and send them again', href: '#submit' }]);
    return reply.redirect(done.location, 303);
  });

  app.get('/landlords/:organisationId/report-a-repair/confirmation', async (req, reply) => {
    const landlord = await landlordOf(req, reply);
    const done = visitOf(req, landlord.id).done;
    if (!done) return reply.redirect(base(landlord), 303);
    const how = done.contactBy === 'email' ? `an email to ${done.email}` : done.contactBy === 'text' ? `a text message to ${done.phone}` : null;
    return view(req, reply, 'repairs/report-confirmation.njk', landlord, {
      title: 'Repair reported', reference: done.reference,
      paragraphs: [
        ...(how ? [`We have sent ${how} confirming your repair.`] : []),
        done.appointment ? `We will visit on ${done.appointment}. Someone aged 18 or over must be in.` : 'We will contact you to arrange a time to visit.',
        ...(done.damp ? ['You told us about damp or mould. A member of our staff will look at what you told us and contact you. If it is making anyone unwell, call us.'] : []),
        `Keep your reference, ${done.reference}. You need it with your postcode to check, change or cancel your repair.`,
      ],
      links: [{ href: findBase(landlord), text: 'Check, change or cancel a repair' }, { href: base(landlord), text: 'Report another repair' }],
    });
  });

  // Stops: emergencies, exits of the tree, a postcode or address we do not hold, too many reports.
  app.get('/landlords/:organisationId/report-a-repair/stop/:reason', async (req, reply) => {
    const c = await stepContext(req, reply);
    const reason = text(fieldOf(req.params, 'reason'));
    const contact = `Contact ${c.landlord.name} by phone or at the office to report it.`;
    const startAgain = { href: `${c.url}/emergency`, text: 'Start again' };
    let page: Render;
    switch (reason) {
      case 'gas':
        page = { title: 'Call the National Gas Emergency number now', warning: `Call ${NATIONAL_GAS_EMERGENCY} now. It is free, and open 24 hours a day.`,
          paragraphs: ['If you can, open doors and windows, turn off the gas at the meter and do not use switches or flames.', 'Leave the building if you feel unwell.', 'Do not report this online.'] };
        break;
      case 'emergency':
        page = { title: 'Call us now', warning: `This is an emergency. Call ${c.landlord.name} now on their emergency repairs number: do not report it online.`,
          paragraphs: ['We will arrange for someone to make it safe as soon as we can. If anyone is in danger, call 999.'] };
        break;
      case 'exit': {
        const r = resolve(c.settings.tree, c.answers.triagePath ?? []);
        if (r.kind !== 'exit') return goNext(reply, c);
        const e = r.exit;
        const titles = { emergency: 'Call us now', 'cannot-book': 'You cannot book this repair online', 'not-responsible': 'We are not responsible for this repair', 'contact-us': 'Contact us about this repair' };
        page = { title: titles[e.exit], ...(e.exit === 'emergency' ? { warning: e.message ?? `Call ${c.landlord.name} now.` } : {}),
          paragraphs: [...(e.message && e.exit !== 'emergency' ? [e.message] : []), ...(e.exit === 'not-responsible' ? ['This is usually for you, or for someone else, to repair.'] : [contact])],
          links: [{ href: `${c.url}/problem/0`, text: 'Choose a different problem' }] };
        break;
      }
      case 'postcode':
        page = { title: 'We cannot find that postcode', paragraphs: [`${c.landlord.name} does not look after any homes at ${c.answers.postcode ?? 'that postcode'}.`,
          'Check the postcode and try again. If it is right, you may rent from another landlord.', contact],
        links: [{ href: `${c.url}/postcode`, text: 'Try another postcode' }] };
        break;
      case 'not-listed':
        page = { title: 'We cannot find your address', paragraphs: [contact], links: [{ href: `${c.url}/postcode`, text: 'Try another postcode' }] };
        break;
      case 'too-many':
        page = { title: 'Contact us to report another repair', paragraphs: ['A lot of repairs have been reported online for this home today.', contact] };
        break;
      default:
        throw new Problem(404, 'Page not found');
    }
    return view(req, reply, 'repairs/report-stop.njk', c.landlord, { links: [startAgain], ...page, backLink: reason === 'exit' ? `${c.url}/problem/${Math.max((c.answers.triagePath?.length ?? 1) - 1, 0)}` : undefined });
  });

  // ---- find a repair again ----------------------------------------------------------------------------------------

  const showFind = (req: FastifyRequest, reply: FastifyReply, landlord: Landlord, raw?: { reference: string; postcode: string }, errors: ErrorItem[] = []) =>
    view(req, reply, 'repairs/report-form.njk', landlord, {
      title: 'Find your repair', heading: 'Find your repair', action: findBase(landlord), errors, backLink: base(landlord),
      intro: ['Enter your repair reference and postcode to check your repair, change your appointment or cancel it.'],
      fields: [
        { kind: 'input', name: 'reference', label: 'Repair reference', value: raw?.reference, hint: 'For example, 7KQ4-MX9C', classes: 'govuk-input--width-10', spellcheck: false, autocomplete: 'off' },
        { kind: 'input', name: 'postcode', label: 'Postcode', value: raw?.postcode, classes: 'govuk-input--width-10', autocomplete: 'postal-code', spellcheck: false },
      ],
      button: 'Find repair',
    });
  app.get('/landlords/:organisationId/find-a-repair', async (req, reply) => showFind(req, reply, await landlordOf(req, reply)));
  app.post('/landlords/:organisationId/find-a-repair', {
    ...csrf, config: { rateLimit: { max: FINDS_PER_MINUTE, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    const landlord = await landlordOf(req, reply);
    const raw = { reference: text(fieldOf(req.body, 'reference')).slice(0, 20), postcode: text(fieldOf(req.body, 'postcode')).slice(0, 20) };
    const errors: ErrorItem[] = [];
    if (!raw.reference) errors.push({ text: 'Enter your repair reference', href: '#reference' });
    if (!raw.postcode) errors.push({ text: 'Enter your postcode', href: '#postcode' });
    if (errors.length) return showFind(req, reply, landlord, raw, errors);
    const found = await asResident(landlord.id, (ctx) => findRepair(ctx, raw.reference, raw.postcode));
    // The same words whichever was wrong: the reference, the postcode, or both.
    if (!found) return showFind(req, reply, landlord, raw, [{ text: 'We cannot find a repair with that reference and postcode. Check them and try again', href: '#reference' }]);
    visitOf(req, landlord.id).found = { requestId: found.request.id, postcode: raw.postcode, reference: normaliseReference(raw.reference)! };
    return reply.redirect(`${findBase(landlord)}/repair`, 303);
  });

  /** The repair this visit found, read again (so its status is current); none: back to the search. */
  async function foundRepair(req: FastifyRequest, reply: FastifyReply) {
    const landlord = await landlordOf(req, reply);
    const visit = visitOf(req, landlord.id);
    const found = visit.found;
    const repair = found ? await asResident(landlord.id, (ctx) => findRepair(ctx, found.reference, found.postcode)) : null;
    return { landlord, visit, found, repair };
  }

  app.get('/landlords/:organisationId/find-a-repair/repair', async (req, reply) => {
    const { landlord, repair } = await foundRepair(req, reply);
    if (!repair) return reply.redirect(findBase(landlord), 303);
    const r = repair.request;
    const { settings } = await asResident(landlord.id, (ctx) => currentSettings(ctx));
    const rows = [
      ['Reference', r.reference], ['Status', repair.status], ['Address', repair.address],
      ['Problem', describePath(settings.tree, r.triagePath) ?? r.sorCode], ['What is wrong', r.description],
      ['Visit', repair.appointment ? appointmentWords(repair.appointment, repair.slots) : 'Not booked yet: we will contact you'],
    ].map(([key, value]) => ({ key: { text: key }, value: { text: value } }));
    const links = [
      ...(repair.mayChangeAppointment ? [{ href: `${findBase(landlord)}/change-appointment`, text: repair.appointment ? 'Change the appointment' : 'Book an appointment' }] : []),
      ...(repair.mayCancel ? [{ href: `${findBase(landlord)}/cancel`, text: 'Cancel this repair' }] : []),
    ];
    return view(req, reply, 'repairs/report-repair.njk', landlord, { title: `Your repair ${r.reference}`, rows, links, backLink: findBase(landlord) });
  });

  const showChange = async (req: FastifyRequest, reply: FastifyReply, landlord: Landlord, found: NonNullable<Visit['found']>, errors: ErrorItem[] = []) => {
    const slots = (await asResident(landlord.id, (ctx) => slotsToChangeTo(ctx, found))).slice(0, SLOTS_SHOWN);
    const { settings } = await asResident(landlord.id, (ctx) => currentSettings(ctx));
    return view(req, reply, 'repairs/report-form.njk', landlord, {
      title: 'Choose a new time', action: `${findBase(landlord)}/change-appointment`, backLink: `${findBase(landlord)}/repair`, errors,
      heading: slots.length ? undefined : 'Choose a new time',
      intro: slots.length ? [] : ['There are no other times free online. Contact us to change your appointment.'],
      fields: slots.length ? [{ kind: 'radios', name: 'slot', legend: 'Choose a new time', isPageHeading: true,
        items: radios(slots.map((s) => ({ value: `${s.date}|${s.slot}`, text: appointmentWords(s, settings.slots) }))) }] : [],
      button: slots.length ? 'Change appointment' : undefined,
    });
  };
  app.get('/landlords/:organisationId/find-a-repair/change-appointment', async (req, reply) => {
    const { landlord, found, repair } = await foundRepair(req, reply);
    if (!repair || !found) return reply.redirect(findBase(landlord), 303);
    if (!repair.mayChangeAppointment) return reply.redirect(`${findBase(landlord)}/repair`, 303);
    return showChange(req, reply, landlord, found);
  });
  app.post('/landlords/:organisationId/find-a-repair/change-appointment', csrf, async (req, reply) => {
    const { landlord, visit, found, repair } = await foundRepair(req, reply);
    if (!repair || !found) return reply.redirect(findBase(landlord), 303);
    const [date, slot] = text(fieldOf(req.body, 'slot')).split('|');
    if (!date || !slot) return showChange(req, reply, landlord, found, [{ text: 'Select a new time', href: '#slot' }]);
    try {
      const booked = await asResident(landlord.id, (ctx) => changeAppointment(ctx, { ...found, findUrl: absolute(req, findBase(landlord)) }, { date, slot }));
      visit.changed = { kind: 'appointment', words: `We will now visit on ${appointmentWords(booked, repair.slots)}.` };
    } catch (err) {
      if (err instanceof Problem && (err.status === 409 || err.status === 400)) {
        return showChange(req, reply, landlord, found, [{ text: 'That time is no longer free. Choose another', href: '#slot' }]);
      }
      throw err;
    }
    return reply.redirect(`${findBase(landlord)}/changed`, 303);
  });

  app.get('/landlords/:organisationId/find-a-repair/cancel', async (req, reply) => {
    const { landlord, repair } = await foundRepair(req, reply);
    if (!repair) return reply.redirect(findBase(landlord), 303);
    if (!repair.mayCancel) return reply.redirect(`${findBase(landlord)}/repair`, 303);
    return view(req, reply, 'repairs/report-form.njk', landlord, {
      title: `Are you sure you want to cancel repair ${repair.request.reference}?`, heading: `Are you sure you want to cancel repair ${repair.request.reference}?`,
      action: `${findBase(landlord)}/cancel`, backLink: `${findBase(landlord)}/repair`,
      intro: [`${repair.request.description}`, repair.appointment ? 'Your appointment will be cancelled too.' : ''].filter(Boolean),
      fields: [], button: 'Yes, cancel the repair', warningButton: true,
    });
  });
  app.post('/landlords/:organisationId/find-a-repair/cancel', csrf, async (req, reply) => {
    const { landlord, visit, found, repair } = await foundRepair(req, reply);
    if (!repair || !found) return reply.redirect(findBase(landlord), 303);
    try {
      await asResident(landlord.id, (ctx) => cancelRepair(ctx, found));
    } catch (err) {
      if (err instanceof Problem && err.status === 409) return reply.redirect(`${findBase(landlord)}/repair`, 303);
      throw err;
    }
    visit.changed = { kind: 'cancelled', words: `We have cancelled repair ${repair.request.reference}.` };
    return reply.redirect(`${findBase(landlord)}/changed`, 303);
  });

  app.get('/landlords/:organisationId/find-a-repair/changed', async (req, reply) => {
    const landlord = await landlordOf(req, reply);
    const changed = visitOf(req, landlord.id).changed;
    if (!changed) return reply.redirect(findBase(landlord), 303);
    return view(req, reply, 'repairs/report-confirmation.njk', landlord, {
      title: changed.kind === 'cancelled' ? 'Repair cancelled' : 'Appointment changed',
      paragraphs: [changed.words],
      links: [{ href: `${findBase(landlord)}/repair`, text: 'See your repair' }, { href: base(landlord), text: 'Report another repair' }],
    });
  });
}
