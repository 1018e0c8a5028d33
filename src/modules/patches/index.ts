// Patches: a housing officer's estates and homes ("my patch"). The manifest, and the public functions other modules
// use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';

export const patchesModule = defineModule({
  name: 'patches',
  tables,
});

export { patchScope, patchOfUser, homeIdsOfPatch, type Patch } from './service.ts';
