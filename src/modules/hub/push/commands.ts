// `hearth hub add-publisher`, `hearth hub key`, `hearth hub keys`, `hearth hub revoke-key`: the hub's operator
// registers a landlord and gives it keys to push with (docs/hub-push.md). A key's secret is printed once, when made.
import { Option, type Command } from 'commander';
import type { CliKit } from '../../../platform/cli.ts';
import { commandGroup } from '../../../platform/cli.ts';
import { isSingleLine, SINGLE_LINE_MESSAGE } from '../../../platform/http/schemas.ts';
import { REGISTRATION_PATTERN } from '../standard/schema.ts';
import { upsertPublisher } from '../intake.ts';
import { createKey, listKeys, revokeKey } from './credentials.ts';

const KINDS = ['private-registered-provider', 'local-authority'] as const;
const REGISTRATION = new RegExp(REGISTRATION_PATTERN);
const REGION = /^[EWSN][0-9]{8}$/;

/** The `hub` command group, made here or shared with the hub's other commands. */
export function hubCommands(program: Command, cli: CliKit): void {
  addPushCommands(commandGroup(program, 'hub', 'The national hub: publishers, their keys, and hub mode'), cli);
}

/** The push commands, added to the `hub` command (so another part of the hub can make the group). */
export function addPushCommands(hub: Command, cli: CliKit): void {
  const registration = (value: string | undefined, json: boolean): string => {
    const r = value?.trim() ?? '';
    if (!REGISTRATION.test(r)) cli.fail(`--registration (${JSON.stringify(value ?? '')}) must be a Regulator of Social Housing registration number, such as L1234, 4567 or 12AB`, json);
    return r;
  };

  hub.command('add-publisher')
    .description('Register a landlord as a publisher on this hub (or change its name, kind or region)')
    .requiredOption('--registration <number>', 'Regulator of Social Housing registration number (L1234)')
    .requiredOption('--name <name>', 'the landlord\'s name')
    .addOption(new Option('--kind <kind>', 'kind of landlord').choices(KINDS).default('private-registered-provider'))
    .option('--region <code>', 'ONS code of the region of its registered office (E12000003)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { registration: string; name: string; kind: (typeof KINDS)[number]; region?: string; json?: boolean }) => {
      const json = !!opts.json;
      const publisher = registration(opts.registration, json);
      const name = opts.name.trim();
      if (!name) cli.fail('--name must not be empty', json);
      if (!isSingleLine(name)) cli.fail(`--name ${SINGLE_LINE_MESSAGE}`, json);
      if (opts.region !== undefined && !REGION.test(opts.region)) cli.fail(`--region (${JSON.stringify(opts.region)}) must be an ONS region code, such as E12000003`, json);
      await cli.withStore(cli.loadConfig(), (store) => store.system((db) => upsertPublisher(db, { publisher, name, kind: opts.kind, region: opts.region ?? null })));
      console.log(json ? JSON.stringify({ ok: true, publisher, name, kind: opts.kind, region: opts.region ?? null }) : `Publisher ${publisher}: ${name} (${opts.kind})`);
    });

  hub.command('key')
    .description('Make a key for a publisher to push batches with; its secret is shown this once')
    .requiredOption('--registration <number>', 'the publisher\'s registration number')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { registration: string; json?: boolean }) => {
      const json = !!opts.json;
      const publisher = registration(opts.registration, json);
      const key = await cli.withStore(cli.loadConfig(), (store) => store.system((db) => createKey(db, publisher)))
        .catch((err: unknown) => cli.fail((err as Error).message, json));
      if (json) console.log(JSON.stringify({ ok: true, publisher, ...key }));
      else {
        console.log(`Key for ${publisher}\n  hub-key: ${key.keyId}\n  secret:  ${key.secret}`);
        console.log('The secret is shown only now: give it to the publisher by a safe route. It signs batches (docs/hub-push.md).');
      }
    });

  hub.command('keys')
    .description('List a publisher\'s keys (not their secrets)')
    .requiredOption('--registration <number>', 'the publisher\'s registration number')
    .option('--json', 'print as JSON')
    .action(async (opts: { registration: string; json?: boolean }) => {
      const json = !!opts.json;
      const publisher = registration(opts.registration, json);
      const keys = await cli.withStore(cli.loadConfig(), (store) => store.system((db) => listKeys(db, publisher)));
      if (json) console.log(JSON.stringify(keys));
      else if (!keys.length) console.log(`${publisher} has no keys: make one with hearth hub key --registration ${publisher}`);
      else for (const k of keys) console.log(`${k.keyId}  made ${k.createdAt.toISOString()}${k.revokedAt ? `  revoked ${k.revokedAt.toISOString()}` : ''}`);
    });

  hub.command('revoke-key')
    .description('Revoke a publisher\'s key: batches signed with it are refused from now on')
    .requiredOption('--registration <number>', 'the publisher\'s registration number')
    .requiredOption('--key <id>', 'the key id (hk_…)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { registration: string; key: string; json?: boolean }) => {
      const json = !!opts.json;
      const publisher = registration(opts.registration, json);
      const revoked = await cli.withStore(cli.loadConfig(), (store) => store.system((db) => revokeKey(db, publisher, opts.key.trim())))
        .catch((err: unknown) => cli.fail((err as Error).message, json));
      if (json) console.log(JSON.stringify({ ok: true, publisher, keyId: opts.key.trim(), revoked }));
      else console.log(revoked ? `Revoked ${opts.key.trim()} of ${publisher}` : `${opts.key.trim()} of ${publisher} was already revoked`);
    });
}
