// The `hearth` command: start and migrate, each module's commands (their manifests' `commands`: orgs, demo, ingest, link,
// export links, insight, hazards, …), and users and tokens. --help on each; --json where a command reports a result.
import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig, type Config } from '../config.ts';
import { openStore, type Store } from '../platform/db/store.ts';
import { distribute, modulePlans } from '../platform/db/distribution.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Ctx } from '../platform/records/context.ts';
import { authService, MAX_TOKEN_DAYS } from '../platform/auth/service.ts';
import { disableUser, enableUser, listTokens, listUsers, resetPassword, revokeToken, setRole } from '../platform/auth/accounts.ts';
import { ROLES, type Role } from '../platform/auth/roles.ts';
import { installModules } from '../platform/modules.ts';
import type { CliKit } from '../platform/cli.ts';
import { MODULES } from '../modules/index.ts';
import { listOrganisations } from '../modules/organisations/index.ts';
import { start, DEMO_USERS, DEMO_PASSWORD } from '../main.ts';
import { commandGroup } from '../platform/cli.ts';

// Every module's kinds of record, permissions, import kinds and listeners (damp and mould signals follow every repair,
// note and hazard report a command writes, as they do in the app).
installModules(MODULES);

function fail(message: string, json: boolean): never {
  if (json) console.log(JSON.stringify({ ok: false, error: message }));
  else console.error(`hearth: ${message}`);
  process.exit(1);
}

async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config);
  try {
    const { restoredIndexes } = await store.migrate();
    if (restoredIndexes.length) console.error(`hearth: built again the missing or invalid indexes ${restoredIndexes.join(', ')}`);
    return await work(store);
  } finally {
    await store.close();
  }
}

