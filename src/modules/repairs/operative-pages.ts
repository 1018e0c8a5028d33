// The operative's mobile pages: today's jobs in order, the job sheet (issue 14).
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';

export function operativePages(_app: TypedFastify, _deps: PageDeps): void {}
