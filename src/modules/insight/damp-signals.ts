// Damp and mould signals, kept up to date as records arrive (docs/decisions/0011). Whenever repairs, notes or hazard
// reports are written — by the API, a page, an import job or `hearth ingest` — their events reach the relay's
// 'damp-signals' subscriber below (docs/decisions/0020), which reads the written records through their modules'
// services and keeps one damp_mould_signals row per record that shows damp or mould:
// its home, how it was found (the words, a damp and mould repair code, an HHSRS damp and mould hazard report), and
// the sentences that show it, word for word. A record that no longer shows it loses its row. The work is set-based
// per batch (one read, one delete, one upsert) and idempotent: the signals are worked out from the records as they
// are now, not from what an event says, so an event handled again (a retry, a replay) gives the same rows, and a row
// that is already right is not written again. A subscriber that fails never fails the write: its events are retried,
// then dead-lettered (event_failures) for replay. Records of these kinds are never deleted through the services
// (no `.deleted` events); a record that is gone when its event is handled simply loses its signal.
import { ukDate } from '../../platform/uk-time.ts';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { valueRows, type Db } from '../../platform/db/store.ts';
import { asOrganisation, type Subscriber } from '../../platform/events/relay.ts';
import type { StoredEvent } from '../../platform/events/outbox.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';
import { repairRecords, repairsInIdOrder, type Repair } from '../repairs/index.ts';
import { noteRecords, notesInIdOrder, type Note } from '../notes/index.ts';
import { personRecords } from '../people/index.ts';
import { tenancyService } from '../tenancies/index.ts';
import { hazardRecords, detectDampMould } from '../hazards/index.ts';
import { dampMouldSignals } from './schema.ts';

export type SignalSource = 'repair' | 'note' | 'hazard-report';
export type SignalBasis = 'text' | 'code' | 'hazard';

/** What a record shows: how it was found, what was seen, and the evidence (one line each). */
export interface Shown {
  basis: SignalBasis[];
  kinds: string[];
  evidence: string[];
}

export interface DampSignal extends Shown {
  sourceKind: SignalSource;
  sourceId: string;
  /** Null while the repair is not linked to a home: the sign is kept, counted and listed apart, never dropped. */
  homeId: string | null;
  observedOn: string | null;
}

// ---- the rules (pure) ----

/**
 * Schedule of rates (SOR) codes for damp and mould work (decision 0011). Schedules differ between landlords; the
 * demo's (like many) has a damp and mould section, 626, in which mould (6260), damp (6261), condensation (6262) and
 * remedial treatment (6263) jobs are signs of damp. The rest of the section is not a sign on its own — a damp-proof
 * course put in on a planned programme (6264) is prevention, and a survey or inspection (6269) is a question whose
 * answer is in its words — so those jobs are decided by their words, whatever the trade. A landlord whose schedule
 * differs changes these two constants.
 */
export const DAMP_MOULD_SOR_SECTION = '626';
export const DAMP_MOULD_SOR_PREFIXES: readonly string[] = ['6260', '6261', '6262', '6263'];
/**
 * A trade that is damp and mould work ("Damp and mould", "Mould treatment", "Condensation control"; not "Damp
 * proofing", prevention like 6264): a sign when the job has no SOR code from the damp and mould section to say more
 * precisely what it was.
 */
export const DAMP_MOULD_TRADE = /\b(?:damp(?![\s-]*proof)|mou?ld|condensation)\b/i;
/** The HHSRS hazard that counts (src/modules/hazards/hhsrs.ts). */
export const DAMP_MOULD_HAZARD = 'damp-and-mould';

/** Structured evidence lines start with one of these; every other line is a sentence quoted word for word. */
export const CODE_EVIDENCE = /^(?:SOR code|Trade|HHSRS hazard): /;

/** The sentences of a text as [start, end) ranges, trimmed: a sentence ends at . ! or ? before a space, or a line break. */
function sentenceRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  const push = (from: number, to: number) => {
    while (from < to && /\s/.test(text[from]!)) from++;
    while (to > from && /\s/.test(text[to - 1]!)) to--;
    if (to > from) out.push([from, to]);
  };
  for (const m of text.matchAll(/[.!?]+(?=\s|$)|\r?\n/g)) {
    const end = m[0].endsWith('\n') ? m.index : m.index + m[0].length;
    push(start, end);
    start = m.index + m[0].length;
  }
  push(start, text.length);
  return out;
}

