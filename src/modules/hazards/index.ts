// Hazards: hazard reports about homes and what happened to them, with their Awaab's Law clocks. The manifest, and the
// public functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { hazardsApi } from './api.ts';
import { hazardPages } from './pages.ts';
import { hazardCommands } from './cli.ts';
import { hazardWorklists } from './worklists.ts';

export const hazardsModule = defineModule({
  name: 'hazards',
  tables,
  entityKinds: [{ kind: 'hazard-report', label: 'Hazard reports' }],
  permissions: [{
    name: 'hazards:write', description: "log a hazard report (Awaab's Law) and record what happened to it",
    roles: ['administrator', 'housing-officer', 'asb-officer', 'repairs-planner', 'compliance-lead'],
  }],
  apiTags: [{ name: 'Hazards', description: "Hazard reports about homes and what happened to them, with their Awaab's Law clocks." }],
  api: (api, { run }) => hazardsApi(api, run),
  pages: (app, { page, run }) => hazardPages(app, page, run),
  // No link of its own in the service navigation (it would not fit at 1280 px for administrators): /hazards is found
  // from Insight, whose link it lights up (section 'hazards'), and from the home pages' worklists.
  worklists: hazardWorklists,
  commands: hazardCommands,
});

export { hazardRecords, hazardSummary, hazardsOfHome, recordEvent, reportHazard, clockLists, type HazardSummary, type HomeHazard } from './service.ts';
export { CLOCK_IDS, CLOCK_LABELS, hazardClocks } from './clocks.ts';
export { searchHazardReports, countHazardReports, type ClockState, type HazardListFilter } from './list.ts';
export { detectDampMould, type DampResult, type DampEvidence, type DampKind } from './damp-detector.ts';
export { addWorkingDays, isWorkingDay, workingDaysBetween, bankHolidays, type IsoDate } from './working-days.ts';
export { dampMouldMeasures, type DampMouldMeasures } from './service.ts';
