import { Type } from 'typebox';

export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
}, { $id: 'Problem', description: 'RFC 9457 problem details; errors name each failing field as a JSON pointer' });

export const SourceReferenceSchema = Type.Object({
  system: Type.String({ minLength: 1, maxLength: 100, description: 'Source system that allocated the id (HACT Reference AllocatedBy)' }),
  id: Type.String({ minLength: 1, maxLength: 200, description: 'Identifier in that system (HACT Reference ID)' }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
}, { additionalProperties: false });

/** Fields every record carries in the API. */
export const recordFields = {
  id: Type.String({ format: 'uuid' }),
  organisationId: Type.String({ format: 'uuid' }),
  version: Type.Integer({ description: 'Increases on every change; the ETag is this number in quotes' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  sourceReferences: Type.Array(SourceReferenceSchema),
};

export const pageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor from the previous page' })),
};

/** Optional, nullable string with a length limit: free text, which may have line breaks (a note, a description). */
export const text = (maxLength = 200, description?: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength, description }), Type.Null()]));

/**
 * What a single line of human text may not hold: C0 and C1 control characters and DEL (line breaks, tabs, escapes),
 * the line and paragraph separators, the invisible bidirectional marks, embeddings, overrides and isolates (U+061C,
 * U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the byte order mark. They hide or reorder what a name shows on a
 * page, in a CSV or a log. Joiners (U+200C, U+200D) stay: some scripts and emoji need them.
 */
export const SINGLE_LINE_PATTERN = '^[^\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ufeff]*$';
const SINGLE_LINE = new RegExp(SINGLE_LINE_PATTERN, 'u');
export const SINGLE_LINE_MESSAGE = 'must be one line of text, without control characters, line breaks or invisible direction marks';
export const isSingleLine = (s: string) => SINGLE_LINE.test(s);

/** A single line of human text, such as a name: required unless wrapped (see lineText). */
export const line = (maxLength: number, options: { minLength?: number; description?: string } = {}) =>
  Type.String({ ...options, maxLength, pattern: SINGLE_LINE_PATTERN });
/** Optional, nullable single line of human text with a length limit (an address or name part). */
export const lineText = (maxLength = 200, description?: string) => nullable(line(maxLength, { description }));
export const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

/** A field that takes one code from a code list; the description lists the codes for API users. */
export const codeList = (list: Record<string, string>, description: string) =>
  Type.Union(Object.keys(list).map((k) => Type.Literal(k)), { description: `${description}: ${Object.keys(list).join(', ')}` });

export const postcodeOut = text(10, 'UK postcode; stored upper case with one space');
export const postcodeIn = nullable(Type.String({ format: 'uk-postcode', maxLength: 10, description: 'A valid UK postcode' }));
export const referencesIn = Type.Optional(Type.Array(SourceReferenceSchema, { maxItems: 20, description: 'Where this record came from (source system and id)' }));
export const idRef = (description: string) => nullable(Type.String({ format: 'uuid', description }));
export const dateField = (description: string) => Type.String({ format: 'date', description: `${description} (YYYY-MM-DD)` });
/** Request bodies reject fields they do not know, so a typo is an error rather than silently ignored. */
export const strict = { additionalProperties: false } as const;
