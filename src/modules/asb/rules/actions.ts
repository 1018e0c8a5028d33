// A case's action plan: each of the landlord's actions with the time it is due, from the case's priority and the
// complainant's risk level; how often the complainant must be updated; and which actions are overdue.
//
// Each action is due by its target for the case's priority (or the priority's response target, for an action without
// targets of its own). A complainant at medium or high risk may have a tighter target for it: the sooner of the two
// due times applies, so risk only ever brings an action forward. Due times are instants: the end of a UK working day
// for working-day targets (dates.ts), the exact hour for hour targets.
import { addWorkingDays, workingDaysBetween } from '../../hazards/index.ts';
import { govukDate, govukDateTime, ukDate } from '../../../platform/uk-time.ts';
import { addDays, dueBy, endOfUkDay, targetWords } from './dates.ts';
import { RISK_LEVEL_LABELS, type AsbSettings, type RiskLevel, type Target } from './settings.ts';

export interface PlannedAction {
  code: string;
  label: string;
  due: Date;
  /** The target that set the due time. */
  target: Target;
  /** Whether that target was the priority's or the risk level's (tighter). */
  setBy: 'priority' | 'risk';
  /** In words, for the case page. */
  words: string;
}

export interface PlanInput {
  /** The case's priority code. */
  priority: string;
  /** The complainant's current risk level. */
  risk: RiskLevel;
  /** When the case was opened: targets count from here. */
  openedAt: Date;
}

const dueWords = (target: Target, due: Date) => (target.unit === 'hours' ? govukDateTime(due) : `the end of ${govukDate(ukDate(due))}`);

/** The case's actions, in the landlord's order, each with its due time. Throws on an unknown priority. */
export function actionPlan(settings: Pick<AsbSettings, 'priorities' | 'actions'>, input: PlanInput): PlannedAction[] {
  const priority = settings.priorities.find((p) => p.code === input.priority);
  if (!priority) throw new RangeError(`not a priority in these ASB settings: ${JSON.stringify(input.priority)}`);
  return settings.actions.map((action) => {
    const byPriority = action.byPriority?.[priority.code] ?? priority.response;
    const byRisk = input.risk === 'standard' ? undefined : action.byRisk?.[input.risk];
    const priorityDue = dueBy(byPriority, input.openedAt);
    const riskDue = byRisk ? dueBy(byRisk, input.openedAt) : undefined;
    // The risk target applies only when it is sooner; on a tie the priority's is named.
    const risky = riskDue !== undefined && byRisk !== undefined && riskDue.getTime() < priorityDue.getTime();
    const target = risky ? byRisk : byPriority;
    const due = risky ? riskDue : priorityDue;
    const why = risky
      ? `${RISK_LEVEL_LABELS[input.risk].toLowerCase()}: ${targetWords(target)}, sooner than ${priority.label}'s ${targetWords(byPriority)}`
      : `${priority.label}: ${targetWords(target)}`;
    return { code: action.code, label: action.label, due, target, setBy: risky ? 'risk' : 'priority', words: `Due by ${dueWords(target, due)} (${why})` };
  });
}

/** An action as it stands: when it was due, and when it was done (null or absent while not done). */
export interface ActionState { due: Date; doneAt?: Date | null }

/** The actions not done whose due time has passed. An action done late is not overdue: it is done. */
export function overdue<T extends ActionState>(actions: readonly T[], now: Date): T[] {
  return actions.filter((a) => (a.doneAt ?? null) === null && now.getTime() > a.due.getTime());
}

export interface UpdatesDue {
  /** Working days between updates for this risk level. */
  everyWorkingDays: number;
  /** When the next update is due: the end of the working day that many working days after the last update. */
  due: Date;
  overdue: boolean;
  /** How many updates have fallen due since the last one without being made. */
  missed: number;
  words: string;
}

/**
 * When the complainant must next be updated: at least every N working days after the last update (or after the case
 * was opened, when there has been none), N tighter for medium or high risk where the landlord set it.
 */
export function complainantUpdatesDue(settings: Pick<AsbSettings, 'complainantUpdates'>, input: { risk: RiskLevel; lastUpdateAt: Date }, now: Date): UpdatesDue {
  const { workingDays, byRisk } = settings.complainantUpdates;
  const every = (input.risk === 'standard' ? undefined : byRisk?.[input.risk]) ?? workingDays;
  const last = ukDate(input.lastUpdateAt);
  const dueDate = addWorkingDays(last, every);
  const due = endOfUkDay(dueDate);
  if (now.getTime() <= due.getTime()) {
    return { everyWorkingDays: every, due, overdue: false, missed: 0, words: `Update the complainant by the end of ${govukDate(dueDate)} (every ${every} working days)` };
  }
  // Due dates fall every `every` working days after the last update; those up to yesterday have passed (at least the
  // first, since now is past its end).
  const missed = Math.floor(workingDaysBetween(last, addDays(ukDate(now), -1)) / every);
  return {
    everyWorkingDays: every, due, overdue: true, missed,
    words: `Overdue: the complainant should have been updated by the end of ${govukDate(dueDate)} (every ${every} working days)`,
  };
}
