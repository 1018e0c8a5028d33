// Fetching a source's page or file with limits: a time limit for the whole request, and a size limit checked on the
// Content-Length before anything is read and again on every chunk as it arrives (a server can leave the length out,
// or lie), so a 10 GB file is never downloaded and never held in memory.
export type Fetch = typeof globalThis.fetch;

/** Refused before or while reading: too large. */
export class TooLarge extends Error {}

export const DEFAULT_TIMEOUT_MS = 60_000;

const bytes = (n: number) => `${n.toLocaleString('en-GB')} bytes`;

/** The response's declared length, when it gives a whole number. */
export function declaredLength(res: Response): number | undefined {
  const text = res.headers.get('content-length');
  return text !== null && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/**
 * The body as bytes, at most `maxBytes`: a declared length over the limit is refused without reading a byte, and a
 * body that passes the limit while arriving is cancelled there (the connection closed).
 */
export async function readLimited(res: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  const declared = declaredLength(res);
  if (declared !== undefined && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new TooLarge(`${what} is ${bytes(declared)} (its Content-Length), more than the limit of ${bytes(maxBytes)}: it was not downloaded`);
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge(`${what} passed the limit of ${bytes(maxBytes)} while downloading${declared === undefined ? ' (it gave no Content-Length)' : ''}: the download was stopped`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}

/** UTF-8 text, or undefined when the bytes are not UTF-8. A byte order mark is dropped. */
export function utf8(body: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    return undefined;
  }
}

/** A network failure in words: the cause's code where undici gives one (ECONNREFUSED, ENOTFOUND, a time-out). */
export function networkProblem(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs / 1000} seconds`;
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message ?? 'failed'} (${cause})` : (e.message ?? String(err));
}
