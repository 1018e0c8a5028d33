// `hearth demo`: a synthetic landlord, with the demo staff accounts if asked.
import { Option, type Command } from 'commander';
import type { CliKit } from '../../platform/cli.ts';
import { authService } from '../../platform/auth/service.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './users.ts';

export function demoCommands(program: Command, cli: CliKit): void {
  program.command('demo')
    .description('Generate a synthetic demo landlord (UK-style names, addresses, postcodes, UPRNs, blocks, households, alerts; people from two source systems, linked)')
    .addOption(new Option('--homes <n>', 'number of homes').default(5000).argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 5_000_000) throw new Error('--homes must be a whole number from 1 to 5,000,000');
      return n;
    }))
    .option('--seed <n>', 'random seed, for the same landlord every time', (v) => Number(v), 42)
    .option('--name <name>', 'name of the demo landlord')
    .option('--with-users', `also create the demo staff accounts (password ${DEMO_PASSWORD})`)
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { homes: number; seed: number; name?: string; withUsers?: boolean; json?: boolean }) => {
      const config = cli.loadConfig();
      const bar = cli.progressBar(!!opts.json, 'Generating');
      const summary = await cli.withStore(config, async (store) => {
        const { generateDemo } = await import('./generate.ts');
        const s = await generateDemo(store, { homes: opts.homes, seed: opts.seed, name: opts.name, onProgress: (d, t) => bar.update(d, t) });
        if (opts.withUsers) {
          const auth = authService(store, { sessionMinutes: config.sessionMinutes });
          for (const u of DEMO_USERS) await auth.addUser({ ...u, email: u.email.replace('@', `+${s.organisationId.slice(-6)}@`), organisationId: s.organisationId, password: DEMO_PASSWORD });
        }
        return s;
      });
      bar.stop();
      if (opts.json) console.log(JSON.stringify({ ok: true, ...summary }));
      else {
        console.log(`Created ${summary.name} (${summary.organisationId}): ${summary.homes} homes in ${summary.blocks} blocks on ${summary.estates} estates, ${summary.people} records of people ` +
          `(${summary.repairsContacts} from the repairs contractor's contact list), ${summary.tenancies} tenancies, ${summary.alerts} alerts, in ${summary.millis} ms`);
        console.log(`Record linkage: ${summary.linkedPeople} people with two or more records, ${summary.pairsForReview} pairs for review (see /linkage/reviews)`);
      }
    });
}
