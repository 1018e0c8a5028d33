// The upload pages, for a data lead: the imports list → load a file (upload) → check the columns (mapping) → the
// import's progress and result, with the rows that did not load to download, fix and load again. No JavaScript
// needed. The upload form is multipart, so its CSRF token is its first field, checked before any file is stored.
import type { FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { IdParams, QueryValue, type PageRun } from '../../web/page.ts';
import type { Run } from '../../platform/records/api.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import { DATE_FORMATS, quote, type DateFormat } from './normalise.ts';
import { columnKeys, DATE_PARTS, KINDS, targetField, type MappingProfile, type ProfileIssue, type RecordKind } from './mapping.ts';
import { getImport, listImports, listProfiles, issueSummary, savedProfile, type Import } from './service.ts';
import { beginImport, dateColumns, examples, fileLayout, KindNotSettled, loadableKinds, MappingDoesNotFit, mappingErrors, normaliseSourceSystem, readImportFile, sampleFile, sourceSystemError, suggestUpload, UnreadableFile, type DateColumn } from './intake.ts';
import { confirmPending, readPending, removeStored, removeUpload, savePending, type PendingUpload } from './uploads.ts';
import { megabytes, percentDone, receiveUpload, sendIssuesCsv, type ImportDeps } from './api.ts';
import type { FileSuggestion } from './suggest.ts';
import type { FileRow } from './read.ts';
import { Type, type TSchema } from 'typebox';
import { defineForm, errorLookup, type ErrorItem, type FieldMessages } from '../../web/forms/index.ts';
import { problemWords } from './words.ts';
import { multipartCsrfValid, multipartCsrfExpired } from '../../web/forms/multipart.ts';

const OUTCOME_LABELS: Record<string, string> = { rejected: 'Rejected', duplicate: 'Duplicate in the file', review: 'Loaded, to review', warning: 'Loaded, value left out' };
const STATUS = {
  queued: { text: 'Waiting to start', classes: 'govuk-tag--grey' },
  running: { text: 'Loading', classes: 'govuk-tag--blue' },
  completed: { text: 'Finished', classes: 'govuk-tag--green' },
  failed: { text: 'Stopped', classes: 'govuk-tag--red' },
} as const;
const DATE_FORMAT_TEXT: Record<DateFormat, string> = {
  iso: 'yyyy-mm-dd (2024-03-31)',
  dmy: 'dd/mm/yyyy, day first (31/03/2024)',
  mdy: 'mm/dd/yyyy, month first (03/31/2024)',
  'dmy-yy': 'dd/mm/yy, day first, 2-digit year (31/03/24)',
  'mdy-yy': 'mm/dd/yy, month first, 2-digit year (03/31/24)',
  'excel-serial': DATE_FORMATS['excel-serial'],
  'excel-serial-1904': DATE_FORMATS['excel-serial-1904'],
};

function requireManage(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'imports:manage')) throw forbidden('Your role does not allow you to load files or see what was loaded');
}


const SOURCE_RULE = 'The system name can only use letters, numbers, dots, dashes and underscores (up to 63), such as northgate-housing';

/** The upload form's fields besides the file (a multipart form: receiveUpload gives them as text). */
const UploadForm = defineForm({
  schema: Type.Object({
    sourceSystem: Type.String({ maxLength: 200 }),
    kind: Type.Optional(Type.String({ maxLength: 100 })),
    sheet: Type.Optional(Type.String({ maxLength: 200 })),
    headerRow: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  }),
  // The file is not one of the form's fields (the upload reads it apart), but its errors go where it is on the page.
  order: ['sourceSystem', 'kind', 'file', 'sheet', 'headerRow'],
  messages: {
    sourceSystem: { required: 'Enter the name of the system the file came from', invalid: SOURCE_RULE },
    kind: 'Select what the file holds',
    sheet: 'The sheet name must be 200 characters or fewer',
    headerRow: 'The row with the column names must be a number from 1 to 1000, like 4',
  },
  check: (v, fail) => {
    const error = v.sourceSystem === undefined ? null : sourceSystemError(normaliseSourceSystem(v.sourceSystem));
    if (error) fail('sourceSystem', error);
    if (v.kind && v.kind !== 'detect' && !loadableKinds().includes(v.kind as RecordKind)) fail('kind', 'Select what the file holds');
  },
});

