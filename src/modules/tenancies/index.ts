// Tenancies: tenancies of homes and their members (lead, joint, household member). The manifest, and the public
// functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { tenanciesApi } from './api.ts';
import { TENANCIES_IMPORT } from './fields.ts';
import { tenanciesLoader } from './import.ts';
import { memberHomesSql, tenancyChecks, tenantMembershipsSql, tenantsSql } from './quality.ts';
import { homeLabelByIdSql } from '../homes/index.ts';

export const tenanciesModule = defineModule({
  name: 'tenancies',
  tables,
  demo: (world, copy) => {
    copy(tables.tenancies, world.records('tenancies'), 'tenancy');
    copy(tables.tenancyMembers, world.records('tenancyMembers'));
  },
  entityKinds: [{ kind: 'tenancy', label: 'Tenancies' }],
  apiTags: [{ name: 'Tenancies', description: 'Tenancies of homes and their members (lead, joint tenant, household member).' }],
  importKinds: [{ ...TENANCIES_IMPORT, loader: tenanciesLoader }],
  quality: {
    tables: (organisationId) => [tenancyChecks(organisationId, { label: (homeId) => homeLabelByIdSql(organisationId, homeId) })],
    // Who is a tenant of which home, for the people module's checks.
    lends: (organisationId) => ({
      'tenancies.memberships': tenantMembershipsSql(organisationId), 'tenancies.memberHomes': memberHomesSql(organisationId),
      'tenancies.tenants': tenantsSql(organisationId),
    }),
  },
  api: (api, { run }) => tenanciesApi(api, run),
});

export { type Tenancy, type TenancyMember, type TenancyWithMembers, tenancyService, tenanciesOfPersonJsonSql } from './service.ts';
export { Tenancy as TenancySchema } from './api.ts';
export { TENANCY_TYPES, TENURES, MEMBER_ROLES, type MemberRole } from './codes.ts';
export { tenanciesByReference } from './lookup.ts';
