// The `hearth` command: start, migrate, demo, ingest, link, export links, insight hrb|damp, hazards clocks,
// users add|list|disable|enable|set-role|reset-password, tokens add|list|revoke, orgs add|list. --help on each; --json where a
// command reports a result.
import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig, type Config } from '../config.ts';
import { openStore, type Store } from '../platform/db/store.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Ctx } from '../platform/records/context.ts';
import { authService, MAX_TOKEN_DAYS } from '../platform/auth/service.ts';
import { disableUser, enableUser, listTokens, listUsers, resetPassword, revokeToken, setRole } from '../platform/auth/accounts.ts';
import { ROLES, type Role } from '../platform/auth/roles.ts';
import { createOrganisation, ORGANISATION_KINDS } from '../modules/organisations/service.ts';
import { isSingleLine, SINGLE_LINE_MESSAGE } from '../platform/http/schemas.ts';
import { organisations } from '../modules/organisations/schema.ts';
import { start, DEMO_USERS, DEMO_PASSWORD } from '../main.ts';
// Damp and mould signals follow every repair, note and hazard report written by a command (hearth ingest) too.
import '../modules/insight/damp-signals.ts';

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
  const rows = await store.system((tx) => tx.select({ id: organisations.id, name: organisations.name }).from(organisations));
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

const program = new Command('hearth')
  .description('Hearth: one record of social housing homes and people.\nSettings come from the environment: see the README (DATABASE_URL, HEARTH_DATA_DIR, PORT, ...).')
  .showHelpAfterError();

program.command('start')
  .description('Migrate the database, load demo data on first run (embedded database only), and serve Hearth')
  .option('--no-demo', 'do not load demo data into an empty database')
  .action(async (opts: { demo: boolean }) => {
    const t0 = performance.now();
    const config = { ...loadConfig(), ...(opts.demo ? {} : { demoOnFirstStart: false }) };
    const bar = progressBar(false, 'Loading demo landlord');
    const s = await start(config, { onDemoProgress: (d, t) => bar.update(d, t) });
    bar.stop();
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`Hearth is running at ${s.url} (database: ${s.store.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}; ready in ${secs}s)`);
    if (s.demo) console.log(`Loaded a demo landlord with ${s.demo.homes.toLocaleString('en-GB')} homes.`);
    if (config.demoOnFirstStart) {
      console.log(`Demo sign-in: ${DEMO_USERS[0].email} / ${DEMO_PASSWORD} (housing officer); other roles: ${DEMO_USERS.slice(1).map((u) => u.email.split('@')[0]).join(', ')}@demo.hearth.example, same password`);
    }
    console.log(`API docs: ${s.url}/api/docs`);
    const stop = async () => { await s.close(); process.exit(0); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.command('migrate')
  .description('Apply database migrations and organisation isolation policies, and build again any index the migrations define that is missing or invalid')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { json?: boolean }) => {
    const config = loadConfig();
    const t0 = performance.now();
    const store = await openStore(config);
    const { restoredIndexes } = await store.migrate().finally(() => store.close());
    const result = { ok: true, database: config.databaseUrl ? 'postgres' : 'pglite', millis: Math.round(performance.now() - t0), restoredIndexes };
    console.log(opts.json ? JSON.stringify(result) : `Database is up to date (${result.database}, ${result.millis} ms)` +
      (restoredIndexes.length ? `; built again the missing or invalid indexes ${restoredIndexes.join(', ')}` : ''));
  });

program.command('demo')
  .description('Generate a synthetic demo landlord (UK-style names, addresses, postcodes, UPRNs, blocks, households, alerts)')
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
    const config = loadConfig();
    const bar = progressBar(!!opts.json, 'Generating');
    const summary = await withStore(config, async (store) => {
      const { generateDemo } = await import('../modules/demo/generate.ts');
      const s = await generateDemo(store, { homes: opts.homes, seed: opts.seed, name: opts.name, onProgress: (d, t) => bar.update(d, t) });
      if (opts.withUsers) {
        const auth = authService(store, { sessionMinutes: config.sessionMinutes });
        for (const u of DEMO_USERS) await auth.addUser({ ...u, email: u.email.replace('@', `+${s.organisationId.slice(-6)}@`), organisationId: s.organisationId, password: DEMO_PASSWORD });
      }
      return s;
    });
    bar.stop();
    if (opts.json) console.log(JSON.stringify({ ok: true, ...summary }));
    else console.log(`Created ${summary.name} (${summary.organisationId}): ${summary.homes} homes in ${summary.blocks} blocks on ${summary.estates} estates, ${summary.people} people, ${summary.tenancies} tenancies, ${summary.alerts} alerts, in ${summary.millis} ms`);
  });

