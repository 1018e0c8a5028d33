// The work-order status set (OSCRE / HACT repairs: open, assigned, scheduled, in progress, on hold, complete, no access,
// cancelled, variation pending) as a state machine: which moves are allowed, by which roles, and what each needs.
import { ROLE_NAMES, type Role } from '../../../platform/auth/roles.ts';

export const WORK_STATUSES = {
  open: 'Open',
  assigned: 'Assigned',
  scheduled: 'Scheduled',
  'in-progress': 'In progress',
  'on-hold': 'On hold',
  complete: 'Complete',
  'no-access': 'No access',
  cancelled: 'Cancelled',
  'variation-pending': 'Variation pending',
} as const;
export type WorkStatus = keyof typeof WORK_STATUSES;
export const WORK_STATUS_CODES = Object.keys(WORK_STATUSES) as WorkStatus[];

/** Nothing moves a job out of these. A job that needs more work after completion gets a follow-on work order. */
export const TERMINAL_STATUSES: readonly WorkStatus[] = ['complete', 'cancelled'];

export const isWorkStatus = (s: string): s is WorkStatus => Object.hasOwn(WORK_STATUSES, s);

export interface Transition {
  from: WorkStatus;
  to: WorkStatus;
  roles: readonly Role[];
  needs?: 'reason' | 'workDone';
}

const PLANNING: readonly Role[] = ['administrator', 'repairs-planner'];
const ON_SITE: readonly Role[] = ['administrator', 'repairs-planner', 'operative'];
// Housing officers raise and cancel jobs for residents; they do not plan or work them.
const CANCELLING: readonly Role[] = ['administrator', 'repairs-planner', 'housing-officer'];

export const TRANSITIONS: readonly Transition[] = [
  { from: 'open', to: 'assigned', roles: PLANNING },
  { from: 'open', to: 'scheduled', roles: PLANNING },
  { from: 'open', to: 'cancelled', roles: CANCELLING, needs: 'reason' },
  { from: 'assigned', to: 'open', roles: PLANNING },
  { from: 'assigned', to: 'scheduled', roles: PLANNING },
  { from: 'assigned', to: 'cancelled', roles: CANCELLING, needs: 'reason' },
  { from: 'scheduled', to: 'assigned', roles: PLANNING },
  { from: 'scheduled', to: 'in-progress', roles: ON_SITE },
  // Knocked and nobody answered: the job never started.
  { from: 'scheduled', to: 'no-access', roles: ON_SITE, needs: 'reason' },
  // A contractor's completion recorded by the office.
  { from: 'scheduled', to: 'complete', roles: PLANNING, needs: 'workDone' },
  { from: 'scheduled', to: 'cancelled', roles: CANCELLING, needs: 'reason' },
  { from: 'in-progress', to: 'complete', roles: ON_SITE, needs: 'workDone' },
  { from: 'in-progress', to: 'no-access', roles: ON_SITE, needs: 'reason' },
  { from: 'in-progress', to: 'on-hold', roles: ON_SITE, needs: 'reason' },
  { from: 'in-progress', to: 'variation-pending', roles: ON_SITE, needs: 'reason' },
  { from: 'on-hold', to: 'in-progress', roles: ON_SITE },
  { from: 'on-hold', to: 'scheduled', roles: PLANNING },
  { from: 'on-hold', to: 'cancelled', roles: PLANNING, needs: 'reason' },
  // A variation is approved (carry on, or come back another day) or the job is cancelled.
  { from: 'variation-pending', to: 'in-progress', roles: PLANNING },
  { from: 'variation-pending', to: 'scheduled', roles: PLANNING },
  { from: 'variation-pending', to: 'cancelled', roles: PLANNING, needs: 'reason' },
  { from: 'no-access', to: 'scheduled', roles: PLANNING },
  { from: 'no-access', to: 'cancelled', roles: CANCELLING, needs: 'reason' },
];

const find = (from: WorkStatus, to: WorkStatus) => TRANSITIONS.find((t) => t.from === from && t.to === to);

/** Whether this role may move a job from one status to the other. */
export function canTransition(from: WorkStatus, to: WorkStatus, role: Role): boolean {
  return find(from, to)?.roles.includes(role) ?? false;
}

/** The statuses this role may move a job to from `from` (for the buttons on a job). */
export function nextStatuses(from: WorkStatus, role: Role): WorkStatus[] {
  return TRANSITIONS.filter((t) => t.from === from && t.roles.includes(role)).map((t) => t.to);
}

/** The longest reason or description of work done kept with a status change. */
export const MAX_STATUS_TEXT = 2000;

const REASON_ASKS: Partial<Record<WorkStatus, string>> = {
  'on-hold': 'Give a reason the job is on hold',
  'no-access': 'Say why there was no access',
  cancelled: 'Give a reason the job is cancelled',
  'variation-pending': 'Describe the extra work the job needs',
};

export interface TransitionInput { reason?: string | null; workDone?: string | null }
export type TransitionCheck = { ok: true } | { ok: false; field: 'status' | 'reason' | 'workDone'; message: string };

/** Whether a move is allowed, with what it needs; a refusal says why in words and names the field to fix. */
export function checkTransition(from: WorkStatus, to: WorkStatus, role: Role, input: TransitionInput = {}): TransitionCheck {
  const label = (s: WorkStatus) => WORK_STATUSES[s].toLowerCase();
  if (from === to) return { ok: false, field: 'status', message: `The job is already ${label(from)}` };
  if (TERMINAL_STATUSES.includes(from)) {
    return { ok: false, field: 'status', message: `The job is ${label(from)}, so its status cannot change${from === 'complete' ? ': raise a follow-on work order for more work' : ''}` };
  }
  const t = find(from, to);
  if (!t) return { ok: false, field: 'status', message: `A job that is ${label(from)} cannot be moved to ${label(to)}` };
  const who = ROLE_NAMES[role].toLowerCase();
  if (!t.roles.includes(role)) return { ok: false, field: 'status', message: `${/^[aeiou]/.test(who) ? 'An' : 'A'} ${who} cannot move a job from ${label(from)} to ${label(to)}` };
  if (t.needs) {
    const text = (t.needs === 'reason' ? input.reason : input.workDone)?.trim() ?? '';
    const ask = t.needs === 'reason' ? REASON_ASKS[to] ?? 'Give a reason' : 'Describe the work done';
    const what = t.needs === 'reason' ? (to === 'variation-pending' ? 'The extra work' : 'The reason') : 'The work done';
    if (!text) return { ok: false, field: t.needs, message: ask };
    if (text.length > MAX_STATUS_TEXT) return { ok: false, field: t.needs, message: `${what} must be ${MAX_STATUS_TEXT.toLocaleString('en-GB')} characters or fewer` };
  }
  return { ok: true };
}

/** Residents may cancel their repair only until the job is despatched (worked on, or finished with). */
export function residentMayCancel(status: WorkStatus): boolean {
  return status === 'open' || status === 'assigned' || status === 'scheduled';
}
