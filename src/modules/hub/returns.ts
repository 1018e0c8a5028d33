// TSM returns from what landlords published to the hub (issue 16): each landlord's measures records for a reporting
// year (1 April to 31 March), LCRA and LCHO apart, turned into the regulator's shape by rules/tsm-return.ts (survey
// method, sample size and the precision at 95% against what the regulator asks for). A landlord whose records do not
// make a return (more surveys than homes, say) is listed with the reason rather than dropped in silence.
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/store.ts';
import { MEASURES, type MeasuresRecord } from './standard/schema.ts';
import {
  tsmReturn, tsmReturnCsv, type ManagementCode, type ManagementInput, type PerceptionCode, type SurveyMethod, type TenureGroupInput, type TsmReturn,
} from './rules/tsm-return.ts';

const METHOD: Readonly<Record<string, SurveyMethod>> = {
  postal: 'postal', online: 'online', telephone: 'telephone', 'face-to-face': 'face to face', mixed: 'mixed methods',
};

/** "rp02_1" → "RP02(1)"; "tp01" → "TP01". */
const code = (key: string) => key.toUpperCase().replace(/_(\d)$/, '($1)');

/** The reporting year a period is, as the regulator writes it ("2025/26"), or null when it is not 1 April to 31 March. */
export function reportingYear(from: string, to: string): string | null {
  const y = Number(from.slice(0, 4));
  return from === `${y}-04-01` && to === `${y + 1}-03-31` ? `${y}/${String((y + 1) % 100).padStart(2, '0')}` : null;
}

/** The regulator's input for one landlord's records of one year. */
export function returnInput(landlord: string, registration: string, period: string, records: readonly MeasuresRecord[]) {
  const groups: TenureGroupInput[] = [];
  const management: ManagementInput[] = [];
  for (const r of records) {
    const m = r as unknown as Record<string, { numerator?: number; denominator?: number; satisfied?: number; responses?: number } | undefined>;
    if (r.survey) {
      const perception: TenureGroupInput['perception'] = {};
      for (const d of MEASURES) {
        const v = m[d.key];
        if (d.kind === 'perception' && v) perception[code(d.key) as PerceptionCode] = { satisfied: v.satisfied!, notSatisfied: v.responses! - v.satisfied! };
      }
      groups.push({ tenure: r.tenureGroup, homes: r.survey.population, survey: { methods: [METHOD[r.survey.method]!], sampleSize: r.survey.sampleSize }, perception });
    }
    for (const d of MEASURES) {
      const v = m[d.key];
      if (d.kind !== 'perception' && v) management.push({ code: code(d.key) as ManagementCode, tenure: r.tenureGroup, numerator: v.numerator!, denominator: v.denominator! });
    }
  }
  return { landlord, registrationNumber: registration, period, groups, management };
}

export interface HubReturns {
  year: string;
  returns: TsmReturn[];
  /** Landlords with records for the year that do not make a return, and why. */
  problems: { publisher: string; name: string; reason: string }[];
}

/** Every landlord's return for the year starting 1 April `startYear` (or one landlord's). */
export async function hubTsmReturns(db: Db, startYear: number, publisher?: string): Promise<HubReturns> {
  const from = `${startYear}-04-01`;
  const to = `${startYear + 1}-03-31`;
  const year = reportingYear(from, to)!;
  const rows = (await db.execute(sql`SELECT m.publisher, p.name, m.record FROM hub.measures m JOIN hub.publishers p ON p.publisher = m.publisher
    WHERE m.period_from = ${from} AND m.period_to = ${to} ${publisher ? sql`AND m.publisher = ${publisher}` : sql``}
    ORDER BY p.name, m.publisher, m.tenure_group DESC`)).rows as { publisher: string; name: string; record: MeasuresRecord }[];
  const byPublisher = new Map<string, { name: string; records: MeasuresRecord[] }>();
  for (const r of rows) {
    const entry = byPublisher.get(r.publisher) ?? { name: r.name, records: [] };
    entry.records.push(r.record);
    byPublisher.set(r.publisher, entry);
  }
  const returns: TsmReturn[] = [];
  const problems: HubReturns['problems'] = [];
  for (const [p, { name, records }] of byPublisher) {
    try {
      returns.push(tsmReturn(returnInput(name, p, year, records)));
    } catch (err) {
      problems.push({ publisher: p, name, reason: (err as Error).message });
    }
  }
  return { year, returns, problems };
}

export const hubTsmReturnsCsv = (r: HubReturns) => tsmReturnCsv(r.returns);
