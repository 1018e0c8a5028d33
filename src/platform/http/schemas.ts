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

/** Optional, nullable string with a length limit (the common shape of an address or name part). */
export const text = (maxLength = 200, description?: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength, description }), Type.Null()]));
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
