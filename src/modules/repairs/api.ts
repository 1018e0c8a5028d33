import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { presentRecord, recordRoutes, type Run } from '../../platform/records/api.ts';
import { recordFields, pageQuery, text, nullable, referencesIn, idRef, strict, dateField } from '../../platform/http/schemas.ts';
import { repairRecords } from './service.ts';

const pastDate = (description: string) =>
  nullable(Type.String({ format: 'past-date', description: `${description} (YYYY-MM-DD), not in the future` }));

const repairFields = {
  jobReference: Type.String({ minLength: 1, maxLength: 50, description: "The repairs system's job (work order) reference" }),
  homeId: idRef('The home the job is for'),
  homeNamed: text(500, 'What the source named the home by (reference, UPRN or address) when it matched no home; kept for review and later linking'),
  reportedDate: pastDate('Reported date'),
  priority: text(100, 'Priority as the repairs system records it, e.g. "Emergency", "Urgent", "Routine", "Planned"'),
  status: text(100, 'Status as the repairs system records it, e.g. "Reported", "In progress", "Completed", "Cancelled"'),
  description: nullable(Type.String({ maxLength: 20_000, description: 'What was reported and done, word for word as the repairs system holds it' })),
  completedDate: pastDate('Completed date; on or after the reported date'),
  targetDate: nullable(dateField('Target date; on or after the reported date')),
  sorCode: text(50, 'Schedule of rates code, e.g. an NHF SOR code'),
  trade: text(100, 'Trade, e.g. "Plumber", "Electrician", "Damp and mould"'),
  location: text(200, 'Where in the home, e.g. "Bathroom"'),
};
const Repair = Type.Object({ ...recordFields, ...repairFields }, {
  $id: 'Repair', description: 'A repair job. A job for a home that matched no record has no homeId and keeps homeNamed.',
});

export function repairsApi(app: TypedFastify, run: Run) {
  recordRoutes(app, run, {
    present: presentRecord,
    path: '/repairs', tag: 'Repairs', name: 'repair', service: repairRecords, record: Repair,
    create: Type.Object({ ...repairFields, sourceReferences: referencesIn }, strict),
    update: Type.Partial(Type.Object(repairFields), strict),
    query: Type.Object({
      ...pageQuery,
      homeId: Type.Optional(Type.String({ format: 'uuid', description: 'Jobs for this home' })),
      jobReference: Type.Optional(Type.String({ maxLength: 50, description: 'Job reference (exact, any case)' })),
      status: Type.Optional(Type.String({ maxLength: 100, description: 'Status (exact, any case), e.g. "Completed"' })),
    }, strict),
  });
}
