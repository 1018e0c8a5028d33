// Anti-social behaviour case management (issue 15; docs/decisions/0025), a module on the platform's manifests: its
// tables, permissions and sensitive kinds; its rules, pure and data-driven (rules/); cases, parties, incidents, risk,
// the action plan and the complainant's updates, tools and outcomes, alerts to other services in safe words, the ASB
// Case Review (flagged at the threshold, its outcome recorded), closing; the officer's pages and worklist; the
// measures the insight dashboard shows (NM01); the import from a standalone ASB system; the demo's cases.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { asbApi } from './api.ts';
import { asbPages } from './pages.ts';
import { asbMoreApi } from './api-more.ts';
import { asbWorkApi } from './api-work.ts';
import { asbWorkPages } from './pages-work.ts';
import { asbWorklists } from './worklists.ts';
import { ASB_IMPORT_KINDS } from './import.ts';

export const asbModule = defineModule({
  name: 'asb',
  tables,
  // Every kind of an ASB case is sensitive: shown only with asb:read, each read audited, its events never leave Hearth.
  entityKinds: [
    { kind: 'asb-case', label: 'ASB cases', readableWith: 'asb:read' },
    { kind: 'asb-party', label: 'ASB case parties', readableWith: 'asb:read' },
    { kind: 'asb-incident', label: 'ASB incidents', readableWith: 'asb:read' },
  ],
  permissions: [
    { name: 'asb:read', description: 'anti-social behaviour cases, their parties and incidents (sensitive: every read is audited)', roles: ['administrator', 'asb-officer'] },
    { name: 'asb:write', description: 'open and work anti-social behaviour cases', roles: ['asb-officer'] },
    { name: 'asb:manage', description: 'the ASB settings (categories, risk matrix, targets, the case review threshold) and reassigning cases', roles: ['administrator'] },
  ],
  auditActions: ['asb-settings-saved', 'asb-risk-assessed', 'asb-alert-raised', 'asb-tool-added', 'asb-tool-status-changed', 'asb-case-closed', 'asb-action-done', 'asb-action-added', 'asb-cases-linked', 'asb-case-review-recorded'],
  apiTags: [{ name: 'ASB', description: 'Anti-social behaviour cases: parties, places, incidents, risk, action plans and the ASB Case Review threshold; and the landlord\'s ASB settings.' }],
  api: (api, deps) => { asbApi(api, deps); asbMoreApi(api, deps); asbWorkApi(api, deps); },
  pages: (app, deps) => { asbPages(app, deps); asbWorkPages(app, deps); },
  // The ASB officer's home page: actions past their target and due soon.
  worklists: asbWorklists,
  // Cases, incidents and parties from a standalone ASB system (import.ts).
  importKinds: ASB_IMPORT_KINDS,
  // In the navigation of those who work cases; administrators (who read them) find them under Manage on their home page.
  navigation: [
    { href: '/asb', text: 'ASB', sections: ['asb'], permission: 'asb:write', position: 34 },
    { href: '/asb', text: 'ASB cases', sections: ['asb'], permission: 'asb:manage', position: 85, manage: 'anti-social behaviour cases, read only' },
  ],
});

export { checkAsbSettings, type AsbSettings, type RiskLevel, NATIONAL_CATEGORIES, RISK_LEVELS } from './rules/settings.ts';
export { DEFAULT_ASB_SETTINGS } from './rules/default-settings.ts';
export { casePriority, isHateCase, hateRecordingProblems } from './rules/classify.ts';
export { assessRisk, riskReviewNeeded, higherRisk } from './rules/risk.ts';
export { actionPlan, overdue, complainantUpdatesDue } from './rules/actions.ts';
export { caseReviewCheck, caseReviewThreshold, type AsbReport } from './rules/case-review.ts';
export { repeatVictim } from './rules/repeat-victim.ts';
export { nm01, perThousand } from './rules/measures.ts';
export { asbMeasures, reportingYearOf, RISK_COLUMNS, type AsbMeasures, type RiskColumn, type RiskCounts } from './measures.ts';
export { currentAsbSettings, asbSettingsVersion, saveAsbSettings, type VersionedAsbSettings } from './settings-service.ts';
export {
  openCase, similarCases, addIncident, addParties, assessCaseRisk, getCase, listCases, inCaseTeam, asbCaseRecords, asbPartyRecords, asbIncidentRecords,
  type AsbCase, type AsbParty, type AsbIncident, type AsbCaseReview, type CaseView, type CaseSummary, type SimilarCase, type OpenCaseInput, type CaseReviewState, type RiskOutcome,
} from './service.ts';
export { raiseCaseAlert, ALERT_WORDS, type AlertWords, type CaseAlertInput } from './alerts.ts';
export { addTool, changeToolStatus, TOOL_KINDS, TOOL_STATUSES, type ToolKind, type ToolStatus, type ToolInput, type AsbTool } from './tools.ts';
export { closeCase, CLOSING_REASONS, CLOSED_WITH_THE_CASE, type ClosingReason, type CloseInput, type SatisfactionSurvey, type Closed } from './close.ts';
export { openDemoAsbCases } from './demo.ts';
export {
  actionList, completeAction, addAction, linkCases, exportCases, UPDATE_COMPLAINANT, OWN_ACTION, ACTION_DUE,
  type ActionDue, type ActionListItem, type ActionListQuery, type CompletedAction, type CompleteActionInput, type OwnActionInput, type CaseExportRow,
} from './work.ts';
export { asbWorklists } from './worklists.ts';
export { ASB_IMPORT_KINDS } from './import.ts';
export {
  recordCaseReview, caseReviewFindingWords, CASE_REVIEW_OUTCOMES, CASE_REVIEW_OUTCOME_HINTS, RECOMMENDATIONS_MAX,
  type CaseReviewOutcome, type CaseReviewInput,
} from './case-reviews.ts';
