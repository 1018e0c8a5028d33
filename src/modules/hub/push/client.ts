// Pushing a batch to a hub (docs/hub-push.md): the body signed as Standard Webhooks sign, with the publisher's key,
// POSTed once. It answers the hub's receipt, or throws a PushRefused carrying the hub's problem (status, detail,
// errors). Retrying is the caller's: send the same batch again under the same id and the hub answers from its first
// arrival (replayed: true), so a retry after a lost answer applies nothing twice.
import { v7 as uuidv7 } from 'uuid';
import { Webhook } from 'standardwebhooks';
import type { StandardBatch } from '../standard/schema.ts';

export const PUSH_PREFIX = '/hub/api/v1';
export const PUSH_PATH = `${PUSH_PREFIX}/batches`;

/** The hub's answer to a batch. */
export interface PushReceipt {
  id: string;
  records: number;
  accepted: number;
  rejected: number;
  errors: { index: number | null; field: string; message: string }[];
  /** The same id and body arrived before: this answer is the first arrival's, and nothing was applied again. */
  replayed: boolean;
}

export interface PushRequest {
  /** The hub's address (https://hub.example.org); the batch goes to its PUSH_PATH. */
  url: string;
  /** The publisher's registration number, as the hub registered it. */
  publisher: string;
  keyId: string;
  /** whsec_…, as the hub gave it with the key. */
  secret: string;
  /** The batch, or its JSON exactly as it is to be sent. */
  batch: StandardBatch | string;
  /** The batch's id (webhook-id): give the same id to a retry. A new UUID when not given. */
  id?: string;
  /** The signing time (now when not given). */
  at?: Date;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** The hub refused the batch: `status` and the hub's problem details. */
export class PushRefused extends Error {
  readonly status: number;
  readonly title: string;
  readonly errors: { field: string; message: string }[];
  constructor(status: number, title: string, detail: string, errors: { field: string; message: string }[] = []) {
    super(`the hub refused the batch (${status} ${title}): ${detail}`);
    this.status = status;
    this.title = title;
    this.errors = errors;
  }
}

/** The headers that sign `body` for the hub. */
export function pushHeaders(o: { publisher: string; keyId: string; secret: string; id: string; at: Date; body: string }): Record<string, string> {
  return {
    'content-type': 'application/json',
    'hub-publisher': o.publisher,
    'hub-key': o.keyId,
    'webhook-id': o.id,
    'webhook-timestamp': String(Math.floor(o.at.getTime() / 1000)),
    'webhook-signature': new Webhook(o.secret).sign(o.id, o.at, o.body),
  };
}

export async function pushBatch(o: PushRequest): Promise<PushReceipt> {
  const body = typeof o.batch === 'string' ? o.batch : JSON.stringify(o.batch);
  const id = o.id ?? uuidv7();
  const send = o.fetch ?? fetch;
  const res = await send(`${o.url.replace(/\/+$/, '')}${PUSH_PATH}`, {
    method: 'POST',
    headers: { ...pushHeaders({ publisher: o.publisher, keyId: o.keyId, secret: o.secret, id, at: o.at ?? new Date(), body }), accept: 'application/json' },
    body,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  if (res.ok && json && typeof json === 'object') return json as PushReceipt;
  const problem = (json ?? {}) as { title?: string; detail?: string; errors?: { field: string; message: string }[] };
  throw new PushRefused(res.status, problem.title ?? res.statusText, problem.detail ?? (text.slice(0, 200) || 'no reason given'), problem.errors ?? []);
}