function progressBar(json: boolean, label: string) {
  if (json || !process.stderr.isTTY) return { update: (_d: number, _t: number) => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) { bar.start(total, 0); started = true; }
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

/** The organisation to act on: the one named, or the only one there is. */
async function pickOrganisation(store: Store, given: string | undefined, json: boolean): Promise<string> {
  const rows = await listOrganisations(store);
  if (given) {
    if (rows.some((r) => r.id === given)) return given;
    fail(`--organisation ${given}: there is no organisation with that id (see hearth orgs list)`, json);
  }
  if (rows.length === 1) return rows[0]!.id;
  fail(rows.length ? `there are ${rows.length} organisations; choose one with --organisation ID (see hearth orgs list)` : 'there is no organisation yet: run hearth demo or hearth orgs add', json);
}

/** Work as Hearth itself (a system actor named after the command) in the chosen organisation, in one transaction. */
async function asOrganisation<T>(opts: { organisation?: string; json?: boolean }, name: string, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  return withStore(loadConfig(), async (store) => {
    const organisationId = await pickOrganisation(store, opts.organisation, !!opts.json);
    return store.withOrg(organisationId, (tx) => work({ actor: systemActor(organisationId, name), tx }));
  });
}

/** Open the store and run account work for the organisation named (or the only one). */
async function withAuth<T>(opts: { organisation?: string; json?: boolean }, work: (auth: ReturnType<typeof authService>, organisationId: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  return withStore(config, async (store) =>
    work(authService(store, { sessionMinutes: config.sessionMinutes, tokenDays: config.tokenDays }), await pickOrganisation(store, opts.organisation, !!opts.json)));
}

const kit: CliKit = { loadConfig, withStore, pickOrganisation, asOrganisation, progressBar, fail };

const program = new Command('hearth')
  .description('Hearth: one record of social housing homes and people.\nSettings come from the environment: see the README (DATABASE_URL, HEARTH_DATA_DIR, PORT, ...).')
  .showHelpAfterError();

/** Serve Hearth: migrate, load the demo on first run, listen, until stopped. */
async function serve(opts: { demo: boolean }, env: NodeJS.ProcessEnv = process.env) {
  const t0 = performance.now();
  const config = { ...loadConfig(env), ...(opts.demo ? {} : { demoOnFirstStart: false }) };
  const bar = progressBar(false, 'Loading demo landlord');
  const s = await start(config, { onDemoProgress: (d, t) => bar.update(d, t) });
  bar.stop();
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`Hearth is running at ${s.url} (database: ${s.store.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}; ready in ${secs}s)`);
  if (s.demo) console.log(`Loaded a demo landlord with ${s.demo.homes.toLocaleString('en-GB')} homes.`);
  if (config.demoOnFirstStart) {
    console.log(`Demo sign-in: ${DEMO_USERS[0].email} / ${DEMO_PASSWORD} (housing officer); other roles: ${DEMO_USERS.slice(1).map((u) => u.email.split('@')[0]).join(', ')}@demo.hearth.example, same password`);
  }
  if (s.demo?.hub) console.log(`The national hub: ${s.url}/hub (${s.demo.hub.publishers} demo landlords publishing)`);
  if (config.frontPage) console.log(`Front page: ${s.url}${config.frontPage}; staff sign in at ${s.url}/sign-in`);
  console.log(`API docs: ${s.url}/api/docs`);
  const stop = async () => { await s.close(); process.exit(0); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

program.command('start')
  .description('Migrate the database, load demo data on first run (embedded database only), and serve Hearth')
  .option('--no-demo', 'do not load demo data into an empty database')
  .action((opts: { demo: boolean }) => serve(opts));

program.command('migrate')
  .description('Apply database migrations and organisation isolation policies, and build again any index the migrations define that is missing or invalid')
  .option('--distributed', 'on a Citus coordinator: then distribute every landlord\'s tables by organisation and make the shared tables reference tables (docs/scaling.md); again after each upgrade for the tables it added')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { json?: boolean; distributed?: boolean }) => {
    const config = loadConfig();
    const t0 = performance.now();
    if (opts.distributed && !config.databaseUrl) fail('--distributed needs a Citus coordinator in DATABASE_URL (docs/scaling.md)', !!opts.json);
    const store = await openStore(config);
    let restoredIndexes: string[];
    let distributed: { reference: string[]; distributed: string[] } | undefined;
    try {
      ({ restoredIndexes } = await store.migrate());
      if (opts.distributed) distributed = await distribute(store, modulePlans(MODULES));
    } catch (err) {
      fail((err as Error).message, !!opts.json);
    } finally {
      await store.close();
    }
    const result = { ok: true, database: config.databaseUrl ? 'postgres' : 'pglite', millis: Math.round(performance.now() - t0), restoredIndexes, ...(distributed ? { distributed } : {}) };
    console.log(opts.json ? JSON.stringify(result) : `Database is up to date (${result.database}, ${result.millis} ms)` +
      (restoredIndexes.length ? `; built again the missing or invalid indexes ${restoredIndexes.join(', ')}` : '') +
      (distributed ? `; distributed ${distributed.distributed.length} tables by landlord and made ${distributed.reference.length} reference tables` : ''));
  });

for (const m of MODULES) m.commands?.(program, kit);

// Hub mode: the same Hearth, its public hub site as the front page (decision 0026). Publishers are added with
// `hearth hub add-publisher` and `hearth hub key`; their feeds and files are registered on the hub operator's pages.
commandGroup(program, 'hub', 'The national hub').command('start')
  .description('Serve Hearth as a national hub: as hearth start, with the hub\'s public site as the front page (HEARTH_FRONT_PAGE=/hub)')
  .option('--no-demo', 'do not load demo data into an empty database')
  .action((opts: { demo: boolean }) => serve(opts, { ...process.env, HEARTH_FRONT_PAGE: process.env.HEARTH_FRONT_PAGE || '/hub' }));

const users = program.command('users').description('Staff accounts');
users.command('add')
  .description('Add a member of staff who signs in with an email address and password')
  .requiredOption('--email <email>', 'sign-in email address')
  .requiredOption('--name <name>', 'full name')
  .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
  .option('--organisation <id>', 'organisation id (default: the only one)')
  .option('--password <password>', 'password (at least 12 characters); default: a random one, printed once')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { email: string; name: string; role: Role; organisation?: string; password?: string; json?: boolean }) => {
    const password = opts.password ?? randomBytes(12).toString('base64url');
    try {
      const user = await withAuth(opts, (auth, organisationId) =>
        auth.addUser({ organisationId, email: opts.email, name: opts.name, role: opts.role, password }));
      const result = { ok: true, ...user, ...(opts.password ? {} : { password }) };
      console.log(opts.json ? JSON.stringify(result) : `Added ${user.name} <${user.email}> as ${user.role}${opts.password ? '' : `; password: ${password}`}`);
    } catch (err) {
      fail((err as Error).message, !!opts.json);
    }
  });

