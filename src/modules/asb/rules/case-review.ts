// The ASB Case Review (formerly the community trigger), Anti-social Behaviour, Crime and Policing Act 2014, s.104:
// whether the threshold for a review is met, which reports qualified and, in words, why each of the others did not.
//
// A report qualifies when it was made within the rule's period beginning with the day of the incident it reports
// (nationally: one month), and the review is asked for within the window beginning with the day the report was made
// (nationally: six months). Periods "beginning with" a day include it (dates.ts). A local variant may ask for more
// reports, for each from a different person, or for at least some number of different people.
//
// The reports passed in are about the same problem: the caller groups them (the reports an applicant names, or those
// of one case and its linked cases). Reports are considered in the order they were made.
import { govukDate, ukDate } from '../../../platform/uk-time.ts';
import { periodEnd } from './dates.ts';
import type { AsbSettings, CaseReviewRule } from './settings.ts';

export interface AsbReport {
  id: string;
  /** Who made it (a person's id); null when not known, such as an anonymous report. */
  reporterId: string | null;
  /** The UK date the incident it reports happened (yyyy-mm-dd). */
  incidentOn: string;
  /** When the report was made. */
  reportedAt: Date;
}

export interface CaseReviewResult {
  /** The rule's name. */
  rule: string;
  met: boolean;
  /** The ids of the reports that qualified, in the order they were made. */
  qualifying: string[];
  /** The others, each with why it did not qualify. */
  notQualifying: { id: string; reasons: string[] }[];
  /** How many different known people made the qualifying reports. */
  differentReporters: number;
  words: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const periodWords = (amount: number, unit: 'days' | 'months') => plural(amount, unit.slice(0, -1));

/** Why a report does not qualify on its dates (none when it does). */
function dateReasons(rule: CaseReviewRule, report: AsbReport, reportedOn: string, today: string): string[] {
  const reasons: string[] = [];
  if (reportedOn > today) reasons.push(`It was made on ${govukDate(reportedOn)}, after the date of this check (${govukDate(today)})`);
  if (report.incidentOn > reportedOn) {
    reasons.push(`It says the incident happened on ${govukDate(report.incidentOn)}, after the report was made on ${govukDate(reportedOn)}: check the dates`);
  } else {
    const lastDay = periodEnd(report.incidentOn, rule.reportWithin.amount, rule.reportWithin.unit);
    if (reportedOn > lastDay) {
      reasons.push(`It was made on ${govukDate(reportedOn)}, more than ${periodWords(rule.reportWithin.amount, rule.reportWithin.unit)} after the incident on ${govukDate(report.incidentOn)}: it needed to be made by ${govukDate(lastDay)}`);
    }
  }
  const countsUntil = periodEnd(reportedOn, rule.windowMonths, 'months');
  if (today > countsUntil) {
    reasons.push(`It was made on ${govukDate(reportedOn)}, more than ${periodWords(rule.windowMonths, 'months')} ago: it counted towards a review asked for by ${govukDate(countsUntil)}`);
  }
  return reasons;
}

/**
 * Checks one Case Review rule against the reports about a problem, as of `now` (when the review was asked for).
 * Throws on a report whose incident date is not a real yyyy-mm-dd date.
 */
export function caseReviewCheck(rule: CaseReviewRule, reports: readonly AsbReport[], now: Date): CaseReviewResult {
  const today = ukDate(now);
  const ordered = [...reports].sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const qualifying: AsbReport[] = [];
  const notQualifying: CaseReviewResult['notQualifying'] = [];
  const counted = new Map<string, string>(); // reporter → the report of theirs that counts

  for (const report of ordered) {
    const reasons = dateReasons(rule, report, ukDate(report.reportedAt), today);
    if (reasons.length === 0 && rule.differentReporters) {
      // Only one report a person counts; a report from someone unknown cannot be told apart from the others.
      if (report.reporterId === null) reasons.push('We do not know who made it, so it cannot count as a report from a different person');
      else if (counted.has(report.reporterId)) reasons.push(`It is from the same person as report ${counted.get(report.reporterId)}, which already counts: each report must come from a different person`);
    }
    if (reasons.length) { notQualifying.push({ id: report.id, reasons }); continue; }
    qualifying.push(report);
    if (report.reporterId !== null && !counted.has(report.reporterId)) counted.set(report.reporterId, report.id);
  }

  const people = counted.size;
  const enoughReports = qualifying.length >= rule.minReports;
  const enoughPeople = rule.minDifferentReporters === undefined || people >= rule.minDifferentReporters;
  const met = enoughReports && enoughPeople;
  const found = `${plural(qualifying.length, 'qualifying report')} (${rule.minReports} needed)`;
  const peopleWords = rule.minDifferentReporters === undefined ? '' : `, from ${plural(people, 'known person', 'known people')} (${rule.minDifferentReporters} needed)`;
  const words = `${rule.name}: ${met ? 'met' : 'not met'}. ${found}${peopleWords}.`;
  return { rule: rule.name, met, qualifying: qualifying.map((r) => r.id), notQualifying, differentReporters: people, words };
}

/** Checks each of the landlord's Case Review rules: the threshold is met when any of them is. */
export function caseReviewThreshold(settings: Pick<AsbSettings, 'caseReviewRules'>, reports: readonly AsbReport[], now: Date): { met: boolean; results: CaseReviewResult[] } {
  const results = settings.caseReviewRules.map((rule) => caseReviewCheck(rule, reports, now));
  return { met: results.some((r) => r.met), results };
}
