// The API way in: POST /api/v1/imports (multipart: the file and its source system) starts an import in the
// background and answers 202 with where to watch it; GET it for progress and counts; GET its issues as JSON pages
// or as a CSV to fix and load again. Same pipeline, same checks and same records as the CLI and the upload page.
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import multipart from '@fastify/multipart';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { Config } from '../../config.ts';
import { API_ROUTE, runIdempotently, sendStored, type Run } from '../../platform/records/api.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, invalid, Problem } from '../../platform/http/problem.ts';
import { literalUnion, ProblemSchema, strict } from '../../platform/http/schemas.ts';
import { checkKey, requestHash } from '../../platform/http/idempotency.ts';
import { sendCsv } from '../../platform/http/csv.ts';
import { nulPointers, NUL_MESSAGE } from '../../platform/http/validation.ts';
import { RECORD_KINDS } from './mapping.ts';
import { getImport, listImports, listIssues, issuesCsv, type Import, type InTransaction } from './service.ts';
import { beginImport, kindOrError, MappingDoesNotFit, normaliseSourceSystem, readImportFile, sourceSystemError, type MappingSource } from './intake.ts';
import { FileTooLarge, removeStored, storeUpload, type StoredFile } from './uploads.ts';
import type { ImportJobs } from './jobs.ts';

export interface ImportDeps {
  jobs: ImportJobs;
  config: Pick<Config, 'uploadDir' | 'uploadLimit'>;
}

const OUTCOMES = ['rejected', 'duplicate', 'review', 'warning'] as const;
type Outcome = (typeof OUTCOMES)[number];

const Counts = Type.Object({
  rowsRead: Type.Integer({ description: 'Always created + updated + unchanged + rejected + duplicates' }),
  created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), rejected: Type.Integer(),
  duplicates: Type.Integer({ description: 'Rows repeating an earlier row of the same file (same source id)' }),
  forReview: Type.Integer({ description: 'Loaded rows with something for a person to check (counted in created/updated too)' }),
  warnings: Type.Integer({ description: 'Loaded rows with an optional value left out (a phone number not in use, say), each named in the row\'s issue (counted in created/updated/unchanged too)' }),
});

const MappingSchema = Type.Object({
  sourceSystem: Type.String(), kind: Type.String(),
  columns: Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]), { description: 'Column header → Hearth field, or null to leave it out' }),
  dateFormats: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Column header → iso, dmy, mdy, dmy-yy, mdy-yy, excel-serial' })),
  values: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.String()))),
  // The file's layout as it was read: without these in the schema the response would drop them, and an API client
  // could not see which row was taken as the header.
  headerRow: Type.Optional(Type.Integer({ description: 'The row holding the column names, as a spreadsheet numbers it (when not row 1)' })),
  jsonPath: Type.Optional(Type.String({ description: 'JSON: where the records are in a document that wraps them' })),
  filter: Type.Optional(Type.Unknown({ description: 'Rows kept: { column, values } or a list of them (docs/ingest.md)' })),
}, { $id: 'ImportMapping', description: 'A mapping profile (docs/ingest.md)' });

const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

/** What an import's status (stored as text) can be. */
const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
const isImportStatus = (status: string): status is (typeof IMPORT_STATUSES)[number] => IMPORT_STATUSES.some((s) => s === status);
function importStatus(status: string) {
  // The service and the job only ever write these; anything else would fail the response schema.
  if (!isImportStatus(status)) throw new Error(`import with an unknown status: ${status}`);
  return status;
}

const ImportSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: literalUnion(IMPORT_STATUSES),
  sourceSystem: Type.String(), kind: Type.String(), fileName: Type.String(), fileSha256: Type.String(),
  sheet: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the import stopped, when it failed' }),
  counts: Counts,
  progress: Type.Object({ bytesDone: Type.Integer(), fileBytes: Type.Integer(), percent: Type.Integer({ minimum: 0, maximum: 100 }) }),
  mapping: MappingSchema,
  createdBy: Type.String(), createdAt: Type.String({ format: 'date-time' }), startedAt: NullableTime, finishedAt: NullableTime,
  links: Type.Object({
    self: Type.String(), issues: Type.String(),
    rejectedCsv: Type.String(), duplicatesCsv: Type.String(), reviewCsv: Type.String(), warningsCsv: Type.String(),
  }),
  resumed: Type.Optional(Type.Boolean({ description: 'POST only: the same file was already being loaded with the same mapping; this is that import' })),
  mappingSource: Type.Optional(Type.Union([Type.Literal('given'), Type.Literal('saved'), Type.Literal('suggested')], { description: 'POST only: where the mapping came from' })),
}, { $id: 'Import' });

const SuggestionSchema = Type.Object({
  kind: Type.Union([Type.String(), Type.Null()]), kindReason: Type.String(), headers: Type.Array(Type.String()),
  columns: Type.Array(Type.Object({ header: Type.String(), key: Type.String(), field: Type.Union([Type.String(), Type.Null()]), confidence: Type.Number(), reason: Type.String() })),
  dateColumns: Type.Array(Type.Object({ header: Type.String(), field: Type.String(), format: Type.Union([Type.String(), Type.Null()]), message: Type.String() })),
  mapping: Type.Union([MappingSchema, Type.Null()]),
}, { description: 'What Hearth suggests for this file: correct it and send it as `mapping`' });

const MappingProblemSchema = Type.Object({
  ...ProblemSchema.properties, suggestion: Type.Optional(SuggestionSchema),
}, { description: 'Problem details; when the mapping does not fit, `suggestion` is Hearth\'s suggestion for the file' });

const IssueSchema = Type.Object({
  row: Type.Integer({ description: 'Row number as a spreadsheet shows it (the header is row 1)' }),
  outcome: literalUnion(OUTCOMES),
  values: Type.Record(Type.String(), Type.String(), { description: 'The row as read, by column' }),
  problems: Type.Array(Type.Object({ column: Type.Union([Type.String(), Type.Null()]), value: Type.Union([Type.String(), Type.Null()]), rule: Type.String(), message: Type.String(),
    outcome: Type.Optional(Type.Literal('warning', { description: 'The value was left out of the record and the row loaded (its row may be for review too)' })) })),
});

/** Made when the routes are (the kinds of record are the installed modules'). */
const uploadBody = () => Type.Object({
  file: Type.String({ format: 'binary', description: `The file: CSV, TSV, TXT, JSON or NDJSON` }),
  sourceSystem: Type.String({ description: 'The system the file came from, e.g. "northgate-housing" (lower case, digits, . _ -)' }),
  kind: Type.Optional(literalUnion(RECORD_KINDS, { description: 'What the file holds; worked out from its headers when left out' })),
  mapping: Type.Optional(Type.String({ description: 'A mapping as JSON text (docs/ingest.md); else the one saved for this source and kind, else the suggestion' })),
  sheet: Type.Optional(Type.String({ description: 'Excel workbooks: the sheet to read' })),
});

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const OutcomeQuery = Type.Object({ outcome: Type.Optional(literalUnion(OUTCOMES, { default: 'rejected' })) }, strict);
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const security = [{ bearer: [] }];
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentImport(imp: Import, extra: { resumed?: boolean; mappingSource?: MappingSource } = {}) {
  const self = `/api/v1/imports/${imp.id}`;
  const finished = imp.status === 'completed';
  return {
    id: imp.id, status: importStatus(imp.status), sourceSystem: imp.sourceSystem, kind: imp.kind, fileName: imp.fileName, fileSha256: imp.fileSha256,
    sheet: imp.sheet, error: imp.error,
    counts: { rowsRead: imp.rowsRead, created: imp.created, updated: imp.updated, unchanged: imp.unchanged, rejected: imp.rejected, duplicates: imp.duplicates, forReview: imp.forReview, warnings: imp.warnings },
    progress: { bytesDone: imp.bytesDone, fileBytes: imp.fileBytes, percent: percentDone(imp, finished) },
    mapping: imp.profile, createdBy: imp.createdBy, createdAt: imp.createdAt.toISOString(), startedAt: iso(imp.startedAt), finishedAt: iso(imp.finishedAt),
    links: { self, issues: `${self}/issues`, rejectedCsv: `${self}/issues.csv?outcome=rejected`, duplicatesCsv: `${self}/issues.csv?outcome=duplicate`, reviewCsv: `${self}/issues.csv?outcome=review`, warningsCsv: `${self}/issues.csv?outcome=warning` },
    ...extra,
  };
}

