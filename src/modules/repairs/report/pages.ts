// The resident's journey: report a repair, find my repair (issue 14). Public pages, no staff sign-in.
import type { TypedFastify } from '../../../platform/http/typed.ts';
import type { PageDeps } from '../../../platform/modules.ts';

export function reportPages(_app: TypedFastify, _deps: PageDeps): void {}
