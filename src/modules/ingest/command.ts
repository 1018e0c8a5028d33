// `hearth ingest FILE`: load a legacy file (or, with --suggest, only show how it would be read). The loading itself is
// ingestFile (cli.ts), which tests call directly.
import type { Command } from 'commander';
import type { CliKit } from '../../platform/cli.ts';
import { RECORD_KINDS } from './mapping.ts';

export function ingestCommands(program: Command, cli: CliKit): void {
  program.command('ingest')
    .description('Load a legacy file (CSV, XLSX, JSON, NDJSON) into Hearth, or with --suggest only show how it would be read')
    .argument('<file>', 'the file to load')
    .option('--source <name>', 'the source system the file came from, e.g. northgate-housing (records are matched on it next time)')
    .option('--entity <kind>', `kind of record: ${RECORD_KINDS.join(', ')} (default: from the mapping, else detected)`)
    .option('--mapping <file>', 'a mapping file (docs/ingest.md); it is saved as the profile for this source and kind')
    .option('--sheet <name>', 'the sheet of an .xlsx workbook (default: the first)')
    .option('--header-row <n>', 'the row holding the column names, as a spreadsheet numbers it (default: found by looking: title rows above it are passed over)')
    .option('--suggest', 'show the detected kind of record, the suggested column mapping and date formats; load nothing')
    .option('--write-mapping <file>', 'with --suggest: write the suggested mapping to this JSON file, to confirm or edit')
    .option('--organisation <id>', 'organisation id (default: the only one)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { entity?: string; source?: string; mapping?: string; sheet?: string; headerRow?: string; suggest?: boolean; writeMapping?: string; organisation?: string; json?: boolean }) => {
      const json = !!opts.json;
      const headerRow = opts.headerRow === undefined ? undefined : Number(opts.headerRow);
      if (headerRow !== undefined && !(Number.isInteger(headerRow) && headerRow >= 1 && headerRow <= 1000)) cli.fail(`--header-row must be a row number from 1 to 1000 (not "${opts.headerRow}")`, json);
      const { suggestForFile, describeSuggestion } = await import('./suggest.ts');
      if (opts.suggest) {
        try {
          const s = await suggestForFile(file, { kind: opts.entity as never, sourceSystem: opts.source, sheet: opts.sheet, headerRow });
          if (opts.writeMapping) {
            if (!s.profile) cli.fail('the kind of record is not known: give --entity', json);
            (await import('node:fs')).writeFileSync(opts.writeMapping, JSON.stringify(s.profile, null, 2) + '\n');
          }
          console.log(json ? JSON.stringify({ ok: true, ...s }) : describeSuggestion(s));
        } catch (err) {
          cli.fail((err as Error).message, json);
        }
        return;
      }
      if (!opts.source) cli.fail('say which system the file came from with --source NAME (e.g. --source northgate-housing)', json);
      const { ingestFile } = await import('./cli.ts');
      const bar = cli.progressBar(json, 'Loading');
      try {
        const result = await cli.withStore(cli.loadConfig(), async (store) => ingestFile(store, {
          organisationId: await cli.pickOrganisation(store, opts.organisation, json), file, sourceSystem: opts.source!, kind: opts.entity, mappingFile: opts.mapping, sheet: opts.sheet, headerRow,
          onProgress: (p) => bar.update(p.bytesRead, p.totalBytes),
          say: (line) => { if (!json) console.error(line); },
        }));
        bar.stop();
        console.log(json ? JSON.stringify({ ok: true, ...result }) : result.summary);
      } catch (err) {
        bar.stop();
        cli.fail((err as Error).message, json);
      }
    });
}
