// TypeBox's errors for a settings document (or any JSON a person wrote), in words a person reads, each at its JSON
// pointer: shared by the landlords' settings of repairs and of ASB, which are checked the same way.
import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import { SINGLE_LINE_MESSAGE, SINGLE_LINE_PATTERN } from './schemas.ts';

export interface SchemaError { path: string; message: string }

const TYPE_WORDS: Record<string, string> = {
  string: 'must be text (in double quotes)', integer: 'must be a whole number', number: 'must be a number',
  boolean: 'must be true or false', array: 'must be a list ([…])', object: 'must be an object ({…})',
};

interface TbError { keyword: string; instancePath: string; params: Record<string, unknown>; message: string }

/** A key as one step of a JSON pointer (RFC 6901). */
export const pointerKey = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * The errors, with paths under `base`; a pattern is named in `patternWords` when the document has its own (a code's
 * shape), else as the platform's one-line text, else by its expression. TypeBox gathers at most a few (its
 * maxErrors): fixing them shows any more. One error per path and message.
 */
export function schemaErrors(schema: TSchema, value: unknown, options: { base?: string; patternWords?: Readonly<Record<string, string>> } = {}): SchemaError[] {
  const base = options.base ?? '';
  const patternWords: Readonly<Record<string, string>> = { [SINGLE_LINE_PATTERN]: SINGLE_LINE_MESSAGE, ...options.patternWords };
  const raw = [...Value.Errors(schema, value)] as unknown as TbError[];
  // A union of literals fails as one `const` error per member, then an `anyOf` at the same path: name them together.
  const allowed = new Map<string, unknown[]>();
  for (const e of raw) if (e.keyword === 'const') allowed.set(e.instancePath, [...(allowed.get(e.instancePath) ?? []), e.params.allowedValue ?? e.params.const]);
  const out: SchemaError[] = [];
  for (const e of raw) {
    const path = base + e.instancePath;
    const p = e.params;
    switch (e.keyword) {
      case 'required':
        for (const name of (p.requiredProperties as string[] | undefined) ?? []) out.push({ path: `${path}/${pointerKey(name)}`, message: `is missing: add "${name}"` });
        break;
      case 'additionalProperties':
        for (const name of (p.additionalProperties as string[] | undefined) ?? []) out.push({ path: `${path}/${pointerKey(name)}`, message: 'is not a setting Hearth knows: check its spelling, or remove it' });
        break;
      case 'boolean': break; // the additionalProperties error above names the same key
      case 'type': out.push({ path, message: TYPE_WORDS[String(p.type)] ?? `must be of type ${String(p.type)}` }); break;
      case 'minLength': out.push({ path, message: p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters` }); break;
      case 'maxLength': out.push({ path, message: `must be ${Number(p.limit).toLocaleString('en-GB')} characters or fewer` }); break;
      case 'minItems': out.push({ path, message: `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}` }); break;
      case 'maxItems': out.push({ path, message: `must have ${String(p.limit)} items or fewer` }); break;
      case 'minimum': out.push({ path, message: `must be ${String(p.limit)} or more` }); break;
      case 'maximum': out.push({ path, message: `must be ${String(p.limit)} or less` }); break;
      case 'pattern': out.push({ path, message: patternWords[String(p.pattern)] ?? `must match ${String(p.pattern)}` }); break;
      case 'const':
        // A literal on its own (schemaVersion); inside a union it is reported with the anyOf below.
        if (!raw.some((o) => o.keyword === 'anyOf' && o.instancePath === e.instancePath)) out.push({ path, message: `must be ${JSON.stringify(p.allowedValue ?? p.const)}` });
        break;
      case 'anyOf': {
        const values = allowed.get(e.instancePath);
        out.push({ path, message: values?.length ? `must be one of: ${values.map((v) => JSON.stringify(v)).join(', ')}` : 'is not in a form Hearth knows' });
        break;
      }
      default: out.push({ path, message: e.message });
    }
  }
  return dedupeErrors(out);
}

/** One error per path and message (a value can fail the same way under several branches, or parts of a walk). */
export function dedupeErrors<E extends SchemaError>(errors: readonly E[]): E[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.path}\0${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
