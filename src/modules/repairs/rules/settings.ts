// A landlord's repair settings: the priorities and their targets, the emergency screen, the triage tree, the rules that
// turn a household's alerts into a priority and words for the operative, and the appointment slots. One document, kept
// as a new version each time it changes (repair_settings), so every request keeps the version it was triaged with.
//
// Validation is in two layers. The TypeBox schema states the shape (and documents it for the API). Then semantic
// checks state what a schema cannot: values unique among siblings, a leaf's priority being one of the priorities, and so
// on. The tree is walked by hand rather than left to the schema's union of node | leaf | exit, because a union's
// errors ("must match a schema in anyOf") do not tell a person which kind of option they meant or what it lacks.
import { Type, type Static, type TSchema } from 'typebox';
import { dedupeErrors, schemaErrors as sharedSchemaErrors } from '../../../platform/http/schema-errors.ts';
import { line } from '../../../platform/http/schemas.ts';
import { HACT_ALERT_CODES, ALERT_CATEGORIES } from '../../people/index.ts';
import { TRADES } from '../../scheduling/index.ts';

/** The trades a repair can need (a leaf's `trade`): the operatives' trades, which scheduling owns. */
export { TRADES, type Trade } from '../../scheduling/index.ts';

/** The deepest a triage path may go (location → problem → description is 3). */
export const MAX_TREE_DEPTH = 6;
/** Questions, repairs and exits in a whole tree: keeps a pasted document (and each page that walks it) small. */
export const MAX_TREE_OPTIONS = 2000;

const CODE_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
const SLOT_CODE_PATTERN = '^[A-Z0-9]{1,10}$';
const TIME_PATTERN = '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$';
// SOR codes differ by landlord (NHF Schedule of Rates numbers, or a council's own subset): letters, digits and a few
// separators, no spaces.
const SOR_PATTERN = '^[A-Za-z0-9][A-Za-z0-9./-]*$';

const code = (description: string) => Type.String({ minLength: 1, maxLength: 40, pattern: CODE_PATTERN, description });
const words = (maxLength: number, description: string) => line(maxLength, { minLength: 1, description });
const optionalWords = (maxLength: number, description: string) => Type.Optional(words(maxLength, description));
// Messages for residents may run over lines; no control characters other than line breaks.
const message = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description }));

export const PrioritySchema = Type.Object({
  code: code('Stable code: repairs keep it (immediate, emergency, urgent, routine…)'),
  label: words(80, 'What people see, e.g. "Emergency"'),
  target: Type.Object({
    amount: Type.Integer({ minimum: 1, maximum: 1000 }),
    unit: Type.Union([Type.Literal('hours'), Type.Literal('working-days')]),
  }, { additionalProperties: false, description: 'How long the landlord has: hours from reporting, or working days (England and Wales) after the day it was reported' }),
  emergency: Type.Boolean({ description: 'Counts as an emergency repair (TSM RP02 splits emergency and non-emergency repairs)' }),
  rank: Type.Integer({ minimum: 0, maximum: 1000, description: 'Lower is more urgent; a rule that raises a priority picks the lower rank' }),
}, { additionalProperties: false });

export const EmergencySchema = Type.Object({
  value: code('The answer the emergency screen posts'),
  label: words(120, 'What the resident reads, e.g. "I can smell gas"'),
  action: Type.Union([Type.Literal('gas'), Type.Literal('emergency')], { description: 'gas: call the gas emergency number and stop; emergency: call the landlord now' }),
}, { additionalProperties: false });

const optionHead = {
  value: code('The answer posted for this option; unique among its siblings'),
  label: words(120, 'What the resident reads'),
  hint: optionalWords(300, 'A hint under the option'),
};

export const TriageLeafSchema = Type.Object({
  ...optionHead,
  sorCode: Type.String({ minLength: 1, maxLength: 20, pattern: SOR_PATTERN, description: 'Schedule of Rates code' }),
  priority: code('One of the priorities\' codes'),
  trade: code('One of the trades'),
  minutes: Type.Integer({ minimum: 5, maximum: 2400, description: 'Estimated time on site, in minutes' }),
}, { additionalProperties: false });

export const TriageExitSchema = Type.Object({
  ...optionHead,
  exit: Type.Union([Type.Literal('emergency'), Type.Literal('cannot-book'), Type.Literal('not-responsible'), Type.Literal('contact-us')]),
  message: message('What the resident is told instead of booking'),
}, { additionalProperties: false });

