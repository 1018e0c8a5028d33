// The people module's JSON schemas, and the person alerts routes. The /people routes (a person read with every linked
// record, linked when made) are composed by the single-view module (single-view/people-api.ts) from these schemas.
import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { presentRecord, recordRoutes, type Run } from '../../platform/records/api.ts';
import { recordFields, pageQuery, text, line, lineText, nullable, codeList, referencesIn, storedCode, strict, dateField } from '../../platform/http/schemas.ts';
import { HACT_ALERT_CODES, ALERT_CATEGORIES, CONFIDENTIALITY_LEVELS } from './codes.ts';
import { alertService } from './service.ts';

export const ContactPoint = Type.Object({
  system: Type.Union([Type.Literal('phone'), Type.Literal('email')]),
  value: Type.String({ minLength: 3, maxLength: 200 }),
  use: Type.Optional(Type.Union([Type.Literal('home'), Type.Literal('mobile'), Type.Literal('work')])),
}, strict);
export const Address = Type.Object({
  subBuilding: Type.Optional(line(100)), buildingName: Type.Optional(line(200)),
  buildingNumber: Type.Optional(line(20)), street: Type.Optional(line(200)),
  locality: Type.Optional(line(200)), town: Type.Optional(line(100)),
  postcode: Type.Optional(Type.String({ format: 'uk-postcode' })),
  lines: Type.Optional(Type.Array(line(500), { maxItems: 10, description: 'The address as the source recorded it (its address lines, or one address field), kept beside the parts parsed from it' })),
}, strict);

export const personFields = {
  // Names are single lines (no control characters or direction overrides); an alert's description is free text.
  title: lineText(20), givenName: line(100, { minLength: 1 }), middleNames: lineText(200),
  familyName: line(100, { minLength: 1 }), preferredName: lineText(100),
  dateOfBirth: nullable(Type.String({ format: 'past-date', description: 'Date of birth (YYYY-MM-DD), not in the future' })),
  contactPoints: Type.Optional(Type.Array(ContactPoint, { maxItems: 20 })),
  address: nullable(Address),
  communicationNeeds: lineText(500, 'How to communicate with them, in staff\'s words ("Polish interpreter", "large print", "text, not calls")'),
};
/** Read only: the name as the source recorded it when it came as one field ("MORGAN, Robert J"), before it was split. */
export const nameAsRecorded = Type.Optional(Type.Union([Type.String(), Type.Null()], {
  description: 'The name as the source recorded it when it came in one field ("MORGAN, Robert J"), before it was split into the parts; null otherwise' }));
export const Person = Type.Object({ ...recordFields, ...personFields, nameAsRecorded }, { $id: 'Person' });

const alertFields = {
  personId: Type.String({ format: 'uuid' }),
  hactCode: codeList(HACT_ALERT_CODES, 'HACT v3.5 PersonAlertTypeCode'),
  category: codeList(ALERT_CATEGORIES, 'UK Housing Data Standards (draft) alert category'),
  description: text(1000),
  confidentiality: codeList(CONFIDENTIALITY_LEVELS, 'Confidentiality level'),
  startDate: dateField('Start date'),
  reviewDate: nullable(dateField('Review date')),
  endDate: nullable(dateField('End date')),
};
export const Alert = Type.Object({
  ...recordFields, ...alertFields, recordedBy: Type.String(), recordedAt: Type.String({ format: 'date-time' }),
}, { $id: 'PersonAlert' });

/** A person alert as the API returns it: its codes (stored as text) as codes of their lists, its times as ISO strings. */
const presentAlert = <T extends { hactCode: string; category: string; confidentiality: string; recordedAt: Date; createdAt: Date; updatedAt: Date }>(a: T) => ({
  ...presentRecord(a), hactCode: storedCode(HACT_ALERT_CODES, a.hactCode), category: storedCode(ALERT_CATEGORIES, a.category),
  confidentiality: storedCode(CONFIDENTIALITY_LEVELS, a.confidentiality), recordedAt: a.recordedAt.toISOString(),
});

export function alertsApi(app: TypedFastify, run: Run) {
  recordRoutes(app, run, {
    present: presentAlert,
    path: '/alerts', tag: 'Person alerts', name: 'person alert', service: alertService, record: Alert,
    create: Type.Object({ ...alertFields, sourceReferences: referencesIn }, strict),
    update: Type.Partial(Type.Object({ ...alertFields, personId: Type.Optional(Type.Never()) }), strict),
    query: Type.Object({
      ...pageQuery, personId: Type.Optional(Type.String({ format: 'uuid' })),
      category: Type.Optional(codeList(ALERT_CATEGORIES, 'Category')), active: Type.Optional(Type.Boolean()),
    }, strict),
  });
}
