// The single view: a home, a person or a block with everything Hearth knows about it, composed from the
// homes, people, tenancies, repairs and notes services in one transaction. Alert reads are audited by the people service.
// The Person page reads in a fixed number of statements, however many records are linked into the person (ids go as
// arrays to each service; test/api/person-timeline.test.ts counts them).
import type { Ctx } from '../../platform/records/context.ts';
import { blockRecords, estateRecords, homeRecords, homesOfBlock, homeJsonSql, type Home } from '../homes/index.ts';
import { personRecords, alertService, personJsonSql, auditedActiveAlertsCtes, displayPhone, editsOfPeople, fullName, type Person, type PersonAlert, type PostalAddress } from '../people/index.ts';
import { tenancyService, tenanciesOfPersonJsonSql, memberChanges, MEMBER_ROLES, type MemberChange, type TenancyWithMembers } from '../tenancies/index.ts';
import { repairsOfHome, repairsOfHomes } from '../repairs/index.ts';
import { notesAbout, notesAboutAny, type Note } from '../notes/index.ts';
import { hazardsOfHome } from '../hazards/index.ts';
import { blockAssessment } from '../insight/index.ts';
import { sql } from 'drizzle-orm';
import { can } from '../../platform/auth/roles.ts';
import { executePrepared, prepare } from '../../platform/db/store.ts';
import { forbidden, notFound } from '../../platform/http/problem.ts';
import { referencesJsonSql } from '../../platform/provenance/service.ts';
import { placeholderActor, actorValues } from '../../platform/audit/service.ts';
import { isLinkedSql, linkedPersonIdsSql, linkedRecordsJsonSql, sourceRankingJsonSql, survive, goldenRecord, linkedHomes, type LinkedRecord, type SourceRanking } from '../linkage/index.ts';
import { changesToRecords } from '../../platform/provenance/changes.ts';
import { govukDate } from '../../platform/uk-time.ts';

export interface Household {
  tenancy: TenancyWithMembers;
  members: { person: Person; role: string; relationship: string | null | undefined; endDate: string | null; alerts: PersonAlert[] | undefined }[];
}

async function household(ctx: Ctx, tenancy: TenancyWithMembers | undefined): Promise<Household | undefined> {
  if (!tenancy) return undefined;
  const ids = tenancy.members.map((m) => m.personId);
  const [people, alerts] = [await personRecords.getMany(ctx, ids), await alertService.activeFor(ctx, ids)];
  return {
    tenancy,
    members: tenancy.members.map((m) => ({
      person: people.find((p) => p.id === m.personId)!,
      role: m.role,
      relationship: m.relationship,
      /** The day they left (or will leave), if recorded. */
      endDate: m.endDate ?? null,
      alerts: alerts?.filter((a) => a.personId === m.personId),
    })).filter((m) => m.person),
  };
}

/** A tenancy that has started and not ended. */
const isCurrent = (t: { startDate: string; endDate: string | null }) => {
  const today = new Date().toISOString().slice(0, 10);
  return t.startDate <= today && (!t.endDate || t.endDate >= today);
};

export async function homeView(ctx: Ctx, id: string) {
  const home = await homeRecords.get(ctx, id);
  const [block] = home.blockId ? await blockRecords.getMany(ctx, [home.blockId]) : [];
  const [estate] = home.estateId ? await estateRecords.getMany(ctx, [home.estateId]) : [];
  const tenancies = await tenancyService.forHome(ctx, id);
  const current = tenancies.find(isCurrent);
  const people = await household(ctx, current);
  return {
    home, block, estate, current: people, past: tenancies.filter((t) => t !== current),
    alertsVisible: can(ctx.actor.role, 'alerts:read'),
    /** Newest first, every word of each description. */
    repairs: await repairsOfHome(ctx, id),
    /** Notes about the home and about its current tenancy, newest first. */
    notes: await notesAbout(ctx, { homeId: id, tenancyId: current?.id }),
    /** Record linkage: the same home as other systems hold it. */
    sameHome: await linkedHomes(ctx, id),
    /** Hazard reports (Awaab's Law), newest first, each with its most pressing deadline status. */
    hazards: await hazardsOfHome(ctx, id),
    /** Who joined or left the home's tenancies, newest first, with who recorded it and when. */
    recentChanges: await tenancyChangeEvents(ctx, await memberChanges(ctx, { tenancyIds: tenancies.map((t) => t.id) }, 10), tenancies,
      (people?.members ?? []).map((m) => m.person), undefined),
  };
}