/** The mapping form of a file with `columns` columns: each column's field (`field-<i>`) and date format (`dateFormat-<i>`). */
function mappingForm(columns: number) {
  // In the order of the page: each column's field and date format, then "save" under the table.
  const props: Record<string, TSchema> = {};
  const messages: Record<string, FieldMessages> = {};
  for (let i = 0; i < columns; i++) {
    props[`field-${i}`] = Type.Optional(Type.String({ maxLength: 200 }));
    props[`dateFormat-${i}`] = Type.Optional(Type.String({ maxLength: 50 }));
    messages[`field-${i}`] = 'Select what to load the column as';
    messages[`dateFormat-${i}`] = 'Select how the dates are written';
  }
  props.save = Type.Optional(Type.String({ maxLength: 10 }));
  messages.save = 'Select whether to save the mapping';
  return defineForm({ schema: Type.Object(props), messages });
}

/** The radios for what a file holds: worked out from the file (the default), or one of the kinds Hearth loads. */
const kindChoices = (kinds: RecordKind[], current = 'detect') => [
  { value: 'detect', text: 'Work it out from the file', hint: { text: 'Hearth reads the column headers' }, checked: current === 'detect' },
  { divider: 'or' },
  ...kinds.map((k) => ({ value: k, text: KINDS[k].label, checked: current === k })),
];

// Any text: readPending checks it is an upload's id (a uuid), else the page is not found (404), as before.
const UploadParams = Type.Object({ uploadId: Type.String() });

