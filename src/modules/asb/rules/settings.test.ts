import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkAsbSettings, errorLine, maxRiskScore, STATUTORY_CHARACTERISTICS, type AsbSettings, type SettingsError } from './settings.ts';
import { DEFAULT_ASB_SETTINGS } from './default-settings.ts';

const copy = (): AsbSettings => structuredClone(DEFAULT_ASB_SETTINGS);
const errorsOf = (json: unknown): SettingsError[] => {
  const r = checkAsbSettings(json);
  assert.equal(r.ok, false, 'expected the settings to be refused');
  return r.ok ? [] : r.errors;
};
const linesOf = (json: unknown) => errorsOf(json).map(errorLine);
const indexOf = (s: AsbSettings, code: string) => s.categories.findIndex((c) => c.code === code);

describe('the default ASB settings', () => {
  test('pass the checks, also after a JSON round trip (what is stored and uploaded)', () => {
    const r = checkAsbSettings(DEFAULT_ASB_SETTINGS);
    assert.deepEqual(r.ok ? [] : r.errors.map(errorLine), []);
    assert.equal(checkAsbSettings(JSON.parse(JSON.stringify(DEFAULT_ASB_SETTINGS))).ok, true);
  });

  test('cover the kinds of ASB the issue names, in all three national categories, with one hate category', () => {
    const codes = DEFAULT_ASB_SETTINGS.categories.map((c) => c.code);
    for (const c of ['noise', 'verbal-abuse', 'threats', 'violence', 'hate-incident', 'drugs', 'vandalism-and-damage', 'litter-and-fly-tipping', 'vehicles', 'pets-and-animals', 'misuse-of-communal-areas', 'domestic-abuse']) {
      assert.ok(codes.includes(c), c);
    }
    assert.deepEqual(new Set(DEFAULT_ASB_SETTINGS.categories.map((c) => c.national)), new Set(['personal', 'nuisance', 'environmental']));
    assert.deepEqual(DEFAULT_ASB_SETTINGS.categories.filter((c) => c.hate).map((c) => c.code), ['hate-incident']);
  });

  test('put violence, threats and hate in the most serious priority', () => {
    const top = [...DEFAULT_ASB_SETTINGS.priorities].sort((a, b) => a.rank - b.rank)[0]!;
    for (const code of ['violence', 'threats', 'hate-incident']) assert.equal(DEFAULT_ASB_SETTINGS.categories.find((c) => c.code === code)?.priority, top.code);
  });

  test('have a risk matrix whose high threshold can be reached, and the national Case Review threshold', () => {
    const m = DEFAULT_ASB_SETTINGS.riskMatrix;
    assert.ok(m.thresholds.high <= maxRiskScore(m));
    assert.ok(m.questions.some((q) => q.group === 'vulnerability') && m.questions.some((q) => q.group === 'impact'));
    assert.deepEqual(DEFAULT_ASB_SETTINGS.caseReviewRules[0], {
      name: 'National threshold', minReports: 3, windowMonths: 6, reportWithin: { amount: 1, unit: 'months' }, differentReporters: false,
    });
  });
});

