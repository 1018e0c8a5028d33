// Anti-social behaviour case management (issue 15; docs/decisions/0025). Being built: so far its rules, pure and
// data-driven (rules/: the landlord's settings document and its default, classification and priority, the risk matrix,
// action plans with working-day targets, the ASB Case Review threshold, the repeat-victim flag, TSM NM01). Cases,
// parties, incidents, pages and the API come next; this manifest will declare them.
import { defineModule } from '../../platform/modules.ts';

export const asbModule = defineModule({ name: 'asb' });

export { checkAsbSettings, type AsbSettings, type RiskLevel, NATIONAL_CATEGORIES, RISK_LEVELS } from './rules/settings.ts';
export { DEFAULT_ASB_SETTINGS } from './rules/default-settings.ts';
export { casePriority, isHateCase, hateRecordingProblems } from './rules/classify.ts';
export { assessRisk, riskReviewNeeded, higherRisk } from './rules/risk.ts';
export { actionPlan, overdue, complainantUpdatesDue } from './rules/actions.ts';
export { caseReviewCheck, caseReviewThreshold, type AsbReport } from './rules/case-review.ts';
export { repeatVictim } from './rules/repeat-victim.ts';
export { nm01, perThousand } from './rules/measures.ts';
