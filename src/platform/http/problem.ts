// Errors as RFC 9457 problem details. A Problem thrown anywhere in a service becomes the HTTP answer.
export interface FieldError {
  /** JSON pointer of the field in the request, e.g. "/postcode" or "/contactPoints/0/value". */
  field: string;
  message: string;
}

export class Problem extends Error {
  readonly status: number;
  readonly title: string;
  readonly errors: FieldError[];
  readonly type: string;
  constructor(status: number, title: string, detail?: string, errors: FieldError[] = []) {
    super(detail ?? title);
    this.status = status;
    this.title = title;
    this.errors = errors;
    this.type = `https://hearth.example/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  }
}

export const notFound = (what: string) => new Problem(404, 'Not found', `No ${what} with that id`);
export const forbidden = (detail = 'Your role does not allow this') => new Problem(403, 'Forbidden', detail);
export const invalid = (field: string, message: string) =>
  new Problem(400, 'Invalid request', `${field.replace(/^\//, '') || 'body'}: ${message}`, [{ field, message }]);

/** Map PostgreSQL constraint errors to problems naming the field, so a bad reference is a 400, not a 500. */
export function fromDatabaseError(err: unknown): Problem | undefined {
  const e = (err as { cause?: unknown }).cause ?? err;
  const pgErr = e as { code?: string; detail?: string; constraint?: string };
  if (pgErr?.code === '23503') {
    // Under row-level security PostgreSQL withholds the key in the detail, so read the column from the constraint
    // name drizzle-kit gives it: homes_organisation_id_block_id_blocks_organisation_id_id_fk.
    const column = /_organisation_id_([a-z_]+?_id)_/.exec(pgErr.constraint ?? '')?.[1]
      ?? /Key \((?:organisation_id, )?([a-z_]+)\)/.exec(pgErr.detail ?? '')?.[1];
    const field = column ? '/' + column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : '/';
    return invalid(field, 'refers to a record that does not exist');
  }
  if (pgErr?.code === '23505') {
    return new Problem(409, 'Conflict', 'A record with the same unique value already exists');
  }
  return undefined;
}