export function percentDone(imp: Pick<Import, 'bytesDone' | 'fileBytes'>, finished: boolean): number {
  if (finished || imp.fileBytes === 0) return finished ? 100 : 0;
  return Math.min(100, Math.floor((imp.bytesDone * 100) / imp.fileBytes));
}

const rowCursor = {
  encode: (row: number) => Buffer.from(`row:${row}`).toString('base64url'),
  decode(cursor: string | undefined): number | undefined {
    if (!cursor) return undefined;
    const m = /^row:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!m) throw invalid('/cursor', 'is not a cursor this API returned');
    return Number(m[1]);
  },
};

/** Stream the issues CSV as a download; each page of rows is read in its own short transaction. */
export async function sendIssuesCsv(req: FastifyRequest, reply: FastifyReply, run: Run, id: string, outcome: Outcome) {
  const imp = await run(req, (ctx) => getImport(ctx, id)); // 404 / 403 before anything is sent
  const inTransaction: InTransaction = (work) => run(req, work);
  const name = `${imp.fileName.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_').slice(0, 60) || 'import'}-${outcome === 'duplicate' ? 'duplicates' : outcome}.csv`;
  return sendCsv(reply, name, Readable.from(issuesCsv(inTransaction, id, outcome)));
}

interface Received { file: StoredFile | undefined; fields: Record<string, string> }

/** Read a multipart upload: fields into memory (small), the file streamed to disk under the size limit. */
export async function receiveUpload(req: FastifyRequest, config: ImportDeps['config'],
  hooks: { onField?: (name: string, value: string) => void; beforeFile?: () => void } = {}): Promise<Received> {
  const out: Received = { file: undefined, fields: {} };
  try {
    for await (const part of req.parts({ limits: { fileSize: config.uploadLimit, files: 1, fields: 20, fieldSize: 1024 * 1024, parts: 25 } })) {
      if (part.type === 'file') {
        if (out.file || part.fieldname !== 'file') { part.file.resume(); continue; }
        hooks.beforeFile?.();
        out.file = await storeUpload(config.uploadDir, part.file, part.filename, config.uploadLimit);
      } else {
        const value = typeof part.value === 'string' ? part.value : String(part.value ?? '');
        out.fields[part.fieldname] = value;
        hooks.onField?.(part.fieldname, value);
      }
    }
  } catch (err) {
    removeStored(config.uploadDir, out.file?.path);
    if (err instanceof FileTooLarge || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      // Read (and drop) the rest of the upload, so the browser or client gets the answer rather than a reset connection.
      await discardRest(req);
      throw new Problem(413, 'File too large', `file: is larger than the ${megabytes(config.uploadLimit)} this Hearth accepts; split it into smaller files`,
        [{ field: '/file', message: `is larger than ${megabytes(config.uploadLimit)}` }]);
    }
    throw err;
  }
  // The multipart fields are not a parsed body, so the NUL guard in app.ts does not see them.
  const nul = nulPointers(out.fields);
  if (nul.length) {
    removeStored(config.uploadDir, out.file?.path);
    throw invalid(nul[0]!, NUL_MESSAGE);
  }
  return out;
}

function discardRest(req: FastifyRequest): Promise<void> {
  const raw = req.raw;
  if (raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    const done = () => { clearTimeout(timer); resolve(); };
    raw.on('end', done).on('close', done).on('error', done);
    raw.resume();
  });
}

