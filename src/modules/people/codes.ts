// Person alert codes: HACT UK Housing Data Standards v3.5 PersonAlertTypeCode, and the categories of the draft
// UK Housing Data Standards person-alert codes (MHCLG + HACT, 2025).
export const HACT_ALERT_CODES = {
  '0': 'Other',
  '10': 'Do not visit alone',
  '10-10': 'Do not visit alone: anti-social behaviour',
  '20': 'Disability or vulnerability',
  '20-10': 'Hearing impairment',
  '20-20': 'Visual impairment',
  '20-30': 'Illness',
  '20-40': 'Needs physical support',
  '20-50': 'Wheelchair user',
  '20-60': 'Elderly',
  '20-70': 'Safeguarding',
  '30': 'Misses appointments',
  '40': 'May not be fluent in English',
  '50': 'Operative gender restriction',
  '60': 'Lacks capacity (lasting power of attorney)',
} as const;
export type HactAlertCode = keyof typeof HACT_ALERT_CODES;

export const ALERT_CATEGORIES = {
  MED: 'Medical or health condition',
  PREG: 'Pregnancy',
  MH: 'Mental health',
  AGE: 'Age (young child or older person)',
  RISK: 'Risk to staff',
  SAF: 'Safeguarding',
  COMM: 'Communication needs',
} as const;
export type AlertCategory = keyof typeof ALERT_CATEGORIES;

export const CONFIDENTIALITY_LEVELS = {
  standard: 'Standard: staff who need it for their work',
  confidential: 'Confidential: not shown to contractors',
  'highly-confidential': 'Highly confidential: named roles only',
} as const;

/**
 * Which UKHDS categories fit each HACT code, so an alert's two codes cannot contradict each other
 * ("20-60 Elderly" recorded as "PREG"). "0 Other" fits any category.
 */
export const CATEGORIES_FOR_HACT_CODE: Record<HactAlertCode, AlertCategory[]> = {
  '0': ['MED', 'PREG', 'MH', 'AGE', 'RISK', 'SAF', 'COMM'],
  '10': ['RISK'],
  '10-10': ['RISK'],
  '20': ['MED', 'PREG', 'MH', 'AGE', 'SAF', 'COMM'],
  '20-10': ['COMM', 'MED'],
  '20-20': ['COMM', 'MED'],
  '20-30': ['MED', 'MH'],
  '20-40': ['MED', 'AGE'],
  '20-50': ['MED'],
  '20-60': ['AGE'],
  '20-70': ['SAF'],
  '30': ['COMM'],
  '40': ['COMM'],
  '50': ['SAF', 'RISK'],
  '60': ['MH', 'AGE', 'SAF'],
};