/** What the detector finds in a text: the kinds seen and each sentence that shows them, word for word, in order. */
export function textShows(text: string | null | undefined): { kinds: string[]; sentences: string[] } {
  if (!text) return { kinds: [], sentences: [] };
  const found = detectDampMould(text);
  if (!found.flagged) return { kinds: [], sentences: [] };
  const ranges = sentenceRanges(text);
  const picked = new Set<number>();
  for (const e of found.evidence) {
    const i = ranges.findIndex(([s, end]) => e.start < end && e.end > s);
    if (i >= 0) picked.add(i);
  }
  return {
    kinds: [...new Set(found.evidence.map((e) => e.kind))],
    sentences: [...picked].sort((a, b) => a - b).map((i) => text.slice(ranges[i]![0], ranges[i]![1])),
  };
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

/** Kinds named by a damp and mould trade, for a job found by its code alone. */
function tradeKinds(trade: string | null | undefined): string[] {
  const t = (trade ?? '').toLowerCase();
  const kinds = [/\bdamp\b/.test(t) && 'damp', /\bmou?ld\b/.test(t) && 'mould', /\bcondensation\b/.test(t) && 'condensation'].filter((k): k is string => !!k);
  return kinds.length ? kinds : ['damp', 'mould'];
}

/** A repair shows damp or mould by its words (description, location) or by a damp and mould SOR code or trade. */
export function repairShows(r: Pick<Repair, 'description' | 'location' | 'trade' | 'sorCode'>): Shown | null {
  const text = textShows([r.description, r.location].filter((s) => s && s.trim()).join('\n'));
  const sor = r.sorCode?.replace(/\s+/g, '') ?? '';
  const byCode = DAMP_MOULD_SOR_PREFIXES.some((p) => sor.startsWith(p));
  const byTrade = !sor.startsWith(DAMP_MOULD_SOR_SECTION) && !!r.trade && DAMP_MOULD_TRADE.test(r.trade);
  if (!text.sentences.length && !byCode && !byTrade) return null;
  const codeLines = [byCode && `SOR code: ${sor}${r.trade?.trim() ? ` (${r.trade.trim()})` : ''}`, byTrade && `Trade: ${r.trade!.trim()}`].filter((s): s is string => !!s);
  return {
    basis: [...(text.sentences.length ? ['text' as const] : []), ...(codeLines.length ? ['code' as const] : [])],
    kinds: text.kinds.length ? text.kinds : tradeKinds(byTrade ? r.trade : null),
    evidence: [...text.sentences, ...codeLines],
  };
}

/** A note shows damp or mould by its words. */
export function noteShows(n: Pick<Note, 'text'>): Shown | null {
  const text = textShows(n.text);
  return text.sentences.length ? { basis: ['text'], kinds: text.kinds, evidence: text.sentences } : null;
}

export interface HazardReportFacts {
  id: string;
  homeId: string;
  hazard: string;
  severity: string;
  description: string | null;
  reportedAt: Date | string | null;
}

/** A hazard report shows damp or mould when it is for the HHSRS damp and mould hazard, or when its words do. */
export function hazardShows(h: Pick<HazardReportFacts, 'hazard' | 'severity' | 'description'>): Shown | null {
  const text = textShows(h.description);
  const isDamp = h.hazard === DAMP_MOULD_HAZARD;
  if (!isDamp && !text.sentences.length) return null;
  return {
    basis: [...(text.sentences.length ? ['text' as const] : []), ...(isDamp ? ['hazard' as const] : [])],
    kinds: text.kinds.length ? text.kinds : ['damp', 'mould'],
    evidence: [...text.sentences, ...(isDamp ? [`HHSRS hazard: damp and mould growth (${h.severity})`] : [])],
  };
}

/** The UK calendar date of a moment (a note written at 00:30 BST is that day's). */
export function ukDay(at: Date | string | null | undefined): string | null {
  if (!at) return null;
  const d = at instanceof Date ? at : new Date(at);
  return Number.isNaN(d.getTime()) ? null : ukDate(d);
}

// ---- from records to signals ----

/** A repair whose home matched nothing still gives its sign, with no home ("not yet linked to a home"). */
function repairSignals(rows: Repair[]): DampSignal[] {
  return rows.flatMap((r) => {
    const shown = repairShows(r);
    return shown ? [{ ...shown, sourceKind: 'repair' as const, sourceId: r.id, homeId: r.homeId ?? null, observedOn: r.reportedDate }] : [];
  });
}

const current = (start: string | null | undefined, end: string | null | undefined, today: string) => (!start || start <= today) && (!end || end >= today);

/**
 * Where each of these people lives now: the home of their newest current tenancy (their membership current too), else
 * the home a source system gives them. People with neither are absent.
 */
async function currentHomesOf(ctx: Ctx, personIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!personIds.length) return out;
  const wanted = new Set(personIds);
  const today = ukDay(new Date())!;
  for (const t of await tenancyService.forPeople(ctx, personIds)) { // newest first
    if (!current(t.startDate, t.endDate, today)) continue;
    for (const m of t.members) if (wanted.has(m.personId) && !out.has(m.personId) && current(m.startDate, m.endDate, today)) out.set(m.personId, t.homeId);
  }
  const rest = personIds.filter((id) => !out.has(id));
  for (const p of await personRecords.getMany(ctx, rest)) if (p.homeId) out.set(p.id, p.homeId);
  return out;
}

