// Repairs: repair jobs of homes, with the description kept word for word. The manifest, and the public functions
// other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { repairsApi } from './api.ts';
import { REPAIRS_IMPORT } from './fields.ts';
import { repairsLoader } from './import.ts';
import { repairChecks } from './quality.ts';
import { repairsWaitingForHomes } from './link.ts';

export const repairsModule = defineModule({
  name: 'repairs',
  tables,
  demo: (world, copy) => copy(tables.repairs, world.records('repairs'), 'repair'),
  entityKinds: [{ kind: 'repair', label: 'Repairs' }],
  apiTags: [{ name: 'Repairs', description: 'Repair jobs of homes, with the description kept word for word.' }],
  importKinds: [{ ...REPAIRS_IMPORT, loader: repairsLoader }],
  quality: { tables: (organisationId) => [repairChecks(organisationId)] },
  // Jobs loaded before their home are linked when it arrives (wherever records are written: the app and `hearth ingest`).
  recordListeners: [{ kind: 'home', listener: repairsWaitingForHomes }],
  api: (api, { run }) => repairsApi(api, run),
});

export { type Repair, repairRecords, newestRepairFirst, repairsOfHome, repairsOfHomes, repairsInIdOrder } from './service.ts';
