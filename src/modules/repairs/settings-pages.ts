// The administrator's pages for the landlord's repair settings: see the triage tree, upload and validate a new version (issue 14).
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';

export function settingsPages(_app: TypedFastify, _deps: PageDeps): void {}