export function importPages(app: TypedFastify, page: PageRun, run: Run, deps: ImportDeps) {
  const { jobs, config } = deps;
  const limitText = () => megabytes(config.uploadLimit);

  async function knownSources(req: FastifyRequest): Promise<string[]> {
    return run(req, async (ctx) => {
      const names = new Set([...(await listProfiles(ctx)).map((p) => p.sourceSystem), ...(await listImports(ctx, 100)).map((i) => i.sourceSystem)]);
      return [...names].sort();
    });
  }

  app.get('/imports', async (req, reply) => {
    requireManage(req);
    const data = await page(req, async (ctx) => ({ imports: await listImports(ctx, 100) }));
    return reply.view('ingest/imports.njk', { ...data, title: 'Imports', section: 'imports', STATUS, KINDS });
  });

  async function showNew(req: FastifyRequest, reply: FastifyReply, values: { sourceSystem?: string; kind?: string; sheet?: string; headerRow?: string } = {}, errors: ErrorItem[] = [], status = 200) {
    requireManage(req);
    const data = await page(req, async () => ({}));
    errors = UploadForm.inPageOrder(errors); // the file's own errors between "what it holds" and the sheet, as on the page
    return reply.code(status).view('ingest/import-new.njk', {
      ...data, title: 'Load a file', section: 'imports', backLink: '/imports', values, errors, errorFor: errorLookup(errors),
      sources: await knownSources(req), kindChoices: kindChoices(loadableKinds(), values.kind), limitText: limitText(),
    });
  }

  app.get('/imports/new', { schema: { querystring: Type.Object({ source: QueryValue }) } }, async (req, reply) => showNew(req, reply, { sourceSystem: String(req.query.source ?? '') }));

  // The upload itself: multipart, parsed in this scope only.
  app.register(async (scope) => {
    await scope.register(multipart);
    scope.post('/imports/new', async (req, reply) => {
      requireManage(req);
      if (!req.isMultipart()) throw new Problem(400, 'Invalid request', 'The form was not sent as a file upload');
      let csrf = false;
      let received;
      try {
        received = await receiveUpload(req, config, {
          onField: (name, value) => { if (name === '_csrf') csrf = multipartCsrfValid(app, req, reply, value); },
          beforeFile: () => { if (!csrf) throw multipartCsrfExpired(); },
        });
      } catch (err) {
        if (err instanceof Problem && err.status === 413) {
          return showNew(req, reply, {}, [{ text: `The selected file must be smaller than ${limitText()}`, href: '#file' }], 413);
        }
        throw err;
      }
      const { file, fields } = received;
      if (!csrf) { removeStored(config.uploadDir, file?.path); throw multipartCsrfExpired(); }
      const form = UploadForm.parse(fields);
      const sourceSystem = normaliseSourceSystem(form.ok ? form.values.sourceSystem : '');
      const kindField = (form.ok ? form.values.kind : undefined) ?? 'detect';
      const sheet = form.ok ? form.values.sheet : undefined;
      const headerRow = { value: form.ok ? form.values.headerRow : undefined };
      const values = { sourceSystem: fields.sourceSystem ?? '', kind: fields.kind ?? 'detect', sheet: fields.sheet ?? '', headerRow: fields.headerRow ?? '' };
      const errors: ErrorItem[] = [];
      if (!file || (file.bytes === 0 && file.fileName === 'upload')) errors.push({ text: 'Select a file', href: '#file' });
      else if (file.bytes === 0) errors.push({ text: 'The selected file is empty', href: '#file' });
      if (!form.ok) errors.push(...form.errors);
      let suggestion: FileSuggestion | undefined;
      if (!errors.length) {
        try {
          // The same reading and kind as the API and the CLI (beginImport, once the columns are checked).
          suggestion = (await readImportFile({ path: file!.path, fileName: file!.fileName, kind: kindField === 'detect' ? undefined : kindField as RecordKind, sourceSystem, sheet,
            layout: { headerRow: headerRow.value } })).suggestion;
        } catch (err) {
          if (err instanceof KindNotSettled) {
            errors.push(err.kind ? { text: `The file looks like ${KINDS[err.kind].label.toLowerCase()}, which Hearth cannot load from files yet`, href: '#kind' }
              : { text: `Hearth could not tell what the file holds: ${(err.reason ?? '').replace(/; choose the kind of record$/, '')}. Select what it holds`, href: '#kind' });
          } else if (err instanceof UnreadableFile) {
            errors.push(sheet && /sheet/i.test(err.message) ? { text: err.message, href: '#sheet' }
              : headerRow.value && /header row/i.test(err.message) ? { text: err.message, href: '#headerRow' } : { text: unreadableText(err.message), href: '#file' });
          } else throw err;
        }
      }
      if (errors.length) {
        removeStored(config.uploadDir, file?.path);
        return showNew(req, reply, values, errors, 400);
      }
      const pending: PendingUpload = {
        ...file!, organisationId: req.actor!.organisationId, uploadedBy: req.actor!.name, sourceSystem, kind: suggestion!.kind!,
        kindReason: kindField === 'detect' ? suggestion!.kindGuess.reason : null, createdAt: new Date().toISOString(), ...(sheet ? { sheet } : {}),
        ...(headerRow.value ? { headerRow: headerRow.value } : {}),
      };
      savePending(config.uploadDir, pending);
      return reply.redirect(`/imports/uploads/${pending.uploadId}/mapping`, 303);
    });
  });

  // ---- The mapping: every column, what Hearth would load it as, and date formats
  interface Posted { fields: Record<number, string>; dateFormats: Record<number, string>; save: boolean }
  /** The mapping form's answers by column. */
  const postedOf = (values: Record<string, unknown>, columns: number): Posted => {
    const posted: Posted = { fields: {}, dateFormats: {}, save: values.save === 'yes' };
    for (let i = 0; i < columns; i++) {
      if (typeof values[`field-${i}`] === 'string') posted.fields[i] = values[`field-${i}`] as string;
      if (typeof values[`dateFormat-${i}`] === 'string') posted.dateFormats[i] = values[`dateFormat-${i}`] as string;
    }
    return posted;
  };

  async function mappingPage(req: FastifyRequest, reply: FastifyReply, uploadId: string, posted?: Posted, errors: ErrorItem[] = [], warnings: ProfileIssue[] = []) {
    requireManage(req);
    const upload = readPending(config.uploadDir, uploadId, req.actor!.organisationId);
    if (!upload) throw new Problem(404, 'Page not found');
    const data = await page(req, async (ctx) => ({ saved: await savedProfile(ctx, upload.sourceSystem, upload.kind) }));
    const { suggestion, sample } = await readUpload(upload);
    const view = mappingView(upload, suggestion, sample, data.saved, posted);
    if (!posted && !warnings.length) warnings = mappingErrors(view.profile, suggestion.headers, sample.rows).warnings;
    errors = mappingForm(columnKeys(suggestion.headers).length).inPageOrder(errors);
    return reply.code(errors.length ? 400 : 200).view('ingest/import-mapping.njk', {
      ...data, ...view, title: 'Check the columns', section: 'imports', backLink: '/imports/new', upload, uploadId, errors, errorFor: errorLookup(errors),
      sheetText: suggestion.sheet ? `${suggestion.sheet}${suggestion.sheets && suggestion.sheets.length > 1 ? ` (the workbook’s sheets: ${suggestion.sheets.join(', ')})` : ''}` : null,
      kindLabel: KINDS[upload.kind].label, kindLower: KINDS[upload.kind].label.toLowerCase(), sizeText: megabytes(upload.bytes), rowsSampled: sample.rows.length,
      layoutText: layoutText(suggestion),
      recommended: warnings.filter((w) => w.code === 'missing-recommended').map((w) => inPageWords(w.message)),
    });
  }

  async function readUpload(upload: PendingUpload) {
    const [suggestion, sample] = await Promise.all([
      suggestUpload(upload.path, { fileName: upload.fileName, kind: upload.kind, sourceSystem: upload.sourceSystem, sheet: upload.sheet, headerRow: upload.headerRow }),
      sampleFile(upload.path, upload.fileName, upload.sheet, undefined, { headerRow: upload.headerRow }),
    ]);
    return { suggestion, sample };
  }

  app.get('/imports/uploads/:uploadId/mapping', { schema: { params: UploadParams } }, async (req, reply) => mappingPage(req, reply, req.params.uploadId));

  app.post('/imports/uploads/:uploadId/mapping', { schema: { params: UploadParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireManage(req);
    const uploadId = req.params.uploadId;
    const upload = readPending(config.uploadDir, uploadId, req.actor!.organisationId);
    if (!upload) throw new Problem(404, 'Page not found');
    const { suggestion, sample } = await readUpload(upload);
    const headers = suggestion.headers;
    const keys = columnKeys(headers);
    const mapForm = mappingForm(keys.length);
    const form = mapForm.parse(req.body);
    if (!form.ok) return mappingPage(req, reply, uploadId, postedOf(form.raw, keys.length), form.errors);
    const posted = postedOf(form.values, keys.length);
    // The header row and JSON path the file was read with go with the import (and a saved mapping), so it reads the same.
    const profile: MappingProfile = { sourceSystem: upload.sourceSystem, kind: upload.kind, columns: {}, ...fileLayout(suggestion, { headerRow: upload.headerRow }) };
    const dateFormats: Record<string, DateFormat> = {};
    keys.forEach((key, i) => {
      const field = posted.fields[i] ?? '';
      const chosen = field && targetField(upload.kind, field) ? field : null;
      Object.defineProperty(profile.columns, key, { value: chosen, enumerable: true, writable: true, configurable: true });
      const format = posted.dateFormats[i];
      if (chosen && targetField(upload.kind, chosen)!.type === 'date' && format && Object.hasOwn(DATE_FORMATS, format)) dateFormats[key] = format as DateFormat;
    });
    if (Object.keys(dateFormats).length) profile.dateFormats = dateFormats;
    let started;
    try {
      started = await run(req, (ctx) => beginImport(ctx, {
        path: upload.path, fileName: upload.fileName, sourceSystem: upload.sourceSystem, kind: upload.kind, given: profile, sheet: upload.sheet,
        layout: { headerRow: upload.headerRow }, stored: true, save: posted.save, read: { suggestion, sample, kind: upload.kind },
      }));
    } catch (err) {
      if (!(err instanceof MappingDoesNotFit)) throw err;
      // In the order of the columns on the page, in the page's words.
      return mappingPage(req, reply, uploadId, posted, mapForm.inPageOrder(err.issues.map((e) => errorItem(e, keys, profile))), err.warnings);
    }
    if (started.resumed) removeUpload(config.uploadDir, uploadId); // the same file is already loading: that import it is
    else confirmPending(config.uploadDir, uploadId);
    const enqueued = await jobs.enqueue(req.actor!.organisationId, started.import.id).then(() => true,
      (err: unknown) => { req.log.error({ err, importId: started.import.id }, 'could not enqueue import; it is queued and will run at the next start'); return false; });
    // A small file loads in a moment: wait briefly, so it lands on its result rather than on "Loading".
    if (enqueued) await settled(req, started.import.id, 1500);
    return reply.redirect(`/imports/${started.import.id}`, 303);
  });

  /** Wait up to `ms` for an import to finish; whether it did. */
  async function settled(req: FastifyRequest, id: string, ms: number): Promise<boolean> {
    for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      const imp = await run(req, (ctx) => getImport(ctx, id));
      if (imp.status === 'completed' || imp.status === 'failed') return true;
    }
    return false;
  }

  // ---- Progress, then the result
  app.get('/imports/:id', { schema: { params: IdParams, querystring: Type.Object({ auto: QueryValue }) } }, async (req, reply) => {
    requireManage(req);
    const id = req.params.id;
    const data = await page(req, async (ctx) => {
      const imp = await getImport(ctx, id);
      return { imp, problems: imp.status === 'queued' ? [] : await issueSummary(ctx, id) };
    });
    const imp = data.imp;
    const running = imp.status === 'queued' || imp.status === 'running';
    // While it waits or runs the page reloads itself every 5 seconds, without JavaScript: the HTTP Refresh header, which
    // browsers treat as a meta refresh (not script: the CSP allows it), unless the user turned it off with ?auto=0 (WCAG
    // 2.2.1: the page offers a way to stop it). A header rather than the meta element: axe's meta-refresh rule cannot
    // see the way to stop it, and flags every delayed meta refresh. Finished: no refresh.
    const auto = running && req.query.auto !== '0';
    if (auto) reply.header('refresh', '5');
    return reply.view('ingest/import.njk', {
      ...data, title: importTitle(imp), section: 'imports', backLink: '/imports', running, auto, STATUS,
      kindLabel: (KINDS[imp.kind as RecordKind]?.label ?? imp.kind).toLowerCase(), percent: percentDone(imp, imp.status === 'completed'),
      sizeText: megabytes(imp.fileBytes), doneText: megabytes(imp.bytesDone),
      outcomeText: outcomeText(imp),
      layoutText: layoutText({ headerRow: imp.profile.headerRow, jsonPath: imp.profile.jsonPath }),
      // Records loaded with no home, said in so many words: they are missing from the home's history and the registers until linked.
      unlinked: data.problems.filter((p) => p.rule === 'home-not-matched').reduce((n, p) => n + p.rows, 0),
      // Each problem in words (its label and what it means), never its code (issue 13, defect 8).
      problems: data.problems.map((p) => ({ outcomeLabel: OUTCOME_LABELS[p.outcome] ?? 'Not loaded', rows: p.rows, example: p.example, ...problemWords(p.rule) })),
      mapping: Object.entries(imp.profile.columns ?? {}).map(([column, field]) => ({
        column, field: field ? (targetField(imp.kind as RecordKind, field)?.label ?? field) : null,
        // How its dates are written, as the mapping page offered it ("dd/mm/yyyy, day first"), not the mapping's code ("dmy").
        dateFormat: dateFormatText(imp.profile.dateFormats?.[column]),
      })),
    });
  });

  app.get('/imports/:id/issues.csv', { schema: { params: IdParams, querystring: Type.Object({ outcome: QueryValue }) } }, async (req, reply) => {
    requireManage(req);
    const outcome = req.query.outcome ?? 'rejected';
    if (outcome !== 'rejected' && outcome !== 'duplicate' && outcome !== 'review' && outcome !== 'warning') throw new Problem(404, 'Page not found');
    return sendIssuesCsv(req, reply, run, req.params.id, outcome);
  });
}

