// People: people, their contact points and person alerts (HACT v3.5, UKHDS categories). The manifest, and the public
// functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import { lentFragment } from '../../platform/quality/checks.ts';
import * as tables from './schema.ts';
import { alertsApi } from './api.ts';
import { ALERTS_IMPORT, PEOPLE_IMPORT } from './fields.ts';
import { peopleLoader } from './import.ts';
import { alertsLoader } from './alerts-import.ts';
import { personChecks } from './quality.ts';
import { peoplePages } from './pages.ts';
import { alertsToReviewSection } from './worklists.ts';

export const peopleModule = defineModule({
  name: 'people',
  tables,
  demo: (world, copy) => {
    copy(tables.people, world.records('people'), 'person');
    copy(tables.personAlerts, world.records('personAlerts'), 'person-alert');
  },
  // A person alert is sensitive: its changes are shown only with alerts:read, and each read is audited.
  entityKinds: [{ kind: 'person', label: 'People' }, { kind: 'person-alert', label: 'Person alerts', readableWith: 'alerts:read' }],
  permissions: [
    // Sensitive: every read is audited. Repairs staff see alerts such as "don't visit alone" before a visit, but do not
    // record them; the compliance lead sees which households are at greater risk from damp, to put them first.
    { name: 'alerts:read', description: 'person alerts', roles: ['administrator', 'housing-officer', 'asb-officer', 'repairs-planner', 'compliance-lead', 'data-lead'] },
    { name: 'alerts:write', description: 'record and change person alerts', roles: ['administrator', 'housing-officer', 'asb-officer', 'data-lead'] },
  ],
  apiTags: [
    { name: 'People', description: 'People, their contact points, and the composed view of a person with tenancies and alerts.' },
    { name: 'Person alerts', description: 'Alerts about a person (HACT and UKHDS categories). Sensitive: readable only with alerts:read, and every read is audited.' },
  ],
  importKinds: [{ ...PEOPLE_IMPORT, loader: peopleLoader }, { ...ALERTS_IMPORT, loader: alertsLoader, sensitive: true }],
  // Who is a tenant of which home comes from the tenancies module's fragments (it depends on people, not the reverse).
  quality: {
    tables: (organisationId, lent) => [personChecks(organisationId, {
      memberships: lentFragment(lent, 'tenancies.memberships'), memberHomes: lentFragment(lent, 'tenancies.memberHomes'),
      tenants: lentFragment(lent, 'tenancies.tenants'),
    })],
  },
  api: (api, { run }) => alertsApi(api, run),
  // Everyday edits to a person and their alerts (forms), and the alerts due for review.
  pages: (app, { page, run }) => peoplePages(app, page, run),
  worklists: [alertsToReviewSection],
});

export {
  type Person, type PersonAlert, fullName, personSearchText, personRecords, alertService, peopleAtHomes, personJsonSql,
  auditedActiveAlertsCtes, peopleForLinkageSql, type PersonLinkageRow, type PersonValues, peopleWithIds, peopleSharingSql, personValuesJsonSql,
} from './service.ts';
export {
  Person as PersonSchema, Alert as AlertSchema, ContactPoint as ContactPointSchema, Address as AddressSchema, personFields, nameAsRecorded,
} from './api.ts';
export type { ContactPoint, PostalAddress } from './schema.ts';
export { HACT_ALERT_CODES, type HactAlertCode, ALERT_CATEGORIES, type AlertCategory, CONFIDENTIALITY_LEVELS, CATEGORIES_FOR_HACT_CODE } from './codes.ts';
export { PERSON_SOURCE_ID } from './fields.ts';
export { displayPhone, parsePhone } from './phone.ts';
export { editsOfPeople, type EditEvent } from './edits.ts';
export { searchPeople, type PersonMatch } from './search.ts';
export { peopleBySourceId } from './import.ts';
