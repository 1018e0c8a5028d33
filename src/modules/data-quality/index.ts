// Data quality: the report of what is missing, what cannot be right and where records disagree, composed from the
// checks each installed module declares (its manifest's `quality`). The manifest, and the public functions other
// modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import { dataQualityPages } from './pages.ts';
import * as tables from './schema.ts';

export const dataQualityModule = defineModule({
  name: 'data-quality',
  tables,
  navigation: [{ href: '/data-quality', text: 'Data quality', sections: ['data-quality'], position: 40 }],
  pages: (app, { page }) => dataQualityPages(app, page),
});

export { qualityReport, qualityRows, checkDefinitions, type CheckResult, type QualityReport } from './service.ts';
