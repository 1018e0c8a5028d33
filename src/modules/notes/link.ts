// Notes about a home that matched nothing keep what they named (subject_named) and no home, and are linked when that
// home is written (homes/waiting.ts), so their signs of damp and mould move onto the register.
import { onRecordsWritten } from '../../platform/records/events.ts';
import { linkWhenHomesArrive } from '../homes/waiting.ts';

const homesWritten = linkWhenHomesArrive({
  table: 'notes', namedColumn: 'subject_named', entityKind: 'note', namedField: 'subjectNamed', actor: 'linking notes to homes',
  // Only notes about a home wait for one; a note has one subject at most.
  waitingWhen: { subject_kind: 'home' }, linkOnlyIfNull: ['person_id', 'tenancy_id'],
});

/** Listen for homes being written (safe to call again: a listener is registered once). */
export function linkNotesWhenHomesArrive(): void {
  onRecordsWritten('home', homesWritten);
}
linkNotesWhenHomesArrive();