/** A member of staff of the chosen organisation, by email address or id. */
async function findUser(ctx: Ctx, who: string) {
  const found = (await listUsers(ctx)).find((u) => u.id === who || u.email === who.trim().toLowerCase());
  if (!found) throw new Error(`${who}: there is no user with that email address or id in this organisation (see hearth users list)`);
  return found;
}

function describeUser(u: { id: string; name: string; email: string; role: string; status: string; lastSignInAt: Date | null }) {
  return `${u.id}  ${u.name} <${u.email}> ${u.role}, ${u.status}; last signed in ${u.lastSignInAt?.toISOString() ?? 'never'}`;
}

users.command('list')
  .description('List the staff of an organisation: role, status (active, disabled, locked), last sign-in')
  .option('--organisation <id>', 'organisation id (default: the only one)')
  .option('--json', 'print as JSON')
  .action(async (opts: { organisation?: string; json?: boolean }) => {
    try {
      const list = await asOrganisation(opts, 'hearth users list', listUsers);
      if (opts.json) console.log(JSON.stringify(list));
      else if (!list.length) console.log('There are no users: add one with hearth users add');
      else for (const u of list) console.log(describeUser(u));
    } catch (err) {
      fail((err as Error).message, !!opts.json);
    }
  });

/** users disable|enable|set-role: find the user, change them, print what they are now. */
function userCommand(name: string, description: string, work: (ctx: Ctx, id: string, opts: { role?: Role }) => Promise<{ id: string; name: string; email: string; role: string; status: string; lastSignInAt: Date | null }>) {
  return users.command(name)
    .description(description)
    .argument('<user>', 'their email address or user id (see hearth users list)')
    .option('--organisation <id>', 'organisation id (default: the only one)')
    .option('--json', 'print the result as JSON')
    .action(async (who: string, opts: { organisation?: string; json?: boolean; role?: Role }) => {
      try {
        const user = await asOrganisation(opts, `hearth users ${name}`, async (ctx) => work(ctx, (await findUser(ctx, who)).id, opts));
        console.log(opts.json ? JSON.stringify({ ok: true, ...user }) : describeUser(user));
      } catch (err) {
        fail((err as Error).message, !!opts.json);
      }
    });
}
userCommand('disable', 'Disable a member of staff: they cannot sign in, and their sessions end at once',
  (ctx, id) => disableUser(ctx, id));
userCommand('enable', 'Enable a member of staff again, and clear a sign-in lockout',
  (ctx, id) => enableUser(ctx, id));
userCommand('set-role', 'Change the role of a member of staff; it applies from their next page',
  (ctx, id, opts) => setRole(ctx, id, opts.role!))
  .addOption(new Option('--role <role>', 'the new role').choices([...ROLES]).makeOptionMandatory());

