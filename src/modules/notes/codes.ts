// What a note can be about. A note is about exactly one of these, named by the matching id field.
export const NOTE_SUBJECT_KINDS = {
  person: 'A person',
  home: 'A home',
  tenancy: 'A tenancy',
} as const;
export type NoteSubjectKind = keyof typeof NOTE_SUBJECT_KINDS;

/** The id field that names the subject of each kind. */
export const SUBJECT_ID_FIELD = { person: 'personId', home: 'homeId', tenancy: 'tenancyId' } as const satisfies Record<NoteSubjectKind, string>;
