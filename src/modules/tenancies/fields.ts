// The fields a file of tenancies can give. Loaded by import.ts.
import { importField as f, type ImportKind } from '../../platform/records/load.ts';
import { HOME_REFERENCE, UPRN } from '../homes/index.ts';
import { PERSON_SOURCE_ID } from '../people/index.ts';
import { tenancies, tenancyMembers } from './schema.ts';

/** An import kind without its loader (the manifest adds it). */
type ImportKindFields = Omit<ImportKind, 'loader'>;

export const TENANCIES_IMPORT: ImportKindFields = {
  kind: 'tenancies', label: 'Tenancies',
  fields: [
    f('reference', 'Tenancy reference', 'code', ['tenancy ref', 'tenancy reference', 'tenancy id', 'tenancy no', 'tenancy number', 'agreement ref',
      'agreement id', 'agreement number', 'rent account', 'rent account number', 'rent account no', 'account ref', 'account number', 'account no',
      'ref', 'reference', 'id',
      // CORE lettings logs (tenancycode), Universal Housing (tag_ref), Hackney's tenancy API (tenancyAgreementReference).
      'tenancycode', 'tenancy code', 'tenant code', 'tag ref', 'tag reference', 'tenancy agreement ref', 'tenancy agreement reference',
      'agreement reference', 'payment reference', 'rent ref', 'rent reference', 'rent account ref', 'rent account reference']),
    f('tenancyType', 'Tenancy type', 'code', ['tenancy type', 'agreement type', 'tenancy kind', 'type of tenancy', 'tenancy',
      'tenancy type code', 'tenancy type description', 'type of tenancy agreement', 'tenure code', 'tenancy agreement type'], true),
    f('tenure', 'Tenure', 'code', ['tenure type', 'rent type', 'rent product', 'product', 'tenure description'], true),
    f('startDate', 'Start date', 'date', ['tenancy start date', 'tenancy start', 'start', 'commencement date', 'commencement', 'date started',
      'start dt', 'from date', 'from', 'begin date', 'tenancy from'], true),
    f('endDate', 'End date', 'date', ['tenancy end date', 'tenancy end', 'end', 'termination date', 'terminated', 'date ended', 'end dt', 'to date',
      'to', 'tenancy to', 'vacated date', 'date vacated'], true),
    HOME_REFERENCE,
    UPRN,
    PERSON_SOURCE_ID,
    f('memberRole', 'Member role', 'code', ['role', 'member role', 'tenant role', 'party role', 'tenant type', 'member type', 'joint or sole']),
    f('relationship', 'Relationship', 'code', ['relationship', 'relationship to lead', 'relationship to tenant', 'relationship to main tenant', 'relation']),
    f('memberStartDate', 'Member start date', 'date', ['member start date', 'member from', 'joined', 'date joined', 'occupant start date', 'moved in']),
    f('memberEndDate', 'Member end date', 'date', ['member end date', 'member to', 'left', 'date left', 'occupant end date', 'moved out']),
  ],
  required: [['reference'], ['homeReference', 'uprn'], ['startDate']],
  recommended: ['tenancyType', 'tenure', 'personSourceId'],
  identity: 'reference',
  identifying: ['reference'],
  position: 30,
  // The home is matched to its id; the member fields make the tenancy's members.
  stores: { table: tenancies, otherwise: { homeReference: tenancies.homeId, uprn: tenancies.homeId, personSourceId: tenancyMembers.personId,
    memberRole: tenancyMembers.role, relationship: tenancyMembers.relationship, memberStartDate: tenancyMembers.startDate, memberEndDate: tenancyMembers.endDate } },
};
