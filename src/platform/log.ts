// What the server log keeps of an error: its class, code, message and stack, never the values it was working on.
// A failed query's error carries its parameters (Drizzle writes them into its message: "Failed query: … params: …"),
// and PostgreSQL's message for bad data quotes the value it could not read, such as
// `invalid input syntax for type integer: "Jane Doe"`: request values, which may be personal data.

export interface LoggedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
  code?: string;
  cause?: LoggedError;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const MAX_QUERY = 1000;

/** The pino serializer for `err` (Fastify's logger and everything that logs through it). */
export function errorForLog(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err, message: '(not an Error: not logged)', stack: '' };
  const type = err.constructor?.name || err.name;
  const code = 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  const message = safeMessage(err, code);
  // The stack's first lines repeat the message: keep only the frames after it.
  const frames = err.stack?.indexOf('\n    at ') ?? -1;
  const logged: LoggedError = { type, message, stack: `${type}: ${message}${frames >= 0 ? err.stack!.slice(frames) : ''}` };
  if (code) logged.code = code;
  if (err.cause !== undefined && depth < 3) logged.cause = errorForLog(err.cause, depth + 1);
  // The database's code is what an operator looks up: lift it from a wrapped query error.
  if (!logged.code && logged.cause?.code && SQLSTATE.test(logged.cause.code)) logged.code = logged.cause.code;
  return logged;
}

function safeMessage(err: Error, code: string | undefined): string {
  // PostgreSQL's data exceptions (class 22) quote the offending value; other classes quote names (tables, constraints).
  if (code && SQLSTATE.test(code)) return code.startsWith('22') ? err.message.replace(/"(?:[^"]|"")*"/g, '"…"') : err.message;
  // Drizzle's query error: the statement (parameterised, so it holds no values) without its parameters.
  const query = (err as { query?: unknown }).query;
  if (typeof query === 'string') return `Failed query: ${query.length > MAX_QUERY ? query.slice(0, MAX_QUERY) + '…' : query}`;
  return err.message;
}

/**
 * One line for a person: the innermost cause's message (a query error's is the database's own reason), safe as for
 * the log, with its code; e.g. `refused by a test trigger (P0001)`.
 */
export function describeError(err: unknown): string {
  let e = errorForLog(err);
  while (e.cause) e = e.cause;
  return e.code ? `${e.message} (${e.code})` : e.message;
}
