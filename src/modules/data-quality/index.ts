// Data quality: the report of what is missing, what cannot be right and where records disagree, composed from the
// checks each installed module declares (its manifest's `quality`). The manifest, and the public functions other
// modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import { dataQualityPages } from './pages.ts';
import * as tables from './schema.ts';
import { worseCheckItems } from './service.ts';

export const dataQualityModule = defineModule({
  name: 'data-quality',
  tables,
  navigation: [{ href: '/data-quality', text: 'Data quality', sections: ['data-quality'], permission: 'records:read', position: 40 }],
  pages: (app, { page }) => dataQualityPages(app, page),
  worklists: [{
    id: 'data-quality-worse', title: 'Data quality checks that got worse', roles: ['data-lead', 'administrator'], position: 60,
    href: '/data-quality', empty: 'No data quality check has found more than the last time it was counted.',
    items: (ctx, { limit }) => worseCheckItems(ctx, { limit }),
  }],
});

export { qualityReport, qualityRows, checkDefinitions, snapshotToday, worseChecks, type CheckResult, type QualityReport, type WorseCheck } from './service.ts';
