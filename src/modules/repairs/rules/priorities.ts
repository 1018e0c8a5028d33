// Priorities at work: when a repair is due, where it stands against its target, and diagnosis (the priority a repair
// ends up with once the resident's words and the household's alerts are read).
//
// Working-day targets count as the hazards clocks do (hazards' addWorkingDays): the day the repair was raised is day 0,
// and the target runs to the END of the Nth working day after it in UK time (England and Wales bank holidays excluded).
// Hour targets run from the moment it was raised, around the clock.
import { addWorkingDays, detectDampMould, workingDaysBetween, type DampResult } from '../../hazards/index.ts';
import { endOfUkDay, govukDate, govukDateTime, ukDate } from '../../../platform/uk-time.ts';
import type { Priority, RepairSettings } from './settings.ts';

const HOUR_MS = 3_600_000;


/** When a repair of this priority raised at `raisedAt` is due. */
export function dueAt(priority: Pick<Priority, 'target'>, raisedAt: Date): Date {
  const { amount, unit } = priority.target;
  if (unit === 'hours') return new Date(raisedAt.getTime() + amount * HOUR_MS);
  return endOfUkDay(addWorkingDays(ukDate(raisedAt), amount));
}

export type SlaStateName = 'met' | 'missed' | 'overdue' | 'due-soon' | 'on-time';
export interface SlaState { due: Date; state: SlaStateName; words: string }

/**
 * Where a repair stands against its target. Done: met (completed by the due time) or missed. Not done: overdue (past
 * due), due soon (an hour target within 2 hours; a working-day target due by the end of today or of the next working
 * day), otherwise on time.
 */
export function slaState(priority: Pick<Priority, 'target'>, raisedAt: Date, completedAt: Date | null, now: Date): SlaState {
  const due = dueAt(priority, raisedAt);
  const byHours = priority.target.unit === 'hours';
  const when = byHours ? govukDateTime(due) : `the end of ${govukDate(ukDate(due))}`;
  if (completedAt) {
    return completedAt.getTime() <= due.getTime()
      ? { due, state: 'met', words: `Completed on time (due by ${when})` }
      : { due, state: 'missed', words: `Completed late (it was due by ${when})` };
  }
  if (now.getTime() > due.getTime()) return { due, state: 'overdue', words: `Overdue: it was due by ${when}` };
  const soon = byHours
    ? due.getTime() - now.getTime() <= 2 * HOUR_MS
    : workingDaysBetween(ukDate(now), ukDate(due)) <= 1;
  return soon ? { due, state: 'due-soon', words: `Due soon: by ${when}` } : { due, state: 'on-time', words: `Due by ${when}` };
}

function priorityOf(settings: Pick<RepairSettings, 'priorities'>, code: string): Priority {
  const p = settings.priorities.find((x) => x.code === code);
  if (!p) throw new RangeError(`not a priority in these repair settings: ${JSON.stringify(code)}`);
  return p;
}

/** The more urgent (lower rank) of two priorities' codes; the first when they are the same. Throws on an unknown code. */
export function raise(settings: Pick<RepairSettings, 'priorities'>, priorityCode: string, toCode: string): string {
  const from = priorityOf(settings, priorityCode);
  const to = priorityOf(settings, toCode);
  return to.rank < from.rank ? to.code : from.code;
}

export interface DiagnoseInput {
  /** The priority the triage tree's leaf gave. */
  leafPriority: string;
  /** The resident's (or officer's) own words. */
  description: string;
  /** The household's current alerts: their HACT codes and UKHDS categories, as recorded. */
  alertCodes: readonly string[];
}

export interface Diagnosis {
  /** The priority's code after diagnosis: never less urgent than the leaf's. */
  priority: string;
  /** Why the priority differs from the leaf's (or why it did not need to), for staff. */
  reasons: string[];
  /** What the operative may see on the job ("Visit in pairs"), once each, in the rules' order. */
  operativeWords: string[];
  /** What the damp and mould detector found in the description. */
  damp: DampResult;
}

/**
 * Reads a repair against the landlord's rules. A sign of damp or mould in the description raises it to the Awaab's
 * priority (unless it is already more urgent); each alert rule a household alert matches raises it to the rule's
 * priority (if the rule has one) and adds the rule's words for the operative. Rules match codes exactly, so a rule
 * for "20" does not match "20-60" unless it lists it. The alerts themselves never appear in what is returned.
 */
export function diagnose(settings: RepairSettings, input: DiagnoseInput): Diagnosis {
  let priority = priorityOf(settings, input.leafPriority).code;
  const reasons: string[] = [];
  const label = (code: string) => priorityOf(settings, code).label;
  const applyRaise = (to: string, because: string) => {
    const raised = raise(settings, priority, to);
    if (raised !== priority) reasons.push(`${because}: raised from ${label(priority)} to ${label(raised)}`);
    else if (to !== priority) reasons.push(`${because}: stays ${label(priority)}, which is sooner than ${label(to)}`);
    else reasons.push(`${because}: ${label(priority)}`);
    priority = raised;
  };

  const damp = detectDampMould(input.description);
  if (damp.flagged) {
    const phrases = [...new Set(damp.evidence.map((e) => e.phrase.toLowerCase()))].slice(0, 3);
    applyRaise(settings.awaabPriority, `Signs of damp or mould in the description (${phrases.map((p) => `"${p}"`).join(', ')})`);
  }

  const codes = new Set(input.alertCodes);
  const operativeWords: string[] = [];
  for (const rule of settings.alertRules) {
    if (!rule.codes.some((c) => codes.has(c))) continue;
    if (rule.raiseTo !== undefined) applyRaise(rule.raiseTo, `A household alert (${rule.name})`);
    if (!operativeWords.includes(rule.operativeWords)) operativeWords.push(rule.operativeWords);
  }
  return { priority, reasons, operativeWords, damp };
}
