// The people routes of the API (/api/v1/people): people as the people module keeps them, a person read as the Person
// page shows them (every linked record's alerts, tenancies and contacts), and a person made here linked with the
// records of the same person (record linkage). Composed here, where people, tenancies and linkage meet.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { recordRoutes, etagOf, type Run } from '../../platform/records/api.ts';
import { recordFields, pageQuery, codeList, referencesIn, strict } from '../../platform/http/schemas.ts';
import { personRecords, PersonSchema, AlertSchema, ContactPointSchema, AddressSchema, personFields, nameAsRecorded } from '../people/index.ts';
import { TENANCY_TYPES, TENURES, MEMBER_ROLES } from '../tenancies/index.ts';
import { linkNew } from '../linkage/index.ts';
import { personApiView } from './service.ts';

/** People as the API writes them: a person made here is linked with the records of the same person (record linkage). */
const personService = {
  ...personRecords,
  async create(ctx: Parameters<typeof personRecords.create>[0], input: Parameters<typeof personRecords.create>[1]) {
    const row = await personRecords.create(ctx, input);
    await linkNew(ctx.tx, ctx.actor.organisationId, [row.id]);
    return row;
  },
};

const Sourced = Type.Object({
  value: Type.Unknown(), sourceSystem: Type.String(), sourceId: Type.String(), personId: Type.String({ format: 'uuid', description: 'The source record (person id) it came from' }),
});
const PersonValues = Type.Object({
  title: Type.Union([Type.String(), Type.Null()]), givenName: Type.Union([Type.String(), Type.Null()]), middleNames: Type.Union([Type.String(), Type.Null()]),
  familyName: Type.Union([Type.String(), Type.Null()]), preferredName: Type.Union([Type.String(), Type.Null()]), dateOfBirth: Type.Union([Type.String(), Type.Null()]),
  contactPoints: Type.Union([Type.Array(ContactPointSchema), Type.Null()]), address: Type.Union([AddressSchema, Type.Null()]), homeId: Type.Union([Type.String(), Type.Null()]),
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
  alerts: Type.Optional(Type.Array(Type.Omit(AlertSchema, ['sourceReferences']), {
    description: 'Active alerts of every record linked as this person (each read audited); absent when your role may not see alerts' })),
  contacts: Type.Array(Type.Object({
    ...ContactPointSchema.properties, personId: Type.String({ format: 'uuid', description: 'The linked record it came from' }), sourceSystem: Type.String(), sourceId: Type.String(),
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
    path: '/people', tag: 'People', name: 'person', service: personService as never, record: PersonSchema,
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
}
