// The no-personal-data guarantee, checked on the schema itself: a field whose name says it is about a person
// (names, dates of birth, contact details, identity numbers, protected characteristics, vulnerabilities, the parties
// to an ASB case) must never be in the standard, and every object must be closed so none can be added in a record.
//
// Postcode is listed too. A home's postcode is not personal data on its own (ICO guidance: an address is personal
// when it is linked to a person), but the standard does not need it: the UPRN identifies the home and the local
// authority code places it. Leaving it out keeps the published home records from being joined to other address
// lists by postcode and house number; a future version that wants it has to take this rule out deliberately.

/** Stems found anywhere in a property name once lower-cased and its separators removed ("date_of_birth" → "dateofbirth"). */
const STEMS = [
  'surname', 'forename', 'firstname', 'lastname', 'fullname', 'givenname', 'familyname', 'middlename', 'maidenname', 'birth',
  'email', 'phone', 'nino', 'ninumber', 'nationalinsurance', 'passport', 'drivinglicen', 'bankaccount', 'sortcode',
  'tenant', 'occupant', 'household', 'gender', 'ethnic', 'disab', 'vulnerab', 'religio', 'sexual', 'nationality',
  'complainant', 'perpetrator', 'witness', 'victim', 'asbparty', 'personalert',
] as const;

/** Whole words of a property name (camelCase, snake_case, kebab-case split apart). */
const WORDS = [
  'name', 'names', 'dob', 'age', 'sex', 'person', 'persons', 'people', 'personal', 'resident', 'residents', 'occupier',
  'address', 'street', 'postcode', 'postal', 'mobile', 'contact', 'alert', 'alerts', 'party', 'parties', 'health',
  'medical', 'carer', 'child', 'children', 'income', 'benefits',
] as const;

/** The words of a property name: "tenantName" → tenant, name; "address_line_1" → address, line, 1. */
export function wordsOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** What makes a property name look personal, or null: the stem or word it matched. */
export function personalMatch(name: string): string | null {
  const words = wordsOf(name);
  const joined = words.join('');
  return STEMS.find((s) => joined.includes(s)) ?? WORDS.find((w) => words.includes(w)) ?? null;
}

export interface SchemaProperty { path: string; name: string; matched: string }

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every sub-schema of a JSON Schema, with a readable path to it (properties by name, then keywords). */
function* walk(schema: unknown, path = '#'): Generator<{ schema: Json; path: string }> {
  if (!isObject(schema)) return;
  yield { schema, path };
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions'] as const) {
    const map = schema[key];
    if (isObject(map)) for (const [name, sub] of Object.entries(map)) yield* walk(sub, `${path}/${key}/${name}`);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains'] as const) yield* walk(schema[key], `${path}/${key}`);
  for (const key of ['anyOf', 'allOf', 'oneOf', 'prefixItems'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) for (const [i, sub] of list.entries()) yield* walk(sub, `${path}/${key}/${i}`);
  }
}

/** Every property, anywhere in the schema, whose name looks like personal data. */
export function personalProperties(schema: unknown): SchemaProperty[] {
  const out: SchemaProperty[] = [];
  for (const { schema: s, path } of walk(schema)) {
    for (const key of ['properties', 'patternProperties'] as const) {
      const map = s[key];
      if (!isObject(map)) continue;
      for (const name of Object.keys(map)) {
        const matched = personalMatch(name);
        if (matched) out.push({ path: `${path}/${key}/${name}`, name, matched });
      }
    }
  }
  return out;
}

/** Object schemas that would take a field they do not name (no `additionalProperties: false`): the paths to them. */
export function openObjects(schema: unknown): string[] {
  return [...walk(schema)]
    .filter(({ schema: s }) => (s.type === 'object' || isObject(s.properties)) && s.additionalProperties !== false)
    .map(({ path }) => path);
}
