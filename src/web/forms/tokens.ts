// One-time form tokens: each render of a form that writes something carries a hidden `formToken`, issued for the
// signed-in session; the first post with it does the work, and a second post of the same form (a double click, the
// back button and send again) is sent where the first led instead of writing twice. Two posts at once: the second
// waits for the first and follows it. If the work fails (a refusal to show on the form), the token can be sent again.
//
// Kept in memory, per process, keyed by the session (docs/decisions/0020-forms.md): no table, at the cost that a
// restart forgets them (the form is then "expired": drawn again with what was typed and a new token) and that two
// processes behind one address do not share them. Bounded: the most recent sessions, the most recent tokens of each.
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { csrfBinding } from '../session.ts';
import { fieldOf } from './fields.ts';
import { isUuid } from '../../platform/uuid.ts';

type Entry = { state: 'issued' } | { state: 'used'; result: Promise<string> };

export type OnceResult =
  /** The work was done by this post (`repeat: false`) or an earlier one with the same token (`repeat: true`). */
  | { kind: 'done'; location: string; repeat: boolean }
  /** Never issued to this session, or forgotten (a restart, too many forms open): draw the form again. */
  | { kind: 'unknown' };


export class FormTokens {
  readonly #sessions = new Map<string, Map<string, Entry>>();
  readonly #maxSessions: number;
  readonly #perSession: number;

  constructor(options: { sessions?: number; perSession?: number } = {}) {
    this.#maxSessions = options.sessions ?? 10_000;
    this.#perSession = options.perSession ?? 50;
  }

  /** The session's tokens, marked most recently used; the least recently used session beyond the limit is forgotten. */
  #of(session: string, make: boolean): Map<string, Entry> | undefined {
    let tokens = this.#sessions.get(session);
    if (tokens) this.#sessions.delete(session);
    else if (make) tokens = new Map();
    if (!tokens) return undefined;
    this.#sessions.set(session, tokens);
    while (this.#sessions.size > this.#maxSessions) this.#sessions.delete(this.#sessions.keys().next().value!);
    return tokens;
  }

  /** A new token for one render of a form. */
  issue(session: string): string {
    const tokens = this.#of(session, true)!;
    const token = randomUUID();
    tokens.set(token, { state: 'issued' });
    while (tokens.size > this.#perSession) tokens.delete(tokens.keys().next().value!);
    return token;
  }

  /** The posted token if it can still be sent (drawing the form again after an error), else a new one. */
  keep(session: string, posted: unknown): string {
    return typeof posted === 'string' && this.#of(session, false)?.get(posted)?.state === 'issued' ? posted : this.issue(session);
  }

  /** Do `work` (which returns where to go next) once for this token. */
  async once(session: string, token: unknown, work: () => Promise<string>): Promise<OnceResult> {
    const tokens = typeof token === 'string' && isUuid(token) ? this.#of(session, false) : undefined;
    const entry = tokens?.get(token as string);
    if (!tokens || !entry) return { kind: 'unknown' };
    if (entry.state === 'used') return { kind: 'done', location: await entry.result, repeat: true };
    const result = work();
    tokens.set(token as string, { state: 'used', result });
    try {
      return { kind: 'done', location: await result, repeat: false };
    } catch (err) {
      tokens.set(token as string, { state: 'issued' }); // nothing was written: the form can be corrected and sent again
      throw err;
    }
  }
}

/** The process's tokens. */
export const formTokens = new FormTokens();

/** The session a request's tokens belong to (the hashed session cookie, as CSRF tokens are bound). */
export const tokenSession = (req: FastifyRequest) => csrfBinding(req);

/** The form token a post carries (the hidden `formToken` field), if any. */
export const postedFormToken = (req: FastifyRequest): unknown => fieldOf(req.body, 'formToken');

/** A token for a form about to be drawn: the posted one again after an error, else a new one. */
export const formTokenFor = (req: FastifyRequest, posted?: unknown) => (posted === undefined ? formTokens.issue(tokenSession(req)) : formTokens.keep(tokenSession(req), posted));

/** Do a form's work once per token (see FormTokens.once). */
export const oncePerFormToken = (req: FastifyRequest, token: unknown, work: () => Promise<string>) => formTokens.once(tokenSession(req), token, work);
