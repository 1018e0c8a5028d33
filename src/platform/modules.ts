// What a module is to the platform: one definition (its manifest), exported from the module's index.ts, that says
// everything the module adds: its tables, kinds of record, permissions, audit actions, API routes, pages, import kinds,
// data quality checks, listeners and subscribers, background jobs and commands. The list of modules
// (src/modules/index.ts) is the only place that names them all; installModules() puts each module's declarations into
// the platform's registries, and the app, the CLI and the relay take the rest from the list. The platform never
// imports a module: adding one touches its own folder and the list, nothing else (docs/adding-a-module.md).
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { TypedFastify } from './http/typed.ts';
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import type { Store } from './db/store.ts';
import type { DistributionPlan } from './db/distribution.ts';
import type { Ctx } from './records/context.ts';
import type { Run } from './records/api.ts';
import { declarePermissions, type Permission, type PermissionDeclaration, type Role } from './auth/roles.ts';
import { declareAuditActions } from './audit/service.ts';
import { declareEntityKinds, type EntityKind, type EntityKindDeclaration } from './provenance/service.ts';
import { onRecordsWritten, type RecordsWrittenListener } from './records/events.ts';
import { declareImportKinds, type ImportFollowUp, type ImportKind } from './records/load.ts';
import { declareQuality, type QualityContribution } from './quality/checks.ts';
import type { Subscriber } from './events/relay.ts';
import type { CliKit } from './cli.ts';
import type { DemoContribution } from './demo.ts';

/** Run page work for the signed-in actor, with their organisation's name for the layout. */
export type PageRun = <T extends object>(req: FastifyRequest, work: (ctx: Ctx) => Promise<T>) => Promise<T & { organisationName: string }>;

