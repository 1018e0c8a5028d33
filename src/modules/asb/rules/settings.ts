// A landlord's anti-social behaviour (ASB) settings: its priorities (categories 1 to 3 and their response targets), the
// kinds of ASB it records and the priority each starts at, the protected characteristics a hate incident is about, the
// risk matrix for complainants, the targets of each action by priority and risk, how often complainants are updated,
// the ASB Case Review threshold and the repeat-victim rule. One document, kept as a new version each time it changes
// (like the repair settings), so a case keeps the version it was assessed with.
//
// Validation is in two layers, as for repairs: the TypeBox schema states the shape; then semantic checks state what a
// schema cannot (codes unique among siblings, references to priorities that exist, thresholds in order). Every error
// names the JSON path (a JSON pointer) of what is wrong and says what would put it right.
import { Type, type Static, type TSchema } from 'typebox';
import { pointerKey, schemaErrors as sharedSchemaErrors } from '../../../platform/http/schema-errors.ts';
import { line, literalUnion } from '../../../platform/http/schemas.ts';

/** The national incident categories (National Standard for Incident Recording): every kind of ASB maps to one. */
export const NATIONAL_CATEGORIES = {
  personal: 'Personal: aimed at a person or group',
  nuisance: 'Nuisance: causes trouble or annoyance to the community',
  environmental: 'Environmental: affects the surroundings',
} as const;
export type NationalCategory = keyof typeof NATIONAL_CATEGORIES;
const NATIONAL_CODES = Object.keys(NATIONAL_CATEGORIES) as NationalCategory[];