const n = (x: number) => x.toLocaleString('en-GB');

/** "6 rows read: 3 created, 0 updated, 0 unchanged, 2 rejected, 1 duplicate". */
export function outcomeText(imp: Pick<Import, 'rowsRead' | 'created' | 'updated' | 'unchanged' | 'rejected' | 'duplicates'>): string {
  return `${n(imp.rowsRead)} ${imp.rowsRead === 1 ? 'row' : 'rows'} read: ${n(imp.created)} created, ${n(imp.updated)} updated, ` +
    `${n(imp.unchanged)} unchanged, ${n(imp.rejected)} rejected, ${n(imp.duplicates)} ${imp.duplicates === 1 ? 'duplicate' : 'duplicates'}`;
}

function importTitle(imp: Import): string {
  if (imp.status === 'completed') return `${imp.fileName} loaded`;
  if (imp.status === 'failed') return `${imp.fileName} stopped loading`;
  return `Loading ${imp.fileName}`;
}

/** A mapping error as an error summary item linking to the control that fixes it. */
function errorItem(e: ProfileIssue, keys: string[], profile: MappingProfile): ErrorItem {
  let index = e.header ? keys.indexOf(e.header) : -1;
  if (index < 0 && e.code === 'field-mapped-twice' && e.field) {
    const mapped = keys.map((k, i) => (profile.columns[k] === e.field ? i : -1)).filter((i) => i >= 0);
    index = mapped[1] ?? mapped[0] ?? 0;
  }
  const control = e.code === 'date-format-invalid' && index >= 0 ? 'dateFormat' : 'field';
  return { text: mappingErrorText(e, keys, profile), href: `#${control}-${Math.max(0, index)}` };
}

