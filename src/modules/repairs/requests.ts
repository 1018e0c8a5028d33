// Repair requests (issue 14): what a resident (online), an officer (staff) or another system (api) reports. One
// request, in one transaction: triaged through the landlord's tree to an SOR code and priority, diagnosed (a sign of
// damp or mould in their words raises an Awaab's Law hazard report and priority; a household alert raises the
// priority and gives the operative words such as "Visit in pairs", never the alert), the request row, its work order,
// the chosen slot booked, its photos, and the confirmation message. A slot taken meanwhile throws (409) and, as the
// caller's transaction rolls back, nothing of the request is kept.
// Residents find a repair again with its reference and the home's postcode; a wrong reference and a wrong postcode get
// the same answer, so neither can be guessed one at a time.
import { randomInt } from 'node:crypto';
import { and, desc, eq, gte, isNull, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/records/context.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { can } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { invalid, notFound, Problem, type FieldError } from '../../platform/http/problem.ts';
import { defineRecords, type WithReferences } from '../../platform/records/service.ts';
import { ukDate } from '../../platform/uk-time.ts';
import { formatAddress, homeRecords, normalisePostcode, searchHomes, type Home } from '../homes/index.ts';
import { alertService, peopleAtHomes } from '../people/index.ts';
import { tenancyService } from '../tenancies/index.ts';
import { reportHazard } from '../hazards/index.ts';
import { notify, type TemplateName } from '../notifications/index.ts';
import { availability, appointmentOf, cancelAppointment } from '../scheduling/index.ts';
import { repairPhotos, repairRequests, repairs } from './schema.ts';
import { resolve, describePath } from './rules/triage.ts';
import type { RepairSettings, TriageLeaf, Slot } from './rules/settings.ts';
import { diagnose, dueAt } from './rules/priorities.ts';
import { residentMayCancel } from './rules/work-status.ts';
import { currentSettings, settingsVersion } from './settings-service.ts';
import {
  raiseWorkOrder, changeStatus, bookWorkOrder, workOrderAvailability, priorityOf, JOB_KIND,
  type Appointment, type OfferedSlot, type WorkOrderRow,
} from './work-orders.ts';

export type RepairRequest = typeof repairRequests.$inferSelect;

export const repairRequestRecords = defineRecords<RepairRequest>({
  kind: 'repair-request', label: 'repair request', table: repairRequests, read: 'repairs:raise', write: 'repairs:raise',
});

/** How many requests one home may make online in a day; more is someone to talk to (the "contact us" page). */
export const ONLINE_REQUESTS_PER_HOME_PER_DAY = 5;
export const DESCRIPTION_MAX = 500;
export const MAX_PHOTOS = 3;
/** Who reports online, as hazard reports and audit events name them. */
export const RESIDENT_ONLINE = 'resident (online)';

export const CONTACT_BY = { email: 'Email', text: 'Text message', phone: 'Phone call' } as const;
export type ContactBy = keyof typeof CONTACT_BY;
export const CHANNELS = ['online', 'staff', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A photo already checked and re-encoded without its metadata (rules/photos.ts checkPhoto). */
export interface CheckedPhoto { contentType: string; bytes: Buffer; width: number; height: number }

export interface RepairRequestInput {
  homeId: string;
  communal?: boolean;
  /** The option values chosen through the tree, from the root: ["bathroom", "damp-or-mould", "mould-walls-ceiling"]. */
  triagePath: readonly string[];
  /** What is wrong, in the reporter's words. */
  description: string;
  /** Where in the home (or the building). */
  location?: string | null;
  /** When they are in, in their words. */
  availability?: string | null;
  accessNotes?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  contactBy?: ContactBy | null;
  channel: Channel;
  /** The slot chosen from those offered (offerSlots). */
  appointment?: { date: string; slot: string } | null;
  photos?: readonly CheckedPhoto[];
  /** Where the resident finds the repair again, for the confirmation message (the public page's absolute URL). */
  findUrl?: string | null;
}

export interface Submitted {
  request: RepairRequest;
  workOrder: WorkOrderRow;
  appointment?: Appointment;
}

// ---- references ----------------------------------------------------------------------------------------------------

/** No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a reference read out on the phone or copied from a text is not misread. */
const REFERENCE_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

export function newReference(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** A reference as typed ("r7k2 9pxm", "R7K29PXM") in its stored form, or null when it cannot be one. */
export function normaliseReference(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (s.length !== 8 || [...s].some((c) => !REFERENCE_ALPHABET.includes(c))) return null;
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

async function uniqueReference(ctx: Ctx): Promise<string> {
  for (let i = 0; i < 10; i++) {
    const reference = newReference();
    const [taken] = await ctx.tx.select({ id: repairRequests.id }).from(repairRequests)
      .where(and(eq(repairRequests.organisationId, ctx.actor.organisationId), eq(repairRequests.reference, reference))).limit(1);
    if (!taken) return reference;
  }
  throw new Error('could not find an unused repair reference');
}

// ---- Hearth's own part of a request ------------------------------------------------------------------------------

/**
 * Hearth itself, for the parts of a request that are the landlord's and not the reporter's: reading the household's
 * alerts (audited as reads by the people module), the hazard report, the work order and its booking. A resident has no
 * role; an officer reporting for one may not read alerts, yet the diagnosis must see them.
 */
const hearth = (ctx: Ctx, name?: string): Ctx => ({
  actor: ctx.actor.kind === 'system' ? ctx.actor : systemActor(ctx.actor.organisationId, name ?? `${ctx.actor.name} (repair request)`),
  tx: ctx.tx,
});

/** The home, if the organisation holds it (404 otherwise). */
async function homeOf(ctx: Ctx, homeId: string): Promise<Home | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(homeId)) return undefined;
  const [home] = await homeRecords.getMany(hearth(ctx), [homeId]);
  return home;
}

/** The homes at a postcode that the organisation holds, in address order (for the resident to pick theirs). */
export async function homesAtPostcode(ctx: Ctx, postcode: string): Promise<{ id: string; address: string }[]> {
  const normal = normalisePostcode(postcode);
  if (!normal) return [];
  const homes = await searchHomes(hearth(ctx), normal, 200);
  return homes.filter((h) => h.postcode === normal)
    .map((h) => ({ id: h.id, address: formatAddress(h) }))
    .sort((a, b) => a.address.localeCompare(b.address, 'en-GB', { numeric: true }));
}

/** The people living at a home: members of its current tenancies, and people recorded as living there. */
async function residentsOf(ctx: Ctx, homeId: string): Promise<string[]> {
  const ids = new Set<string>();
  const today = ukDate(new Date());
  for (const t of await tenancyService.forHome(ctx, homeId)) {
    const ended = (t as { endDate?: string | null }).endDate;
    if (ended && ended < today) continue;
    for (const m of t.members) if (!m.endDate || m.endDate >= today) ids.add(m.personId);
  }
  for (const p of await peopleAtHomes(ctx, [homeId])) ids.add(p.id);
  return [...ids];
}

/** The household's active alerts' codes and categories that any of the landlord's rules names (no other alert is read). */
async function householdAlertCodes(ctx: Ctx, homeId: string, settings: RepairSettings): Promise<string[]> {
  const named = [...new Set(settings.alertRules.flatMap((r) => r.codes))];
  if (!named.length) return [];
  const people = await residentsOf(ctx, homeId);
  if (!people.length) return [];
  const alerts = await alertService.activeOfKinds(ctx, people, { hactCodes: named, categories: named }) ?? [];
  return [...new Set(alerts.flatMap((a) => [a.hactCode, a.category].filter((c): c is string => !!c)))];
}

export interface Triaged {
  leaf: TriageLeaf;
  /** The path in words ("Bedroom › Damp or mould › Mould on walls or ceiling"). */
  words: string;
}

/** What a path leads to, as a repair; a 400 naming /triagePath otherwise (an unknown step, a question, an exit). */
export function triage(settings: RepairSettings, path: readonly string[]): Triaged {
  if (!Array.isArray(path) || path.some((p) => typeof p !== 'string')) throw invalid('/triagePath', 'must be a list of the option values chosen through the tree');
  const r = resolve(settings.tree, path);
  if (r.kind === 'leaf') return { leaf: r.leaf, words: describePath(settings.tree, path) ?? r.leaf.label };
  if (r.kind === 'unknown') throw invalid(`/triagePath/${r.at}`, `${JSON.stringify(path[r.at] ?? '')} is not one of the options at step ${r.at + 1} of the repair settings' tree`);
  if (r.kind === 'exit') throw invalid('/triagePath', `leads to an answer that cannot be booked (${r.exit.exit}): ${r.exit.label}`);
  throw invalid('/triagePath', 'stops at a question: choose one of its options');
}

export interface Diagnosis {
  priorityCode: string;
  reasons: string[];
  operativeWords: string[];
  /** A sign of damp or mould was found in their words. */
  damp: boolean;
}

/** The priority and words for the operative: the tree's priority, raised by damp or mould words and the household's alerts. */
async function diagnosisOf(ctx: Ctx, settings: RepairSettings, homeId: string, leaf: TriageLeaf, description: string): Promise<Diagnosis> {
  const alertCodes = await householdAlertCodes(ctx, homeId, settings);
  const d = diagnose(settings, { leafPriority: leaf.priority, description, alertCodes });
  return { priorityCode: d.priority, reasons: d.reasons, operativeWords: d.operativeWords, damp: d.damp.flagged };
}

// ---- submitting ----------------------------------------------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const trimmed = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

function checkInput(input: RepairRequestInput): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof input.homeId !== 'string' || !input.homeId) errors.push({ field: '/homeId', message: 'is required: the home the repair is for' });
  if (!Array.isArray(input.triagePath) || !input.triagePath.length) errors.push({ field: '/triagePath', message: 'is required: the option values chosen through the tree, from the first question' });
  const description = trimmed(input.description);
  if (!description) errors.push({ field: '/description', message: 'is required: what is wrong, in the reporter\'s words' });
  else if (description.length > DESCRIPTION_MAX) errors.push({ field: '/description', message: `must be ${DESCRIPTION_MAX} characters or fewer` });
  for (const [field, max] of [['location', 200], ['availability', 200], ['accessNotes', 500], ['contactName', 200], ['contactPhone', 40], ['contactEmail', 254]] as const) {
    const v = input[field];
    if (v != null && (typeof v !== 'string' || v.length > max)) errors.push({ field: `/${field}`, message: `must be text of ${max} characters or fewer` });
  }
  const email = trimmed(input.contactEmail);
  if (email && !EMAIL.test(email)) errors.push({ field: '/contactEmail', message: 'must be an email address, like name@example.com' });
  const phone = trimmed(input.contactPhone);
  if (phone && !/^\+?[0-9 ()-]{7,20}$/.test(phone)) errors.push({ field: '/contactPhone', message: 'must be a phone number, like 07700 900 982' });
  if (input.contactBy != null && !Object.hasOwn(CONTACT_BY, input.contactBy)) errors.push({ field: '/contactBy', message: 'must be email, text or phone' });
  if (input.contactBy === 'email' && !email) errors.push({ field: '/contactEmail', message: 'is required to be contacted by email' });
  if ((input.contactBy === 'text' || input.contactBy === 'phone') && !phone) errors.push({ field: '/contactPhone', message: `is required to be contacted by ${input.contactBy === 'text' ? 'text message' : 'phone'}` });
  if (!CHANNELS.includes(input.channel)) errors.push({ field: '/channel', message: 'must be online, staff or api' });
  if ((input.photos?.length ?? 0) > MAX_PHOTOS) errors.push({ field: '/photos', message: `must be ${MAX_PHOTOS} photos or fewer` });
  return errors;
}

