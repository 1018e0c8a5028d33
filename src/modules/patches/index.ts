// Patches: a housing officer's estates and homes ("my patch"). The manifest, and the public functions other modules
// use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { patchPages } from './pages.ts';
import { patchesDemo } from './demo.ts';
import { patchScope } from './service.ts';

export const patchesModule = defineModule({
  name: 'patches',
  tables,
  entityKinds: [{ kind: 'patch', label: 'Patches' }],
  permissions: [{ name: 'patches:manage', description: 'make patches and give them to housing officers', roles: ['administrator'] }],
  // The demo's patch, unassigned: the demo's staff accounts are made after the modules' rows, and main.ts then gives
  // it to the demo's housing officer in the same transaction (assignDemoPatches).
  demo: patchesDemo,
  pages: (app, { page, run }) => patchPages(app, page, run),
  // "My patch" for every module (platform/modules.ts patchScope()): none of them imports this one.
  patchScope,
});

export { patchOfUser, homeIdsOfPatch, peopleOfHomes, type Patch } from './service.ts';
export { assignDemoPatches } from './demo.ts';
