// `hearth hub operator`: which organisation runs this hub (its administrators manage publishers, keys and sources).
import type { Command } from 'commander';
import type { CliKit } from '../../../platform/cli.ts';
import { makeHubOperator } from './service.ts';

export function addOperatorCommands(hub: Command, cli: CliKit): void {
  hub.command('operator')
    .description("Make an organisation one that runs this hub: its administrators manage the hub's publishers, keys and sources")
    .option('--organisation <id>', 'the organisation (see hearth orgs list); the only one when there is one')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { organisation?: string; json?: boolean }) => {
      await cli.withStore(cli.loadConfig(), async (store) => {
        const organisationId = await cli.pickOrganisation(store, opts.organisation, !!opts.json);
        await store.system((db) => makeHubOperator(db, organisationId));
        console.log(opts.json ? JSON.stringify({ ok: true, organisationId }) : `Organisation ${organisationId} runs this hub`);
      });
    });
}
