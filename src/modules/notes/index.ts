// Notes: free-text notes about exactly one person, home or tenancy (or what they named, when unmatched). The
// manifest, and the public functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { notesApi } from './api.ts';
import { NOTES_IMPORT } from './fields.ts';
import { notesLoader } from './import.ts';
import { notesWaitingForHomes } from './link.ts';
import { notePages, notesToActionSection } from './pages.ts';
import { withActionsDue } from './demo.ts';

export const notesModule = defineModule({
  name: 'notes',
  tables,
  // A few recent notes ask for something to be done (some overdue, some due soon): the housing officers' worklist.
  demo: (world, copy) => copy(tables.notes, withActionsDue(world.records('notes')), 'note'),
  entityKinds: [{ kind: 'note', label: 'Notes' }],
  apiTags: [{ name: 'Notes', description: 'Free-text notes about exactly one person, home or tenancy.' }],
  importKinds: [{ ...NOTES_IMPORT, loader: notesLoader }],
  // Notes about a home loaded before it are linked when it arrives.
  recordListeners: [{ kind: 'home', listener: notesWaitingForHomes }],
  api: (api, { run }) => notesApi(api, run),
  pages: (app, { page, run }) => notePages(app, page, run),
  worklists: [notesToActionSection],
});

export { type Note, noteRecords, noteService, newestNoteFirst, notesAbout, notesAboutAny, notesInIdOrder, notesToAction, markActioned, type NoteScope } from './service.ts';
export { NOTE_SUBJECT_KINDS, type NoteSubjectKind, NOTE_TYPES } from './codes.ts';
