// Every module in the list installed, as the app and the `hearth` command install them at start: for unit tests that
// use the registries (kinds of record, import kinds, permissions) without building the app.
import { installModules } from '../platform/modules.ts';
import { MODULES } from './index.ts';

installModules(MODULES);
