// Notes: free-text notes about exactly one person, home or tenancy (or what they named, when unmatched). The
// manifest, and the public functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { notesApi } from './api.ts';
import { NOTES_IMPORT } from './fields.ts';
import { notesLoader } from './import.ts';
import { notesWaitingForHomes } from './link.ts';

export const notesModule = defineModule({
  name: 'notes',
  tables,
  demo: (world, copy) => copy(tables.notes, world.records('notes'), 'note'),
  entityKinds: [{ kind: 'note', label: 'Notes' }],
  apiTags: [{ name: 'Notes', description: 'Free-text notes about exactly one person, home or tenancy.' }],
  importKinds: [{ ...NOTES_IMPORT, loader: notesLoader }],
  // Notes about a home loaded before it are linked when it arrives.
  recordListeners: [{ kind: 'home', listener: notesWaitingForHomes }],
  api: (api, { run }) => notesApi(api, run),
});

export { type Note, noteRecords, noteService, newestNoteFirst, notesAbout, notesAboutAny, notesInIdOrder } from './service.ts';
export { NOTE_SUBJECT_KINDS, type NoteSubjectKind } from './codes.ts';