/** Risk levels of a complainant, least first. */
export const RISK_LEVELS = ['standard', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_LABELS: Readonly<Record<RiskLevel, string>> = { standard: 'Standard risk', medium: 'Medium risk', high: 'High risk' };

/** What the risk matrix's questions are about (the two halves of the usual ASB risk assessment). */
export const QUESTION_GROUPS = {
  vulnerability: 'The person and how vulnerable they are',
  impact: 'How often it happens and the harm it does',
} as const;

/** A scale question's answers, scored 0 to 3. */
export const SCALE_ANSWERS = ['Not at all', 'A little', 'Quite a lot', 'Very much'] as const;
export const SCALE_MAX = SCALE_ANSWERS.length - 1;

/**
 * The five characteristics hate crime and hate incidents are monitored by in England and Wales (and that TSM NM01's
 * hate incidents are defined by). A landlord may add others (sex, age…) but not remove these.
 */
export const STATUTORY_CHARACTERISTICS = ['race', 'religion-or-belief', 'sexual-orientation', 'disability', 'transgender-identity'] as const;

const CODE_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
const code = (description: string) => Type.String({ minLength: 1, maxLength: 40, pattern: CODE_PATTERN, description });
const words = (maxLength: number, description: string) => line(maxLength, { minLength: 1, description });
const whole = (minimum: number, maximum: number, description?: string) => Type.Integer({ minimum, maximum, ...(description ? { description } : {}) });

export const TargetSchema = Type.Object({
  amount: whole(1, 1000),
  unit: literalUnion(['hours', 'working-days']),
}, { additionalProperties: false, description: 'Hours from when the case was opened, or working days (England and Wales) after the day it was opened' });

export const PrioritySchema = Type.Object({
  code: code('Stable code: cases keep it (category-1, category-2…)'),
  label: words(80, 'What people see, e.g. "Category 1"'),
  rank: whole(0, 1000, 'Lower is more serious: a case with several categories takes the lowest rank'),
  response: TargetSchema,
}, { additionalProperties: false });

export const CategorySchema = Type.Object({
  code: code('Stable code of this kind of ASB (noise, threats…)'),
  label: words(120, 'What people see, e.g. "Noise"'),
  national: literalUnion(NATIONAL_CODES, { description: `The national category: ${NATIONAL_CODES.join(', ')}` }),
  priority: code('The priority a case of this kind starts at: one of the priorities\' codes'),
  hate: Type.Optional(Type.Boolean({ description: 'A hate incident: a case in this category is a hate case (TSM NM01)' })),
  hint: Type.Optional(words(300, 'What the category covers, shown to staff')),
}, { additionalProperties: false });

export const CharacteristicSchema = Type.Object({
  code: code('Stable code (race, disability…)'),
  label: words(80, 'What people see, e.g. "Religion or belief"'),
}, { additionalProperties: false });

export const RiskQuestionSchema = Type.Object({
  id: code('Stable id: saved answers keep it'),
  text: words(300, 'The question, in plain words'),
  hint: Type.Optional(words(300, 'A hint under the question')),
  group: literalUnion(Object.keys(QUESTION_GROUPS) as (keyof typeof QUESTION_GROUPS)[]),
  answer: literalUnion(['yes-no', 'scale'], { description: 'yes-no scores 1 for yes; scale scores 0 to 3' }),
  weight: whole(1, 10, 'The answer\'s score is multiplied by this'),
  makesHigh: Type.Optional(Type.Boolean({ description: 'A yes makes the risk high whatever the score (yes-no questions only)' })),
}, { additionalProperties: false });

export const RiskMatrixSchema = Type.Object({
  questions: Type.Array(RiskQuestionSchema, { minItems: 1, maxItems: 60 }),
  thresholds: Type.Object({
    medium: whole(1, 1000, 'A score of this or more is medium risk'),
    high: whole(1, 1000, 'A score of this or more is high risk'),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

const RiskTargetsSchema = Type.Object({
  medium: Type.Optional(TargetSchema),
  high: Type.Optional(TargetSchema),
}, { additionalProperties: false, description: 'Tighter targets for a complainant at medium or high risk: the sooner of these and the priority\'s target applies' });

export const ActionSchema = Type.Object({
  code: code('Stable code of the action (acknowledge, interview…)'),
  label: words(120, 'What the officer must do, e.g. "Interview the complainant"'),
  byPriority: Type.Optional(Type.Record(Type.String(), TargetSchema, {
    description: 'The target for each priority (by its code). Leave out to use each priority\'s response target',
  })),
  byRisk: Type.Optional(RiskTargetsSchema),
}, { additionalProperties: false });

export const ComplainantUpdatesSchema = Type.Object({
  workingDays: whole(1, 60, 'Update the complainant at least this often, in working days after the last update'),
  byRisk: Type.Optional(Type.Object({
    medium: Type.Optional(whole(1, 60)),
    high: Type.Optional(whole(1, 60)),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export const CaseReviewRuleSchema = Type.Object({
  name: words(120, 'What the rule is called, e.g. "National threshold"'),
  minReports: whole(1, 50, 'Qualifying reports about the same problem needed'),
  windowMonths: whole(1, 24, 'A report counts if the review is asked for within this many months, beginning with the day it was made'),
  reportWithin: Type.Object({
    amount: whole(1, 366),
    unit: literalUnion(['days', 'months']),
  }, { additionalProperties: false, description: 'A report qualifies if made within this period, beginning with the day of the incident it reports' }),
  differentReporters: Type.Boolean({ description: 'Each qualifying report must come from a different person' }),
  minDifferentReporters: Type.Optional(whole(2, 50, 'The qualifying reports must come from at least this many different people')),
}, { additionalProperties: false });

export const RepeatVictimSchema = Type.Object({
  incidents: whole(2, 20, 'Similar incidents needed'),
  withinMonths: whole(1, 12, 'Within this many months, ending today'),
  similar: literalUnion(['same-category', 'same-national-category', 'any'], { description: 'Which incidents count as similar' }),
}, { additionalProperties: false });

export const AsbSettingsSchema = Type.Object({
  schemaVersion: Type.Literal(1, { description: 'The format of this document (not the landlord\'s version of it)' }),
  priorities: Type.Array(PrioritySchema, { minItems: 1, maxItems: 10 }),
  categories: Type.Array(CategorySchema, { minItems: 1, maxItems: 100 }),
  protectedCharacteristics: Type.Array(CharacteristicSchema, { minItems: STATUTORY_CHARACTERISTICS.length, maxItems: 30 }),
  riskMatrix: RiskMatrixSchema,
  actions: Type.Array(ActionSchema, { minItems: 1, maxItems: 20 }),
  complainantUpdates: ComplainantUpdatesSchema,
  caseReviewRules: Type.Array(CaseReviewRuleSchema, { minItems: 1, maxItems: 5, description: 'The threshold is met when any rule is met' }),
  repeatVictim: RepeatVictimSchema,
}, { additionalProperties: false, description: 'A landlord\'s anti-social behaviour settings' });

export type AsbSettings = Static<typeof AsbSettingsSchema>;
export type Target = Static<typeof TargetSchema>;
export type AsbPriority = Static<typeof PrioritySchema>;
export type AsbCategory = Static<typeof CategorySchema>;
export type Characteristic = Static<typeof CharacteristicSchema>;
export type RiskQuestion = Static<typeof RiskQuestionSchema>;
export type RiskMatrix = Static<typeof RiskMatrixSchema>;
export type AsbAction = Static<typeof ActionSchema>;
export type CaseReviewRule = Static<typeof CaseReviewRuleSchema>;
export type RepeatVictimRule = Static<typeof RepeatVictimSchema>;

export interface SettingsError { path: string; message: string }
export type AsbSettingsResult = { ok: true; settings: AsbSettings } | { ok: false; errors: SettingsError[] };

/** One error as a line a person reads: "/categories/2/priority: …". */
export const errorLine = (e: SettingsError) => `${e.path || '/'}: ${e.message}`;

// ---------------------------------------------------------------------------------------------------------------------
// Schema errors in words (as the repair settings word them)

const PATTERN_WORDS: Record<string, string> = {
  [CODE_PATTERN]: 'must be lower-case letters and digits, with single hyphens between words (like "verbal-abuse")',
};
/** TypeBox's errors for a value, in words. */
const schemaErrors = (schema: TSchema, value: unknown): SettingsError[] => sharedSchemaErrors(schema, value, { patternWords: PATTERN_WORDS });

// ---------------------------------------------------------------------------------------------------------------------
// Semantic checks

/** An error at each item whose key an earlier item already has. */
function duplicates<T>(list: readonly T[], key: (t: T) => string, at: (i: number) => string, what: string, errors: SettingsError[]): void {
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) errors.push({ path: at(i), message: `"${k}" is already the ${what} of ${at(first).replace(/\/[^/]+$/, '')}: each needs its own ${what}` });
    else seen.set(k, i);
  });
}

/** Whether target a is no later than target b; null when they are in different units and cannot be compared. */
const noLater = (a: Target, b: Target): boolean | null => (a.unit === b.unit ? a.amount <= b.amount : null);

function checkPriorities(s: AsbSettings, errors: SettingsError[]): void {
  duplicates(s.priorities, (p) => p.code, (i) => `/priorities/${i}/code`, 'code', errors);
  duplicates(s.priorities, (p) => p.label, (i) => `/priorities/${i}/label`, 'label', errors);
  // Ranks decide a case's priority when its categories differ, so no two may tie.
  duplicates(s.priorities, (p) => String(p.rank), (i) => `/priorities/${i}/rank`, 'rank', errors);
}

function checkCategories(s: AsbSettings, priorityCodes: Set<string>, errors: SettingsError[]): void {
  const list = [...priorityCodes].join(', ');
  duplicates(s.categories, (c) => c.code, (i) => `/categories/${i}/code`, 'code', errors);
  duplicates(s.categories, (c) => c.label, (i) => `/categories/${i}/label`, 'label', errors);
  s.categories.forEach((c, i) => {
    if (!priorityCodes.has(c.priority)) errors.push({ path: `/categories/${i}/priority`, message: `must be one of the priorities (${list}): "${c.priority}" is not` });
  });
}

function checkCharacteristics(s: AsbSettings, errors: SettingsError[]): void {
  duplicates(s.protectedCharacteristics, (c) => c.code, (i) => `/protectedCharacteristics/${i}/code`, 'code', errors);
  duplicates(s.protectedCharacteristics, (c) => c.label, (i) => `/protectedCharacteristics/${i}/label`, 'label', errors);
  const have = new Set(s.protectedCharacteristics.map((c) => c.code));
  const missing = STATUTORY_CHARACTERISTICS.filter((c) => !have.has(c));
  if (missing.length) {
    errors.push({ path: '/protectedCharacteristics', message: `must include the five characteristics hate incidents are recorded by (${STATUTORY_CHARACTERISTICS.join(', ')}): add ${missing.map((m) => `"${m}"`).join(', ')}` });
  }
}

/** The highest score the matrix can give: every yes-no answered yes, every scale at its top. */
export function maxRiskScore(matrix: RiskMatrix): number {
  return matrix.questions.reduce((sum, q) => sum + q.weight * (q.answer === 'scale' ? SCALE_MAX : 1), 0);
}

function checkRiskMatrix(m: RiskMatrix, errors: SettingsError[]): void {
  duplicates(m.questions, (q) => q.id, (i) => `/riskMatrix/questions/${i}/id`, 'id', errors);
  m.questions.forEach((q, i) => {
    if (q.makesHigh && q.answer !== 'yes-no') errors.push({ path: `/riskMatrix/questions/${i}/makesHigh`, message: 'is only for yes-no questions: a yes makes the risk high' });
  });
  const { medium, high } = m.thresholds;
  if (medium >= high) errors.push({ path: '/riskMatrix/thresholds/high', message: `must be more than the medium threshold (${medium})` });
  const max = maxRiskScore(m);
  if (high > max) errors.push({ path: '/riskMatrix/thresholds/high', message: `is ${high}, but the questions can score at most ${max}, so no one could be high risk from the score` });
}

function checkActions(s: AsbSettings, priorityCodes: Set<string>, errors: SettingsError[]): void {
  duplicates(s.actions, (a) => a.code, (i) => `/actions/${i}/code`, 'code', errors);
  duplicates(s.actions, (a) => a.label, (i) => `/actions/${i}/label`, 'label', errors);
  s.actions.forEach((a, i) => {
    if (a.byPriority) {
      for (const key of Object.keys(a.byPriority)) {
        if (!priorityCodes.has(key)) errors.push({ path: `/actions/${i}/byPriority/${pointerKey(key)}`, message: `is not one of the priorities (${[...priorityCodes].join(', ')})` });
      }
      const missing = [...priorityCodes].filter((p) => !Object.hasOwn(a.byPriority ?? {}, p));
      if (missing.length) errors.push({ path: `/actions/${i}/byPriority`, message: `has no target for ${missing.map((m) => `"${m}"`).join(', ')}: give one for every priority, or leave byPriority out to use the priorities' response targets` });
    }
    const { medium, high } = a.byRisk ?? {};
    if (medium && high && noLater(high, medium) === false) {
      errors.push({ path: `/actions/${i}/byRisk/high`, message: `must be no longer than the medium-risk target (${medium.amount} ${medium.unit})` });
    }
  });
}

function checkUpdates(s: AsbSettings, errors: SettingsError[]): void {
  const { workingDays, byRisk } = s.complainantUpdates;
  if (byRisk?.medium !== undefined && byRisk.medium > workingDays) {
    errors.push({ path: '/complainantUpdates/byRisk/medium', message: `must be no more than the usual ${workingDays} working days` });
  }
  const ceiling = byRisk?.medium ?? workingDays;
  if (byRisk?.high !== undefined && byRisk.high > ceiling) {
    errors.push({ path: '/complainantUpdates/byRisk/high', message: `must be no more than ${ceiling} working days (the ${byRisk.medium !== undefined ? 'medium-risk' : 'usual'} interval)` });
  }
}

function checkCaseReviewRules(s: AsbSettings, errors: SettingsError[]): void {
  duplicates(s.caseReviewRules, (r) => r.name, (i) => `/caseReviewRules/${i}/name`, 'name', errors);
  s.caseReviewRules.forEach((r, i) => {
    if (r.minDifferentReporters === undefined) return;
    const at = `/caseReviewRules/${i}/minDifferentReporters`;
    if (r.differentReporters) errors.push({ path: at, message: 'is not needed: differentReporters already needs every report from a different person, so leave it out' });
    else if (r.minDifferentReporters > r.minReports) errors.push({ path: at, message: `must be no more than minReports (${r.minReports}): each person needs a report` });
  });
}

/**
 * Checks an ASB settings document (parsed JSON): its shape, then what refers to what. Every error names the JSON path
 * of what is wrong ("/categories/3/priority") and says what would put it right.
 */
export function checkAsbSettings(json: unknown): AsbSettingsResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, errors: [{ path: '', message: 'must be a JSON object ({…}) holding the ASB settings' }] };
  }
  const errors = schemaErrors(AsbSettingsSchema, json);
  if (errors.length) return { ok: false, errors };

  // The shape is right: from here the document is typed.
  const settings = json as AsbSettings;
  const priorityCodes = new Set(settings.priorities.map((p) => p.code));
  checkPriorities(settings, errors);
  checkCategories(settings, priorityCodes, errors);
  checkCharacteristics(settings, errors);
  checkRiskMatrix(settings.riskMatrix, errors);
  checkActions(settings, priorityCodes, errors);
  checkUpdates(settings, errors);
  checkCaseReviewRules(settings, errors);
  return errors.length ? { ok: false, errors } : { ok: true, settings };
}