/** Contact details of a person linked across records: each way to reach them once, from the most trusted record first. */
export interface PersonContact { system: 'phone' | 'email'; value: string; use?: string; sourceSystem: string; sourceId: string }

/**
 * The source records of one person, most trusted first, as survivorship orders them (source system ranking, then the
 * most recently seen, then the most complete, then by id): whichever record the page was opened from.
 */
function byTrust(records: LinkedRecord[], ranking: string[]): LinkedRecord[] {
  const filled = (r: LinkedRecord) => Object.values(r.values ?? {}).filter((v) => v !== null && v !== '' && !(Array.isArray(v) && !v.length)).length;
  const rank = (r: LinkedRecord) => { const i = ranking.indexOf(r.sourceSystem); return i < 0 ? Infinity : i; };
  return [...records].sort((x, y) => rank(x) - rank(y) || (y.lastSeenAt ?? '').localeCompare(x.lastSeenAt ?? '') || filled(y) - filled(x) || (x.id < y.id ? -1 : 1));
}

/** The phone numbers and emails of every record, each once (the same number however it is written), phones as people write them. */
function contactsOf(records: LinkedRecord[]): PersonContact[] {
  const out: (PersonContact & { key: string })[] = [];
  for (const r of records) {
    for (const c of r.values?.contactPoints ?? []) {
      const key = c.system === 'phone' ? `phone:${c.value.replace(/\D/g, '').replace(/^(0044|44|0)/, '')}` : `email:${c.value.trim().toLowerCase()}`;
      if (out.some((x) => x.key === key)) continue;
      out.push({ key, system: c.system, value: c.system === 'phone' ? displayPhone(c.value) : c.value, ...(c.use ? { use: c.use } : {}), sourceSystem: r.sourceSystem, sourceId: r.sourceId });
    }
  }
  // Phones first, then emails, each in the order of trust.
  return [...out.filter((c) => c.system === 'phone'), ...out.filter((c) => c.system === 'email')].map(({ key: _k, ...c }) => c);
}

/**
 * The Person page: one real person, whichever of their linked source records it was opened from. Every record linked
 * as them gives the same page: the best record (golden record) for the name, date of birth and address, the contact
 * details of all of them, their alerts, tenancies, notes and source records.
 */