const questionHead = {
  question: optionalWords(200, 'The question asked to choose among the options'),
  hint: optionalWords(300, 'A hint under the question'),
};

const TreeSchemas = Type.Cyclic({
  Leaf: TriageLeafSchema,
  Exit: TriageExitSchema,
  Node: Type.Object({
    value: optionHead.value,
    label: optionHead.label,
    ...questionHead,
    options: Type.Array(Type.Union([Type.Ref('Node'), Type.Ref('Leaf'), Type.Ref('Exit')]), { minItems: 1, maxItems: 100 }),
  }, { additionalProperties: false }),
  Tree: Type.Object({
    ...questionHead,
    options: Type.Array(Type.Union([Type.Ref('Node'), Type.Ref('Leaf'), Type.Ref('Exit')]), { minItems: 1, maxItems: 100 }),
  }, { additionalProperties: false }),
}, 'Tree');
export const TriageTreeSchema = TreeSchemas;

export const AlertRuleSchema = Type.Object({
  name: words(120, 'What staff call the rule, e.g. "Risk to staff"'),
  codes: Type.Array(Type.String({ minLength: 1, maxLength: 10 }), {
    minItems: 1, maxItems: 30,
    description: 'HACT person alert codes (10, 20-60…) or UKHDS alert categories (RISK, MED…); an alert matches a rule when its code or category is listed exactly',
  }),
  raiseTo: Type.Optional(code('A priority the repair is raised to (never lowered)')),
  operativeWords: words(200, 'What the operative sees on the job, e.g. "Visit in pairs"; never the alert itself'),
}, { additionalProperties: false });

export const SlotSchema = Type.Object({
  code: Type.String({ pattern: SLOT_CODE_PATTERN, description: 'Short code, e.g. AM' }),
  label: words(80, 'What the resident reads, e.g. "Morning (8am to 1pm)"'),
  start: Type.String({ pattern: TIME_PATTERN, description: 'UK time the slot starts, hh:mm' }),
  end: Type.String({ pattern: TIME_PATTERN, description: 'UK time the slot ends, hh:mm' }),
}, { additionalProperties: false });

export const RepairSettingsSchema = Type.Object({
  schemaVersion: Type.Literal(1, { description: 'The format of this document (not the landlord\'s version of it)' }),
  priorities: Type.Array(PrioritySchema, { minItems: 1, maxItems: 30 }),
  awaabPriority: code('The priority a sign of damp or mould in a resident\'s words raises a repair to (Awaab\'s Law)'),
  emergencies: Type.Array(EmergencySchema, { maxItems: 30 }),
  tree: TreeSchemas,
  alertRules: Type.Array(AlertRuleSchema, { maxItems: 50 }),
  slots: Type.Array(SlotSchema, { minItems: 1, maxItems: 12 }),
}, { additionalProperties: false, description: 'A landlord\'s repair settings' });

export type RepairSettings = Static<typeof RepairSettingsSchema>;
export type Priority = Static<typeof PrioritySchema>;
export type EmergencyOption = Static<typeof EmergencySchema>;
export type TriageTree = Static<typeof TriageTreeSchema>;
export type TriageLeaf = Static<typeof TriageLeafSchema>;
export type TriageExit = Static<typeof TriageExitSchema>;
export type TriageOption = TriageTree['options'][number];
export type TriageNode = Exclude<TriageOption, TriageLeaf | TriageExit>;
export type AlertRule = Static<typeof AlertRuleSchema>;
export type Slot = Static<typeof SlotSchema>;

export const isLeaf = (o: TriageOption): o is TriageLeaf => 'sorCode' in o;
export const isExit = (o: TriageOption): o is TriageExit => 'exit' in o;
export const isNode = (o: TriageOption): o is TriageNode => 'options' in o;

export interface SettingsError { path: string; message: string }
export type SettingsResult = { ok: true; settings: RepairSettings } | { ok: false; errors: SettingsError[] };

/** One error as a line a person reads: "/tree/options/2/priority: …". */
export const errorLine = (e: SettingsError) => `${e.path || '/'}: ${e.message}`;

// ---------------------------------------------------------------------------------------------------------------------
// Schema errors in words

const PATTERN_WORDS: Record<string, string> = {
  [CODE_PATTERN]: 'must be lower-case letters and digits, with single hyphens between words (like "damp-or-mould")',
  [SLOT_CODE_PATTERN]: 'must be 1 to 10 capital letters or digits (like "AM")',
  [TIME_PATTERN]: 'must be a 24-hour time like 08:00',
  [SOR_PATTERN]: 'must be a Schedule of Rates code: letters and digits (and . / -), no spaces',
};

