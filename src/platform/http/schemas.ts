import { Type, type TLiteral, type TObject, type TSchema, type TSchemaOptions } from 'typebox';

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

/**
 * One of the given strings: a union of literals (anyOf of consts), whose static type is the union of the values, so
 * a request is typed with it and a reply is checked against it. Built from a list (ROLES, DELIVERY_STATUSES…).
 */
export function literalUnion<const V extends string>(values: readonly V[], options?: TSchemaOptions) {
  // The one cast: TypeBox derives a union's static type from a tuple of members (from an array of them it is never),
  // and Array.prototype.map cannot return a tuple type. The members are one literal per value, so the rest tuple
  // states only what TypeScript's map typing loses.
  return Type.Union(values.map((v) => Type.Literal(v)) as [TLiteral<V>, ...TLiteral<V>[]], options);
}

/** A field that takes one code from a code list (code → label); the description lists the codes for API users. */
export function codeList<K extends string>(list: Readonly<Record<K, string>>, description: string) {
  // Object.keys is typed string[] (an object may hold keys its type does not name); a code list's keys are its codes.
  const codes = Object.keys(list) as K[];
  return literalUnion(codes, { description: `${description}: ${codes.join(', ')}` });
}

/** Whether a stored value (a text column) is one of a code list's codes. */
export const isCode = <K extends string>(list: Readonly<Record<K, string>>, value: string): value is K => Object.hasOwn(list, value);
/**
 * A stored code as its list's type, for a response whose schema is the codeList: a value outside the list is an
 * error here, as it was when the serialiser found it matched none of the schema's codes (a 500 either way).
 */
export function storedCode<K extends string>(list: Readonly<Record<K, string>>, value: string): K {
  if (!isCode(list, value)) throw new Error(`a stored code that is not in its code list: ${JSON.stringify(value)}`);
  return value;
}

export const postcodeOut = text(10, 'UK postcode; stored upper case with one space');
export const postcodeIn = nullable(Type.String({ format: 'uk-postcode', maxLength: 10, description: 'A valid UK postcode' }));
export const referencesIn = Type.Optional(Type.Array(SourceReferenceSchema, { maxItems: 20, description: 'Where this record came from (source system and id)' }));
export const idRef = (description: string) => nullable(Type.String({ format: 'uuid', description }));
export const dateField = (description: string) => Type.String({ format: 'date', description: `${description} (YYYY-MM-DD)` });
/** Request bodies reject fields they do not know, so a typo is an error rather than silently ignored. */
export const strict = { additionalProperties: false } as const;

/** What a request must meet but a stored value may not (see asStored). */
const INPUT_RULES = ['minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'minimum', 'maximum'] as const;
/**
 * A request schema reused to describe values as they are stored, in a response: the same shape and descriptions,
 * without the rules a request must meet (lengths, patterns, counts, ranges). Records loaded from files may hold
 * values the API would not take (a 150-character name), and fast-json-stringify tries a value against each branch
 * of a union (anyOf) to choose how to write it: a request rule there would fail the whole response. The static
 * type is the same, since these rules do not change it.
 */
export function asStored<T extends TSchema>(schema: T): T {
  const copy: Record<string, unknown> = Object.defineProperties({}, Object.getOwnPropertyDescriptors(schema));
  for (const rule of INPUT_RULES) delete copy[rule];
  const each = (v: unknown) => asStored(v as TSchema);
  if (copy.properties) copy.properties = Object.fromEntries(Object.entries(copy.properties as Record<string, TSchema>).map(([k, v]) => [k, each(v)]));
  if (copy.items) copy.items = each(copy.items);
  if (Array.isArray(copy.anyOf)) copy.anyOf = copy.anyOf.map(each);
  return copy as T;
}

/** The properties of an object schema, each always present and allowing null, as stored (asStored): a record's values as one source gives them. */
export function storedOrNull(object: TObject): Record<string, TSchema> {
  const orNull = (s: TSchema) => (Type.IsUnion(s) && s.anyOf.some((m) => Type.IsNull(m)) ? s : Type.Union([s, Type.Null()]));
  return Object.fromEntries(Object.entries(asStored(Type.Required(object)).properties).map(([k, s]) => [k, orNull(s)]));
}
