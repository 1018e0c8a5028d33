// `hearth ingest FILE --source NAME`: the command-line way in. It runs the same pipeline as the upload page and the
// API, in this process (with a progress bar), and resumes an interrupted import of the same file. After the import it
// does what the import job does (runImport waits for the subscribers' work on the import's events, then jobs.ts
// afterImport: the follow-ups, record linkage of people and homes) and says what it did.
// A file already loaded (same source, kind, contents and mapping) is not loaded again: if a stopped run left that
// import's after-import step owed, this runs it; otherwise it says so and writes nothing.
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../../platform/db/store.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { isRecordKind, KINDS, type MappingProfile, type RecordKind } from './mapping.ts';
import { describeLayout } from './suggest.ts';
import { runImport, countsOf, type Counts, type Progress } from './pipeline.ts';
import { issueSummary, sourceSystemKey } from './service.ts';
import { beginImport, KindNotSettled, MappingDoesNotFit, readImportFile, UnreadableFile, type BegunImport, type BeginImport, type ReadImportFile } from './intake.ts';
import { afterImport } from './jobs.ts';
import { importFollowUps } from '../../platform/records/load.ts';

export interface IngestFileOptions {
  organisationId: string;
  file: string;
  sourceSystem: string;
  kind?: string;
  mappingFile?: string;
  sheet?: string;
  /** CSV: the row holding the column names (--header-row); wins over the mapping file's "headerRow" and what is detected. */
  headerRow?: number;
  onProgress?: (p: Progress) => void;
  say?: (line: string) => void;
}

export interface IngestFileResult {
  importId: string;
  resumed: boolean;
  /** The file had been loaded already, by this import, and nothing was owed: nothing was written. */
  alreadyLoaded?: boolean;
  kind: RecordKind;
  sourceSystem: string;
  file: string;
  mapping: 'file' | 'saved' | 'suggested';
  /** CSV: the row the column names were read from; JSON: where the records were found in a wrapping document. */
  headerRow?: number;
  jsonPath?: string;
  counts: Counts;
  problems: { outcome: string; rule: string; rows: number; example: string }[];
  summary: string;
  /** What each follow-up did after the import, under its name: `linkage` (record linkage) after people or homes. */
  [followUp: string]: unknown;
}

