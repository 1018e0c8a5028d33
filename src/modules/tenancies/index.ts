// Tenancies: tenancies of homes and their members (lead, joint, household member). The manifest, and the public
// functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { tenanciesApi } from './api.ts';
import { TENANCIES_IMPORT } from './fields.ts';
import { tenanciesLoader } from './import.ts';
import { memberHomesSql, tenancyChecks, tenantMembershipsSql, tenantsSql } from './quality.ts';
import { homeLabelByIdSql } from '../homes/index.ts';
import { ukDate } from '../../platform/uk-time.ts';
import { MEMBER_AUDIT_ACTIONS, tenanciesStartingOrEnding } from './members.ts';
import { movingItems, tenancyPages } from './pages.ts';

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
  // Who joined or left a tenancy and from when, as staff record it (the timelines of the person and the home).
  auditActions: MEMBER_AUDIT_ACTIONS,
  api: (api, { run }) => tenanciesApi(api, run),
  pages: (app, { page, run }) => tenancyPages(app, page, run),
  worklists: [{
    id: 'tenancies-starting-or-ending', title: 'Tenancies starting or ending', roles: ['housing-officer'], position: 30,
    href: '/tenancies/starting-or-ending', empty: 'No tenancies start or end in the next 28 days or did in the last 7', byPatch: true,
    items: async (ctx, { limit, scope }) => {
      const list = await tenanciesStartingOrEnding(ctx, scope.homeIds, ukDate(new Date()), { limit });
      return { total: list.total, items: await movingItems(ctx, list.items) };
    },
  }],
});

export { type Tenancy, type TenancyMember, type TenancyWithMembers, tenancyService, tenanciesOfPersonJsonSql } from './service.ts';
export { Tenancy as TenancySchema } from './api.ts';
export { TENANCY_TYPES, TENURES, MEMBER_ROLES, type MemberRole } from './codes.ts';
export { tenanciesByReference } from './lookup.ts';
export { addMember, endMember, memberChanges, tenancyIdsOfHomes, tenanciesStartingOrEnding, type MemberChange, type TenancyMoving } from './members.ts';
export { tenuresOfHomes } from './service.ts';
