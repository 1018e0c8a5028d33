// Scheduling: operatives (trades, working patterns, home base), appointment slots and capacity, bookings, and each
// day's plan built by the routing engine (engine/: vehicle routing with time windows). It knows jobs only by the kind,
// id and facts given when they are booked, so any module's visits can be scheduled (repairs books through this file).
// The manifest, and the public functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { schedulingPages } from './pages.ts';
import { schedulingApi } from './api.ts';
import { schedulingDemo } from './demo.ts';

export const schedulingModule = defineModule({
  name: 'scheduling',
  tables,
  entityKinds: [{ kind: 'operative', label: 'Operatives' }, { kind: 'appointment', label: 'Appointments' }],
  permissions: [
    { name: 'scheduling:plan', description: 'manage operatives, book appointments for others and build the day\'s plans', roles: ['administrator', 'repairs-planner'] },
    { name: 'scheduling:read', description: 'see operatives, appointments and plans', roles: ['administrator', 'repairs-planner', 'housing-officer', 'operative'] },
    // The planner's pages, for the office: operatives see their own day on the operative pages instead.
    { name: 'scheduling:view', description: 'see the planner\'s pages: the day\'s appointments and plan, and the operatives', roles: ['administrator', 'repairs-planner', 'housing-officer'] },
  ],
  auditActions: ['plan-built'],
  apiTags: [
    { name: 'Operatives', description: 'The people who do the work: their trades, working days and hours, and where they start the day.' },
    { name: 'Appointments', description: 'Visits booked for jobs, and each day’s plan: which operative visits which home, in what order.' },
  ],
  // Operatives see their own day on their own pages (repairs), not the planner.
  navigation: [{ href: '/scheduling', text: 'Scheduling', sections: ['scheduling'], permission: 'scheduling:view', position: 35 }],
  demo: schedulingDemo,
  api: (api, deps) => schedulingApi(api, deps),
  pages: (app, deps) => schedulingPages(app, deps),
});

export {
  availability, bookAppointment, rebookAppointment, cancelAppointment, appointmentOf, appointmentsOf, appointmentsOn, operativeOfUser,
  operativeDay, markAttended, listOperatives, createOperative, updateOperative, SlotTaken, TRADES, TRADE_CODES, londonInstant, type OperativeInput,
  type Appointment, type Operative, type Slot, type OfferedSlot, type AvailabilityQuery, type BookingInput, type Trade,
} from './service.ts';
export { buildPlan, dayPlan, type DayPlanRow, type DayPlanView } from './plan.ts';
export { linkDemoOperative, DEMO_OPERATIVE_EMAIL } from './demo.ts';