export const megabytes = (bytes: number) => bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB`
  : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;

export function importsApi(app: TypedFastify, run: Run, deps: ImportDeps) {
  const { jobs, config } = deps;

  app.get('/imports', {
    ...API_ROUTE,
    schema: {
      tags: ['Imports'], summary: 'Recent imports, newest first (administrators and data leads)', security, operationId: 'listImports',
      description: 'The latest imports of your organisation, newest first, each with its status and counts. Needs imports:manage.',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }, strict),
      response: { 200: Type.Object({ items: Type.Array(ImportSchema) }), ...errors },
    },
  }, async (req) => {
    const items = await run(req, (ctx) => listImports(ctx, req.query.limit ?? 50));
    return { items: items.map((i) => presentImport(i)) };
  });

  app.get('/imports/:id', {
    ...API_ROUTE,
    schema: {
      tags: ['Imports'], summary: 'An import: status, progress, counts (which always add up) and links to its issues', security, params: IdParams,
      operationId: 'getImport', description: 'Poll this after an upload: status goes from queued through running to completed or failed, and the counts say what happened to each row.',
      response: { 200: ImportSchema, ...errors },
    },
  }, async (req) => presentImport(await run(req, (ctx) => getImport(ctx, req.params.id))));

  app.get('/imports/:id/issues', {
    ...API_ROUTE,
    schema: {
      tags: ['Imports'], summary: 'Rows of an import that did not load as they were, with every problem, in file order', security, params: IdParams,
      operationId: 'listImportIssues',
      description: 'Each row that was rejected, found to be a duplicate or left for review, with the row as read and every problem (column, value, rule, message). Paged by cursor.',
      querystring: Type.Object({
        outcome: Type.Optional(literalUnion(OUTCOMES, { description: 'rejected, duplicate, review or warning (every loaded row with a value left out, those for review too); all when left out' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        cursor: Type.Optional(Type.String({ maxLength: 100, description: 'nextCursor from the previous page' })),
      }, strict),
      response: { 200: Type.Object({ items: Type.Array(IssueSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors },
    },
  }, async (req) => {
    const q = req.query;
    const limit = q.limit ?? 100;
    const rows = await run(req, (ctx) => listIssues(ctx, req.params.id, { outcome: q.outcome, afterRow: rowCursor.decode(q.cursor), limit }));
    return {
      items: rows.map((r) => ({ row: r.rowNumber, outcome: r.outcome as Outcome, values: r.values, problems: r.problems })),
      nextCursor: rows.length === limit ? rowCursor.encode(rows[rows.length - 1]!.rowNumber) : null,
    };
  });

  app.get('/imports/:id/issues.csv', {
    ...API_ROUTE,
    schema: {
      tags: ['Imports'], summary: 'The rejected rows (or duplicates, or rows to review) as CSV: the file\'s own columns, then the row number and its problems; fix and load again',
      security, params: IdParams, querystring: OutcomeQuery, produces: ['text/csv'], operationId: 'downloadImportIssues',
      description: 'The same rows as listImportIssues as a CSV download, in the file\'s own columns so they can be corrected and loaded again.',
      response: { 200: Type.String({ description: 'CSV (UTF-8 with a byte-order mark); cells that would start a spreadsheet formula begin with \'' }), ...errors },
    },
  }, async (req, reply) => sendIssuesCsv(req, reply, run, req.params.id, req.query.outcome ?? 'rejected'));

  // The upload: multipart, parsed only here (elsewhere the API takes JSON and answers 415 to anything else).
  app.register(async (scope) => {
    await scope.register(multipart);
    scope.post('/imports', {
      ...API_ROUTE,
      // The multipart body is read as a stream by the handler; its schema describes it for the OpenAPI document.
      validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : TypeBoxValidatorCompiler(route)),
      schema: {
        tags: ['Imports'], security, consumes: ['multipart/form-data'], body: uploadBody(), operationId: 'createImport',
        summary: 'Load a file: it is stored, checked against its mapping, and loaded in the background; 202 with the import to watch',
        description: 'The mapping is the one sent (then saved for this source system and kind), else the one saved for this source system and kind, else Hearth\'s suggestion when it has no errors. ' +
          'A mapping that does not fit the file is a 422 naming each problem, with the suggestion. Sending the same file again while its import is ' +
          `unfinished returns that import. Files over the upload limit are a 413. Idempotency-Key is honoured.`,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'A unique key (such as a UUID) so a retried upload starts nothing twice' })) }),
        response: { 202: ImportSchema, 409: ProblemSchema, 413: ProblemSchema, 415: ProblemSchema, 422: MappingProblemSchema, ...errors },
      },
    }, async (req, reply) => {
      const actor = req.actor!;
      if (!can(actor.role, 'imports:manage')) throw forbidden(); // before a byte of the file is stored
      const key = req.headers['idempotency-key'] as string | undefined;
      if (key !== undefined) checkKey(key);
      if (!req.isMultipart()) throw new Problem(415, 'Unsupported media type', 'Send the file as multipart/form-data, with the fields file and sourceSystem');
      const { file, fields } = await receiveUpload(req, config);
      let keep = false;
      try {
        if (!file) throw invalid('/file', 'is required: attach the file to load as the part named "file"');
        if (file.bytes === 0) throw new Problem(422, 'The file cannot be read', 'file: is empty', [{ field: '/file', message: 'is empty' }]);
        const sourceSystem = normaliseSourceSystem(fields.sourceSystem);
        const sourceError = sourceSystemError(sourceSystem);
        if (sourceError) throw new Problem(422, 'Invalid source system', `sourceSystem: ${sourceError}`, [{ field: '/sourceSystem', message: sourceError }]);
        const kindAsked = kindOrError(fields.kind);
        let given: unknown;
        if (fields.mapping !== undefined && fields.mapping.trim() !== '') {
          try { given = JSON.parse(fields.mapping); } catch (err) {
            throw new Problem(422, 'The mapping does not fit the file', `mapping: is not valid JSON (${(err as Error).message})`, [{ field: '/mapping', message: 'is not valid JSON' }]);
          }
          // A "\u0000" escape becomes a NUL only once parsed; a saved mapping is jsonb, which cannot hold one.
          const nul = nulPointers(given);
          if (nul.length) throw invalid(`/mapping${nul[0] === '/' ? '' : nul[0]}`, NUL_MESSAGE);
        }
        const sheet = fields.sheet?.trim() || undefined;
        // Read before the idempotent transaction: a file that cannot be read, or of no loadable kind, is refused first.
        const input = { path: file.path, fileName: file.fileName, sourceSystem, kind: kindAsked, given, sheet, stored: true };
        const read = await readImportFile(input);
        const hash = requestHash('POST', '/api/v1/imports', { sha256: file.sha256, fileName: file.fileName, sourceSystem, kind: kindAsked ?? null, mapping: given ?? null, sheet: sheet ?? null });
        const result = await runIdempotently(req, run, { permission: 'imports:manage', hash }, async (ctx) => {
          // As with `hearth ingest --mapping`: a mapping sent becomes the one saved for this source and kind.
          const started = await beginImport(ctx, { ...input, read });
          const body = presentImport(started.import, { resumed: started.resumed, mappingSource: started.mappingSource });
          return { statusCode: 202, headers: { location: body.links.self }, body, resumed: started.resumed };
        });
        keep = !!result.fresh && !result.fresh.resumed;
        const body = result.response.body;
        // Also for a replay or a resumed import: a no-op when its job is waiting or running, a restart when it is not.
        await jobs.enqueue(actor.organisationId, body.id).catch((err: unknown) => req.log.error({ err, importId: body.id }, 'could not enqueue import; it is queued and will run at the next start'));
        return sendStored(reply, result);
      } catch (err) {
        if (err instanceof MappingDoesNotFit) {
          return reply.code(422).type('application/problem+json').send({
            type: err.type, title: err.title, status: 422, detail: err.message, errors: err.errors, ...(err.suggestion ? { suggestion: err.suggestion } : {}),
          });
        }
        throw err;
      } finally {
        if (!keep) removeStored(config.uploadDir, file?.path);
      }
    });
  });
}
