// `hearth link` and `hearth export links`: record linkage from the command line.
import { Option, type Command } from 'commander';
import { commandGroup, type CliKit } from '../../platform/cli.ts';

export function linkageCommands(program: Command, cli: CliKit): void {
  program.command('link')
    .description('Record linkage: find the records of people (one per source system and id) that are one real person, and queue doubtful pairs for review; and the rows of homes that are one home (same UPRN, or same address within a postcode)')
    .option('--organisation <id>', 'organisation id (default: the only one)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { organisation?: string; json?: boolean }) => {
      const json = !!opts.json;
      const { relinkAll } = await import('./service.ts');
      const bar = cli.progressBar(json, 'Linking');
      try {
        const s = await cli.withStore(cli.loadConfig(), async (store) => relinkAll(store, await cli.pickOrganisation(store, opts.organisation, json), (_stage, d, t) => bar.update(d, t)));
        bar.stop();
        const n = (x: number) => x.toLocaleString('en-GB');
        console.log(json ? JSON.stringify({ ok: true, ...s }) : `${n(s.records)} records of people: ${n(s.people)} people found (${n(s.linkedPeople)} with 2 or more records), ` +
          `${n(s.pairsLinked)} pairs linked, ${n(s.forReview)} pairs for review (see /linkage/reviews); ` +
          `${n(s.homeRecords)} records of homes: ${n(s.homes)} homes (${n(s.linkedHomes)} in 2 or more systems), in ${(s.millis / 1000).toFixed(1)} s`);
      } catch (err) {
        bar.stop();
        cli.fail((err as Error).message, json);
      }
    });

  const exports_ = commandGroup(program, 'export', 'Export data');
  exports_.command('links')
    .description('Record linkage as CSV on standard output: one row per source record (source system, source id, person id of the real person)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv']).default('csv'))
    .option('--organisation <id>', 'organisation id (default: the only one)')
    .action(async (opts: { organisation?: string }) => {
      const { linksCsvRows } = await import('./service.ts');
      const { csvField } = await import('../../platform/http/csv.ts');
      try {
        await cli.withStore(cli.loadConfig(), async (store) => {
          const organisationId = await cli.pickOrganisation(store, opts.organisation, false);
          process.stdout.write('source_system,source_id,person_id\n');
          let lines: string[] = [];
          for await (const row of linksCsvRows(store, organisationId)) {
            lines.push(row.map(csvField).join(','));
            if (lines.length >= 1000) { if (!process.stdout.write(lines.join('\n') + '\n')) await new Promise((r) => process.stdout.once('drain', r)); lines = []; }
          }
          if (lines.length) process.stdout.write(lines.join('\n') + '\n');
        });
      } catch (err) {
        cli.fail((err as Error).message, false);
      }
    });
}