export async function personView(ctx: Ctx, id: string) {
  const opened = await personRecords.get(ctx, id);
  // One real person may be several source records (record linkage): the page shows what all of them know.
  const golden = await goldenRecord(ctx, id);
  const ids = [...new Set([...golden.records.map((r) => r.id), id])].sort();
  const [alerts, tenancies] = [await alertService.activeFor(ctx, ids), await tenancyService.forPeople(ctx, ids)];
  const homesById = new Map<string, Home>((await homeRecords.getMany(ctx, [...new Set(tenancies.map((t) => t.homeId))])).map((h) => [h.id, h]));
  const current = tenancies.find(isCurrent);
  const otherIds = (current?.members ?? []).map((m) => m.personId).filter((pid) => !ids.includes(pid));
  // Every read below is one statement whatever the number of linked records (ids go as arrays): the source records
  // and the household's other members together; the notes about any of the records and about the current tenancy.
  const known = await personRecords.getMany(ctx, [...new Set([...golden.records.map((r) => r.id), ...otherIds])]);
  const others = known.filter((p) => otherIds.includes(p.id));
  const notes = await notesAboutAny(ctx, { personIds: ids, tenancyIds: current ? [current.id] : [] });
  // The record that names the person (the golden id), whichever record was opened.
  const person = known.find((p) => p.id === golden.id) ?? opened;
  const trusted = byTrust(golden.records.length ? golden.records : [], golden.sourceRanking);
  const rowsByTrust = trusted.map((r) => known.find((p) => p.id === r.id)).filter((p): p is Person => !!p);
  const value = <T>(field: string, fallback: T): T => ((golden.fields as Record<string, { value: unknown } | undefined>)[field]?.value ?? fallback) as T;
  const address = value<PostalAddress | null>('address', null);
  const contacts = contactsOf(trusted.length ? trusted : [{ id: person.id, sourceSystem: 'hearth', sourceId: person.id, lastSeenAt: null, values: person }]);
  return {
    person,
    /**
     * The record changes are made to: the most trusted (its values win in the best record, so a change shows here),
     * the same whichever record the page was opened from.
     */
    editId: trusted[0]?.id ?? person.id,
    /** The person as the best record has them (each value from its most trusted source), for the heading and summary. */
    display: { ...person, title: value('title', person.title), givenName: value('givenName', person.givenName), middleNames: value('middleNames', person.middleNames),
      familyName: value('familyName', person.familyName), preferredName: value('preferredName', person.preferredName), dateOfBirth: value('dateOfBirth', person.dateOfBirth),
      communicationNeeds: rowsByTrust.map((p) => p.communicationNeeds?.trim()).find(Boolean) ?? person.communicationNeeds ?? null,
      address: address && Object.keys(address).length ? address : null,
      contactPoints: contacts.map(({ system, value: v, use }) => ({ system, value: v, ...(use ? { use } : {}) })) },
    /** Every way to reach the person, once each, phones as people write them, with the record each came from. */
    contacts,
    /** The home of their current tenancy: where letters go when no separate address is recorded. */
    currentHome: current ? homesById.get(current.homeId) : undefined,
    /** undefined: the actor's role may not see alerts (pages say so rather than implying there are none). */
    alerts,
    tenancies: tenancies.map((t) => {
      const member = t.members.find((m) => ids.includes(m.personId));
      return {
        ...t, home: homesById.get(t.homeId), current: t === current,
        role: member?.role ?? 'household-member',
        /** The record of the person that is the member (for "Record that they left"), and the day they left, if they have. */
        memberId: member?.personId, memberEndDate: member?.endDate ?? null,
      };
    }),
    household: (current?.members ?? []).filter((m) => !ids.includes(m.personId))
      .map((m) => ({ person: others.find((p) => p.id === m.personId)!, role: m.role, relationship: m.relationship, endDate: m.endDate ?? null }))
      .filter((m) => m.person),
    /** Notes about any record of the person and about their current tenancy, newest first. */
    notes,
    ...(await linkedView(ctx, current?.homeId, golden, known, notes, { ids, tenancies, names: [person, ...others] })),
  };
}

export interface TimelineEvent {
  /** ISO date or timestamp. */
  at: string;
  /** record: a source record arrived; change: an import changed it; edit: staff (or an API token) changed the person
   * or their alerts; tenancy: someone joined or left a tenancy; note; repair. */
  kind: 'record' | 'change' | 'edit' | 'tenancy' | 'note' | 'repair';
  title: string;
  detail?: string | null;
  href?: string;
  /** Who made the change (edit and tenancy events). */
  by?: string;
}

/**
 * Timeline events for changes to who is in a tenancy: "Joined tenancy T-1 as household member from 1 March 2024 —
 * recorded by Priya Shah" when about the person (`selfIds`), else with the name of who joined or left. Names not in
 * `known` are read in one statement (none when all are known).
 */
async function tenancyChangeEvents(ctx: Ctx, changes: MemberChange[], tenancies: TenancyWithMembers[],
  known: readonly Person[], selfIds: readonly string[] | undefined): Promise<TimelineEvent[]> {
  if (!changes.length) return [];
  const names = new Map(known.map((p) => [p.id, fullName(p)]));
  const missing = [...new Set(changes.map((c) => c.personId))].filter((pid) => pid && !names.has(pid) && !selfIds?.includes(pid));
  if (missing.length) for (const p of await personRecords.getMany(ctx, missing)) names.set(p.id, fullName(p));
  const byId = new Map(tenancies.map((t) => [t.id, t]));
  return changes.map((c) => {
    const t = byId.get(c.tenancyId);
    const tenancy = t ? `tenancy ${t.reference}` : 'a tenancy';
    const self = !!selfIds?.includes(c.personId);
    const who = self ? '' : `${names.get(c.personId) ?? 'Someone'} `;
    const role = (MEMBER_ROLES[c.role] ?? c.role).toLowerCase();
    const what = c.change === 'joined'
      ? `${who}${self ? 'Joined' : 'joined'} ${tenancy} as ${role}${c.date ? ` from ${govukDate(c.date)}` : ''}`
      : `${who}${self ? 'Left' : 'left'} ${tenancy}${c.date ? ` on ${govukDate(c.date)}` : ''}`;
    return { at: c.at.toISOString(), kind: 'tenancy' as const, title: `${what} — recorded by ${c.by}`, by: c.by, ...(t ? { href: `/homes/${t.homeId}` } : {}) };
  });
}

