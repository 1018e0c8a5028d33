// Staff pages for work orders (issue 14). Filled in by the work-orders slice.
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';

export function workOrderPages(_app: TypedFastify, _deps: PageDeps): void {}
