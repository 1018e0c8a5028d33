// The ASB Case Review (formerly the community trigger; Anti-social Behaviour, Crime and Policing Act 2014, s.104):
// service.ts flags a case and records the finding when the threshold is met; this records the review itself, when it
// is (or was) held, its outcome and the panel's recommendations. A review may be asked for after a case has closed
// (reports count for six months, and a closure the complainant disputes is a common reason to ask), so closed cases
// take it too.
import { and, eq } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { audit } from '../../platform/audit/service.ts';
import { notFound, Problem, type FieldError } from '../../platform/http/problem.ts';
import { isCalendarDate } from '../../platform/http/formats.ts';
import { govukDate, ukDate } from '../../platform/uk-time.ts';
import { asbCaseReviews, asbCases } from './schema.ts';
import { needAsbWrite } from './alerts.ts';
import type { AsbCaseReview } from './service.ts';
import { isUuid } from '../../platform/uuid.ts';

/**
 * What a review can conclude, in the words of the published procedures: the panel recommends further action (an
 * action plan for the agencies), finds the response so far was reasonable, or sends it to another process.
 */
export const CASE_REVIEW_OUTCOMES = {
  'recommendations-made': 'Recommendations made',
  'no-further-action': 'No further action',
  'referred-elsewhere': 'Referred elsewhere',
} as const;
export type CaseReviewOutcome = keyof typeof CASE_REVIEW_OUTCOMES;

/** What each outcome means, for the form's hints and the API's description. */
export const CASE_REVIEW_OUTCOME_HINTS: Record<CaseReviewOutcome, string> = {
  'recommendations-made': 'The panel agreed further action, such as an action plan for the agencies',
  'no-further-action': 'The panel found the response so far was reasonable and nothing more can be done',
  'referred-elsewhere': 'Sent to another process, such as a complaint, safeguarding or another agency',
};

export const RECOMMENDATIONS_MAX = 10_000;

export interface CaseReviewInput {
  /** When the review is or was held (a UK date). */
  reviewOn: string;
  /** Only once the review date is today or past; left out or null: none yet. */
  outcome?: CaseReviewOutcome | null;
  recommendations?: string | null;
}

const isOutcome = (v: unknown): v is CaseReviewOutcome => typeof v === 'string' && Object.hasOwn(CASE_REVIEW_OUTCOMES, v);

function throwAll(errors: FieldError[]) {
  if (errors.length) throw new Problem(400, 'Invalid request', errors.map((e) => `${e.field.slice(1)}: ${e.message}`).join('; '), errors);
}

/**
 * Record a case review's date, outcome and recommendations (each write replaces all three). Needs asb:write; the
 * review must be of this case and this landlord (404 otherwise). Writing what is already recorded changes nothing
 * and is not audited again.
 */
export async function recordCaseReview(ctx: Ctx, caseId: string, reviewId: string, input: CaseReviewInput, now = new Date()): Promise<AsbCaseReview> {
  needAsbWrite(ctx, 'record ASB case reviews');
  const org = ctx.actor.organisationId;
  const [c] = isUuid(caseId)
    ? await ctx.tx.select({ openedAt: asbCases.openedAt }).from(asbCases).where(and(eq(asbCases.organisationId, org), eq(asbCases.id, caseId)))
    : [];
  if (!c) throw notFound('ASB case');
  // Locked, so two officers saving at once queue and the second sees the first's values.
  const [review] = isUuid(reviewId)
    ? await ctx.tx.select().from(asbCaseReviews)
      .where(and(eq(asbCaseReviews.organisationId, org), eq(asbCaseReviews.caseId, caseId), eq(asbCaseReviews.id, reviewId))).for('update')
    : [];
  if (!review) throw notFound('case review of this ASB case');

  const errors: FieldError[] = [];
  const today = ukDate(now);
  const openedOn = ukDate(c.openedAt);
  const reviewOn = input.reviewOn;
  const dateOk = typeof reviewOn === 'string' && isCalendarDate(reviewOn);
  if (!dateOk) errors.push({ field: '/reviewOn', message: 'must be a real date (YYYY-MM-DD)' });
  else if (reviewOn < openedOn) errors.push({ field: '/reviewOn', message: `must be on or after ${govukDate(openedOn)}, when the case was opened` });
  const outcome = input.outcome ?? null;
  if (outcome !== null && !isOutcome(outcome)) errors.push({ field: '/outcome', message: `must be one of ${Object.keys(CASE_REVIEW_OUTCOMES).join(', ')}` });
  else if (outcome !== null && dateOk && reviewOn > today) {
    errors.push({ field: '/outcome', message: `can only be recorded once the review has been held: the review date, ${govukDate(reviewOn)}, is after today` });
  }
  const raw = input.recommendations ?? null;
  if (raw !== null && typeof raw !== 'string') errors.push({ field: '/recommendations', message: 'must be text' });
  const recommendations = typeof raw === 'string' ? raw.trim() || null : null;
  if (recommendations && recommendations.length > RECOMMENDATIONS_MAX) {
    errors.push({ field: '/recommendations', message: `must be ${RECOMMENDATIONS_MAX.toLocaleString('en-GB')} characters or fewer` });
  }
  if (outcome === 'recommendations-made' && !recommendations && (raw === null || typeof raw === 'string')) {
    errors.push({ field: '/recommendations', message: 'are needed when the outcome is that recommendations were made: what the review recommended' });
  }
  throwAll(errors);

  if (review.reviewOn === reviewOn && review.outcome === outcome && review.recommendations === recommendations) return review;
  const [updated] = await ctx.tx.update(asbCaseReviews).set({ reviewOn, outcome, recommendations, version: review.version + 1, updatedAt: now })
    .where(and(eq(asbCaseReviews.organisationId, org), eq(asbCaseReviews.id, review.id))).returning();
  // The recommendations are the case's words: the audit row says what changed, not what they say.
  await audit(ctx.tx, ctx.actor, {
    action: 'asb-case-review-recorded', entityKind: 'asb-case', entityId: caseId,
    detail: { reviewId: review.id, reviewOn, outcome, from: { reviewOn: review.reviewOn, outcome: review.outcome }, recommendationsChanged: review.recommendations !== recommendations },
  });
  return updated!;
}

interface StoredResult { rule?: unknown; met?: unknown; qualifying?: unknown; words?: unknown }

/**
 * The finding stored when the threshold was met, in words: each rule met, with how many reports qualified, as the
 * rule's check said it ("National threshold: met. 3 qualifying reports (3 needed)."). Read leniently: the finding is
 * a stored document.
 */
export function caseReviewFindingWords(finding: Record<string, unknown>): string[] {
  const results = Array.isArray(finding.results) ? (finding.results as StoredResult[]) : [];
  return results.filter((r) => r && r.met === true).map((r) => {
    if (typeof r.words === 'string' && r.words) return r.words;
    const n = Array.isArray(r.qualifying) ? r.qualifying.length : 0;
    return `${typeof r.rule === 'string' ? r.rule : 'The landlord’s rule'}: met. ${n} qualifying ${n === 1 ? 'report' : 'reports'}.`;
  });
}