const noteEvent = (n: Note): TimelineEvent => ({
  at: (n.notedAt ?? n.createdAt).toISOString(), kind: 'note', title: `Note${n.noteType ? ` (${n.noteType})` : ''}${n.author ? ` by ${n.author}` : ''}`, detail: n.text,
});

/**
 * Record linkage on the Person page: the golden record (each value with its source), every linked source record,
 * and a timeline of everything known about the person's records — when each arrived, each change an import made,
 * notes about any of them, repairs to their home — newest first.
 *
 * A fixed number of statements however many records are linked or events there are: `rows` (the linked records,
 * read with the household) and `notes` (about any of them) come from personView, and the changes to every record
 * and the repairs to every home are read in one statement each. Events are added in the order they were when each
 * record was read on its own, so events at the same moment still come out in the same order.
 */
async function linkedView(ctx: Ctx, homeId: string | undefined, golden: Awaited<ReturnType<typeof goldenRecord>>, rows: Person[], notes: Note[],
  person: { ids: string[]; tenancies: TenancyWithMembers[]; names: Person[] }) {
  const timeline: TimelineEvent[] = [];
  // What staff (or API tokens) changed, with who and when: edits of any of the person's records (and, for roles that
  // may see alerts, of their alerts), and who joined or left their tenancies. One statement each (two for alerts).
  for (const e of await editsOfPeople(ctx, person.ids, 100)) {
    timeline.push({ at: e.at, kind: 'edit', title: e.title, by: e.by, ...(e.href ? { href: e.href } : {}) });
  }
  const moves = await memberChanges(ctx, { personIds: person.ids, tenancyIds: person.tenancies.map((t) => t.id) }, 100);
  timeline.push(...await tenancyChangeEvents(ctx, moves, person.tenancies, person.names, person.ids));
  const changes = await changesToRecords(ctx, golden.records.map((r) => r.id), 50);
  for (const r of golden.records) {
    const row = rows.find((p) => p.id === r.id);
    if (row) timeline.push({ at: row.createdAt.toISOString(), kind: 'record', title: `Record ${r.sourceSystem} ${r.sourceId} added` });
    for (const c of changes.filter((x) => x.recordId === r.id)) {
      timeline.push({ at: c.changedAt.toISOString(), kind: 'change', title: `An import from ${r.sourceSystem} changed ${c.field}`, detail: `${c.oldValue ?? 'nothing'} → ${c.newValue ?? 'nothing'}` });
    }
    for (const n of notes.filter((x) => x.personId === r.id)) timeline.push(noteEvent(n));
  }
  const homeIds = [...new Set([homeId, ...golden.records.map((r) => r.values.homeId)].filter((h): h is string => !!h))];
  const repairs = await repairsOfHomes(ctx, homeIds);
  for (const h of homeIds) {
    for (const job of repairs.filter((j) => j.homeId === h)) {
      const at = job.completedDate ?? job.reportedDate;
      if (at) timeline.push({ at, kind: 'repair', title: `Repair ${job.jobReference}${job.status ? ` (${job.status})` : ''}`, detail: job.description, href: `/homes/${h}` });
    }
  }
  timeline.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { golden, linkedRecords: golden.records, timeline: timeline.slice(0, 200) };
}
export type PersonView = Awaited<ReturnType<typeof personView>>;

/** A person linked with no other record is its own only source record: built from its API JSON, no extra reads. */
function ownRecord(person: Record<string, unknown>): LinkedRecord {
  const ref = (person.sourceReferences as { system: string; id: string }[] | undefined)?.[0];
  const pick = (k: string) => (person[k] ?? null) as never;
  return { id: person.id as string, sourceSystem: ref?.system ?? 'hearth', sourceId: ref?.id ?? (person.id as string), lastSeenAt: null,
    values: { title: pick('title'), givenName: pick('givenName'), middleNames: pick('middleNames'), familyName: pick('familyName'),
      preferredName: pick('preferredName'), dateOfBirth: pick('dateOfBirth'), contactPoints: pick('contactPoints'), address: pick('address'), homeId: pick('homeId'),
      communicationNeeds: pick('communicationNeeds') } };
}

