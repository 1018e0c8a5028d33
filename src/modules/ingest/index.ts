// Ingest: loading files of records (docs/ingest.md): reading any CSV, XLSX, JSON or NDJSON, mapping columns onto the
// fields of the kinds of record the installed modules declare, normalising values, and handing rows in batches to
// the owning module's loader; the import queue, the upload page, the imports API and `hearth ingest`. The manifest,
// and the public functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { importsApi } from './api.ts';
import { importPages } from './pages.ts';
import { importJobs, type ImportJobs } from './jobs.ts';
import { ingestCommands } from './command.ts';
import { importsWithProblemsSection } from './worklist.ts';

export const ingestModule = defineModule<ImportJobs>({
  name: 'ingest',
  tables,
  entityKinds: [{ kind: 'import', label: 'Imports' }],
  permissions: [{
    name: 'imports:manage', description: 'load files, see what was rejected (rows as read, which may hold sensitive data)',
    roles: ['administrator', 'data-lead'],
  }],
  auditActions: ['import-started', 'import-finished', 'mapping-saved'],
  apiTags: [{ name: 'Imports', description: 'Loading files of homes, people, tenancies, repairs and more, and the rows that did not load.' }],
  // The background queue that runs imports: it starts on first use, or when the app serves (recovering unfinished imports).
  jobs: ({ store, config, log }) => importJobs(store, config, log),
  api: (api, { run, jobs, config }) => importsApi(api, run, { jobs, config }),
  navigation: [{ href: '/imports', text: 'Imports', sections: ['imports'], permission: 'imports:manage', position: 50 }],
  // The data lead's home page: recent imports that finished with rows not loaded or warnings, or stopped.
  worklists: [importsWithProblemsSection],
  pages: (app, { page, run, jobs, config }) => importPages(app, page, run, { jobs, config }),
  commands: ingestCommands,
});

export { personName } from './normalise.ts';
export type { ImportJobs } from './jobs.ts';
