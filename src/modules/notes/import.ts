// Loading notes from files: every word of the text kept. A note is about the one subject its row names, in this
// order: the subject type and reference columns, else the person, else the tenancy, else the home. People and
// tenancies are matched among those loaded from the same source (tenancies also by their reference), homes exactly
// through the homes module. A note whose subject matches nothing still loads, keeping what it named, and is listed
// for review: never attached to a guess.
import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/store.ts';
import { getTableName } from 'drizzle-orm';
import { bulkColumns, bulkUpsert } from '../../platform/records/bulk.ts';
import { keptColumns, translateCode, unknownCode, type Fields, type KindLoader, type LoadResult, type RowProblem } from '../../platform/records/load.ts';
import { addressLinesOf, matchHomes, type HomeMatch, type HomeNamed, homeNamed, homeNotMatched, keepingHomeLink } from '../homes/index.ts';
import { peopleBySourceId } from '../people/index.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { tenanciesByReference } from '../tenancies/index.ts';
import { NOTE_SUBJECT_KINDS, type NoteSubjectKind } from './codes.ts';
import { notes } from './schema.ts';

const SUBJECT_SYNONYMS: Record<NoteSubjectKind, string[]> = {
  person: ['people', 'customer', 'cust', 'client', 'contact', 'tenant', 'resident', 'individual', 'party', 'occupant', 'applicant'],
  home: ['property', 'prop', 'dwelling', 'unit', 'asset', 'place', 'address', 'homes', 'properties'],
  tenancy: ['tenancies', 'tenancy agreement', 'agreement', 'account', 'rent account', 'tenancy account'],
};

/**
 * Columns (names and types from the notes table, schema.ts): those always written, and those written only when the
 * file maps their field; each filled from the value of its name, except the time noted: from the file's date.
 */
const ALWAYS = { always: true } as const;
const NOTE_COLUMNS = bulkColumns<typeof notes, { always?: true; from?: string }>(notes, ['subjectKind', 'personId', 'homeId', 'tenancyId', 'subjectNamed', 'noteType', 'author', 'notedAt', 'text'],
  { subjectKind: ALWAYS, personId: ALWAYS, homeId: ALWAYS, tenancyId: ALWAYS, subjectNamed: ALWAYS, notedAt: { from: 'date' }, text: ALWAYS });
const SUBJECT_FIELDS = ['subjectReference', 'personSourceId', 'tenancyReference', 'homeReference', 'uprn'] as const;

const s = (v: unknown) => (typeof v === 'string' && v ? v : null);

/** The subject a row names, as written (the key's part; kinds as written, any case). */
function subjectWritten(f: Fields): string | null {
  const kind = s(f.subjectKind);
  const ref = s(f.subjectReference);
  if (kind && ref) return `${kind.toLowerCase()}:${ref}`;
  if (s(f.personSourceId)) return `person:${f.personSourceId}`;
  if (s(f.tenancyReference)) return `tenancy:${f.tenancyReference}`;
  if (s(f.homeReference)) return `home:${f.homeReference}`;
  if (s(f.uprn)) return `uprn:${f.uprn}`;
  return null;
}

/**
 * The note's identity in its source: its reference, else the first 24 hex digits of a SHA-256 of what it is about,
 * its date and its text (the same note in the next extract has the same key).
 */
export function noteKey(f: Fields): string | null {
  const id = s(f.sourceId);
  if (id) return id;
  const text = s(f.text);
  if (!text) return null;
  return createHash('sha256').update(`${subjectWritten(f) ?? ''}\n${s(f.date) ?? ''}\n${text}`).digest('hex').slice(0, 24);
}

type Subject =
  | { kind: 'person'; ref: string; field: string }
  | { kind: 'tenancy'; ref: string; field: string }
  | { kind: 'home'; home: HomeNamed; field: string | null; match?: HomeMatch };

