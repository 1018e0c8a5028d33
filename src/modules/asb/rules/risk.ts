// The complainant's risk assessment: answers to the landlord's risk matrix, summed to a score, and the level the
// score reaches (standard, medium, high). Some questions make the risk high on their own (a yes to "have they been
// threatened with being killed?" is high risk, whatever else is answered). The assessment is reviewed on each new
// incident (riskReviewNeeded), and a high level tightens the case's action targets (actions.ts).
import { RISK_LEVELS, RISK_LEVEL_LABELS, SCALE_MAX, maxRiskScore, type AsbSettings, type RiskLevel, type RiskQuestion } from './settings.ts';

/** An answer: true or false for a yes-no question, 0 to 3 for a scale. Leave a question out (or undefined) when not answered. */
export type RiskAnswer = boolean | number;

export interface RiskAssessment {
  score: number;
  /** The most the matrix can score. */
  maxScore: number;
  level: RiskLevel;
  /** The ids of questions not answered (scored as 0: the score may be too low). */
  unanswered: string[];
  /** The ids of questions whose yes made the risk high on its own. */
  highBecause: string[];
  /** In words, for the case page. */
  words: string;
}

export interface AnswerError { questionId: string; message: string }
export type RiskResult = { ok: true; assessment: RiskAssessment } | { ok: false; errors: AnswerError[] };

/** The score of one answer, or why the answer does not fit the question. */
function answerScore(q: RiskQuestion, answer: RiskAnswer): number | string {
  if (q.answer === 'yes-no') {
    return typeof answer === 'boolean' ? (answer ? q.weight : 0) : 'must be yes or no (true or false)';
  }
  if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < 0 || answer > SCALE_MAX) return `must be a whole number from 0 to ${SCALE_MAX}`;
  return answer * q.weight;
}

/**
 * Scores a complainant's answers against the landlord's risk matrix. Answers to questions the matrix does not have, and
 * answers of the wrong kind, are errors (named by question id); unanswered questions score 0 and are listed.
 */
export function assessRisk(settings: Pick<AsbSettings, 'riskMatrix'>, answers: Readonly<Record<string, RiskAnswer | undefined>>): RiskResult {
  const matrix = settings.riskMatrix;
  const questions = new Map(matrix.questions.map((q) => [q.id, q]));
  const errors: AnswerError[] = Object.keys(answers)
    .filter((id) => !questions.has(id))
    .map((id) => ({ questionId: id, message: `is not a question in this risk matrix (its questions are ${[...questions.keys()].join(', ')})` }));

  let score = 0;
  const unanswered: string[] = [];
  const highBecause: string[] = [];
  for (const q of matrix.questions) {
    const answer = Object.hasOwn(answers, q.id) ? answers[q.id] : undefined;
    if (answer === undefined) { unanswered.push(q.id); continue; }
    const result = answerScore(q, answer);
    if (typeof result === 'string') { errors.push({ questionId: q.id, message: result }); continue; }
    score += result;
    if (q.makesHigh && answer === true) highBecause.push(q.id);
  }
  if (errors.length) return { ok: false, errors };

  const { medium, high } = matrix.thresholds;
  const level: RiskLevel = highBecause.length > 0 || score >= high ? 'high' : score >= medium ? 'medium' : 'standard';
  const maxScore = maxRiskScore(matrix);
  const parts = [`${RISK_LEVEL_LABELS[level]}: scored ${score} out of ${maxScore} (medium from ${medium}, high from ${high})`];
  if (highBecause.length > 0) {
    const texts = highBecause.map((id) => `"${questions.get(id)!.text}"`);
    parts.push(`High because they answered yes to ${texts.join(' and ')}`);
  }
  if (unanswered.length > 0) parts.push(`${unanswered.length} ${unanswered.length === 1 ? 'question was' : 'questions were'} not answered, so the score may be too low`);
  return { ok: true, assessment: { score, maxScore, level, unanswered, highBecause, words: `${parts.join('. ')}.` } };
}

/** The more serious of two risk levels. */
export const higherRisk = (a: RiskLevel, b: RiskLevel): RiskLevel => (RISK_LEVELS.indexOf(a) >= RISK_LEVELS.indexOf(b) ? a : b);

/**
 * Whether the complainant's risk must be assessed again: never assessed, or an incident was reported after the last
 * assessment (the risk is reviewed on each incident).
 */
export function riskReviewNeeded(lastAssessedAt: Date | null, incidentsReportedAt: readonly Date[]): boolean {
  if (lastAssessedAt === null) return true;
  return incidentsReportedAt.some((at) => at.getTime() > lastAssessedAt.getTime());
}
