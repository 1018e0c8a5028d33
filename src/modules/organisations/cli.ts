// `hearth orgs add` and `hearth orgs list`: landlords, added by the operator.
import { Option, type Command } from 'commander';
import type { CliKit } from '../../platform/cli.ts';
import { isSingleLine, SINGLE_LINE_MESSAGE } from '../../platform/http/schemas.ts';
import { createOrganisation, listOrganisations, ORGANISATION_KINDS } from './service.ts';

export function organisationCommands(program: Command, cli: CliKit): void {
  const orgs = program.command('orgs').description('Organisations (landlords)');
  orgs.command('add')
    .description('Add a landlord')
    .requiredOption('--name <name>', 'name')
    .addOption(new Option('--kind <kind>', 'kind of landlord').choices(Object.keys(ORGANISATION_KINDS)).default('private-registered-provider'))
    .option('--registration-number <rsh>', 'Regulator of Social Housing registration number')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { name: string; kind: keyof typeof ORGANISATION_KINDS; registrationNumber?: string; json?: boolean }) => {
      if (!isSingleLine(opts.name) || !opts.name.trim()) cli.fail(`--name ${opts.name.trim() ? SINGLE_LINE_MESSAGE : 'must not be empty'}`, !!opts.json);
      if (opts.registrationNumber !== undefined && !isSingleLine(opts.registrationNumber)) cli.fail(`--registration-number ${SINGLE_LINE_MESSAGE}`, !!opts.json);
      const org = await cli.withStore(cli.loadConfig(), (store) => createOrganisation(store, opts));
      console.log(opts.json ? JSON.stringify({ ok: true, ...org }) : `Added ${org.name}: ${org.id}`);
    });
  orgs.command('list')
    .description('List landlords')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await cli.withStore(cli.loadConfig(), listOrganisations);
      if (opts.json) console.log(JSON.stringify(rows));
      else for (const o of rows) console.log(`${o.id}  ${o.name} (${o.kind})`);
    });
}
