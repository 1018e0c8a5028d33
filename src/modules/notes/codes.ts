// What a note can be about. A note is about exactly one of these, named by the matching id field.
export const NOTE_SUBJECT_KINDS = {
  person: 'A person',
  home: 'A home',
  tenancy: 'A tenancy',
} as const;
export type NoteSubjectKind = keyof typeof NOTE_SUBJECT_KINDS;

/** The id field that names the subject of each kind. */
export const SUBJECT_ID_FIELD = { person: 'personId', home: 'homeId', tenancy: 'tenancyId' } as const satisfies Record<NoteSubjectKind, string>;

/** The types of note staff choose from when they write one in Hearth (stored as the words, as sources give them). */
export const NOTE_TYPES = [
  'Phone call', 'Visit', 'Tenancy visit', 'Email', 'Letter', 'Rent', 'Complaint', 'Support', 'Damp and mould',
  'Anti-social behaviour', 'Safeguarding', 'Inspection', 'Tenancy change', 'Other',
] as const;
export type NoteType = (typeof NOTE_TYPES)[number];

/** The longest note staff can write in a form (the API's limit). */
export const NOTE_MAX_LENGTH = 20_000;
