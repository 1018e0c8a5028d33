// Notes about a home that matched nothing keep what they named (subject_named) and no home, and are linked when that
// home is written (homes/waiting.ts), so their signs of damp and mould move onto the register. Listens for homes
// written: the manifest's recordListeners (index.ts).
import { linkWhenHomesArrive } from '../homes/index.ts';

export const notesWaitingForHomes = linkWhenHomesArrive({
  table: 'notes', namedColumn: 'subject_named', entityKind: 'note', namedField: 'subjectNamed', actor: 'linking notes to homes',
  // Only notes about a home wait for one; a note has one subject at most.
  waitingWhen: { subject_kind: 'home' }, linkOnlyIfNull: ['person_id', 'tenancy_id'],
});