program.command('ingest')
  .description('Load a legacy file (CSV, XLSX, JSON, NDJSON) into Hearth, or with --suggest only show how it would be read')
  .argument('<file>', 'the file to load')
  .option('--source <name>', 'the source system the file came from, e.g. northgate-housing (records are matched on it next time)')
  .option('--entity <kind>', 'kind of record: homes, people, tenancies, alerts, repairs, notes (default: from the mapping, else detected)')
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
    if (headerRow !== undefined && !(Number.isInteger(headerRow) && headerRow >= 1 && headerRow <= 1000)) fail(`--header-row must be a row number from 1 to 1000 (not "${opts.headerRow}")`, json);
    const { suggestForFile, describeSuggestion } = await import('../modules/ingest/suggest.ts');
    if (opts.suggest) {
      try {
        const s = await suggestForFile(file, { kind: opts.entity as never, sourceSystem: opts.source, sheet: opts.sheet, headerRow });
        if (opts.writeMapping) {
          if (!s.profile) fail('the kind of record is not known: give --entity', json);
          (await import('node:fs')).writeFileSync(opts.writeMapping, JSON.stringify(s.profile, null, 2) + '\n');
        }
        console.log(json ? JSON.stringify({ ok: true, ...s }) : describeSuggestion(s));
      } catch (err) {
        fail((err as Error).message, json);
      }
      return;
    }
    if (!opts.source) fail('say which system the file came from with --source NAME (e.g. --source northgate-housing)', json);
    const { ingestFile } = await import('../modules/ingest/cli.ts');
    const bar = progressBar(json, 'Loading');
    try {
      const result = await withStore(loadConfig(), async (store) => ingestFile(store, {
        organisationId: await pickOrganisation(store, opts.organisation, json), file, sourceSystem: opts.source!, kind: opts.entity, mappingFile: opts.mapping, sheet: opts.sheet, headerRow,
        onProgress: (p) => bar.update(p.bytesRead, p.totalBytes),
        say: (line) => { if (!json) console.error(line); },
      }));
      bar.stop();
      console.log(json ? JSON.stringify({ ok: true, ...result }) : result.summary);
    } catch (err) {
      bar.stop();
      fail((err as Error).message, json);
    }
  });

program.command('link')
  .description('Record linkage: find the records of people (one per source system and id) that are one real person, and queue doubtful pairs for review; and the rows of homes that are one home (same UPRN, or same address within a postcode)')
  .option('--organisation <id>', 'organisation id (default: the only one)')
  .option('--json', 'print the summary as JSON')
  .action(async (opts: { organisation?: string; json?: boolean }) => {
    const json = !!opts.json;
    const { relinkAll } = await import('../modules/linkage/service.ts');
    const bar = progressBar(json, 'Linking');
    try {
      const s = await withStore(loadConfig(), async (store) => relinkAll(store, await pickOrganisation(store, opts.organisation, json), (_stage, d, t) => bar.update(d, t)));
      bar.stop();
      const n = (x: number) => x.toLocaleString('en-GB');
      console.log(json ? JSON.stringify({ ok: true, ...s }) : `${n(s.records)} records of people: ${n(s.people)} people found (${n(s.linkedPeople)} with 2 or more records), ` +
        `${n(s.pairsLinked)} pairs linked, ${n(s.forReview)} pairs for review (see /linkage/reviews); ` +
        `${n(s.homeRecords)} records of homes: ${n(s.homes)} homes (${n(s.linkedHomes)} in 2 or more systems), in ${(s.millis / 1000).toFixed(1)} s`);
    } catch (err) {
      bar.stop();
      fail((err as Error).message, json);
    }
  });

