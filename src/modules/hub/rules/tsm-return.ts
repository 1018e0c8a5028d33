// A landlord's Tenant Satisfaction Measures return, in the regulator's shape: the perception measures TP01–TP12 for
// each tenure group apart (LCRA, low cost rental accommodation; LCHO, low cost home ownership), each with its survey's
// method, sample size and precision at 95% confidence; and the management-information measures as counts with their
// proportions or rates.
//
// - A perception measure is the share of valid answers that are satisfied (TP08: agree). "Don't know", "not
//   applicable" and the like are not offered but accepted when given unprompted; they are left out of the
//   denominator. A measure nobody answered is null, not 0.
// - Precision is the survey's, worst case (p = 0.5): 1.96 × √(0.25 ÷ n) × √((N − n) ÷ (N − 1)), n surveys completed
//   of N homes in the group, in percentage points to 1 decimal place. The regulator asks for ±5% under 2,500 homes,
//   ±4% from 2,500 to 9,999 and ±3% from 10,000; it is met when the stated figure is at most that (a landlord with
//   7,271 LCRA homes gives 554 as its minimum sample: ±4.0%).
// - Rounding, halves up, in whole numbers (so no floating-point error): percentages to 1 decimal place, rates per
//   1,000 homes to 2 (as Hearth's own NM01 does).
import { csvDocument } from '../../../platform/http/csv.ts';

export const PERCEPTION_CODES = ['TP01', 'TP02', 'TP03', 'TP04', 'TP05', 'TP06', 'TP07', 'TP08', 'TP09', 'TP10', 'TP11', 'TP12'] as const;
export type PerceptionCode = (typeof PERCEPTION_CODES)[number];

/** (1) and (2): emergency and other repairs (RP02); stage 1 and stage 2 complaints (CH01, CH02); ASB and hate-incident cases (NM01). */
export const MANAGEMENT_CODES = ['RP01', 'RP02(1)', 'RP02(2)', 'BS01', 'BS02', 'BS03', 'BS04', 'BS05',
  'CH01(1)', 'CH01(2)', 'CH02(1)', 'CH02(2)', 'NM01(1)', 'NM01(2)'] as const;
export type ManagementCode = (typeof MANAGEMENT_CODES)[number];
const PER_THOUSAND: readonly ManagementCode[] = ['CH01(1)', 'CH01(2)', 'NM01(1)', 'NM01(2)'];

export const TENURE_GROUPS = ['LCRA', 'LCHO'] as const;
export type TenureGroup = (typeof TENURE_GROUPS)[number];
/** Management measures are reported for one group or, as the regulator asks for some, for both together. */
export type MeasureTenure = TenureGroup | 'LCRA and LCHO';
const TENURE_ORDER: readonly MeasureTenure[] = ['LCRA', 'LCHO', 'LCRA and LCHO'];

/** How the survey was carried out; a landlord that used several may list each, or say mixed methods. */
export const SURVEY_METHODS = ['postal', 'telephone', 'online', 'face to face', 'mixed methods'] as const;
export type SurveyMethod = (typeof SURVEY_METHODS)[number];

export const PERCENT_PLACES = 1;
export const PER_THOUSAND_PLACES = 2;
/** z for 95% confidence. */
const Z95 = 1.96;

export type Unit = '%' | 'per 1,000 homes';

export interface PerceptionAnswers {
  /** Very or fairly satisfied (TP08: strongly agree or agree). */
  satisfied: number;
  /** Neither, fairly or very dissatisfied (TP08: neither, disagree or strongly disagree). */
  notSatisfied: number;
  /** "Don't know", "not applicable" and the like, given unprompted: left out. */
  excluded?: number;
}

export interface TenureGroupInput {
  tenure: TenureGroup;
  /** Homes of this tenure the landlord owns: the survey's population. */
  homes: number;
  survey: { methods: readonly SurveyMethod[]; /** Surveys completed. */ sampleSize: number };
  perception: Partial<Record<PerceptionCode, PerceptionAnswers>>;
}

export interface ManagementInput {
  code: ManagementCode;
  tenure: MeasureTenure;
  /** What is counted: homes not decent, repairs in target, checks done, complaints, cases. */
  numerator: number;
  /** What it is out of: homes, repairs, checks due, complaints; homes for a rate per 1,000. */
  denominator: number;
}

export interface TsmReturnInput {
  landlord: string;
  registrationNumber: string;
  /** The reporting year, "2025/26" (1 April 2025 to 31 March 2026). */
  period: string;
  groups: readonly TenureGroupInput[];
  management?: readonly ManagementInput[];
}