users.command('reset-password')
  .description('Set a new password for a member of staff (default: a random one, printed once); ends their sessions and clears a lockout')
  .argument('<user>', 'their email address or user id (see hearth users list)')
  .option('--password <password>', 'the new password (at least 12 characters)')
  .option('--organisation <id>', 'organisation id (default: the only one)')
  .option('--json', 'print the result as JSON')
  .action(async (who: string, opts: { password?: string; organisation?: string; json?: boolean }) => {
    try {
      const r = await asOrganisation(opts, 'hearth users reset-password', async (ctx) => resetPassword(ctx, (await findUser(ctx, who)).id, opts.password));
      console.log(opts.json ? JSON.stringify({ ok: true, ...r.user, ...(r.generatedPassword ? { password: r.generatedPassword } : {}) })
        : `Reset the password of ${r.user.name} <${r.user.email}>; their sessions have ended${r.generatedPassword ? `; password: ${r.generatedPassword}` : ''}`);
    } catch (err) {
      fail((err as Error).message, !!opts.json);
    }
  });

const tokens = program.command('tokens').description('API tokens for machine clients');
tokens.command('add')
  .description('Create an API token; the secret is shown once. It expires after --days (default HEARTH_TOKEN_DAYS, 90)')
  .requiredOption('--name <name>', 'what the token is for, e.g. "repairs contractor sync"')
  .addOption(new Option('--role <role>', 'role the token acts with').choices([...ROLES]).default('analyst'))
  .option('--days <n>', `days until it expires, 1 to ${MAX_TOKEN_DAYS} (every token expires)`, (v) => {
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_TOKEN_DAYS) throw new InvalidArgumentError(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
    return Number(v);
  })
  .option('--organisation <id>', 'organisation id (default: the only one)')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { name: string; role: Role; days?: number; organisation?: string; json?: boolean }) => {
    try {
      const token = await withAuth(opts, (auth, organisationId) => auth.addToken(organisationId, opts.name, opts.role, { days: opts.days }));
      console.log(opts.json ? JSON.stringify({ ok: true, ...token })
        : `Token ${token.name} (${token.role}, expires ${token.expiresAt.toISOString()}): ${token.token}\nSend it as: Authorization: Bearer ${token.token}`);
    } catch (err) {
      fail((err as Error).message, !!opts.json);
    }
  });
tokens.command('list')
  .description("List the organisation's API tokens: name, role, created, by whom, expiry, status (never the secret)")
  .option('--organisation <id>', 'organisation id (default: the only one)')
  .option('--json', 'print as JSON')
  .action(async (opts: { organisation?: string; json?: boolean }) => {
    try {
      const list = await asOrganisation(opts, 'hearth tokens list', listTokens);
      if (opts.json) { console.log(JSON.stringify(list)); return; }
      if (!list.length) console.log('There are no API tokens.');
      for (const t of list) {
        console.log(`${t.id}  ${t.name} (${t.role}) ${t.status}; created ${t.createdAt.toISOString()}${t.createdBy ? ` by ${t.createdBy.name}` : ''}; ` +
          `${t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : t.expiresAt ? `expires ${t.expiresAt.toISOString()}` : 'never expires'}`);
      }
    } catch (err) {
      fail((err as Error).message, !!opts.json);
    }
  });
tokens.command('revoke')
  .description('Revoke an API token: a running server stops accepting it within 5 seconds')
  .argument('<id>', 'the token id (see hearth tokens list)')
  .option('--organisation <id>', 'organisation id (default: the only one)')
  .option('--json', 'print the result as JSON')
  .action(async (id: string, opts: { organisation?: string; json?: boolean }) => {
    try {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new Error(`${id}: is not a token id (see hearth tokens list)`);
      const t = await asOrganisation(opts, 'hearth tokens revoke', (ctx) => revokeToken(ctx, id));
      console.log(opts.json ? JSON.stringify({ ok: true, ...t }) : `Revoked ${t.name} (${t.id}); a running server stops accepting it within 5 seconds`);
    } catch (err) {
      fail((err as Error).message, !!opts.json);
    }
  });

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`hearth: ${err.message}`);
  process.exit(1);
});