/** The home each note is about: its own, its tenancy's, or its person's current home. Notes with none are absent. */
async function homesOfNotes(ctx: Ctx, notes: Note[]): Promise<Map<string, string>> {
  const tenancyIds = unique(notes.flatMap((n) => (!n.homeId && n.tenancyId ? [n.tenancyId] : [])));
  const personIds = unique(notes.flatMap((n) => (!n.homeId && !n.tenancyId && n.personId ? [n.personId] : [])));
  const [ofTenancy, ofPerson] = await Promise.all([
    tenancyIds.length ? tenancyService.homesOf(ctx, tenancyIds) : new Map<string, string>(),
    currentHomesOf(ctx, personIds),
  ]);
  const out = new Map<string, string>();
  for (const n of notes) {
    const home = n.homeId ?? (n.tenancyId ? ofTenancy.get(n.tenancyId) : n.personId ? ofPerson.get(n.personId) : undefined);
    if (home) out.set(n.id, home);
  }
  return out;
}

async function noteSignals(ctx: Ctx, rows: Note[]): Promise<DampSignal[]> {
  // Words first: only the notes that show damp need their home worked out.
  const shown = rows.flatMap((n) => { const s = noteShows(n); return s ? [{ n, s }] : []; });
  if (!shown.length) return [];
  const homes = await homesOfNotes(ctx, shown.map((x) => x.n));
  return shown.flatMap(({ n, s }) => {
    // A note whose subject matched nothing keeps its sign with no home, like a repair; one about a person with no
    // known home has none.
    const unmatched = !n.homeId && !n.tenancyId && !n.personId;
    const homeId = homes.get(n.id) ?? null;
    return homeId || unmatched ? [{ ...s, sourceKind: 'note' as const, sourceId: n.id, homeId, observedOn: ukDay(n.notedAt) }] : [];
  });
}

function hazardSignals(rows: HazardReportFacts[]): DampSignal[] {
  return rows.flatMap((h) => {
    const shown = h.homeId ? hazardShows(h) : null;
    return shown ? [{ ...shown, sourceKind: 'hazard-report' as const, sourceId: h.id, homeId: h.homeId, observedOn: ukDay(h.reportedAt) }] : [];
  });
}

// ---- writing ----

/** Delete the signals of these source records: one statement, an index lookup each. */
async function deleteSignals(tx: Db, organisationId: string, kind: SignalSource, sourceIds: readonly string[]): Promise<void> {
  if (!sourceIds.length) return;
  const t = dampMouldSignals;
  await tx.execute(sql`delete from ${t} where ${t.organisationId} = ${organisationId} and ${t.sourceKind} = ${kind}
    and ${t.sourceId} = any(${sql.param([...sourceIds])}::uuid[])`);
}