export interface PerceptionMeasure {
  code: PerceptionCode;
  satisfied: number;
  /** Valid answers: the denominator. */
  responses: number;
  excluded: number;
  /** Percentage satisfied, to 1 decimal place; null when nobody answered. */
  value: number | null;
}

export interface TenureGroupReturn {
  tenure: TenureGroup;
  homes: number;
  methods: SurveyMethod[];
  sampleSize: number;
  /** ± percentage points at 95% confidence, to 1 decimal place; null with no surveys. */
  precision: number | null;
  requiredPrecision: number;
  precisionMet: boolean;
  measures: PerceptionMeasure[];
}

export interface ManagementMeasure extends ManagementInput {
  value: number | null;
  unit: Unit;
}

export interface TsmReturn {
  landlord: string;
  registrationNumber: string;
  period: string;
  groups: TenureGroupReturn[];
  management: ManagementMeasure[];
}

function wholeNumber(n: unknown, field: string, min = 0): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) throw new RangeError(`${field}: must be a whole number, ${min} or more (got ${String(n)})`);
  return n;
}

/** numerator ÷ denominator × scale to `places` decimal places, halves up, worked in whole numbers; null for 0 ÷ 0. */
export function roundedRatio(numerator: number, denominator: number, scale: number, places: number): number | null {
  wholeNumber(numerator, 'numerator');
  wholeNumber(denominator, 'denominator');
  if (denominator === 0) return null;
  const unit = 10n ** BigInt(places);
  const n = BigInt(numerator) * BigInt(scale) * unit;
  const d = BigInt(denominator);
  return Number((2n * n + d) / (2n * d)) / Number(unit);
}

/** A percentage to 1 decimal place (2 of 3 is 66.7); null when the denominator is 0. */
export function percentage(numerator: number, denominator: number): number | null {
  return roundedRatio(numerator, denominator, 100, PERCENT_PLACES);
}

/** The margin of error at 95% confidence, worst case, in percentage points to 1 decimal place (400 of 10,000: 4.8). */
export function marginOfError(sampleSize: number, population: number): number {
  wholeNumber(sampleSize, 'sample size', 1);
  wholeNumber(population, 'homes', 1);
  if (sampleSize > population) throw new RangeError(`sample size: ${sampleSize} surveys is more than the ${population} homes surveyed`);
  if (sampleSize === population) return 0; // a census has no sampling error
  const margin = Z95 * Math.sqrt(0.25 / sampleSize) * Math.sqrt((population - sampleSize) / (population - 1));
  return Math.round(margin * 1000) / 10;
}

/** The precision the regulator asks for, in ± percentage points, by the number of homes in the tenure group. */
export function requiredPrecision(homes: number): number {
  wholeNumber(homes, 'homes');
  return homes < 2_500 ? 5 : homes < 10_000 ? 4 : 3;
}

function group(g: TenureGroupInput, at: string): TenureGroupReturn {
  if (!TENURE_GROUPS.includes(g.tenure)) throw new RangeError(`${at}.tenure: must be LCRA or LCHO (got ${String(g.tenure)})`);
  const homes = wholeNumber(g.homes, `${at}.homes`, 1);
  const sampleSize = wholeNumber(g.survey?.sampleSize, `${at}.survey.sampleSize`);
  if (sampleSize > homes) throw new RangeError(`${at}.survey.sampleSize: ${sampleSize} surveys is more than the ${homes} homes`);
  const methods = [...(g.survey.methods ?? [])];
  methods.forEach((m, i) => {
    if (!SURVEY_METHODS.includes(m)) throw new RangeError(`${at}.survey.methods[${i}]: must be one of ${SURVEY_METHODS.join(', ')} (got ${String(m)})`);
  });
  if (sampleSize > 0 && methods.length === 0) throw new RangeError(`${at}.survey.methods: say how the survey was done`);
  for (const code of Object.keys(g.perception ?? {})) {
    if (!(PERCEPTION_CODES as readonly string[]).includes(code)) throw new RangeError(`${at}.perception.${code}: not a perception measure (TP01 to TP12)`);
  }
  const measures = PERCEPTION_CODES.map((code): PerceptionMeasure => {
    const a = g.perception?.[code];
    const field = `${at}.perception.${code}`;
    const satisfied = a ? wholeNumber(a.satisfied, `${field}.satisfied`) : 0;
    const notSatisfied = a ? wholeNumber(a.notSatisfied, `${field}.notSatisfied`) : 0;
    const excluded = a ? wholeNumber(a.excluded ?? 0, `${field}.excluded`) : 0;
    const responses = satisfied + notSatisfied;
    if (responses + excluded > sampleSize) {
      throw new RangeError(`${field}: ${responses + excluded} answers is more than the ${sampleSize} surveys completed`);
    }
    return { code, satisfied, responses, excluded, value: percentage(satisfied, responses) };
  });
  const precision = sampleSize > 0 ? marginOfError(sampleSize, homes) : null;
  const required = requiredPrecision(homes);
  return {
    tenure: g.tenure, homes, methods, sampleSize, precision, requiredPrecision: required,
    precisionMet: precision !== null && precision <= required, measures,
  };
}