const exports_ = program.command('export').description('Export data');
exports_.command('links')
  .description('Record linkage as CSV on standard output: one row per source record (source system, source id, person id of the real person)')
  .addOption(new Option('--format <format>', 'output format').choices(['csv']).default('csv'))
  .option('--organisation <id>', 'organisation id (default: the only one)')
  .action(async (opts: { organisation?: string }) => {
    const { linksCsvRows } = await import('../modules/linkage/service.ts');
    const { csvField } = await import('../platform/http/csv.ts');
    try {
      await withStore(loadConfig(), async (store) => {
        const organisationId = await pickOrganisation(store, opts.organisation, false);
        process.stdout.write('source_system,source_id,person_id\n');
        let lines: string[] = [];
        for await (const row of linksCsvRows(store, organisationId)) {
          lines.push(row.map(csvField).join(','));
          if (lines.length >= 1000) { if (!process.stdout.write(lines.join('\n') + '\n')) await new Promise((r) => process.stdout.once('drain', r)); lines = []; }
        }
        if (lines.length) process.stdout.write(lines.join('\n') + '\n');
      });
    } catch (err) {
      fail((err as Error).message, false);
    }
  });

const insight = program.command('insight').description('Insight from the record');
insight.command('hrb')
  .description('The higher-risk buildings register: blocks of 18 m or 7 storeys with 2 or more residential units, and those that need measuring')
  .option('--organisation <id>', 'organisation id (default: the only one)')
  .option('--json', 'print the register as JSON (as the API returns it)')
  .action(async (opts: { organisation?: string; json?: boolean }) => {
    const json = !!opts.json;
    const { higherRiskRegisterView } = await import('../modules/insight/api.ts');
    try {
      const reg = await asOrganisation(opts, 'hearth insight hrb', higherRiskRegisterView);
      if (json) { console.log(JSON.stringify(reg)); return; }
      const c = reg.counts;
      console.log(`${c.blocks} blocks: ${c.higherRisk} higher-risk, ${c.dataNeeded} needing data, ${c.notHigherRisk} not higher-risk`);
      const show = (title: string, list: typeof reg.higherRisk) => {
        if (!list.length) return;
        console.log(`\n${title}`);
        for (const b of list) {
          const height = b.heightMetres === null ? 'height not recorded' : `${b.heightMetres} m (${b.heightMethod ?? 'method not recorded'})`;
          console.log(`  ${b.name}${b.estateName ? `, ${b.estateName}` : ''} [${b.reference ? `block ref ${b.reference}, ` : ''}${b.id}]: ${b.storeys ?? '?'} storeys, ${height}, ${b.residentialUnits ?? '?'} residential units, ${b.homes} homes, ${b.residents} residents`);
          for (const r of b.assessment.reasons) console.log(`    - ${r}`);
        }
      };
      show('Higher-risk:', reg.higherRisk);
      show('Data needed:', reg.dataNeeded);
    } catch (err) {
      fail((err as Error).message, json);
    }
  });

