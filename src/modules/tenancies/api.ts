import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { presentRecord, recordRoutes, type Run } from '../../platform/records/api.ts';
import { recordFields, pageQuery, nullable, codeList, referencesIn, storedCode, strict, dateField } from '../../platform/http/schemas.ts';
import { TENANCY_TYPES, TENURES, MEMBER_ROLES } from './codes.ts';
import { tenancyService, type TenancyWithMembers } from './service.ts';

const Member = Type.Object({
  personId: Type.String({ format: 'uuid' }),
  role: codeList(MEMBER_ROLES, 'Role in the tenancy'),
  relationship: nullable(Type.String({ maxLength: 50, description: 'Relationship to the lead tenant, e.g. "son"' })),
  startDate: nullable(dateField('Joined the household')),
  endDate: nullable(dateField('Left the household')),
}, strict);

const tenancyFields = {
  reference: Type.String({ minLength: 1, maxLength: 50, description: 'Tenancy reference' }),
  tenancyType: codeList(TENANCY_TYPES, 'Tenancy type'),
  tenure: codeList(TENURES, 'Tenure'),
  startDate: dateField('Start date'),
  endDate: nullable(dateField('End date')),
  homeId: Type.String({ format: 'uuid', description: 'The home let by this tenancy' }),
};
export const Tenancy = Type.Object({ ...recordFields, ...tenancyFields, members: Type.Array(Member) }, { $id: 'Tenancy' });
const members = Type.Optional(Type.Array(Member, { maxItems: 30, description: 'Lead, joint tenants and household members; on update, replaces the list' }));

/** A tenancy as the API returns it: its type and tenure (stored as text) as codes of their lists. */
const presentTenancy = (t: TenancyWithMembers) =>
  ({ ...presentRecord(t), tenancyType: storedCode(TENANCY_TYPES, t.tenancyType), tenure: storedCode(TENURES, t.tenure) });

export function tenanciesApi(app: TypedFastify, run: Run) {
  recordRoutes(app, run, {
    present: presentTenancy,
    path: '/tenancies', tag: 'Tenancies', name: 'tenancy', service: tenancyService, record: Tenancy,
    create: Type.Object({ ...tenancyFields, members, sourceReferences: referencesIn }, strict),
    update: Type.Partial(Type.Object({ ...tenancyFields, members }), strict),
    query: Type.Object({
      ...pageQuery, reference: Type.Optional(Type.String({ maxLength: 50 })), homeId: Type.Optional(Type.String({ format: 'uuid' })),
    }, strict),
  });
}
