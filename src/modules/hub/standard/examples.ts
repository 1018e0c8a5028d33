// One valid record of each type, as the documentation shows them: for tests, and a starting point for publishers.
import type { DeletionRecord, HomeRecord, MeasuresRecord, StandardBatch } from './schema.ts';

export const EXAMPLE_HOME: HomeRecord = {
  type: 'home',
  landlordReference: 'HM-000123',
  uprn: '72245012',
  localAuthority: 'E08000035',
  rentType: 'social-rent',
  needsType: 'general-needs',
  propertyType: 'flat',
  bedrooms: 2,
  buildYear: 1968,
  block: { blockReference: 'BLK-0042', storeys: 11, heightMetres: 31.5, residentialUnits: 66, higherRisk: true },
};

export const EXAMPLE_MEASURES: MeasuresRecord = {
  type: 'measures',
  landlord: 'L1234',
  period: { from: '2025-04-01', to: '2026-03-31' },
  tenureGroup: 'LCRA',
  dampAndMould: { openCases: 41, clocksMet: 388, clocksMissed: 12 },
  rp01: { numerator: 312, denominator: 12_480 },
  rp02_1: { numerator: 30_115, denominator: 34_002 },
  rp02_2: { numerator: 5_804, denominator: 5_920 },
  nm01_1: { numerator: 402, denominator: 12_480 },
  nm01_2: { numerator: 9, denominator: 12_480 },
  bs01: { numerator: 11_902, denominator: 11_910 },
  bs02: { numerator: 640, denominator: 640 },
  bs03: { numerator: 2_205, denominator: 2_210 },
  bs04: { numerator: 640, denominator: 640 },
  bs05: { numerator: 1_880, denominator: 1_880 },
  ch01_1: { numerator: 610, denominator: 12_480 },
  ch01_2: { numerator: 88, denominator: 12_480 },
  ch02_1: { numerator: 571, denominator: 602 },
  ch02_2: { numerator: 80, denominator: 85 },
  tp01: { satisfied: 820, responses: 1_110 },
  tp02: { satisfied: 700, responses: 905 },
  tp05: { satisfied: 880, responses: 1_098 },
  tp12: { satisfied: 402, responses: 760 },
  survey: { method: 'mixed', sampleSize: 1_110, population: 12_480, fieldworkFrom: '2025-09-01', fieldworkTo: '2026-02-28' },
};

export const EXAMPLE_DELETION: DeletionRecord = { type: 'deletion', kind: 'home', landlordReference: 'HM-000099', deleted: true };

export const EXAMPLE_BATCH: StandardBatch = { standard: '1.0', publisher: 'L1234', records: [EXAMPLE_HOME, EXAMPLE_MEASURES, EXAMPLE_DELETION] };
