// The fields a file of repair history can give. Loaded by import.ts.
import { importField as f, type ImportKind } from '../../platform/records/load.ts';
import { ADDRESS, HOME_REFERENCE, UPRN } from '../homes/index.ts';
import { repairs } from './schema.ts';

/** An import kind without its loader (the manifest adds it). */
type ImportKindFields = Omit<ImportKind, 'loader'>;

export const REPAIRS_IMPORT: ImportKindFields = {
  kind: 'repairs', label: 'Repair history',
  fields: [
    f('jobReference', 'Job reference', 'code', ['job ref', 'job reference', 'job number', 'job no', 'job id', 'job', 'work order', 'work order no',
      'work order number', 'work order ref', 'works order', 'works order no', 'works order number', 'wo number', 'wo no', 'order number', 'order no',
      'order ref', 'repair ref', 'repair reference', 'repair id', 'repair number', 'repair no', 'ref', 'reference', 'id',
      // Hackney's repairs hub and its migration sheets (Work_Order_Reference, workOrderReference), other repairs systems.
      'work order reference', 'works order reference', 'works order ref', 'wo ref', 'wo reference', 'job code', 'order reference',
      'request reference', 'repair request reference', 'repair request id', 'job ref no', 'job card', 'job card number', 'task reference'], true),
    HOME_REFERENCE,
    UPRN,
    f('reportedDate', 'Reported date', 'date', ['date reported', 'reported', 'reported on', 'date raised', 'raised date', 'raised', 'date logged',
      'logged date', 'logged', 'created date', 'date created', 'order date', 'request date', 'date requested', 'raised on', 'logged on',
      'date of report', 'job raised date', 'date job raised', 'reported date'], true),
    f('priority', 'Priority', 'code', ['priority code', 'job priority', 'urgency', 'priority description', 'response', 'response time'], true),
    f('status', 'Status', 'code', ['job status', 'state', 'work order status', 'current status', 'repair status']),
    f('description', 'Description (every word kept)', 'text', ['job description', 'repair description', 'work description', 'details', 'problem',
      'fault', 'fault description', 'notes', 'job notes', 'comments', 'narrative', 'text', 'defect', 'desc', 'works description', 'issue',
      'clean description', 'repair details', 'job details', 'work required', 'works required', 'description of works', 'description of work',
      'problem description', 'fault details', 'short description', 'long description', 'job text', 'order description']),
    f('completedDate', 'Completed date', 'date', ['date completed', 'completed', 'completion date', 'actual completion date', 'completed on',
      'closed date', 'date closed', 'closed', 'finished', 'date finished'], true),
    f('targetDate', 'Target date', 'date', ['target', 'target completion date', 'due date', 'date due', 'due', 'target date'], true),
    f('sorCode', 'Schedule of rates code', 'code', ['sor', 'sor code', 'schedule of rates', 'schedule of rates code', 'nhf sor'], true),
    f('trade', 'Trade', 'code', ['trade code', 'trade description'], true),
    f('location', 'Location in the home', 'text', ['location of repair', 'room', 'repair location']),
    // A job may name its home only by its address (lines or parts), matched within the postcode (homes/import.ts matchHomes).
    ...ADDRESS,
  ],
  required: [['jobReference'], ['homeReference', 'uprn', 'postcode', 'addressLine1', 'address']],
  recommended: ['reportedDate', 'description'],
  identity: 'jobReference',
  identifying: ['jobReference'],
  position: 50,
  // The home it names is matched to its id (or kept as named, repairs.homeNamed, when nothing matches).
  stores: { table: repairs, otherwise: Object.fromEntries([HOME_REFERENCE, UPRN, ...ADDRESS].map((a) => [a.field, repairs.homeId])) },
};