/** The words of the mapping page, where columns are "loaded as" a field (a mapping file's own words are "mapped to"). */
const inPageWords = (message: string) => message.replace(/\bis mapped to\b/g, 'is loaded as').replace(/\bmapped from\b/g, 'loaded from');

/**
 * A mapping problem in the words of the page, short and specific (issue 13, defect 8): what to choose, and for which
 * column, never the mapping file's settings ("dateOfBirth.day", "dmy").
 */
function mappingErrorText(e: ProfileIssue, keys: string[], profile: MappingProfile): string {
  const fieldLabel = e.field ? targetField(profile.kind, e.field)?.label ?? e.field : '';
  if (e.code === 'date-format-invalid' && e.header) return `Select how the dates in “${e.header}” are written`;
  if (e.code === 'date-parts-incomplete' && e.field) {
    const missing = DATE_PARTS.filter((p) => !keys.some((k) => profile.columns[k] === `${e.field}.${p}`));
    return `Select a column for the ${missing.join(' and ')} of ${fieldLabel.toLowerCase()}, or load one column of whole dates as ${fieldLabel.toLowerCase()}`;
  }
  if (e.code === 'field-mapped-twice' && e.field) {
    const from = keys.filter((k) => profile.columns[k] === e.field);
    if (from.length > 1) return `Load ${fieldLabel.toLowerCase()} from one column only, not from ${from.map(quote).join(' and ')}`;
    return `Load ${fieldLabel.toLowerCase()} from one column of whole dates or from day, month and year columns, not both`;
  }
  return inPageWords(e.message);
}