export const notesLoader: KindLoader = {
  key: noteKey,
  required: ['text'],
  async load(tx: Db, ctx, rows) {
    const results: LoadResult[] = rows.map(() => ({ outcome: 'unchanged' }));
    // What each row is about, as named.
    const subjects = rows.map((r, i): Subject | null => {
      const f = r.fields;
      const kindWritten = s(f.subjectKind);
      const ref = s(f.subjectReference);
      if (kindWritten && ref) {
        const problems: RowProblem[] = [];
        const c = translateCode(kindWritten, NOTE_SUBJECT_KINDS, SUBJECT_SYNONYMS, ctx.values.subjectKind);
        if (c === undefined || !Object.hasOwn(NOTE_SUBJECT_KINDS, c)) problems.push(unknownCode(ctx, 'subjectKind', kindWritten, NOTE_SUBJECT_KINDS));
        if (problems.length) { results[i] = { outcome: 'rejected', problems }; return null; }
        const kind = c as NoteSubjectKind;
        return kind === 'home' ? { kind, home: { reference: ref, uprn: /^\d{1,12}$/.test(ref) ? ref : null }, field: 'subjectReference' }
          : { kind, ref, field: 'subjectReference' } as Subject;
      }
      if (s(f.personSourceId)) return { kind: 'person', ref: s(f.personSourceId)!, field: 'personSourceId' };
      if (s(f.tenancyReference)) return { kind: 'tenancy', ref: s(f.tenancyReference)!, field: 'tenancyReference' };
      // A home named by reference, UPRN or only its address (address lines or parts within a postcode).
      if (s(f.homeReference) || s(f.uprn) || s(f.postcode) || addressLinesOf(f).length) return { kind: 'home', home: homeNamed(f), field: null };
      const columns = [...(ref || kindWritten ? ['subjectKind'] : []), ...SUBJECT_FIELDS].map((x) => ctx.columnOf(x)).filter((c): c is string => !!c);
      results[i] = { outcome: 'rejected', problems: [{ column: columns[0] ?? null, value: ref ?? kindWritten, rule: 'required-missing',
        message: ref && !kindWritten ? `${ctx.columnOf('subjectKind') ?? ctx.columnOf('subjectReference')}: the note names ${ref} but not whether it is a person, a home or a tenancy, and notes need to say what they are about`
          : `${columns.join(', ')}: the note names nothing it is about (a person, a home or a tenancy), and notes need it` }] };
      return null;
    });

    const refsOf = (kind: 'person' | 'tenancy') => subjects.flatMap((x) => (x && x.kind !== 'home' && x.kind === kind ? [x.ref] : []));
    // The loader reads other modules' records as Hearth's import (services take a context: actor and transaction).
    const as = { actor: systemActor(ctx.organisationId, 'import'), tx };
    const people = await peopleBySourceId(as, ctx.sourceSystem, refsOf('person'));
    const tenancies = await tenanciesByReference(as, ctx.sourceSystem, refsOf('tenancy'));
    const homeSubjects = subjects.filter((x): x is Extract<Subject, { kind: 'home' }> => x?.kind === 'home');
    const homeMatches = await matchHomes(as, homeSubjects.map((x) => x.home));
    homeSubjects.forEach((x, k) => { x.match = homeMatches[k]; });

    const columns = NOTE_COLUMNS.filter((c) => c.always || ctx.mapped.has(c.from ?? c.field));
    const loading: number[] = [];
    const bulkRows = rows.flatMap((r, i) => {
      const subject = subjects[i];
      if (!subject) return [];
      const f = r.fields;
      const ids = { personId: null as string | null, homeId: null as string | null, tenancyId: null as string | null };
      let named: string | null = null;
      const review: RowProblem[] = [];
      if (subject.kind === 'person') {
        ids.personId = people.get(subject.ref) ?? null;
        if (!ids.personId) {
          named = `person reference ${subject.ref}`;
          const column = ctx.columnOf(subject.field);
          review.push({ column, value: subject.ref, rule: 'person-not-matched',
            message: `${column ?? subject.field}: no person ${subject.ref} has been loaded from ${ctx.sourceSystem}, so the note is kept unattached; load the people file first, then this file again` });
        }
      } else if (subject.kind === 'tenancy') {
        const found = tenancies.get(subject.ref) ?? [];
        if (found.length === 1) ids.tenancyId = found[0]!;
        else {
          named = `tenancy reference ${subject.ref}`;
          const column = ctx.columnOf(subject.field);
          review.push({ column, value: subject.ref, rule: 'tenancy-not-matched',
            message: `${column ?? subject.field}: ${found.length ? `${found.length} tenancies have the reference ${subject.ref}` : `no tenancy ${subject.ref} is known`}, so the note is kept unattached; load the tenancies first, or correct the reference` });
        }
      } else {
        const m = subject.match!;
        ids.homeId = m.homeId;
        if (!m.homeId) {
          named = m.named;
          const problem = homeNotMatched(ctx, m.named, m.reason);
          review.push(subject.field ? { ...problem, column: ctx.columnOf(subject.field) } : problem);
        }
      }
      if (review.length) results[i]!.review = review;
      loading.push(i);
      const date = s(f.date);
      const values: Fields = { ...f, subjectKind: subject.kind, ...ids, subjectNamed: named, date: date ? `${date}T00:00:00Z` : null };
      return [{ row: r.row, sourceId: noteKey(f)!, values: columns.map((c) => values[c.from ?? c.field] ?? null), keep: keptColumns(columns, subject.kind === 'home' ? keepingHomeLink(r.leftOut, !!ids.homeId, ['homeId', 'subjectNamed']) : r.leftOut) }];
    });
    const out = await bulkUpsert(tx, { organisationId: ctx.organisationId, sourceSystem: ctx.sourceSystem, importId: ctx.importId, rows: bulkRows,
      spec: { kind: 'note', table: getTableName(notes), columns: columns.map(({ column, type, field }) => ({ column, type, field })) } });
    out.outcomes.forEach((o, k) => { results[loading[k]!]!.outcome = o; });
    return results;
  },
};