/**
 * Write these signals, and (given `replacing`, the source records written) delete the signals of those records that
 * no longer show damp: one statement each. A row that is already right is left untouched, so a re-run writes nothing.
 */
/**
 * Recount a landlord's figures into damp_mould_counts after its signals changed. A lock per landlord makes writers
 * recount one after another, so each count is taken after the previous writer committed and none is lost.
 */
export async function recountDampMould(tx: Db, organisationId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`damp-mould-counts:${organisationId}`}))`);
  await tx.execute(sql`insert into damp_mould_counts as c (organisation_id, homes, signals)
    select ${organisationId}::uuid, count(distinct home_id)::int, count(*)::int from damp_mould_signals where organisation_id = ${organisationId}
    on conflict (organisation_id) do update set homes = excluded.homes, signals = excluded.signals, counted_at = excluded.counted_at
    where (c.homes, c.signals) is distinct from (excluded.homes, excluded.signals)`);
}

async function putSignals(tx: Db, organisationId: string, kind: SignalSource, signals: DampSignal[], replacing: readonly string[] = []): Promise<void> {
  await writeSignals(tx, organisationId, kind, signals, replacing);
  await recountDampMould(tx, organisationId);
}

async function writeSignals(tx: Db, organisationId: string, kind: SignalSource, signals: DampSignal[], replacing: readonly string[]): Promise<void> {
  const keep = new Set(signals.map((s) => s.sourceId));
  await deleteSignals(tx, organisationId, kind, replacing.filter((id) => !keep.has(id)));
  if (!signals.length) return;
  const rows = signals.map((s) => [organisationId, uuidv7(), s.homeId, kind, s.sourceId, s.basis.join(','), s.kinds.join(','), s.evidence.join('\n'), s.observedOn]);
  for (let i = 0; i < rows.length; i += 5000) {
    await tx.execute(sql`insert into damp_mould_signals as d (organisation_id, id, home_id, source_kind, source_id, basis, kinds, evidence, observed_on)
      values ${valueRows(rows.slice(i, i + 5000), ['uuid', 'uuid', 'uuid', 'text', 'uuid', 'text', 'text', 'text', 'date'])}
      on conflict (organisation_id, source_kind, source_id) do update set home_id = excluded.home_id, basis = excluded.basis, kinds = excluded.kinds,
        evidence = excluded.evidence, observed_on = excluded.observed_on, detected_at = excluded.detected_at
      where (d.home_id, d.basis, d.kinds, d.evidence, d.observed_on) is distinct from (excluded.home_id, excluded.basis, excluded.kinds, excluded.evidence, excluded.observed_on)`);
  }
}

const systemCtx = (tx: Db, organisationId: string): Ctx => ({ actor: systemActor(organisationId, 'damp and mould signals'), tx });

// ---- the subscriber ----

async function repairsWritten(tx: Db, organisationId: string, ids: readonly string[]): Promise<void> {
  const ctx = systemCtx(tx, organisationId);
  await putSignals(tx, organisationId, 'repair', repairSignals(await repairRecords.getMany(ctx, ids)), ids);
}

async function notesWritten(tx: Db, organisationId: string, ids: readonly string[]): Promise<void> {
  const ctx = systemCtx(tx, organisationId);
  await putSignals(tx, organisationId, 'note', await noteSignals(ctx, await noteRecords.getMany(ctx, ids)), ids);
}

async function hazardReportsWritten(tx: Db, organisationId: string, ids: readonly string[]): Promise<void> {
  const ctx = systemCtx(tx, organisationId);
  await putSignals(tx, organisationId, 'hazard-report', hazardSignals(await hazardRecords.getMany(ctx, [...ids])), ids);
}

const WRITTEN: Readonly<Record<string, (tx: Db, organisationId: string, ids: readonly string[]) => Promise<void>>> = {
  repair: repairsWritten, note: notesWritten, 'hazard-report': hazardReportsWritten,
};

/**
 * Update the signals for a batch of events (any organisations): grouped by organisation and kind, each group's
 * records (each once, however many events it had) read and their signals written as that organisation
 * (row-level security applies), in the relay's transaction.
 */
export async function dampSignalsFor(tx: Db, batch: readonly StoredEvent[]): Promise<void> {
  const groups = new Map<string, { organisationId: string; kind: string; ids: Set<string> }>();
  for (const e of batch) {
    if (!(e.entityKind in WRITTEN)) continue;
    const key = `${e.organisationId}/${e.entityKind}`;
    const g = groups.get(key) ?? groups.set(key, { organisationId: e.organisationId, kind: e.entityKind, ids: new Set() }).get(key)!;
    g.ids.add(e.subject);
  }
  for (const g of groups.values()) await asOrganisation(tx, g.organisationId, (otx) => WRITTEN[g.kind]!(otx, g.organisationId, [...g.ids]));
}

/** What keeps the signals up to date as repairs, notes and hazard reports are written (the manifest's subscribers). */
export const dampSignalSubscriber: Subscriber = {
  name: 'damp-signals',
  types: ['uk.hearth.repair.', 'uk.hearth.note.', 'uk.hearth.hazard-report.'],
  handle: dampSignalsFor,
  // The register and its counts are read right after an import: it waits for them.
  beforeImportCompletes: true,
};

// ---- rescan ----

const CHUNK = 5000;

export interface RescanResult { repairs: number; notes: number; hazardReports: number; signals: number; millis: number }

/**
 * Work out every signal of the organisation again from all its repairs, notes and hazard reports: for data written
 * before the signals were kept, data COPYed in directly (the demo), or a change of rules. Signals of records that no
 * longer exist or no longer show damp are removed; rows already right are left alone.
 */
export async function rescanDampSignals(ctx: Ctx): Promise<RescanResult> {
  if (!can(ctx.actor.role, 'records:write')) throw forbidden();
  const t0 = performance.now();
  const org = ctx.actor.organisationId;
  const result = { repairs: 0, notes: 0, hazardReports: 0, signals: 0 };
  /** Write a kind's signals, then remove the rest of that kind's rows (records changed, or gone). */
  const kindDone = async (kind: SignalSource, flagged: string[]) => {
    const t = dampMouldSignals;
    const keep = new Set(flagged);
    const stored = (await ctx.tx.execute(sql`select ${t.sourceId} as source_id from ${t} where ${t.organisationId} = ${org} and ${t.sourceKind} = ${kind}`)).rows as { source_id: string }[];
    await deleteSignals(ctx.tx, org, kind, stored.map((r) => r.source_id).filter((id) => !keep.has(id)));
    result.signals += flagged.length;
  };
  /** Records in id order, a chunk at a time, each chunk's signals written as one statement. */
  const scan = async <R extends { id: string }>(kind: SignalSource, read: (after: string | null) => Promise<R[]>, signalsOf: (rows: R[]) => Promise<DampSignal[]> | DampSignal[]) => {
    const flagged: string[] = [];
    let n = 0;
    for (let after: string | null = null; ;) {
      const rows = await read(after);
      const signals = await signalsOf(rows);
      await writeSignals(ctx.tx, org, kind, signals, []);
      flagged.push(...signals.map((s) => s.sourceId));
      n += rows.length;
      if (rows.length < CHUNK) break;
      after = rows[rows.length - 1]!.id;
    }
    await kindDone(kind, flagged);
    return n;
  };
  result.repairs = await scan('repair', (after) => repairsInIdOrder(ctx, after, CHUNK), repairSignals);
  result.notes = await scan('note', (after) => notesInIdOrder(ctx, after, CHUNK), (rows) => noteSignals(ctx, rows));
  // Hazard reports are few (one per reported hazard): read at once.
  result.hazardReports = await scan('hazard-report', async (after) => (after ? [] : hazardRecords.find(ctx, sql`true`, 1_000_000)), hazardSignals);
  await recountDampMould(ctx.tx, org);
  return { ...result, millis: Math.round(performance.now() - t0) };
}
