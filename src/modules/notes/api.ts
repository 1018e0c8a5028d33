import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { presentRecord, recordRoutes, type Run } from '../../platform/records/api.ts';
import { recordFields, pageQuery, text, nullable, codeList, referencesIn, idRef, storedCode, strict } from '../../platform/http/schemas.ts';
import { NOTE_SUBJECT_KINDS } from './codes.ts';
import { noteService } from './service.ts';

const noteFields = {
  subjectKind: codeList(NOTE_SUBJECT_KINDS, 'What the note is about; the id field of that kind (personId, homeId or tenancyId) names it, and the others are empty'),
  personId: idRef('The person the note is about (subjectKind person)'),
  homeId: idRef('The home the note is about (subjectKind home)'),
  tenancyId: idRef('The tenancy the note is about (subjectKind tenancy)'),
  subjectNamed: text(500, 'What the source named the subject by when it matched no record (then the id is empty); kept for review and later linking'),
  noteType: text(100, 'Type of note as the source records it, e.g. "Visit", "Phone call", "Complaint"'),
  author: text(200, 'Who wrote the note; defaults to you'),
  notedAt: nullable(Type.String({ format: 'date-time', description: 'When the note was written (ISO 8601 with a time zone); defaults to now' })),
  text: Type.String({ minLength: 1, maxLength: 20_000, description: 'The note, word for word' }),
};
const Note = Type.Object({ ...recordFields, ...noteFields }, { $id: 'Note', description: 'A note about exactly one person, home or tenancy' });

export function notesApi(app: TypedFastify, run: Run) {
  recordRoutes(app, run, {
    path: '/notes', tag: 'Notes', name: 'note', service: noteService, record: Note,
    present: (n) => ({
      ...presentRecord(n), subjectKind: storedCode(NOTE_SUBJECT_KINDS, n.subjectKind),
      notedAt: n.notedAt instanceof Date ? n.notedAt.toISOString() : n.notedAt,
    }),
    create: Type.Object({ ...noteFields, sourceReferences: referencesIn }, strict),
    update: Type.Partial(Type.Object(noteFields), strict),
    query: Type.Object({
      ...pageQuery,
      personId: Type.Optional(Type.String({ format: 'uuid', description: 'Notes about this person' })),
      homeId: Type.Optional(Type.String({ format: 'uuid', description: 'Notes about this home' })),
      tenancyId: Type.Optional(Type.String({ format: 'uuid', description: 'Notes about this tenancy' })),
      subjectKind: Type.Optional(codeList(NOTE_SUBJECT_KINDS, 'Notes about this kind of record')),
    }, strict),
  });
}
