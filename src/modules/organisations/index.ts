// Organisations: landlords, and the overview page of one. The manifest, and the public functions other modules use:
// this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { organisationsApi } from './api.ts';
import { overviewPages } from './pages.ts';
import { organisationCommands } from './cli.ts';

export const organisationsModule = defineModule({
  name: 'organisations',
  tables,
  // The demo landlord itself (no event: organisations are not records of a landlord).
  demo: (world, copy) => copy(tables.organisations, world.records('organisations')),
  permissions: [{ name: 'organisation:write', description: "change the landlord's name, kind and registration number", roles: ['administrator'] }],
  apiTags: [{ name: 'Organisations', description: 'The landlord an API token acts for. Landlords are added by the operator (`hearth orgs add`).' }],
  api: (api, { run }) => organisationsApi(api, run),
  navigation: [{ href: '/overview', text: 'Overview', sections: ['overview'], permission: 'records:read', position: 10 }],
  pages: (app, { page }) => overviewPages(app, page),
  commands: organisationCommands,
});

export {
  type Organisation, ORGANISATION_KINDS, organisationService, createOrganisation, listOrganisations, noOrganisations,
  ownOrganisation, landlordNames,
} from './service.ts';
