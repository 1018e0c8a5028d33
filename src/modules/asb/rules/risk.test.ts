import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { assessRisk, higherRisk, riskReviewNeeded, type RiskAnswer, type RiskAssessment } from './risk.ts';
import { DEFAULT_ASB_SETTINGS as S } from './default-settings.ts';
import { maxRiskScore, type AsbSettings } from './settings.ts';

const assessed = (answers: Record<string, RiskAnswer | undefined>, settings: Pick<AsbSettings, 'riskMatrix'> = S): RiskAssessment => {
  const r = assessRisk(settings, answers);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  return r.assessment;
};
/** Every question answered no (or 0), then the given answers. */
const all = (given: Record<string, RiskAnswer>) => ({
  ...Object.fromEntries(S.riskMatrix.questions.map((q) => [q.id, q.answer === 'yes-no' ? false : 0])),
  ...given,
});

describe('assessRisk', () => {
  test('all no: standard risk, score 0, nothing unanswered', () => {
    const a = assessed(all({}));
    assert.deepEqual({ score: a.score, level: a.level, unanswered: a.unanswered, highBecause: a.highBecause }, { score: 0, level: 'standard', unanswered: [], highBecause: [] });
    assert.equal(a.maxScore, maxRiskScore(S.riskMatrix));
  });

  test('yes scores the weight, a scale scores weight × answer, and the medium threshold is reached exactly', () => {
    // unsafe-at-home (2) + most-days (2) + sleep-health-work 2 × weight 2 (4) = 8: the default medium threshold.
    const at = assessed(all({ 'unsafe-at-home': true, 'most-days': true, 'sleep-health-work': 2 }));
    assert.equal(at.score, 8);
    assert.equal(at.level, 'medium');
    const below = assessed(all({ 'unsafe-at-home': true, 'most-days': true, 'sleep-health-work': 1 }));
    assert.equal(below.score, 6);
    assert.equal(below.level, 'standard');
  });

  test('a high score is high risk', () => {
    const a = assessed(all({
      'unsafe-at-home': true, 'targeted-for-who-they-are': true, 'health-made-worse': true, 'no-support': true,
      'most-days': true, 'over-three-months': true, 'sleep-health-work': 3, 'daily-life': 1,
    }));
    assert.equal(a.score, 2 + 2 + 2 + 1 + 2 + 1 + 6 + 1);
    assert.equal(a.level, 'high');
    assert.deepEqual(a.highBecause, []);
  });

  test('a yes to a question that makes the risk high is high risk on its own', () => {
    const a = assessed(all({ 'hurt-or-threatened': true }));
    assert.equal(a.score, 3);
    assert.equal(a.level, 'high');
    assert.deepEqual(a.highBecause, ['hurt-or-threatened']);
    assert.match(a.words, /^High risk: scored 3 out of \d+.*High because they answered yes to "Have they been hurt, or threatened with being hurt or killed\?"/);
  });

  test('unanswered questions score 0 and are listed, and the words say the score may be too low', () => {
    const a = assessed({ 'unsafe-at-home': true });
    assert.equal(a.score, 2);
    assert.equal(a.unanswered.length, S.riskMatrix.questions.length - 1);
    assert.ok(!a.unanswered.includes('unsafe-at-home'));
    assert.match(a.words, /questions were not answered, so the score may be too low/);
    assert.deepEqual(assessed({ 'unsafe-at-home': true, 'most-days': undefined }).unanswered, a.unanswered);
  });

  test('refuses answers to questions it does not have, naming them and its questions', () => {
    const r = assessRisk(S, { 'unsafe-at-home': true, 'feels-scared': true });
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.questionId, 'feels-scared');
    assert.match(r.errors[0]!.message, /is not a question in this risk matrix \(its questions are hurt-or-threatened, /);
  });

  test('refuses answers of the wrong kind', () => {
    const r = assessRisk(S, { 'unsafe-at-home': 1, 'sleep-health-work': 4, 'daily-life': 1.5, 'property-damaged': 'yes' as unknown as boolean, 'most-days': false });
    assert.ok(!r.ok);
    assert.deepEqual(r.errors.map((e) => [e.questionId, e.message]), [
      ['unsafe-at-home', 'must be yes or no (true or false)'],
      ['sleep-health-work', 'must be a whole number from 0 to 3'],
      ['daily-life', 'must be a whole number from 0 to 3'],
      ['property-damaged', 'must be yes or no (true or false)'],
    ]);
    assert.ok(!assessRisk(S, { 'daily-life': true }).ok);
  });

  test("uses the landlord's own matrix and thresholds", () => {
    const own: Pick<AsbSettings, 'riskMatrix'> = {
      riskMatrix: {
        questions: [
          { id: 'scared', text: 'Are they scared?', group: 'vulnerability', answer: 'yes-no', weight: 5 },
          { id: 'how-often', text: 'How often?', group: 'impact', answer: 'scale', weight: 1 },
        ],
        thresholds: { medium: 3, high: 6 },
      },
    };
    assert.equal(assessed({ scared: false, 'how-often': 3 }, own).level, 'medium');
    assert.equal(assessed({ scared: true, 'how-often': 1 }, own).level, 'high');
    assert.equal(assessed({ scared: false, 'how-often': 2 }, own).level, 'standard');
  });
});

describe('riskReviewNeeded', () => {
  const assessedAt = new Date('2026-05-01T10:00:00Z');
  test('when never assessed, or an incident was reported since', () => {
    assert.equal(riskReviewNeeded(null, []), true);
    assert.equal(riskReviewNeeded(assessedAt, [new Date('2026-04-20T09:00:00Z'), new Date('2026-05-01T10:00:01Z')]), true);
  });
  test('not when every incident was reported before (or as) it was assessed', () => {
    assert.equal(riskReviewNeeded(assessedAt, [new Date('2026-04-20T09:00:00Z'), assessedAt]), false);
    assert.equal(riskReviewNeeded(assessedAt, []), false);
  });
});

test('higherRisk', () => {
  assert.equal(higherRisk('standard', 'high'), 'high');
  assert.equal(higherRisk('medium', 'standard'), 'medium');
  assert.equal(higherRisk('medium', 'medium'), 'medium');
});
