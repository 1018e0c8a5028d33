// The fields a file of notes can give. Loaded by import.ts.
import { importField as f, type ImportKind } from '../../platform/records/load.ts';
import { ADDRESS, HOME_REFERENCE, UPRN } from '../homes/index.ts';
import { PERSON_SOURCE_ID } from '../people/index.ts';
import { notes } from './schema.ts';

/** An import kind without its loader (the manifest adds it). */
type ImportKindFields = Omit<ImportKind, 'loader'>;

export const NOTES_IMPORT: ImportKindFields = {
  kind: 'notes', label: 'Notes',
  fields: [
    f('sourceId', 'Note reference', 'code', ['note ref', 'note id', 'note reference', 'note number', 'note no', 'ref', 'reference', 'id',
      // Complaints, ASB cases and contact logs loaded as notes.
      'complaint ref', 'complaint reference', 'complaint id', 'complaint number', 'complaint no', 'case ref', 'case reference', 'case id',
      'case number', 'case no', 'incident ref', 'incident reference', 'incident id', 'incident number', 'contact log id', 'interaction id',
      'activity id', 'comment id', 'event id']),
    f('subjectKind', 'What the note is about (person, home or tenancy)', 'code', ['subject type', 'subject kind', 'entity type', 'record type',
      'linked to', 'about', 'attached to'], true),
    f('subjectReference', 'Reference of what the note is about', 'code', ['subject ref', 'subject reference', 'subject id', 'entity ref', 'entity id',
      'record ref', 'record id', 'linked ref', 'linked id']),
    PERSON_SOURCE_ID,
    HOME_REFERENCE,
    f('tenancyReference', 'Tenancy reference', 'code', ['tenancy ref', 'tenancy reference', 'tenancy id', 'tenancy no', 'rent account', 'account ref',
      'tenancy', 'tenancycode', 'tenancy code', 'tag ref', 'tenancy agreement ref', 'tenancy agreement reference']),
    UPRN,
    f('date', 'Date', 'date', ['note date', 'created', 'created date', 'date created', 'created on', 'entered', 'date entered', 'logged', 'timestamp',
      'decision date', 'date of decision', 'complaint date', 'date of complaint', 'date received', 'received date', 'received', 'incident date',
      'date of incident', 'date opened', 'opened date', 'case opened', 'report date', 'date reported', 'contact date', 'date of contact',
      'event date', 'activity date'], true),
    f('author', 'Author', 'text', ['created by', 'entered by', 'written by', 'user', 'officer', 'staff', 'by', 'username'], true),
    f('noteType', 'Note type', 'code', ['note type', 'category', 'note category', 'type', 'complaint type', 'complaint category', 'case type',
      'case category', 'incident type', 'incident category', 'asb category', 'asb type', 'contact type', 'contact reason', 'activity type'], true),
    f('text', 'Text (every word kept)', 'text', ['note', 'notes', 'note text', 'comment', 'comments', 'narrative', 'body', 'details', 'content',
      'description', 'memo', 'free text', 'complaint description', 'complaint details', 'complaint summary', 'case description', 'case details',
      'case summary', 'incident description', 'incident details', 'summary', 'job description', 'outcome', 'decision', 'findings',
      'contact notes', 'note details', 'activity notes'], true),
    // A note may name its home only by its address (lines or parts), matched within the postcode (homes/import.ts matchHomes).
    ...ADDRESS,
  ],
  required: [['text'], ['subjectReference', 'personSourceId', 'homeReference', 'tenancyReference', 'uprn', 'postcode', 'addressLine1', 'address']],
  recommended: ['date', 'author'],
  identity: 'sourceId',
  identifying: ['sourceId'],
  position: 60,
  // The subject it names is matched to its id (or kept as named, notes.subjectNamed, when nothing matches).
  stores: { table: notes, otherwise: { sourceId: 'the record\'s id in its source (source_references)', subjectReference: 'the subject\'s reference, matched to notes.personId, homeId or tenancyId',
    personSourceId: notes.personId, tenancyReference: notes.tenancyId, date: notes.notedAt,
    ...Object.fromEntries([HOME_REFERENCE, UPRN, ...ADDRESS].map((a) => [a.field, notes.homeId])) } },
};
