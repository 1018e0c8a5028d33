// Insight: the regulator's questions (docs/insight.md): the higher-risk buildings register, the damp and mould register
// (signals kept up to date as repairs, notes and hazard reports are written) and the dashboard. The manifest, and the
// public functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { insightApi } from './api.ts';
import { insightPages } from './pages.ts';
import { dashboardApi, dashboardPages } from './dashboard.ts';
import { dampSignalSubscriber } from './damp-signals.ts';
import { insightCommands } from './cli.ts';
import { insightWorklists } from './worklists.ts';

export const insightModule = defineModule({
  name: 'insight',
  tables,
  apiTags: [{ name: 'Insight', description: "The regulator's questions: the higher-risk buildings register, the damp and mould register, Awaab's Law clocks and the dashboard's figures." }],
  // Damp and mould signals follow repairs, notes and hazard reports through the outbox (damp-signals.ts).
  subscribers: [dampSignalSubscriber],
  api: (api, { run }) => {
    insightApi(api, run);
    dashboardApi(api, run);
  },
  // The hazard pages (the hazards module's) are found from Insight too.
  navigation: [{ href: '/insight', text: 'Insight', sections: ['insight', 'higher-risk', 'damp-and-mould', 'hazards'], permission: 'records:read', position: 30 }],
  pages: (app, { page }) => {
    dashboardPages(app, page);
    insightPages(app, page);
  },
  commands: insightCommands,
  worklists: insightWorklists,
});

export { blockAssessment, higherRiskCounts } from './higher-risk.ts';
export { rescanDampSignals } from './damp-signals.ts';
export { homesWithDampSigns } from './damp-register.ts';