/**
 * Why the selected file cannot be read, in the upload page's words: where a JSON document's records are is a setting
 * of a mapping file or the API ("jsonPath"), which the page does not offer, so it says what the person can do instead.
 */
function unreadableText(message: string): string {
  if (/jsonPath/.test(message)) {
    return 'Hearth cannot find the list of records in the selected JSON file. Export the records as a CSV or Excel file, or as a JSON list of records, and upload that';
  }
  return `The selected file cannot be read: ${message}`;
}

const dateFormatText = (format: string | undefined): string | null =>
  (format ? (Object.hasOwn(DATE_FORMAT_TEXT, format) ? DATE_FORMAT_TEXT[format as DateFormat] : format) : null);

/** A short hint under a date column's format (the error, when there is one, says what to do). */
function dateHint(d: DateColumn): string {
  const a = d.analysis;
  const unreadable = a.unreadable ? ` ${a.unreadable} ${a.unreadable === 1 ? 'value is' : 'values are'} not a date and will not be loaded, for example ${quote(a.unreadableExamples[0] ?? '')}.` : '';
  if (a.format === 'ambiguous') return `No day is above 12, so the dates could be day first or month first.${unreadable}`;
  if (a.format === 'mixed') return `Written more than one way: each date is read the way it can be.${unreadable}`;
  if (a.values === 0) return 'Empty in the rows looked at.';
  if (a.format === 'unknown') return `${a.message}.`;
  return `${d.format && d.format !== a.format ? 'Chosen' : 'Looks like'}: ${DATE_FORMAT_TEXT[(d.format ?? a.format) as DateFormat] ?? a.format}.${unreadable}`;
}

