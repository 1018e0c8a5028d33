// `hearth hazards clocks`: Awaab's Law deadlines from the command line.
import type { Command } from 'commander';
import type { CliKit } from '../../platform/cli.ts';

export function hazardCommands(program: Command, cli: CliKit): void {
  const hazards = program.command('hazards').description("Hazard reports (Awaab's Law)");
  hazards.command('clocks')
    .description("Awaab's Law deadlines: open hazard reports overdue and due within one working day, and deadlines missed")
    .option('--organisation <id>', 'organisation id (default: the only one)')
    .option('--json', 'print the lists as JSON (as the API returns them)')
    .action(async (opts: { organisation?: string; json?: boolean }) => {
      const json = !!opts.json;
      const { clockLists } = await import('./service.ts');
      try {
        const lists = await cli.asOrganisation(opts, 'hearth hazards clocks', (ctx) => clockLists(ctx));
        if (json) { console.log(JSON.stringify(lists)); return; }
        console.log(`${lists.overdue.length} overdue, ${lists.dueSoon.length} due soon, ${lists.breaches.total} deadlines missed`);
        const show = (title: string, list: typeof lists.overdue) => {
          if (!list.length) return;
          console.log(`\n${title}`);
          for (const e of list) {
            console.log(`  ${e.reference} ${e.hazardLabel} (${e.severity}), ${e.homeAddress} [${e.id}]`);
            for (const c of e.clocks) console.log(`    - ${c.label}: ${c.deadline ?? 'no deadline'} (${c.status})`);
          }
        };
        show('Overdue:', lists.overdue);
        show('Due soon:', lists.dueSoon);
      } catch (err) {
        cli.fail((err as Error).message, json);
      }
    });
}