/** TypeBox's errors in words, with paths under `base`. */
const schemaErrors = (schema: TSchema, value: unknown, base: string): SettingsError[] => sharedSchemaErrors(schema, value, { base, patternWords: PATTERN_WORDS });

const dedupe = dedupeErrors;

// The parts of the tree checked one kind at a time, with their options left to the walk.
const NodeHeadSchema = Type.Object({
  value: optionHead.value, label: optionHead.label, ...questionHead,
  options: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 100 }),
}, { additionalProperties: false });
const TreeHeadSchema = Type.Object({ ...questionHead, options: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 100 }) }, { additionalProperties: false });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const LEAF_KEYS = ['sorCode', 'priority', 'trade', 'minutes'];

interface WalkState { errors: SettingsError[]; count: number; leaves: number }

/** Checks the tree's shape option by option, deciding each option's kind from the fields it has. */
function walkShape(value: unknown, path: string, depth: number, state: WalkState): void {
  const head = depth === 0 ? TreeHeadSchema : NodeHeadSchema;
  state.errors.push(...schemaErrors(head, value, path));
  if (!isObject(value) || !Array.isArray(value.options)) return;
  value.options.forEach((option, i) => {
    const at = `${path}/options/${i}`;
    state.count++;
    if (!isObject(option)) {
      state.errors.push({ path: at, message: 'must be an object ({…}): a question, a repair or an exit' });
      return;
    }
    const kinds = [
      'options' in option ? 'a question ("options")' : null,
      LEAF_KEYS.some((k) => k in option) ? `a repair (${LEAF_KEYS.map((k) => `"${k}"`).join(', ')})` : null,
      'exit' in option ? 'an exit ("exit")' : null,
    ].filter((k) => k !== null);
    if (kinds.length === 0) {
      state.errors.push({ path: at, message: 'must be a question (with "options"), a repair (with "sorCode", "priority", "trade" and "minutes") or an exit (with "exit")' });
    } else if (kinds.length > 1) {
      state.errors.push({ path: at, message: `must be one kind of option, but it has the fields of ${kinds.join(' and ')}` });
    } else if ('options' in option) {
      if (depth + 1 >= MAX_TREE_DEPTH) {
        state.errors.push({ path: at, message: `is too deep: a path through the tree may have at most ${MAX_TREE_DEPTH} steps, so this option must be a repair or an exit` });
      } else walkShape(option, at, depth + 1, state);
    } else if ('exit' in option) {
      state.errors.push(...schemaErrors(TriageExitSchema, option, at));
    } else {
      state.leaves++;
      state.errors.push(...schemaErrors(TriageLeafSchema, option, at));
    }
  });
}

/** What a schema cannot say: the tree's references to priorities and trades, unique values among siblings. */
function checkTree(tree: TriageTree, priorityCodes: Set<string>, errors: SettingsError[]): void {
  const priorityList = `(${[...priorityCodes].join(', ')})`;
  const visit = (options: TriageOption[], path: string) => {
    const seen = new Map<string, number>();
    options.forEach((o, i) => {
      const at = `${path}/options/${i}`;
      const first = seen.get(o.value);
      if (first !== undefined) errors.push({ path: `${at}/value`, message: `"${o.value}" is already the value of ${path}/options/${first}: each option needs its own value among its siblings` });
      else seen.set(o.value, i);
      if (isNode(o)) visit(o.options, at);
      else if (isLeaf(o)) {
        if (!priorityCodes.has(o.priority)) errors.push({ path: `${at}/priority`, message: `a repair needs a priority that is one of the priorities ${priorityList}: "${o.priority}" is not` });
        if (!Object.hasOwn(TRADES, o.trade)) errors.push({ path: `${at}/trade`, message: `must be one of the trades (${Object.keys(TRADES).join(', ')}): "${o.trade}" is not` });
        if (!o.sorCode.trim()) errors.push({ path: `${at}/sorCode`, message: 'must not be empty' });
      }
    });
  };
  visit(tree.options, '/tree');
}

/** An error at each item whose key an earlier item already has. */
function duplicates<T>(list: readonly T[], key: (t: T) => string, path: (i: number) => string, message: (key: string, first: number) => string, errors: SettingsError[]): void {
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) errors.push({ path: path(i), message: message(k, first) });
    else seen.set(k, i);
  });
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * Checks a repair settings document (parsed JSON): its shape, then what refers to what. Every error names the JSON path
 * of what is wrong (a JSON pointer, "/tree/options/2/options/0/priority") and says what would put it right.
 */
