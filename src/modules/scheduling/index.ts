// Scheduling: operatives (trades, working patterns, home base), appointment slots and capacity, bookings, and each
// day's plan built by the routing engine (engine/: vehicle routing with time windows). It knows jobs only by the kind,
// id and facts given when they are booked, so any module's visits can be scheduled (repairs books through this file).
// The manifest, and the public functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { schedulingPages } from './pages.ts';
import { schedulingApi } from './api.ts';

export const schedulingModule = defineModule({
  name: 'scheduling',
  tables,
  entityKinds: [{ kind: 'operative', label: 'Operatives' }, { kind: 'appointment', label: 'Appointments' }],
  permissions: [
    { name: 'scheduling:plan', description: 'manage operatives, book appointments for others and build the day\'s plans', roles: ['administrator', 'repairs-planner'] },
    { name: 'scheduling:read', description: 'see operatives, appointments and plans', roles: ['administrator', 'repairs-planner', 'housing-officer', 'operative'] },
  ],
  api: (api, deps) => schedulingApi(api, deps),
  pages: (app, deps) => schedulingPages(app, deps),
});
