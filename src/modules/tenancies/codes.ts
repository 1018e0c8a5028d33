export const TENANCY_TYPES = {
  secure: 'Secure',
  introductory: 'Introductory',
  flexible: 'Flexible (fixed-term secure)',
  demoted: 'Demoted',
  assured: 'Assured',
  'assured-shorthold': 'Assured shorthold',
  starter: 'Starter (assured shorthold)',
  licence: 'Licence',
  'non-secure': 'Non-secure',
  lease: 'Lease',
  /** Loaded from a source that did not say. */
  unknown: 'Not known',
} as const;

export const TENURES = {
  'social-rent': 'Social rent',
  'affordable-rent': 'Affordable rent',
  'intermediate-rent': 'Intermediate rent',
  'shared-ownership': 'Shared ownership',
  leasehold: 'Leasehold',
  'temporary-accommodation': 'Temporary accommodation',
  'supported-housing': 'Supported housing',
  /** Loaded from a source that did not say. */
  unknown: 'Not known',
} as const;

export const MEMBER_ROLES = {
  lead: 'Lead tenant',
  joint: 'Joint tenant',
  'household-member': 'Household member',
} as const;
export type MemberRole = keyof typeof MEMBER_ROLES;