export async function blockView(ctx: Ctx, id: string) {
  const block = await blockRecords.get(ctx, id);
  const [estate] = block.estateId ? await estateRecords.getMany(ctx, [block.estateId]) : [];
  const blockHomes = await homesOfBlock(ctx, id);
  blockHomes.sort((a, b) => (a.floor ?? 0) - (b.floor ?? 0) || (a.subBuilding ?? '').localeCompare(b.subBuilding ?? '', 'en-GB', { numeric: true }));
  // Whether it is a higher-risk building is the register's answer (insight owns the rule), never worked out here.
  return { block, estate, homes: blockHomes, higherRisk: await blockAssessment(ctx, id) };
}

/**
 * The person as the API returns it — golden record, source references, tenancies with homes and, for roles that
 * may see them, active alerts — in ONE statement, which also audits each alert read (a data-modifying CTE).
 * This is the busiest read in Hearth, so the statement is compiled once and prepared once per connection;
 * each module supplies the SQL for its own table.
 */
const personApiStatements = (() => {
  const org = sql`${sql.placeholder('org')}::uuid`;
  const pid = sql`${sql.placeholder('id')}::uuid`;
  const person = personJsonSql(org, pid, referencesJsonSql(org, pid));
  // Alerts and tenancies of every record linked as this person, as the Person page shows them.
  const everyRecord = linkedPersonIdsSql(org, pid);
  const tenancies = tenanciesOfPersonJsonSql(org, everyRecord, (homeId) => homeJsonSql(org, homeId));
  // Record linkage: the source records linked with this one, and the source ranking their golden record uses — only
  // for a person linked with others (one index probe otherwise; the record alone is built from the person JSON).
  // The probe runs once for both columns (offset 0 keeps the planner from copying it into each).
  const linked = sql`case when l.is_linked then ${linkedRecordsJsonSql(org, pid)} end as linked,
    case when l.is_linked then ${sourceRankingJsonSql(org)} end as ranking`;
  const linkedProbe = sql`from (select ${isLinkedSql(org, pid)} as is_linked offset 0) l`;
  return {
    withAlerts: prepare('person_api_view_with_alerts', sql`with ${auditedActiveAlertsCtes(org, everyRecord, placeholderActor)}
      select ${person} as person, ${tenancies} as tenancies, (select coalesce(json_agg(alert), '[]'::json) from alerts) as alerts, ${linked}
      ${linkedProbe}`),
    withoutAlerts: prepare('person_api_view', sql`select ${person} as person, ${tenancies} as tenancies, ${linked} ${linkedProbe}`),
  };
})();

export async function personApiView(ctx: Ctx, id: string): Promise<Record<string, unknown>> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const withAlerts = can(ctx.actor.role, 'alerts:read');
  const [row] = await executePrepared<{ person: Record<string, unknown> | null; tenancies: unknown[]; alerts?: unknown[]; linked: LinkedRecord[] | null; ranking: SourceRanking | null }>(
    ctx.tx, withAlerts ? personApiStatements.withAlerts : personApiStatements.withoutAlerts,
    { org: ctx.actor.organisationId, id, ...actorValues(ctx.actor) });
  if (!row?.person) throw notFound('person');
  const linked = row.linked ?? [ownRecord(row.person)];
  const { id: goldenId, fields } = survive(linked, row.ranking);
  // Every way to reach the person that any linked record gives, once each, with the record it came from.
  const contacts: { system: string; value: string; use?: string; personId: string; sourceSystem: string; sourceId: string }[] = [];
  for (const r of linked) {
    for (const c of r.values.contactPoints ?? []) {
      if (contacts.some((x) => x.system === c.system && x.value === c.value)) continue;
      contacts.push({ ...c, personId: r.id, sourceSystem: r.sourceSystem, sourceId: r.sourceId });
    }
  }
  return {
    ...row.person, tenancies: row.tenancies, ...(withAlerts ? { alerts: row.alerts } : {}), contacts,
    golden: { id: goldenId, fields },
    linkedRecords: linked.map((r) => ({ id: r.id, sourceSystem: r.sourceSystem, sourceId: r.sourceId, lastSeenAt: r.lastSeenAt, values: r.values })),
  };
}
