// Turns schema-validation errors into one plain message per field. A union such as "a postcode or null" fails
// several ways at once; the person fixing the request needs the one that explains it.
import type { FieldError } from './problem.ts';
import { SINGLE_LINE_MESSAGE, SINGLE_LINE_PATTERN } from './schemas.ts';

interface SchemaError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const FORMAT_MESSAGES: Record<string, string> = {
  'uk-postcode': 'is not a valid UK postcode',
  'past-date': 'must be a real date that is not in the future, as YYYY-MM-DD',
  date: 'must be a real date, as YYYY-MM-DD',
  'date-time': 'must be a date and time, as an ISO 8601 timestamp',
  uuid: 'must be an id (a UUID)',
  email: 'is not an email address',
};

function messageFor(e: SchemaError): string | undefined {
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'format': return FORMAT_MESSAGES[String(p.format)] ?? `must be in ${String(p.format)} format`;
    case 'pattern': return String(p.pattern) === '^[0-9]{1,12}$' ? 'must be 1 to 12 digits (a UPRN)'
      : String(p.pattern) === SINGLE_LINE_PATTERN ? SINGLE_LINE_MESSAGE : `must match the pattern ${String(p.pattern)}`;
    case 'const': return undefined; // reported as a whole by the union ('anyOf') below
    case 'minLength': return Number(p.limit) === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters`;
    case 'maxLength': return `must be at most ${String(p.limit)} characters`;
    case 'minimum': return `must be ${String(p.limit)} or more`;
    case 'maximum': return `must be ${String(p.limit)} or less`;
    case 'maxItems': return `must have at most ${String(p.limit)} items`;
    case 'type': return p.type === 'null' ? undefined : `must be ${article(String(p.type))}`;
    default: return e.message;
  }
}

const article = (t: string) => (t === 'integer' ? 'a whole number' : t === 'array' ? 'a list' : t === 'object' ? 'an object' : `a ${t}`);

export function fieldErrors(errors: SchemaError[]): FieldError[] {
  const byField = new Map<string, string[]>();
  const allowed = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword === 'const') allowed.set(e.instancePath ?? '', [...(allowed.get(e.instancePath ?? '') ?? []), String(e.params?.allowedValue)]);
  }
  const add = (field: string, message: string | undefined) => {
    if (!message) return;
    const list = byField.get(field) ?? [];
    list.push(message);
    byField.set(field, list);
  };
  for (const e of errors) {
    const base = e.instancePath ?? '';
    const p = (e.params ?? {}) as { additionalProperties?: string[]; requiredProperties?: string[]; additionalProperty?: string; missingProperty?: string };
    const extra = p.additionalProperties?.[0] ?? p.additionalProperty;
    const missing = p.requiredProperties?.[0] ?? p.missingProperty;
    if (e.keyword === 'additionalProperties' && extra) add(`${base}/${extra}`, 'is not a field this API knows');
    else if (e.keyword === 'required' && missing) add(`${base}/${missing}`, 'is required');
    else if (e.keyword === 'boolean' || e.message === 'schema is false') continue; // the additionalProperties error says it
    else if (e.keyword === 'anyOf') {
      const codes = allowed.get(base);
      add(base || '/', codes ? `must be one of: ${codes.join(', ')}` : 'is not an allowed value');
    } else add(base || '/', messageFor(e));
  }
  // TypeBox reports at most 8 errors, so a long code list may end before its 'anyOf' error: still name the field.
  for (const field of allowed.keys()) if (!byField.has(field || '/')) add(field || '/', 'is not one of the allowed codes (see the API documentation)');
  // Where a union failed and a more specific reason is known (a format, a pattern), keep the specific one.
  return [...byField].map(([field, messages]) => ({ field, message: messages.find((m) => !m.startsWith('must be one of')) ?? messages[0]! }))
    .filter((e, _i, all) => !(e.message === 'is invalid' && all.length > 1));
}

/** PostgreSQL text (and jsonb) cannot hold U+0000, so a NUL anywhere in a request is refused at the door. */
export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
/** A NUL shown where a person can see it (U+2400 SYMBOL FOR NULL), for naming a key that holds one. */
export const visibleNul = (s: string) => s.replaceAll('\u0000', '\u2400');

/** JSON pointers (RFC 6901) of every string value or key in `value` (parsed JSON, a form, a query) holding a NUL. */
export function nulPointers(value: unknown): string[] {
  const out: string[] = [];
  // A loop rather than recursion, so a deeply nested body cannot overflow the stack.
  const todo: [unknown, string][] = [[value, '']];
  for (let next = todo.pop(); next; next = todo.pop()) {
    const [v, at] = next;
    if (typeof v === 'string') { if (v.includes('\u0000')) out.push(at || '/'); continue; }
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) continue;
    // Pushed last to first, so fields are named in the order they were sent.
    for (const [key, inner] of Object.entries(v).reverse()) {
      todo.push([key.includes('\u0000') ? '\u0000' : inner, `${at}/${visibleNul(key).replaceAll('~', '~0').replaceAll('/', '~1')}`]);
    }
  }
  return out;
}