/** What a module runs in the background (the import queue): started once the app serves, stopped when it closes. */
export interface ModuleJobs {
  start(options?: { recover?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** What the app gives a module's routes. `jobs`: what the module's own `jobs` made (undefined without). */
export interface ModuleDeps<J = undefined> {
  config: Config;
  store: Store;
  /** Work for the request's actor in their organisation, in a transaction. */
  run: Run;
  /** Read-only work for the request's actor, without a transaction (the hot read paths). */
  read: Run;
  jobs: J;
  /** The landlords Hearth holds, ids and names only: for public pages that ask a resident whom they rent from. */
  landlords(): Promise<{ id: string; name: string }[]>;
}
export interface PageDeps<J = undefined> extends ModuleDeps<J> {
  /** `run` for pages: signed in, with the organisation's name for the layout. */
  page: PageRun;
}

/** A listener kept up to date in the writer's transaction (platform/records/events.ts). */
export interface RecordListener {
  kind: EntityKind;
  listener: RecordsWrittenListener;
}

/** A link in the service navigation of every page. */
export interface NavigationItem {
  href: string;
  text: string;
  /** The pages' `section`s that show it as the current one. */
  sections?: readonly string[];
  /** Shown only to roles with this permission. */
  permission?: Permission;
  /** And only to these roles (of those with the permission): a link that is one role's daily work and another's seldom visit. */
  roles?: readonly Role[];
  /** Where it comes (lower first): Overview 10, Search 20, Insight 30, Data quality 40, Imports 50, Linkage 60, Users 70, API 100. */
  position: number;
  /**
   * An administrator's page seldom visited (settings, outboxes): listed under "Manage" on the home page with these
   * words ("the triage tree, priorities and alert rules") instead of in the service navigation, which stays one line.
   */
  manage?: string;
}

/** One thing to do on a role's home page: a line that links to where it is done. */
export interface WorklistItem {
  href: string;
  text: string;
  /** A second line: why it is here ("Review due 3 December 2026"). */
  hint?: string;
  /** A GOV.UK tag beside it ("Overdue", red). */
  tag?: { text: string; colour?: 'red' | 'orange' | 'yellow' | 'green' | 'blue' | 'grey' | 'purple' };
}

/** Where a worklist section looks: the signed-in user's patch (its homes), or everywhere (null). */
export interface WorklistScope {
  /** The homes of the user's patch, or null for the whole organisation. */
  homeIds: readonly string[] | null;
  /**
   * The people of those homes (members of their current tenancies, and people recorded as living at them), or null for
   * everyone (also when absent). A person's own home is often unknown: a housing system records the tenancy, not where
   * each person lives; so sections about people narrow by these, not by the person's own home.
   */
  personIds?: readonly string[] | null;
}

/** "My patch" for the signed-in user: its homes and people (null: everywhere), and which patch it is. */
export interface PatchScope extends WorklistScope {
  patch: { id: string; name: string } | null;
  /** How many homes the patch has (also when the scope is everywhere). */
  homes: number;
}

/**
 * A section of a role's home page (issue 13): a worklist a module brings, such as "Hazard reports past a deadline".
 * The home page shows a role the sections that name it, in position order, each with its first few items, the total
 * and a link to all of them.
 */
export interface WorklistSection {
  /** Unique across modules: "hazards-overdue". */
  id: string;
  title: string;
  /** The roles whose work it is (not every role that may read it). */
  roles: readonly Role[];
  /** Lower first. */
  position: number;
  /** Where all of them are listed (a link with the total). */
  href: string;
  /** What to say when there are none ("No hazard reports are past a deadline"). */
  empty: string;
  /** Whether `scope.homeIds` limits it (sections about homes and the people in them); others ignore the scope. */
  byPatch?: boolean;
  /** The first `limit` items and how many there are in all, for the actor's organisation. */
  items(ctx: Ctx, options: { limit: number; scope: WorklistScope }): Promise<{ total: number; items: WorklistItem[] }>;
}

export interface HearthModule<J = unknown> {
  /** The folder's name: "homes". */
  name: string;
  /** Its drizzle tables (import * from './schema.ts'); src/modules/modules.test.ts checks migrations know the same. */
  tables?: Readonly<Record<string, unknown>>;
  /** The kinds of record it owns (source references, record changes and events are kept by kind), sensitive ones with their permission. */
  entityKinds?: readonly EntityKindDeclaration[];
  /** Its permissions, each with the roles that have it. */
  permissions?: readonly PermissionDeclaration[];
  /** What its audit events record ('import-started', …). */
  auditActions?: readonly string[];
  /** The OpenAPI tags of its routes, in the order the docs show them. */
  apiTags?: readonly { name: string; description: string }[];
  /** The kinds of record files can hold that it loads (fields and loader). */
  importKinds?: readonly ImportKind[];
  /** What it does when other modules' records are imported (record linkage). */
  importFollowUps?: readonly ImportFollowUp[];
  /** Its data quality checks. */
  quality?: QualityContribution;
  /** What it keeps up to date from records written, in the writer's transaction. */
  recordListeners?: readonly RecordListener[];
  /** What it does with events from the outbox, after they commit (platform/events/relay.ts). */
  subscribers?: readonly Subscriber[];
  /** Its background work, made once per app; handed back to its api and pages as `deps.jobs`. */
  jobs?(deps: { store: Store; config: Config; log: FastifyBaseLogger }): J & ModuleJobs;
  /**
   * What it runs while Hearth serves (`hearth start` only: not in tests' apps or in commands), such as a delivery
   * worker; stopped before the relay and the app close.
   */
  worker?(deps: { store: Store; config: Config; log: FastifyBaseLogger }): { stop(): Promise<void> };
  /** Its JSON routes, under /api/v1 with a bearer token. */
  api?(api: TypedFastify, deps: ModuleDeps<J>): void;
  /** Its links in the service navigation. */
  navigation?: readonly NavigationItem[];
  /**
   * What "my patch" is for the signed-in user (the patches module): every module asks through `patchScope()` below,
   * so none imports the module that keeps patches.
   */
  patchScope?(ctx: Ctx, mine: boolean): Promise<PatchScope>;
  /** Its sections of the roles' home pages (worklists). */
  worklists?: readonly WorklistSection[];
  /** Its staff pages, signed in, CSRF on every form. */
  pages?(app: TypedFastify, deps: PageDeps<J>): void;
  /** Its `hearth` commands. */
  commands?(program: Command, cli: CliKit): void;
  /**
   * How it writes its own records of the demo landlord (platform/demo.ts): given each generated batch (the "world"),
   * the platform's COPY writer (columns from its drizzle tables, a "created" event per record) and the demo's context.
   * Called in the order the modules are installed, so a module's rows come after those they point at.
   */
  demo?: DemoContribution;
  /**
   * How its own schema is spread over a Citus cluster, for a module whose tables are not in public (public tables with an
   * organisation_id are planned by the platform: src/platform/db/distribution.ts, docs/scaling.md).
   */
  distribution?: DistributionPlan;
}

/** A module's manifest; `J` is the type of what its `jobs` makes (for its own routes). */
export function defineModule<J = undefined>(module: HearthModule<J>): HearthModule {
  return module as unknown as HearthModule;
}

const installed = new Map<string, HearthModule>();

/**
 * Put each module's declarations into the platform's registries: kinds of record, permissions, audit actions, import
 * kinds, data quality checks and record listeners. Safe to call again with the same modules (every app and command
 * does); two different modules of one name are an error.
 */
export function installModules(modules: readonly HearthModule[]): void {
  for (const m of modules) {
    const known = installed.get(m.name);
    if (known === m) continue;
    if (known) throw new Error(`two modules are called ${m.name}`);
    declareEntityKinds(m.name, m.entityKinds ?? []);
    declarePermissions(m.name, m.permissions ?? []);
    declareAuditActions(m.name, m.auditActions ?? []);
    declareImportKinds(m.name, m.importKinds ?? [], m.importFollowUps ?? []);
    if (m.quality) declareQuality(m.name, m.quality);
    for (const l of m.recordListeners ?? []) onRecordsWritten(l.kind, l.listener);
    installed.set(m.name, m);
  }
}

/** The modules installed so far, in order. */
export const installedModules = (): HearthModule[] => [...installed.values()];

/**
 * "My patch" for the signed-in user, from the installed module that keeps patches: its homes and people when `mine`
 * (null when everywhere, or when they have no patch), which patch, and its number of homes.
 */
export async function patchScope(ctx: Ctx, mine = true): Promise<PatchScope> {
  const keeper = installedModules().find((m) => m.patchScope);
  return keeper?.patchScope ? keeper.patchScope(ctx, mine) : { homeIds: null, personIds: null, patch: null, homes: 0 };
}
