// Planner's pages: operatives, the day's appointments and plan (issue 14).
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';

export function schedulingPages(_app: TypedFastify, _deps: PageDeps): void {}