describe('checkAsbSettings refuses', () => {
  test('something that is not an object', () => {
    assert.deepEqual(errorsOf([1]).map((e) => e.path), ['']);
    assert.equal(errorsOf('settings').length, 1);
  });

  test('a category whose priority does not exist, naming its path and the priorities', () => {
    const s = copy();
    const i = indexOf(s, 'noise');
    s.categories[i]!.priority = 'category-4';
    const errors = errorsOf(s);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.path, `/categories/${i}/priority`);
    assert.match(errors[0]!.message, /one of the priorities \(category-1, category-2, category-3\): "category-4" is not/);
  });

  test('two categories with one code, and priorities sharing a rank', () => {
    const s = copy();
    s.categories[3]!.code = s.categories[1]!.code;
    s.priorities[2]!.rank = s.priorities[0]!.rank;
    const lines = linesOf(s);
    assert.ok(lines.includes(`/categories/3/code: "${s.categories[1]!.code}" is already the code of /categories/1: each needs its own code`), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('/priorities/2/rank: "1" is already the rank of /priorities/0')), lines.join('\n'));
  });

  test('protected characteristics without one of the five statutory ones', () => {
    const s = copy();
    s.protectedCharacteristics = s.protectedCharacteristics.filter((c) => c.code !== 'transgender-identity');
    const errors = errorsOf(s);
    assert.deepEqual(errors.map((e) => e.path), ['/protectedCharacteristics']);
    assert.match(errors[0]!.message, /add "transgender-identity"/);
    assert.equal(STATUTORY_CHARACTERISTICS.length, 5);
  });

  test('risk thresholds out of order, or out of reach', () => {
    const s = copy();
    s.riskMatrix.thresholds = { medium: 10, high: 10 };
    assert.deepEqual(linesOf(s), ['/riskMatrix/thresholds/high: must be more than the medium threshold (10)']);
    const t = copy();
    t.riskMatrix.thresholds.high = maxRiskScore(t.riskMatrix) + 1;
    assert.match(linesOf(t).join('\n'), /^\/riskMatrix\/thresholds\/high: is \d+, but the questions can score at most \d+/);
  });

  test('a scale question that claims to make the risk high, and a repeated question id', () => {
    const s = copy();
    const scale = s.riskMatrix.questions.findIndex((q) => q.answer === 'scale');
    s.riskMatrix.questions[scale]!.makesHigh = true;
    s.riskMatrix.questions[1]!.id = s.riskMatrix.questions[0]!.id;
    const lines = linesOf(s);
    assert.ok(lines.includes(`/riskMatrix/questions/${scale}/makesHigh: is only for yes-no questions: a yes makes the risk high`), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('/riskMatrix/questions/1/id: ')), lines.join('\n'));
  });

  test('action targets for a priority that does not exist, or missing one, or looser for high risk than medium', () => {
    const s = copy();
    const targets = s.actions[1]!.byPriority!;
    targets['category/9'] = { amount: 1, unit: 'working-days' };
    delete targets['category-2'];
    s.actions[2]!.byRisk = { medium: { amount: 3, unit: 'working-days' }, high: { amount: 4, unit: 'working-days' } };
    const lines = linesOf(s);
    // A key holding "/" is escaped in the JSON pointer (RFC 6901).
    assert.ok(lines.includes('/actions/1/byPriority/category~19: is not one of the priorities (category-1, category-2, category-3)'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('/actions/1/byPriority: has no target for "category-2"')), lines.join('\n'));
    assert.ok(lines.includes('/actions/2/byRisk/high: must be no longer than the medium-risk target (3 working-days)'), lines.join('\n'));
    assert.equal(lines.length, 3, lines.join('\n'));
  });

  test('targets in different units are not compared', () => {
    const s = copy();
    s.actions[2]!.byRisk = { medium: { amount: 3, unit: 'working-days' }, high: { amount: 48, unit: 'hours' } };
    assert.equal(checkAsbSettings(s).ok, true);
  });

  test('a high-risk update interval longer than the usual one', () => {
    const s = copy();
    s.complainantUpdates = { workingDays: 10, byRisk: { high: 12 } };
    assert.deepEqual(linesOf(s), ['/complainantUpdates/byRisk/high: must be no more than 10 working days (the usual interval)']);
  });

  test('Case Review rules that ask for more people than reports, or say "different people" twice', () => {
    const s = copy();
    s.caseReviewRules.push({ name: 'Local', minReports: 3, windowMonths: 6, reportWithin: { amount: 1, unit: 'months' }, differentReporters: false, minDifferentReporters: 4 });
    s.caseReviewRules.push({ name: 'Neighbours', minReports: 5, windowMonths: 6, reportWithin: { amount: 30, unit: 'days' }, differentReporters: true, minDifferentReporters: 5 });
    s.caseReviewRules.push({ ...s.caseReviewRules[0]! });
    const lines = linesOf(s);
    assert.ok(lines.includes('/caseReviewRules/1/minDifferentReporters: must be no more than minReports (3): each person needs a report'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('/caseReviewRules/2/minDifferentReporters: is not needed')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('/caseReviewRules/3/name: "National threshold" is already the name of /caseReviewRules/0')), lines.join('\n'));
  });

  test('shape errors in words, at their paths: unknown and missing settings, literals, codes and lines', () => {
    const s = copy() as unknown as Record<string, unknown>;
    s.colour = 'blue';
    delete s.repeatVictim;
    const lines = linesOf(s);
    assert.ok(lines.includes('/colour: is not a setting Hearth knows: check its spelling, or remove it'), lines.join('\n'));
    assert.ok(lines.includes('/repeatVictim: is missing: add "repeatVictim"'), lines.join('\n'));

    // TypeBox gathers a few errors at a time (its maxErrors, 8 by default), so each mistake is checked on its own.
    const one = (change: (t: AsbSettings) => void) => {
      const t = copy();
      change(t);
      return linesOf(t);
    };
    assert.deepEqual(one((t) => { (t.categories[0] as { national: string }).national = 'societal'; }), ['/categories/0/national: must be one of: "personal", "nuisance", "environmental"']);
    assert.deepEqual(one((t) => { (t.priorities[0]!.response as { unit: string }).unit = 'minutes'; }), ['/priorities/0/response/unit: must be one of: "hours", "working-days"']);
    assert.match(one((t) => { t.categories[1]!.code = 'Verbal Abuse'; }).join('\n'), /^\/categories\/1\/code: must be lower-case letters and digits/);
    assert.deepEqual(one((t) => { t.protectedCharacteristics[0]!.label = 'Race\nor ethnicity'; }),
      ['/protectedCharacteristics/0/label: must be one line of text, without control characters, line breaks or invisible direction marks']);
    assert.deepEqual(one((t) => { (t.riskMatrix.questions[0] as { weight: number }).weight = 2.5; }), ['/riskMatrix/questions/0/weight: must be a whole number']);
  });

  test('a version of the format it does not know', () => {
    const s = { ...copy(), schemaVersion: 2 };
    assert.deepEqual(linesOf(s), ['/schemaVersion: must be 1']);
  });
});
