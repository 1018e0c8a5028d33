// JSON routes for repair requests: POST /api/v1/repair-requests (issue 14).
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { ModuleDeps } from '../../platform/modules.ts';

export function requestsApi(_api: TypedFastify, _deps: ModuleDeps): void {}
