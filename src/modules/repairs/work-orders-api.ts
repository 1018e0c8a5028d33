// JSON routes for work orders and their appointments (issue 14).
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { ModuleDeps } from '../../platform/modules.ts';

export function workOrdersApi(_api: TypedFastify, _deps: ModuleDeps): void {}
