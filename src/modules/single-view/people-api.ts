// The people routes of the API (/api/v1/people): people as the people module keeps them, a person read as the Person
// page shows them (every linked record's alerts, tenancies and contacts), and a person made here linked with the
// records of the same person (record linkage). Composed here, where people, tenancies and linkage meet.
import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { presentRecord, recordRoutes, etagOf, type Run } from '../../platform/records/api.ts';
import { recordFields, pageQuery, codeList, referencesIn, strict, asStored, storedOrNull } from '../../platform/http/schemas.ts';
import { personRecords, PersonSchema, AlertSchema, ContactPointSchema, personFields, nameAsRecorded } from '../people/index.ts';
import { MEMBER_ROLES, TenancySchema } from '../tenancies/index.ts';
import { HomeSchema } from '../homes/index.ts';
import { GOLDEN_FIELDS, linkNew } from '../linkage/index.ts';
import { personApiView } from './service.ts';

/** People as the API writes them: a person made here is linked with the records of the same person (record linkage). */
const personService = {
  ...personRecords,
  async create(ctx: Parameters<typeof personRecords.create>[0], input: Parameters<typeof personRecords.create>[1]) {
    const row = await personRecords.create(ctx, input);
    await linkNew(ctx, [row.id]);
    return row;
  },
};

const Sourced = Type.Object({
  value: Type.Unknown(), sourceSystem: Type.String(), sourceId: Type.String(), personId: Type.String({ format: 'uuid', description: 'The source record (person id) it came from' }),
});
/**
 * What one linked record gives: the person's own fields as the people module describes them (personFields), as
 * stored, each always present and null when that record has none; and the home it is at.
 */
const PersonValues = Type.Object({ ...storedOrNull(Type.Object(personFields)), homeId: Type.Union([Type.String(), Type.Null()]) });
/** A tenancy and its home in a person's view: fields as the tenancies and homes modules describe them. */
const TenancyOfPerson = Type.Object({
  ...asStored(Type.Required(Type.Pick(TenancySchema, ['id', 'reference', 'tenancyType', 'tenure', 'startDate', 'endDate']))).properties,
  role: codeList(MEMBER_ROLES, "This person's role in the tenancy"),
  home: Type.Union([Type.Object({
    id: HomeSchema.properties.id,
    ...storedOrNull(Type.Pick(HomeSchema, ['uprn', 'reference', 'subBuilding', 'buildingName', 'buildingNumber', 'street', 'town', 'postcode', 'blockId'])),
  }), Type.Null()]),
});
const PersonWithEverything = Type.Object({
  ...recordFields, ...personFields, nameAsRecorded,
  golden: Type.Object({
    id: Type.String({ format: 'uuid', description: 'The real person’s id: the golden id of the cluster of linked source records' }),
    fields: Type.Object(Object.fromEntries(GOLDEN_FIELDS.map((f) => [f, Type.Optional(Sourced)])), { description: 'Each field’s surviving value (most trusted source, then most recent, then most complete) and the source it came from' }),
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
  tenancies: Type.Array(TenancyOfPerson),
}, { $id: 'PersonWithTenanciesAndAlerts' });

export function peopleApi(app: TypedFastify, run: Run, read: Run) {
  recordRoutes(app, run, {
    path: '/people', tag: 'People', name: 'person', service: personService, record: PersonSchema,
    present: ({ searchText: _s, ...p }) => presentRecord(p),
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
