// A form: a TypeBox schema of what it gives, and each field's messages in GOV.UK style. parse(body) reads a posted
// body (trimmed, empty answers left out, numbers and ticked boxes as such, a date input's three boxes as one ISO date)
// and returns either the typed values or the errors, in the order of the fields, ready for govukErrorSummary (href
// `#field-id`) and each field's errorMessage (`errorFor`). Pages never read a posted body by hand.
import { Type, type Static, type TObject, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { errorLookup, type ErrorItem } from './errors.ts';
import { parseTime, readDateInput, type DatePart, type DateWhen } from './dates.ts';

/**
 * A field's messages: one for every failure, or one per kind. Missing ones fall back to `invalid`, then `required`.
 * required: nothing entered or chosen ("Enter your date of birth", "Select the hazard"); invalid: not one of the
 * choices, not a number, the wrong form; tooLong / tooShort: maxLength / minLength (maxItems / minItems); tooBig /
 * tooSmall: maximum / minimum. A date input's own: notReal, when (past or future); its label names it in the rest.
 */
export type FieldMessages = string | {
  required?: string; invalid?: string; tooLong?: string; tooShort?: string; tooBig?: string; tooSmall?: string;
  notReal?: string; when?: string;
};

type Kind = 'required' | 'invalid' | 'tooLong' | 'tooShort' | 'tooBig' | 'tooSmall' | 'notReal' | 'when';

const INPUT = 'x-form-input';
const TRIM = 'x-form-trim';

/** A GOV.UK date input (boxes `<name>-day`, `-month`, `-year`) giving an ISO date. `label` names it in messages. */
export function DateInput(options: { label: string; when?: DateWhen }) {
  return Type.Unsafe<string>({ type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', [INPUT]: 'date', 'x-form-label': options.label, 'x-form-when': options.when });
}

/** A time as people type it ("14:30", "2:30pm", "midday"), giving hh:mm (24-hour). */
export function TimeInput() {
  return Type.Unsafe<string>({ type: 'string', pattern: '^\\d{2}:\\d{2}$', [INPUT]: 'time' });
}

/** A text field kept exactly as typed: not trimmed (a password). An empty one is still no answer. */
export function Untrimmed<S extends TSchema>(schema: S): S {
  return { ...schema, [TRIM]: false };
}

export type FormResult<T> =
  | { ok: true; values: T; raw: Record<string, unknown> }
  | { ok: false; errors: ErrorItem[]; errorFor: Record<string, string>; raw: Record<string, unknown> };

export interface FormDefinition<S extends TObject> {
  schema: S;
  /** Every field's messages. */
  messages: { [K in keyof S['properties']]: FieldMessages };
  /** The id an error links to, when not the field's name (a date input: `<name>-day`, or the part to fix). */
  ids?: Partial<Record<keyof S['properties'], string>>;
  /**
   * Rules across fields, given the fields that passed on their own. `fail(field, text)` adds an error to a field
   * (ignored when it already has one); `part` links to a date input's box.
   */
  check?: (values: Partial<Static<S>>, fail: (field: keyof S['properties'] & string, text: string, part?: DatePart) => void) => void;
  /**
   * The ids of the page's controls in the order the page shows them, when that is not the schema's order or the page
   * has controls the schema does not read (a file upload). The error summary lists errors in this order.
   */
  order?: readonly string[];
}

export interface Form<S extends TObject> {
  readonly schema: S;
  /** Read a posted body: the typed values, or the errors. `raw`: what was posted, to draw the form again. */
  parse(body: unknown): FormResult<Static<S>>;
  /**
   * The result of a refusal found after parsing (a service's), or of errors the page found itself (an upload's file),
   * with parse's errors when there are some: the same shape as parse's errors, in the order of the page's fields.
   */
  fail(raw: Record<string, unknown>, errors: readonly ErrorItem[]): FormResult<Static<S>>;
  /** Errors in the order the page shows their fields (errors about no known field last, as given). */
  inPageOrder(errors: readonly ErrorItem[]): ErrorItem[];
}

const KEYWORDS: Record<string, Kind> = {
  required: 'required', maxLength: 'tooLong', maxItems: 'tooLong', minLength: 'tooShort', minItems: 'tooShort',
  maximum: 'tooBig', exclusiveMaximum: 'tooBig', minimum: 'tooSmall', exclusiveMinimum: 'tooSmall',
};

function messageFor(messages: FieldMessages | undefined, kind: Kind, fallback: string): string {
  if (typeof messages === 'string') return messages;
  return messages?.[kind] ?? messages?.invalid ?? messages?.required ?? fallback;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

/** The schema inside Optional: TypeBox 1.x marks optional properties on the property's own schema. */
const typeOf = (s: TSchema) => (s as { type?: unknown }).type;

export function defineForm<S extends TObject>(definition: FormDefinition<S>): Form<S> {
  const { schema, messages } = definition;
  const props = schema.properties as Record<string, TSchema & Record<string, unknown>>;
  const names = Object.keys(props);
  const required = new Set((schema as { required?: string[] }).required ?? []);
  // The body is checked against a copy that allows other fields (the CSRF and form tokens, buttons' names).
  const checked = { ...schema, additionalProperties: true } as TSchema;

  // Where on the page an error's control is: the field whose id (or date box) its href names, in the page's order.
  const pageOrder = definition.order ?? names;
  const idOf = (name: string) => (definition.ids as Record<string, string> | undefined)?.[name] ?? name;
  const positionOf = (href: string): number => {
    const id = href.replace(/^#/, '');
    const exact = pageOrder.findIndex((key) => id === key);
    if (exact >= 0) return exact;
    const named = pageOrder.findIndex((key) => id === idOf(key) || (props[key]?.[INPUT] === 'date' && /^-(day|month|year)$/.test(id.slice(key.length)) && id.startsWith(key)));
    if (named >= 0) return named;
    // A field left out of `order` comes where the schema puts it, after those listed.
    const inSchema = names.findIndex((key) => id === idOf(key));
    return inSchema >= 0 ? pageOrder.length + inSchema : pageOrder.length + names.length;
  };
  const inPageOrder = (errors: readonly ErrorItem[]): ErrorItem[] => errors.map((e, i) => ({ e, i, at: positionOf(e.href) }))
    .sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.e);

  function parse(body: unknown): FormResult<Static<S>> {
    const posted = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    const raw: Record<string, unknown> = {};
    const values: Record<string, unknown> = {};
    const errors = new Map<string, ErrorItem>();
    const fail = (name: string, textOf: string, href = `#${definition.ids?.[name as keyof S['properties']] ?? name}`) => {
      if (!errors.has(name)) errors.set(name, { text: textOf, href });
    };

    for (const name of names) {
      const p = props[name]!;
      const input = p[INPUT];
      if (input === 'date') {
        const parts = { day: text(posted[`${name}-day`]) ?? '', month: text(posted[`${name}-month`]) ?? '', year: text(posted[`${name}-year`]) ?? '' };
        raw[name] = parts;
        const m = messages[name];
        const read = readDateInput(parts, {
          label: String(p['x-form-label']), required: messageFor(m, 'required', `Enter ${String(p['x-form-label']).toLowerCase()}`),
          ...(typeof m === 'object' && m.notReal ? { notReal: m.notReal } : {}), ...(typeof m === 'object' && m.when ? { when: m.when } : {}),
        }, p['x-form-when'] as DateWhen | undefined);
        if (read.kind === 'date') values[name] = read.date;
        else if (read.kind === 'error') fail(name, read.text, `#${name}-${read.part}`);
        else if (required.has(name)) fail(name, messageFor(m, 'required', `Enter ${String(p['x-form-label']).toLowerCase()}`), `#${name}-day`);
        continue;
      }
      const v = posted[name];
      const type = typeOf(p);
      if (type === 'array') {
        const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean);
        raw[name] = list;
        if (list.length) values[name] = list;
        continue;
      }
      const s = text(v);
      raw[name] = s ?? '';
      const value = s === undefined ? undefined : p[TRIM] === false ? s : s.trim();
      if (value === undefined || value === '') continue;
      if (input === 'time') {
        const time = parseTime(value);
        if (time) values[name] = time;
        else fail(name, messageFor(messages[name], 'invalid', 'Enter a time like 14:30 or 2:30pm'));
      } else if (type === 'integer' || type === 'number') {
        // Whole numbers as written ("1.0" is not one); anything else stays text, and fails as not a number.
        values[name] = (type === 'integer' ? /^-?\d{1,15}$/ : /^-?\d{1,15}(\.\d+)?$/).test(value) ? Number(value) : value;
      } else if (type === 'boolean') {
        values[name] = value === 'yes' || value === 'true' || value === 'on' ? true : value === 'no' || value === 'false' ? false : value;
      } else values[name] = value;
    }

    for (const e of Value.Errors(checked, values)) {
      if (e.keyword === 'required') {
        for (const name of (e.params as { requiredProperties?: string[] }).requiredProperties ?? []) {
          if (!errors.has(name)) fail(name, messageFor(messages[name], 'required', 'Enter an answer'), props[name]?.[INPUT] === 'date' ? `#${name}-day` : undefined);
        }
        continue;
      }
      const name = e.instancePath.split('/')[1];
      if (!name || !props[name] || errors.has(name)) continue;
      fail(name, messageFor(messages[name], KEYWORDS[e.keyword] ?? 'invalid', 'Enter a valid answer'));
    }
    for (const name of errors.keys()) delete values[name];
    definition.check?.(values as Partial<Static<S>>, (name, t, part) => fail(name, t, part ? `#${name}-${part}` : undefined));

    if (!errors.size) return { ok: true, values: values as Static<S>, raw };
    const ordered = inPageOrder([...errors.values()]);
    return { ok: false, errors: ordered, errorFor: errorLookup(ordered), raw };
  }

  return {
    schema,
    parse,
    fail: (raw, errors) => {
      const ordered = inPageOrder(errors);
      return { ok: false, errors: ordered, errorFor: errorLookup(ordered), raw };
    },
    inPageOrder,
  };
}
