// Repairs: repair jobs of homes, with the description kept word for word. The manifest, and the public functions
// other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { repairsApi } from './api.ts';
import { REPAIRS_IMPORT } from './fields.ts';
import { repairsLoader } from './import.ts';
import { repairChecks } from './quality.ts';
import { repairsWaitingForHomes } from './link.ts';
import { workOrderPages } from './work-order-pages.ts';
import { operativePages } from './operative-pages.ts';
import { workOrdersApi } from './work-orders-api.ts';
import { repairWorklists } from './worklists.ts';
import { reportPages } from './report/pages.ts';
import { requestsApi } from './requests-api.ts';
import { settingsPages } from './settings-pages.ts';

export const repairsModule = defineModule({
  name: 'repairs',
  tables,
  demo: (world, copy) => copy(tables.repairs, world.records('repairs'), 'repair'),
  navigation: [
    { href: '/repairs/work-orders', text: 'Repairs', sections: ['repairs'], permission: 'repairs:plan', position: 33 },
    { href: '/my-jobs', text: 'My jobs', sections: ['my-jobs'], permission: 'repairs:work', position: 15 },
    { href: '/repairs/settings', text: 'Repair settings', sections: ['repairs'], permission: 'repairs:settings', position: 90, manage: 'the triage tree, priorities, alert rules and appointment slots' },
  ],
  entityKinds: [{ kind: 'repair', label: 'Repairs' }, { kind: 'repair-request', label: 'Repair requests' }],
  permissions: [
    { name: 'repairs:plan', description: 'raise work orders, change their status, book appointments and build plans', roles: ['administrator', 'repairs-planner'] },
    { name: 'repairs:raise', description: 'report a repair for a resident and raise a work order', roles: ['administrator', 'repairs-planner', 'housing-officer'] },
    { name: 'repairs:work', description: "see and work one's own jobs (the operative's pages)", roles: ['operative'] },
    { name: 'repairs:settings', description: 'change the triage tree, priorities and alert rules', roles: ['administrator'] },
  ],
  auditActions: ['work-order-status', 'repair-settings-saved', 'repair-request-read'],
  apiTags: [{ name: 'Repairs', description: 'Repair jobs of homes, with the description kept word for word.' }],
  importKinds: [{ ...REPAIRS_IMPORT, loader: repairsLoader }],
  quality: { tables: (organisationId) => [repairChecks(organisationId)] },
  // Jobs loaded before their home are linked when it arrives (wherever records are written: the app and `hearth ingest`).
  recordListeners: [{ kind: 'home', listener: repairsWaitingForHomes }],
  api: (api, deps) => {
    repairsApi(api, deps.run);
    requestsApi(api, deps);
    workOrdersApi(api, deps);
  },
  pages: (app, deps) => {
    reportPages(app, deps);
    workOrderPages(app, deps);
    operativePages(app, deps);
    settingsPages(app, deps);
  },
  worklists: repairWorklists,
});

export { type Repair, repairRecords, newestRepairFirst, repairsOfHome, repairsOfHomes, repairsInIdOrder } from './service.ts';
export { repairMeasures, type RepairMeasures, type TargetMeasure, type MonthMeasure } from './measures.ts';
export {
  type WorkOrderRow, type WorkOrderView, type WorkOrderListItem, type RaiseWorkOrderInput, type StatusChange,
  raiseWorkOrder, changeStatus, needsFollowOn, addWorkOrderNote, workOrder, workOrderList, workOrderAvailability,
  bookWorkOrder, cancelWorkOrderAppointment, myJobs,
} from './work-orders.ts';
export {
  type RepairRequest, type RepairRequestInput, type Submitted, submitRepairRequest, findRepair, cancelRepair,
  changeAppointment, offerSlots, repairRequest,
} from './requests.ts';
export { type VersionedSettings, currentSettings, saveSettings, settingsVersion } from './settings-service.ts';
export { DEFAULT_REPAIR_SETTINGS } from './rules/default-settings.ts';
export { type RepairSettings } from './rules/settings.ts';
export { raiseDemoWorkOrders } from './demo.ts';