/** The one-day limit of online requests per home: a lock per home makes two at once count each other. */
async function checkHomeLimit(ctx: Ctx, homeId: string, now: Date) {
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`repair-request-home:${ctx.actor.organisationId}:${homeId}`}))`);
  const [row] = await ctx.tx.select({ n: sql<number>`count(*)::int` }).from(repairRequests).where(and(
    eq(repairRequests.organisationId, ctx.actor.organisationId), eq(repairRequests.homeId, homeId), eq(repairRequests.channel, 'online'),
    gte(repairRequests.reportedAt, new Date(now.getTime() - 86_400_000))));
  if ((row?.n ?? 0) >= ONLINE_REQUESTS_PER_HOME_PER_DAY) throw new TooManyForHome();
}

/** More online requests for one home in a day than a household makes: talk to us instead. */
export class TooManyForHome extends Problem {
  constructor() {
    super(429, 'Too many requests', `More than ${ONLINE_REQUESTS_PER_HOME_PER_DAY} repairs have been reported online for this home today. Contact us to report another.`);
  }
}

/**
 * Report a repair: everything in the caller's transaction (ctx.tx), so any refusal, including a slot taken meanwhile
 * (409, from scheduling), leaves nothing behind. `now`: when it was reported.
 */
export async function submitRepairRequest(ctx: Ctx, input: RepairRequestInput, now = new Date()): Promise<Submitted> {
  if (input.channel !== 'online' && !can(ctx.actor.role, 'repairs:raise')) {
    throw new Problem(403, 'Forbidden', 'Your role does not allow you to report repairs for residents. Ask a housing officer or repairs planner.');
  }
  const errors = checkInput(input);
  if (errors.length) throw new Problem(400, 'Invalid request', errors.map((e) => `${e.field.slice(1)}: ${e.message}`).join('; '), errors);
  const { version, settings } = await currentSettings(hearth(ctx));
  const { leaf, words } = triage(settings, input.triagePath);
  const home = await homeOf(ctx, input.homeId);
  if (!home) throw invalid('/homeId', 'is not a home this landlord holds');
  const h = hearth(ctx, input.channel === 'online' ? RESIDENT_ONLINE : undefined);
  if (input.channel === 'online') await checkHomeLimit(h, home.id, now);

  const description = input.description.trim();
  const diagnosis = await diagnosisOf(h, settings, home.id, leaf, description);
  const reportedBy = input.channel === 'online' ? RESIDENT_ONLINE : `${ctx.actor.name} (${input.channel === 'api' ? 'API' : 'for the resident'})`;
  const hazard = diagnosis.damp
    ? await reportHazard(h, {
      homeId: home.id, hazard: 'damp-and-mould', severity: 'significant', reportedAt: now, reportedBy,
      location: trimmed(input.location)?.slice(0, 200) ?? null, description,
    }, now)
    : null;

  // The request and its work order are the reporter's: written as them (an officer, a token), or as the resident online.
  // Booking the slot is Hearth's (an officer may raise a job but not plan visits), as are the alerts and hazard report.
  const writer = input.channel === 'online' ? h : ctx;
  const { sourceReferences: _refs, ...request } = await repairRequestRecords.create(writer, {
    reference: await uniqueReference(ctx), homeId: home.id, communal: input.communal === true, settingsVersion: version,
    triagePath: [...input.triagePath], sorCode: leaf.sorCode, trade: leaf.trade, triagePriority: leaf.priority, priorityCode: diagnosis.priorityCode,
    description, location: trimmed(input.location), availability: trimmed(input.availability),
    contactName: trimmed(input.contactName), contactPhone: trimmed(input.contactPhone), contactEmail: trimmed(input.contactEmail)?.toLowerCase() ?? null,
    contactBy: input.contactBy ?? null, channel: input.channel, reportedAt: now, reasons: diagnosis.reasons, hazardReportId: hazard?.id ?? null,
  });

  const workOrder = await raiseWorkOrder(writer, {
    homeId: home.id, requestId: request.id, sorCode: leaf.sorCode, trade: leaf.trade, priorityCode: diagnosis.priorityCode,
    description: `${words}: ${description}`, location: trimmed(input.location), minutes: leaf.minutes, operativeWords: diagnosis.operativeWords,
    accessNotes: trimmed(input.accessNotes), settingsVersion: version,
  }, now, { version, settings });

  const appointment = input.appointment ? await bookWorkOrder(h, workOrder.id, input.appointment, now) : undefined;

  if (input.photos?.length) {
    await ctx.tx.insert(repairPhotos).values(input.photos.map((p) => ({
      organisationId: ctx.actor.organisationId, id: uuidv7(), requestId: request.id, repairId: workOrder.id, contentType: p.contentType,
      bytes: p.bytes, width: p.width, height: p.height, takenBy: input.channel === 'online' ? 'resident' : 'staff',
    })));
  }

  await confirm(h, { request, settings, appointment, findUrl: input.findUrl });
  return { request, workOrder: (await repairFor(h, request.id)) ?? workOrder, ...(appointment ? { appointment } : {}) };
}

/** Where a resident finds their repair again (an absolute URL from the pages; the path when none is given). */
const findUrlOf = (ctx: Ctx, given?: string | null) => given ?? `/landlords/${ctx.actor.organisationId}/find-a-repair`;

/** A message to the resident, by the way they asked to be contacted (none asked, or a phone call: none sent). */
async function tell(ctx: Ctx, request: RepairRequest, template: TemplateName, personalisation: Record<string, string>) {
  const channel = request.contactBy === 'email' && request.contactEmail ? 'email' : request.contactBy === 'text' && request.contactPhone ? 'sms' : null;
  if (!channel) return;
  await notify(ctx, {
    channel, to: channel === 'email' ? request.contactEmail! : request.contactPhone!, template, reference: request.reference,
    about: { kind: 'repair-request', id: request.id }, personalisation: { reference: request.reference, ...personalisation },
  });
}

/** The confirmation of a new request: what they told us, how urgent, what happens next. */
async function confirm(ctx: Ctx, about: { request: RepairRequest; settings: RepairSettings; appointment?: Appointment; findUrl?: string | null }) {
  const { request } = about;
  const priority = about.settings.priorities.find((p) => p.code === request.priorityCode);
  await tell(ctx, request, 'repair-reported', {
    what: request.description, priority: priority?.label ?? request.priorityCode, find_url: findUrlOf(ctx, about.findUrl),
    next_steps: about.appointment
      ? `We will come on ${appointmentWords(about.appointment, about.settings.slots)}. Someone aged 18 or over needs to be at home.`
      : 'We will contact you to arrange a time to visit.',
  });
}

/** "Thursday 3 December 2026, morning (8am to 1pm)". */
export function appointmentWords(a: { date: string; slot: string }, slots: readonly Slot[]): string {
  return `${dayWords(a.date)}, ${slotWords(a.slot, slots)}`;
}
/** "Thursday 3 December 2026". */
const dayWords = (date: string) => {
  const d = new Date(`${date}T12:00:00Z`);
  const part = (o: Intl.DateTimeFormatOptions) => d.toLocaleDateString('en-GB', { ...o, timeZone: 'UTC' });
  return `${part({ weekday: 'long' })} ${part({ day: 'numeric', month: 'long', year: 'numeric' })}`;
};
/** "morning (8am to 1pm)". */
function slotWords(code: string, slots: readonly Slot[]): string {
  const slot = slots.find((s) => s.code === code);
  return slot ? slot.label.charAt(0).toLowerCase() + slot.label.slice(1) : code;
}

// ---- the slots offered before the request is made ---------------------------------------------------------------

export interface Draft { homeId: string; triagePath: readonly string[]; description: string }

/**
 * The slots that can be met for a request not yet made: diagnosed as it will be when sent (so an alert or damp words
 * that raise the priority shorten the wait), before the priority's target runs out.
 */
export async function offerSlots(ctx: Ctx, draft: Draft, now = new Date()): Promise<{ slots: OfferedSlot[]; priority: string; emergency: boolean }> {
  const h = hearth(ctx);
  const { settings } = await currentSettings(h);
  const { leaf } = triage(settings, draft.triagePath);
  const home = await homeOf(ctx, draft.homeId);
  if (!home) throw invalid('/homeId', 'is not a home this landlord holds');
  const diagnosis = await diagnosisOf(h, settings, home.id, leaf, draft.description);
  const priority = priorityOf(settings, diagnosis.priorityCode);
  const slots = await availability(h, {
    trade: leaf.trade, minutes: leaf.minutes, latitude: home.latitude ?? null, longitude: home.longitude ?? null,
    notAfter: dueAt(priority, now), from: now, slots: settings.slots,
  });
  return { slots, priority: priority.label, emergency: priority.emergency };
}


// ---- finding a repair again ----------------------------------------------------------------------------------------

export interface FoundRepair {
  request: RepairRequest;
  address: string;
  workOrder: WorkOrderRow | null;
  appointment: Appointment | null;
  /** What the resident reads: "Booked", "In progress", … */
  status: string;
  mayCancel: boolean;
  mayChangeAppointment: boolean;
  slots: readonly Slot[];
}

/** The work order raised from a request (not its follow-ons). */
async function repairFor(ctx: Ctx, requestId: string): Promise<WorkOrderRow | null> {
  const [row] = await ctx.tx.select().from(repairs).where(and(eq(repairs.organisationId, ctx.actor.organisationId), eq(repairs.requestId, requestId), isNull(repairs.parentId))).limit(1);
  return row ?? null;
}

const RESIDENT_STATUS: Record<string, string> = {
  open: 'Reported: we will arrange a visit', assigned: 'Reported: we will arrange a visit', scheduled: 'Visit booked',
  'in-progress': 'Work in progress', 'on-hold': 'On hold: we will contact you', complete: 'Completed', 'no-access': 'We could not get in: we will contact you',
  cancelled: 'Cancelled', 'variation-pending': 'More work is needed: we will contact you',
};

/**
 * The request with this reference for a home at this postcode; null when either is wrong (the same answer for both,
 * so a reference cannot be tried against postcodes, nor the other way round).
 */
export async function findRepair(ctx: Ctx, reference: string, postcode: string): Promise<FoundRepair | null> {
  const h = hearth(ctx);
  const ref = normaliseReference(reference);
  const normal = normalisePostcode(postcode);
  if (!ref || !normal) return null;
  const [request] = await h.tx.select().from(repairRequests)
    .where(and(eq(repairRequests.organisationId, h.actor.organisationId), eq(repairRequests.reference, ref))).orderBy(desc(repairRequests.reportedAt)).limit(1);
  if (!request) return null;
  const home = await homeOf(h, request.homeId);
  if (!home || home.postcode !== normal) return null;
  await audit(h.tx, h.actor, { action: 'repair-request-read', entityKind: 'repair-request', entityId: request.id, detail: { by: 'reference and postcode' } });
  return describe(h, request, home);
}

async function describe(h: Ctx, request: RepairRequest, home: Home): Promise<FoundRepair> {
  const workOrder = await repairFor(h, request.id);
  const appointment = workOrder ? await appointmentOfJob(h, workOrder.id) : null;
  const { settings } = await settingsVersion(h, request.settingsVersion).catch(() => currentSettings(h));
  const status = workOrder?.workStatus ?? (request.cancelledAt ? 'cancelled' : 'open');
  const open = !request.cancelledAt && !!workOrder && !['complete', 'cancelled', 'in-progress'].includes(status);
  return {
    request, address: formatAddress(home), workOrder, appointment: appointment?.status === 'booked' || appointment?.status === 'attended' ? appointment : null,
    status: RESIDENT_STATUS[status] ?? status, mayCancel: !request.cancelledAt && !!workOrder && residentMayCancel(status as never),
    mayChangeAppointment: open, slots: settings.slots,
  };
}

async function appointmentOfJob(ctx: Ctx, jobId: string): Promise<Appointment | null> {
  return appointmentOf(ctx, JOB_KIND, jobId);
}

/** The request by id (staff and the API), with its work order. */
export async function repairRequest(ctx: Ctx, id: string): Promise<{ request: RepairRequest; workOrder: WorkOrderRow | null }> {
  const { sourceReferences: _refs, ...request } = await repairRequestRecords.get(ctx, id) as WithReferences<RepairRequest>;
  // A request holds a resident's words and contact details: each read is audited.
  await audit(ctx.tx, ctx.actor, { action: 'repair-request-read', entityKind: 'repair-request', entityId: request.id });
  return { request, workOrder: await repairFor(hearth(ctx), request.id) };
}

/** Found again (findRepair), by its id, for the resident's next page; null if the reference and postcode no longer match. */
async function foundAgain(ctx: Ctx, found: { requestId: string; postcode: string }): Promise<{ h: Ctx; repair: FoundRepair }> {
  const h = hearth(ctx);
  const [request] = await h.tx.select().from(repairRequests)
    .where(and(eq(repairRequests.organisationId, h.actor.organisationId), eq(repairRequests.id, found.requestId)));
  const home = request ? await homeOf(h, request.homeId) : undefined;
  if (!request || !home || home.postcode !== normalisePostcode(found.postcode)) throw notFound('repair');
  return { h, repair: await describe(h, request, home) };
}

/** The slots the resident may move their visit to. */
export async function slotsToChangeTo(ctx: Ctx, found: { requestId: string; postcode: string }, now = new Date()): Promise<OfferedSlot[]> {
  const { h, repair } = await foundAgain(ctx, found);
  if (!repair.mayChangeAppointment || !repair.workOrder) return [];
  const slots = await workOrderAvailability(h, repair.workOrder.id, now);
  const current = repair.appointment;
  return slots.filter((s) => !(current && s.date === current.date && s.slot === current.slot));
}

/** Move (or make) the visit: scheduling guards the slot (409 with fresh slots when taken). */
export async function changeAppointment(ctx: Ctx, found: { requestId: string; postcode: string; findUrl?: string }, choice: { date: string; slot: string }, now = new Date()): Promise<Appointment> {
  const { h, repair } = await foundAgain(ctx, found);
  if (!repair.mayChangeAppointment || !repair.workOrder) throw new Problem(409, 'Conflict', 'This repair\'s visit can no longer be changed online. Contact us to change it.');
  const booked = await bookWorkOrder(h, repair.workOrder.id, choice, now);
  await tell(h, repair.request, repair.appointment ? 'appointment-changed' : 'appointment-booked', {
    date: dayWords(booked.date), slot: slotWords(booked.slot, repair.slots), find_url: findUrlOf(h, found.findUrl),
  });
  return booked;
}

/** Cancel the repair, while the rules let a resident (before the job is under way); its visit is cancelled too. */
export async function cancelRepair(ctx: Ctx, found: { requestId: string; postcode: string }, now = new Date()): Promise<void> {
  const { h, repair } = await foundAgain(ctx, found);
  if (!repair.mayCancel || !repair.workOrder) throw new Problem(409, 'Conflict', 'This repair can no longer be cancelled online. Contact us if you no longer need it.');
  await cancelAppointment(h, JOB_KIND, repair.workOrder.id);
  await changeStatus(h, repair.workOrder.id, repair.workOrder.version, 'cancelled', { reason: 'Cancelled by the resident online' }, now);
  await repairRequestRecords.update(h, repair.request.id, repair.request.version, { cancelledAt: now });
  await tell(h, repair.request, 'repair-cancelled', { what: repair.request.description });
}
