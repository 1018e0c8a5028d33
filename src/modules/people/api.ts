import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { recordRoutes, etagOf, type Run } from '../../platform/records/api.ts';
import { recordFields, pageQuery, text, line, lineText, nullable, codeList, referencesIn, strict, dateField } from '../../platform/http/schemas.ts';
import { HACT_ALERT_CODES, ALERT_CATEGORIES, CONFIDENTIALITY_LEVELS } from './codes.ts';
import { TENANCY_TYPES, TENURES, MEMBER_ROLES } from '../tenancies/codes.ts';
import { personRecords, alertService } from './service.ts';
import { personApiView } from '../single-view/service.ts';
import { linkNew } from '../linkage/service.ts';

/** People as the API writes them: a person made here is linked with the records of the same person (record linkage). */
const personService = {
  ...personRecords,
  async create(ctx: Parameters<typeof personRecords.create>[0], input: Parameters<typeof personRecords.create>[1]) {
    const row = await personRecords.create(ctx, input);
    await linkNew(ctx.tx, ctx.actor.organisationId, [row.id]);
    return row;
  },
};

const ContactPoint = Type.Object({
  system: Type.Union([Type.Literal('phone'), Type.Literal('email')]),
  value: Type.String({ minLength: 3, maxLength: 200 }),
  use: Type.Optional(Type.Union([Type.Literal('home'), Type.Literal('mobile'), Type.Literal('work')])),
}, strict);
const Address = Type.Object({
  subBuilding: Type.Optional(line(100)), buildingName: Type.Optional(line(200)),
  buildingNumber: Type.Optional(line(20)), street: Type.Optional(line(200)),
  locality: Type.Optional(line(200)), town: Type.Optional(line(100)),
  postcode: Type.Optional(Type.String({ format: 'uk-postcode' })),
  lines: Type.Optional(Type.Array(line(500), { maxItems: 10, description: 'The address as the source recorded it (its address lines, or one address field), kept beside the parts parsed from it' })),
}, strict);

const personFields = {
  // Names are single lines (no control characters or direction overrides); an alert's description is free text.
  title: lineText(20), givenName: line(100, { minLength: 1 }), middleNames: lineText(200),
  familyName: line(100, { minLength: 1 }), preferredName: lineText(100),
  dateOfBirth: nullable(Type.String({ format: 'past-date', description: 'Date of birth (YYYY-MM-DD), not in the future' })),
  contactPoints: Type.Optional(Type.Array(ContactPoint, { maxItems: 20 })),
  address: nullable(Address),
};
/** Read only: the name as the source recorded it when it came as one field ("MORGAN, Robert J"), before it was split. */
const nameAsRecorded = Type.Optional(Type.Union([Type.String(), Type.Null()], {
  description: 'The name as the source recorded it when it came in one field ("MORGAN, Robert J"), before it was split into the parts; null otherwise' }));
const Person = Type.Object({ ...recordFields, ...personFields, nameAsRecorded }, { $id: 'Person' });

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
const Alert = Type.Object({
  ...recordFields, ...alertFields, recordedBy: Type.String(), recordedAt: Type.String({ format: 'date-time' }),
}, { $id: 'PersonAlert' });