export async function ingestFile(store: Store, options: IngestFileOptions): Promise<IngestFileResult> {
  const o = { ...options, sourceSystem: sourceSystemKey(options.sourceSystem) };
  if (!fs.existsSync(o.file)) throw new Error(`${o.file}: no such file`);
  let given: MappingProfile | undefined;
  if (o.mappingFile) {
    try {
      given = JSON.parse(fs.readFileSync(o.mappingFile, 'utf8')) as MappingProfile;
    } catch (err) {
      throw new Error(`${o.mappingFile}: not a readable JSON mapping file (${(err as Error).message})`, { cause: err });
    }
  }
  if (o.kind !== undefined && !isRecordKind(o.kind)) throw new Error(`--entity must be one of ${Object.keys(KINDS).join(', ')}`);
  const actor = systemActor(o.organisationId, 'hearth ingest');
  // The same use case as the API and the upload page: the same kind, the same mapping, the same checks.
  const input: BeginImport = {
    path: o.file, fileName: path.basename(o.file), sourceSystem: o.sourceSystem, kind: o.kind, given, stored: false, reuseCompleted: true,
    ...(o.sheet ? { sheet: o.sheet } : {}), ...(o.headerRow !== undefined ? { layout: { headerRow: o.headerRow } } : {}),
  };
  let read: ReadImportFile;
  try {
    read = await readImportFile(input);
  } catch (err) {
    if (err instanceof KindNotSettled) {
      throw new Error(err.kind ? err.message.replace(/^kind: /, '') : `${err.reason}: say which with --entity (${Object.keys(KINDS).join(', ')})`, { cause: err });
    }
    if (err instanceof UnreadableFile) throw new Error(err.original, { cause: err });
    throw err;
  }
  const { suggestion, kind } = read;
  let started: BegunImport;
  try {
    started = await store.withOrg(o.organisationId, (tx) => beginImport({ actor, tx }, { ...input, read }));
  } catch (err) {
    if (!(err instanceof MappingDoesNotFit)) throw err;
    const which = err.source === 'given' ? 'file' : err.source;
    const dates = err.issues.filter((e) => e.code === 'date-format-invalid' && e.header);
    throw new Error(`the ${which} mapping does not fit ${path.basename(o.file)}:\n  ${err.issues.map((e) => e.message).join('\n  ')}` +
      (dates.length ? `\nSet the format in the mapping file, e.g. "dateFormats": { ${dates.map((e) => `"${e.header}": "dmy"`).join(', ')} } for dd/mm/yyyy (iso, dmy, mdy, dmy-yy, mdy-yy, excel-serial).` : '') +
      (which === 'file' ? '' : `\nWrite a mapping with: hearth ingest ${o.file} --suggest --entity ${kind} --source ${o.sourceSystem} --write-mapping mapping.json, edit it, then load with --mapping mapping.json`), { cause: err });
  }
  for (const w of started.warnings) o.say?.(`note: ${w.message}`);
  const mapping: IngestFileResult['mapping'] = started.mappingSource === 'given' ? 'file' : started.mappingSource;
  const file = path.basename(o.file);
  const layout = { ...(suggestion.headerRow === undefined ? {} : { headerRow: suggestion.headerRow }), ...(suggestion.jsonPath ? { jsonPath: suggestion.jsonPath } : {}) };
  const layoutLine = describeLayout(suggestion);
  if (started.completed && started.import.afterImportAt) {
    const problems = await store.withOrg(o.organisationId, (tx) => issueSummary({ actor, tx }, started.import.id));
    const counts = countsOf(started.import);
    return {
      importId: started.import.id, resumed: false, alreadyLoaded: true, kind, sourceSystem: o.sourceSystem, file, mapping, ...layout, counts, problems,
      summary: [`${file} was loaded already (import ${started.import.id}, finished ${started.import.finishedAt?.toISOString() ?? ''}); nothing was written. What that import did:`,
        describeCounts(file, KINDS[kind].label.toLowerCase(), counts, problems, started.import.id)].join('\n'),
    };
  }
  const followUps = importFollowUps(kind);
  if (started.completed) o.say?.(`Import ${started.import.id} of this file had completed, but not what follows it: running that now${followUps.length ? ` (${followUps.map((f) => f.label).join(', ')})` : ''}.`);
  if (mapping === 'suggested') o.say?.(`Using the suggested mapping (see it with --suggest); to change it, write a mapping file with --suggest --write-mapping FILE and load with --mapping FILE.`);
  if (started.resumed) o.say?.(`Resuming import ${started.import.id} of this file after row ${started.import.checkpointRow}.`);
  // A completed import (its after-import step owed) is not run again: runImport gives its counts.
  const counts = await runImport(store, o.organisationId, started.import.id, { path: o.file, onProgress: o.onProgress, batchSize: Number(process.env.HEARTH_INGEST_BATCH) || undefined });
  const problems = await store.withOrg(o.organisationId, (tx) => issueSummary({ actor, tx }, started.import.id));
  const after = await afterImport(store, o.organisationId, { id: started.import.id, kind });
  return {
    importId: started.import.id, resumed: started.resumed, kind, sourceSystem: o.sourceSystem, file, mapping, ...layout, counts, problems,
    ...after,
    summary: [...(layoutLine ? [layoutLine] : []), describeCounts(file, KINDS[kind].label.toLowerCase(), counts, problems, started.import.id),
      ...followUps.flatMap((f) => (f.name in after && f.describe ? [f.describe(after[f.name], kind)] : []))].join('\n'),
  };
}

const n = (x: number) => x.toLocaleString('en-GB');

export function describeCounts(file: string, label: string, c: Counts, problems: IngestFileResult['problems'], importId: string): string {
  const lines = [
    `${file}: ${n(c.rowsRead)} rows read as ${label}.`,
    `  ${n(c.created)} created, ${n(c.updated)} updated, ${n(c.unchanged)} unchanged, ${n(c.rejected)} rejected, ${n(c.duplicates)} duplicate${c.duplicates === 1 ? '' : 's'} in the file` +
      ` (${n(c.created + c.updated + c.unchanged + c.rejected + c.duplicates)} in all).`,
  ];
  if (c.filtered) lines.push(`  ${n(c.filtered)} row${c.filtered === 1 ? '' : 's'} skipped by the filter in the mapping (not counted as read).`);
  if (c.forReview) lines.push(`  ${n(c.forReview)} loaded rows need a look (for example, a home that matched nothing).`);
  // Said in so many words: records with no home are missing from the home's history and the registers until linked.
  const unlinked = problems.filter((p) => p.rule === 'home-not-matched').reduce((sum, p) => sum + p.rows, 0);
  if (unlinked) lines.push(`  ${n(unlinked)} ${label === 'repair history' ? 'repairs' : label} not linked to a home: the home each names matches none yet; they are linked when it is loaded.`);
  if (c.warnings) lines.push(`  ${n(c.warnings)} loaded row${c.warnings === 1 ? '' : 's'} had a value left out (for example, a phone number not in use); each is named by row and column.`);
  for (const p of problems.slice(0, 10)) lines.push(`  ${p.outcome} ${n(p.rows)}× ${p.rule}: e.g. ${p.example}`);
  if (c.rejected || c.duplicates || c.forReview || c.warnings) lines.push(`Import ${importId}: download the rows with their problems from the import's page, fix them and load them again.`);
  return lines.join('\n');
}
