// JSON routes: operatives, appointments, plans (issue 14).
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { ModuleDeps } from '../../platform/modules.ts';

export function schedulingApi(_api: TypedFastify, _deps: ModuleDeps): void {}
