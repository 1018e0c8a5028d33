// Opaque cursors for keyset pagination: the last id seen, base64url-encoded.
import { invalid } from './problem.ts';

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(id)) throw invalid('/cursor', 'is not a cursor this API returned');
  return id;
}
