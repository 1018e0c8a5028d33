// The development page of messages the local provider kept (issue 14).
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';

export function notificationPages(_app: TypedFastify, _deps: PageDeps): void {}
