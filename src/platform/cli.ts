// What the `hearth` command gives a module's commands (its manifest's `commands`): settings, a migrated store, the
// organisation to act on, a progress bar and one way to fail. Made by src/cli/hearth.ts.
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import type { Store } from './db/store.ts';
import type { Ctx } from './records/context.ts';

export interface ProgressBar {
  update(done: number, total: number): void;
  stop(): void;
}

export interface CliKit {
  loadConfig(): Config;
  /** Open the store, migrate it, do the work, close it. */
  withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T>;
  /** The organisation to act on: the one named, or the only one there is (else fail, saying why). */
  pickOrganisation(store: Store, given: string | undefined, json: boolean): Promise<string>;
  /** Work as Hearth itself (a system actor named after the command) in the chosen organisation, in one transaction. */
  asOrganisation<T>(opts: { organisation?: string; json?: boolean }, name: string, work: (ctx: Ctx) => Promise<T>): Promise<T>;
  /** A progress bar on standard error (nothing with --json or when it is not a terminal). */
  progressBar(json: boolean, label: string): ProgressBar;
  /** Print the error (as JSON with --json) and exit 1. */
  fail(message: string, json: boolean): never;
}

/** The command group `name` (`hearth export …`), made the first time a module asks for it, so modules can share one. */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}