export function validateRepairSettings(json: unknown): SettingsResult {
  if (!isObject(json)) return { ok: false, errors: [{ path: '', message: 'must be a JSON object ({…}) holding priorities, awaabPriority, emergencies, tree, alertRules and slots' }] };
  // The tree's errors come from the walk; the rest from the schema (the tree itself stands in as valid there).
  const stub = { options: [{ value: 'x', label: 'x', exit: 'contact-us' }] };
  const errors = schemaErrors(RepairSettingsSchema, 'tree' in json ? { ...json, tree: stub } : json, '');
  if ('tree' in json) {
    const state: WalkState = { errors: [], count: 0, leaves: 0 };
    walkShape(json.tree, '/tree', 0, state);
    errors.push(...dedupe(state.errors));
    if (state.count > MAX_TREE_OPTIONS) errors.push({ path: '/tree', message: `has ${state.count} options: a tree may have at most ${MAX_TREE_OPTIONS}` });
    if (isObject(json.tree) && state.errors.length === 0 && state.leaves === 0) errors.push({ path: '/tree', message: 'must have at least one repair (an option with a sorCode and priority), or nothing can be booked' });
  }
  if (errors.length) return { ok: false, errors };

  // The shape is right: from here the document is typed.
  const settings = json as RepairSettings;
  const priorityCodes = new Set(settings.priorities.map((p) => p.code));
  const priorityList = `(${[...priorityCodes].join(', ')})`;
  duplicates(settings.priorities, (p) => p.code, (i) => `/priorities/${i}/code`, (k, f) => `"${k}" is already the code of /priorities/${f}: each priority needs its own code`, errors);
  duplicates(settings.priorities, (p) => p.label, (i) => `/priorities/${i}/label`, (k, f) => `"${k}" is already the label of /priorities/${f}: each priority needs its own label`, errors);
  duplicates(settings.priorities, (p) => String(p.rank), (i) => `/priorities/${i}/rank`, (k, f) => `${k} is already the rank of /priorities/${f}: ranks put the priorities in order of urgency, so no two may share one`, errors);
  if (!priorityCodes.has(settings.awaabPriority)) {
    errors.push({ path: '/awaabPriority', message: `must be one of the priorities ${priorityList}: "${settings.awaabPriority}" is not` });
  }
  duplicates(settings.emergencies, (e) => e.value, (i) => `/emergencies/${i}/value`, (k, f) => `"${k}" is already the value of /emergencies/${f}: each answer needs its own value`, errors);
  checkTree(settings.tree, priorityCodes, errors);
  duplicates(settings.alertRules, (r) => r.name, (i) => `/alertRules/${i}/name`, (k, f) => `"${k}" is already the name of /alertRules/${f}: each rule needs its own name`, errors);
  settings.alertRules.forEach((rule, i) => {
    if (rule.raiseTo !== undefined && !priorityCodes.has(rule.raiseTo)) {
      errors.push({ path: `/alertRules/${i}/raiseTo`, message: `must be one of the priorities ${priorityList}: "${rule.raiseTo}" is not` });
    }
    rule.codes.forEach((c, j) => {
      if (!Object.hasOwn(HACT_ALERT_CODES, c) && !Object.hasOwn(ALERT_CATEGORIES, c)) {
        errors.push({ path: `/alertRules/${i}/codes/${j}`, message: `"${c}" is not a HACT person alert code (${Object.keys(HACT_ALERT_CODES).join(', ')}) or a UKHDS alert category (${Object.keys(ALERT_CATEGORIES).join(', ')})` });
      }
    });
    duplicates(rule.codes, (c) => c, (j) => `/alertRules/${i}/codes/${j}`, (k) => `"${k}" is listed twice in this rule: remove one`, errors);
  });
  duplicates(settings.slots, (s) => s.code, (i) => `/slots/${i}/code`, (k, f) => `"${k}" is already the code of /slots/${f}: each slot needs its own code`, errors);
  settings.slots.forEach((s, i) => {
    if (minutesOf(s.end) <= minutesOf(s.start)) errors.push({ path: `/slots/${i}/end`, message: `must be later than the slot's start (${s.start})` });
  });
  return errors.length ? { ok: false, errors } : { ok: true, settings };
}