const Sourced = Type.Object({
  value: Type.Unknown(), sourceSystem: Type.String(), sourceId: Type.String(), personId: Type.String({ format: 'uuid', description: 'The source record (person id) it came from' }),
});
const PersonValues = Type.Object({
  title: Type.Union([Type.String(), Type.Null()]), givenName: Type.Union([Type.String(), Type.Null()]), middleNames: Type.Union([Type.String(), Type.Null()]),
  familyName: Type.Union([Type.String(), Type.Null()]), preferredName: Type.Union([Type.String(), Type.Null()]), dateOfBirth: Type.Union([Type.String(), Type.Null()]),
  contactPoints: Type.Union([Type.Array(ContactPoint), Type.Null()]), address: Type.Union([Address, Type.Null()]), homeId: Type.Union([Type.String(), Type.Null()]),
});
const PersonWithEverything = Type.Object({
  ...recordFields, ...personFields, nameAsRecorded,
  golden: Type.Object({
    id: Type.String({ format: 'uuid', description: 'The real person’s id: the golden id of the cluster of linked source records' }),
    fields: Type.Object(Object.fromEntries(['title', 'givenName', 'middleNames', 'familyName', 'preferredName', 'dateOfBirth', 'phone', 'email', 'address', 'homeId']
      .map((f) => [f, Type.Optional(Sourced)])), { description: 'Each field’s surviving value (most trusted source, then most recent, then most complete) and the source it came from' }),
  }, { description: 'The golden record made from every linked source record' }),
  linkedRecords: Type.Array(Type.Object({
    id: Type.String({ format: 'uuid' }), sourceSystem: Type.String(), sourceId: Type.String(),
    lastSeenAt: Type.Union([Type.String(), Type.Null()]), values: PersonValues,
  }), { description: 'Every source record linked as this person (this one included), with the values each gives' }),
  alerts: Type.Optional(Type.Array(Type.Omit(Alert, ['sourceReferences']), {
    description: 'Active alerts of every record linked as this person (each read audited); absent when your role may not see alerts' })),
  contacts: Type.Array(Type.Object({
    ...ContactPoint.properties, personId: Type.String({ format: 'uuid', description: 'The linked record it came from' }), sourceSystem: Type.String(), sourceId: Type.String(),
  }), { description: 'Every contact point of every record linked as this person, once each, with the record it came from' }),
  tenancies: Type.Array(Type.Object({
    id: Type.String({ format: 'uuid' }), reference: Type.String(), tenancyType: codeList(TENANCY_TYPES, 'Tenancy type'),
    tenure: codeList(TENURES, 'Tenure'), startDate: Type.String(), endDate: Type.Union([Type.String(), Type.Null()]),
    role: codeList(MEMBER_ROLES, "This person's role in the tenancy"),
    home: Type.Union([Type.Object({
      id: Type.String({ format: 'uuid' }), uprn: Type.Union([Type.String(), Type.Null()]), reference: Type.Union([Type.String(), Type.Null()]),
      subBuilding: Type.Union([Type.String(), Type.Null()]), buildingName: Type.Union([Type.String(), Type.Null()]),
      buildingNumber: Type.Union([Type.String(), Type.Null()]), street: Type.Union([Type.String(), Type.Null()]),
      town: Type.Union([Type.String(), Type.Null()]), postcode: Type.Union([Type.String(), Type.Null()]),
      blockId: Type.Union([Type.String(), Type.Null()]),
    }), Type.Null()]),
  })),
}, { $id: 'PersonWithTenanciesAndAlerts' });

export function peopleApi(app: FastifyInstance, run: Run, read: Run) {
  recordRoutes(app, run, {
    path: '/people', tag: 'People', name: 'person', service: personService as never, record: Person,
    present: ({ searchText: _s, ...p }) => p,
    create: Type.Object({ ...personFields, sourceReferences: referencesIn }, strict),
    update: Type.Partial(Type.Object(personFields), strict),
    query: Type.Object({
      ...pageQuery, familyName: Type.Optional(Type.String({ maxLength: 100 })), givenName: Type.Optional(Type.String({ maxLength: 100 })),
      dateOfBirth: Type.Optional(Type.String({ format: 'date' })),
    }, strict),
    get: {
      schema: PersonWithEverything,
      summary: 'Get a person with their tenancies, homes and (for permitted roles) active alerts; alert reads are audited',
      load: async (req, id) => {
        const body = await read(req, (ctx) => personApiView(ctx, id));
        return { etag: etagOf(body as { version: number }), body };
      },
    },
  });
  recordRoutes(app, run, {
    path: '/alerts', tag: 'Person alerts', name: 'person alert', service: alertService as never, record: Alert,
    create: Type.Object({ ...alertFields, sourceReferences: referencesIn }, strict),
    update: Type.Partial(Type.Object({ ...alertFields, personId: Type.Optional(Type.Never()) }), strict),
    query: Type.Object({
      ...pageQuery, personId: Type.Optional(Type.String({ format: 'uuid' })),
      category: Type.Optional(codeList(ALERT_CATEGORIES, 'Category')), active: Type.Optional(Type.Boolean()),
    }, strict),
  });
}
