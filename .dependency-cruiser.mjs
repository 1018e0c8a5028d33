// The boundaries of Hearth's code, checked by `npm test` (scripts/test.ts) with dependency-cruiser. See
// docs/architecture.md ("Boundaries") and docs/adding-a-module.md. Layers, lowest first:
//   src/platform/   what every module uses (db, auth, audit, records, events, http, the module manifest type)
//   src/web/        layout, forms, charts: the pages' platform
//   src/modules/    one folder per domain; src/modules/<m>/index.ts is its manifest and its only import target
//   composition     src/app.ts, src/main.ts, src/cli/, src/modules/index.ts (the one list of modules)
// Type-only imports count: a type is a dependency too. Test files under src/ follow the same rules, except that they
// may install the whole list (src/modules/install-all.ts). bench/ and scripts/ are checked for cycles only (the other
// rules name src/ paths): they may reach a module's internals, as test/ does (which is not checked: it tests internals).
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No cycles, between files or (through index.ts) between modules.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-not-modules',
      comment: 'The platform never imports a module: modules reach it through their manifests (platform/modules.ts).',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'platform-not-above',
      comment: 'The platform never imports the web layer or the composition (app, main, cli).',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: ['^src/web/', '^src/app\\.ts$', '^src/main\\.ts$', '^src/cli/'] },
    },
    {
      name: 'web-not-modules',
      comment: 'The web layer never imports a module: pages are registered from the list of modules by the app.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: ['^src/modules/', '^src/app\\.ts$', '^src/main\\.ts$', '^src/cli/'] },
    },
    {
      name: 'modules-through-index',
      comment: 'A module imports another only through its index.ts (manifest and public functions). The one exception: a ' +
        "schema.ts may import another module's schema.ts, for a foreign key (a declaration, never a read).",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: '^src/modules/[^/]+/schema\\.ts$' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'schema-only-for-foreign-keys',
      comment: "A module's schema.ts imports only another module's schema.ts (for a foreign key), and nothing else of it.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/schema\\.ts$' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/schema\\.ts$'] },
    },
    {
      name: 'not-own-index',
      comment: 'Inside a module, files import each other directly, never their own index.ts (which imports them).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/[^/]+/index\\.ts$', '\\.test\\.ts$'] },
      to: { path: '^src/modules/$1/index\\.ts$' },
    },
    {
      name: 'list-only-for-composition',
      comment: 'Only the composition (app, main, cli) reads the list of modules; a module never does (tests may install it).',
      severity: 'error',
      from: { path: '^src/modules/[^/]+/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^src/modules/index\\.ts$', '^src/modules/install-all\\.ts$'] },
    },
    {
      name: 'outside-through-index',
      comment: "Outside src/modules, a module is reached only through its index.ts (or the list, src/modules/index.ts).",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/modules/' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
  ],
  options: {
    // `npm test` cruises src, bench and scripts (scripts/test.ts).
    includeOnly: ['^src/', '^bench/', '^scripts/'],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