insight.command('damp')
  .description('The damp and mould register: homes where repairs, notes or hazard reports show damp or mould, with the evidence word for word')
  .option('--organisation <id>', 'organisation id (default: the only one)')
  .option('--estate <id>', 'only homes on this estate (an estate id, or none)')
  .option('--rescan', 'first work out every signal again from all repairs, notes and hazard reports (for data loaded before signals were kept)')
  .option('--csv <file>', 'write every sign to this CSV file (- for standard output)')
  .option('--json', 'print the register as JSON (as the API returns it, every home on one page)')
  .action(async (opts: { organisation?: string; estate?: string; rescan?: boolean; csv?: string; json?: boolean }) => {
    const json = !!opts.json;
    const { presentRegister } = await import('../modules/insight/api.ts');
    const { dampRegisterCsv } = await import('../modules/insight/pages.ts');
    const { dampMouldRegister, auditRegisterExport } = await import('../modules/insight/damp-register.ts');
    const { rescanDampSignals } = await import('../modules/insight/damp-signals.ts');
    try {
      const { reg, rescan } = await asOrganisation(opts, 'hearth insight damp', async (ctx) => {
        const rescan = opts.rescan ? await rescanDampSignals(ctx) : undefined;
        const reg = await dampMouldRegister(ctx, { estate: opts.estate, all: true });
        if (opts.csv) await auditRegisterExport(ctx, reg, 'csv');
        return { reg, rescan };
      });
      if (opts.csv) {
        const csv = dampRegisterCsv(reg);
        if (opts.csv === '-') process.stdout.write(csv);
        else (await import('node:fs')).writeFileSync(opts.csv, csv);
        if (opts.csv === '-') return;
      }
      if (json) { console.log(JSON.stringify({ ...presentRegister(reg), ...(rescan ? { rescan } : {}) })); return; }
      if (rescan) console.log(`Rescanned ${rescan.repairs} repairs, ${rescan.notes} notes and ${rescan.hazardReports} hazard reports: ${rescan.signals} show damp or mould (${rescan.millis} ms)`);
      console.log(`${reg.homes} homes with signs of damp or mould (${reg.signals} records)${opts.csv ? `; every sign written to ${opts.csv}` : ''}`);
      if (reg.unlinked.count) console.log(`${reg.unlinked.count} sign${reg.unlinked.count === 1 ? '' : 's'} not yet linked to a home (repairs and notes whose home, tenancy or person matched nothing; listed last)`);
      for (const e of reg.items) {
        console.log(`\n  ${e.address} [${e.homeReference ? `property ref ${e.homeReference}, ` : ''}${e.homeId}]${e.estateName ? `, ${e.estateName}` : ''}: ${e.count} record${e.count === 1 ? '' : 's'}, latest ${e.latestObserved ?? 'undated'}`);
        for (const s of e.signals) for (const line of s.evidence) console.log(`    - ${s.sourceKind}${s.reference ? ` ${s.reference}` : ''} ${s.observedOn ?? 'undated'}: ${line.quote ? `“${line.text}”` : line.text}`);
      }
      if (reg.unlinked.count) {
        console.log('\n  Not yet linked to a home:');
        for (const s of reg.unlinked.items) for (const line of s.evidence) console.log(`    - ${s.sourceKind}${s.reference ? ` ${s.reference}` : ''} (named ${s.named ?? 'nothing'}) ${s.observedOn ?? 'undated'}: ${line.quote ? `“${line.text}”` : line.text}`);
      }
    } catch (err) {
      fail((err as Error).message, json);
    }
  });

const hazards = program.command('hazards').description("Hazard reports (Awaab's Law)");
hazards.command('clocks')
  .description("Awaab's Law deadlines: open hazard reports overdue and due within one working day, and deadlines missed")
  .option('--organisation <id>', 'organisation id (default: the only one)')
  .option('--json', 'print the lists as JSON (as the API returns them)')
  .action(async (opts: { organisation?: string; json?: boolean }) => {
    const json = !!opts.json;
    const { clockLists } = await import('../modules/hazards/service.ts');
    try {
      const lists = await asOrganisation(opts, 'hearth hazards clocks', (ctx) => clockLists(ctx));
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
      fail((err as Error).message, json);
    }
  });

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

const orgs = program.command('orgs').description('Organisations (landlords)');
orgs.command('add')
  .description('Add a landlord')
  .requiredOption('--name <name>', 'name')
  .addOption(new Option('--kind <kind>', 'kind of landlord').choices(Object.keys(ORGANISATION_KINDS)).default('private-registered-provider'))
  .option('--registration-number <rsh>', 'Regulator of Social Housing registration number')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { name: string; kind: keyof typeof ORGANISATION_KINDS; registrationNumber?: string; json?: boolean }) => {
    if (!isSingleLine(opts.name) || !opts.name.trim()) fail(`--name ${opts.name.trim() ? SINGLE_LINE_MESSAGE : 'must not be empty'}`, !!opts.json);
    if (opts.registrationNumber !== undefined && !isSingleLine(opts.registrationNumber)) fail(`--registration-number ${SINGLE_LINE_MESSAGE}`, !!opts.json);
    const org = await withStore(loadConfig(), (store) => createOrganisation(store, opts));
    console.log(opts.json ? JSON.stringify({ ok: true, ...org }) : `Added ${org.name}: ${org.id}`);
  });
orgs.command('list')
  .description('List landlords')
  .option('--json', 'print as JSON')
  .action(async (opts: { json?: boolean }) => {
    const rows = await withStore(loadConfig(), (store) => store.system((tx) => tx.select().from(organisations)));
    if (opts.json) console.log(JSON.stringify(rows));
    else for (const o of rows) console.log(`${o.id}  ${o.name} (${o.kind})`);
  });

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`hearth: ${err.message}`);
  process.exit(1);
});