interface ColumnView {
  index: number;
  header: string;
  examples: string[];
  selected: string;
  options: { value: string; text: string; selected: boolean }[];
  hint: string;
  date: (DateColumn & { selected: string; options: { value: string; text: string; selected: boolean }[] }) | null;
}

/** What the mapping page shows for each column: preselected from what was posted, else the saved mapping, else the suggestion. */
function mappingView(upload: PendingUpload, suggestion: FileSuggestion, sample: { headers: string[]; rows: FileRow[] },
  saved: MappingProfile | null, posted?: { fields: Record<number, string>; dateFormats: Record<number, string>; save: boolean }) {
  const keys = columnKeys(suggestion.headers);
  const ex = examples(keys, sample.rows);
  const fieldOf = (i: number, key: string): string => {
    if (posted) return posted.fields[i] ?? '';
    if (saved && Object.hasOwn(saved.columns, key)) return saved.columns[key] ?? '';
    return suggestion.columns[i]?.field ?? '';
  };
  const profile: MappingProfile = { sourceSystem: upload.sourceSystem, kind: upload.kind, columns: {}, dateFormats: {} };
  keys.forEach((key, i) => {
    const f = fieldOf(i, key);
    Object.defineProperty(profile.columns, key, { value: f && targetField(upload.kind, f) ? f : null, enumerable: true, writable: true, configurable: true });
    const format = posted ? posted.dateFormats[i] : saved?.dateFormats?.[key];
    if (format && Object.hasOwn(DATE_FORMATS, format)) profile.dateFormats![key] = format as DateFormat;
  });
  const dates = new Map(dateColumns(profile, suggestion.headers, sample.rows).map((d) => [d.index, d]));
  const fieldOptions = KINDS[upload.kind].fields.map((t) => ({ value: t.field, text: t.label }));
  const columns: ColumnView[] = keys.map((key, i) => {
    const s = suggestion.columns[i];
    const fromSaved = !posted && saved && Object.hasOwn(saved.columns, key);
    const hint = fromSaved ? `From the mapping saved for ${upload.sourceSystem} files`
      : s?.field ? `Suggested (${Math.round(s.confidence * 100)}% sure): ${s.reason}` : (s?.reason ?? 'Not loaded unless you choose a field');
    const d = dates.get(i);
    const chosen = d ? (profile.dateFormats![key] ?? d.format ?? '') : '';
    return {
      index: i, header: key, examples: ex[i] ?? [], selected: profile.columns[key] ?? '', hint,
      options: [{ value: '', text: 'Do not load this column' }, ...fieldOptions].map((o) => ({ ...o, selected: o.value === (profile.columns[key] ?? '') })),
      date: d ? {
        ...d, selected: chosen, hint: dateHint(d),
        options: [
          ...(d.format ? [] : [{ value: '', text: d.analysis.format === 'mixed' ? 'Each date as it is written (the column mixes formats)' : 'Choose how the dates are written', selected: chosen === '' }]),
          ...(Object.keys(DATE_FORMAT_TEXT) as DateFormat[]).map((f) => ({ value: f, text: DATE_FORMAT_TEXT[f], selected: chosen === f })),
        ],
      } : null,
    };
  });
  return { columns, profile, save: posted ? posted.save : true, fromSaved: Boolean(saved && !posted) };
}

/** Where the column names or records were found, when not simply the first row: shown on the mapping and import pages. */
function layoutText(s: { headerRow?: number; codeRow?: number; headerReason?: string; jsonPath?: string }): string | null {
  if (s.jsonPath) return `The records are read from "${s.jsonPath}" in the JSON document.`;
  if (!s.headerRow || (s.headerRow === 1 && !s.codeRow)) return null;
  return `The column names are read from row ${s.headerRow}${s.headerReason ? ` (${s.headerReason})` : ''}. Rows keep the file’s own row numbers.`;
}