function management(m: ManagementInput, at: string): ManagementMeasure {
  if (!(MANAGEMENT_CODES as readonly string[]).includes(m.code)) throw new RangeError(`${at}.code: not a management measure (got ${String(m.code)})`);
  if (!TENURE_ORDER.includes(m.tenure)) throw new RangeError(`${at}.tenure: must be LCRA, LCHO or LCRA and LCHO (got ${String(m.tenure)})`);
  const numerator = wholeNumber(m.numerator, `${at}.numerator`);
  const denominator = wholeNumber(m.denominator, `${at}.denominator`);
  if (PER_THOUSAND.includes(m.code)) {
    if (denominator < 1) throw new RangeError(`${at}.denominator: a rate per 1,000 homes needs the number of homes`);
    return { code: m.code, tenure: m.tenure, numerator, denominator, unit: 'per 1,000 homes', value: roundedRatio(numerator, denominator, 1000, PER_THOUSAND_PLACES) };
  }
  if (numerator > denominator) throw new RangeError(`${at}.numerator: ${numerator} is more than the denominator, ${denominator}`);
  return { code: m.code, tenure: m.tenure, numerator, denominator, unit: '%', value: percentage(numerator, denominator) };
}

/** The return, each tenure group apart (LCRA first), measures in the regulator's order. */
export function tsmReturn(input: TsmReturnInput): TsmReturn {
  for (const field of ['landlord', 'registrationNumber'] as const) {
    if (typeof input[field] !== 'string' || !input[field].trim()) throw new RangeError(`${field}: required`);
  }
  const period = /^(\d{4})\/(\d{2})$/.exec(input.period ?? '');
  if (!period || (Number(period[1]) + 1) % 100 !== Number(period[2])) throw new RangeError(`period: a reporting year such as 2025/26 (got ${String(input.period)})`);
  const seen = new Set<string>();
  const groups = input.groups.map((g, i) => {
    if (seen.has(g.tenure)) throw new RangeError(`groups[${i}].tenure: ${g.tenure} is given twice`);
    seen.add(g.tenure);
    return group(g, `groups[${i}]`);
  }).sort((a, b) => TENURE_ORDER.indexOf(a.tenure) - TENURE_ORDER.indexOf(b.tenure));
  const keys = new Set<string>();
  const measures = (input.management ?? []).map((m, i) => {
    const key = `${m.code} ${m.tenure}`;
    if (keys.has(key)) throw new RangeError(`management[${i}]: ${m.code} for ${m.tenure} is given twice`);
    keys.add(key);
    return management(m, `management[${i}]`);
  }).sort((a, b) => MANAGEMENT_CODES.indexOf(a.code) - MANAGEMENT_CODES.indexOf(b.code) || TENURE_ORDER.indexOf(a.tenure) - TENURE_ORDER.indexOf(b.tenure));
  return { landlord: input.landlord.trim(), registrationNumber: input.registrationNumber.trim(), period: input.period, groups, management: measures };
}

export const TSM_CSV_COLUMNS = ['landlord', 'registration number', 'period', 'tenure group', 'measure code', 'numerator', 'denominator',
  'value', 'unit', 'responses', 'method', 'sample size', 'precision', 'precision met'] as const;

/** One row per measure per tenure group, for any number of landlords' returns; every cell made safe for a spreadsheet. */
export function tsmReturnCsv(returns: readonly TsmReturn[]): string {
  const rows: unknown[][] = [[...TSM_CSV_COLUMNS]];
  for (const r of returns) {
    const who = [r.landlord, r.registrationNumber, r.period];
    for (const g of r.groups) {
      const survey = [g.methods.join(' and '), g.sampleSize, g.precision, g.precisionMet ? 'yes' : 'no'];
      for (const m of g.measures) rows.push([...who, g.tenure, m.code, m.satisfied, m.responses, m.value, '%', m.responses, ...survey]);
    }
    for (const m of r.management) rows.push([...who, m.tenure, m.code, m.numerator, m.denominator, m.value, m.unit, null, null, null, null, null]);
  }
  return csvDocument(rows);
}
