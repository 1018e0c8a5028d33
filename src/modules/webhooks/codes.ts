// What webhooks deliver and when they try again.
import { isSensitiveKind, publicEntityKinds } from '../../platform/provenance/service.ts';

/**
 * The kinds of record whose writes an endpoint can choose (uk.hearth.<kind>.created / .updated), kind → label, for the
 * page's choices: every installed module's kinds, except sensitive ones (person alerts), whose events never leave Hearth.
 */
export const eventKinds = (): Record<string, string> => Object.fromEntries(publicEntityKinds().map((k) => [k.kind, k.label]));

/** The kind of record an event type or prefix names ("uk.hearth.person-alert.created" → "person-alert"), if it names one. */
const kindOf = (type: string): string | undefined => /^uk\.hearth\.([a-z0-9-]+)\./.exec(type)?.[1];

/** Does an event type or prefix name a sensitive kind of record (which no endpoint may have)? */
export const namesSensitiveKind = (type: string): boolean => { const k = kindOf(type); return k !== undefined && isSensitiveKind(k); };

export const ALL_EVENTS = 'uk.hearth.';

/** An event type ("uk.hearth.home.created") or a prefix ending in a dot ("uk.hearth.home."). */
export const EVENT_TYPE_PATTERN = '^uk\\.hearth\\.(?:[a-z0-9-]+\\.(?:[a-z0-9-]+)?)?$';
const EVENT_TYPE = new RegExp(EVENT_TYPE_PATTERN);
export const isEventType = (t: string) => t.length <= 200 && EVENT_TYPE.test(t);
export const EVENT_TYPE_MESSAGE = 'must be an event type such as uk.hearth.home.created, or a prefix ending in a dot such as uk.hearth.home. (uk.hearth. for every event)';
export const MAX_EVENT_TYPES = 50;

/** Does an endpoint that chose `types` want an event of `type`? Exact types, or prefixes ending in ".". */
export { matchesEventType as wantsType } from '../../platform/events/relay.ts';

/**
 * After the first attempt, wait this long before each retry (Standard Webhooks' schedule): 8 attempts over about
 * 27 hours, then the delivery has failed for good.
 */
export const RETRY_AFTER_SECONDS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600] as const;
export const MAX_ATTEMPTS = RETRY_AFTER_SECONDS.length + 1;

/** An endpoint is disabled after this many deliveries in a row failed for good, */
export const DISABLE_AFTER_FAILED_DELIVERIES = 3;
/** or when a delivery fails for good and nothing reached the endpoint for this long. */
export const DISABLE_AFTER_FAILING_HOURS = 24;

/** How long the old secret keeps signing after a rotation. */
export const OLD_SECRET_HOURS = 24;

/** One attempt's time limit. */
export const TIMEOUT_MS = 10_000;
