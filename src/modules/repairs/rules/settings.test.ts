import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateRepairSettings, errorLine, isLeaf, isNode, TRADES, MAX_TREE_DEPTH, type RepairSettings, type TriageOption, type SettingsError } from './settings.ts';
import { DEFAULT_REPAIR_SETTINGS } from './default-settings.ts';

const copy = (): RepairSettings => structuredClone(DEFAULT_REPAIR_SETTINGS);
const errorsOf = (json: unknown): SettingsError[] => {
  const r = validateRepairSettings(json);
  assert.equal(r.ok, false, 'expected the settings to be refused');
  return r.ok ? [] : r.errors;
};
const leaves = (options: TriageOption[]): TriageOption[] => options.flatMap((o) => (isNode(o) ? leaves(o.options) : isLeaf(o) ? [o] : []));

describe('the default repair settings', () => {
  test('validate', () => {
    const r = validateRepairSettings(DEFAULT_REPAIR_SETTINGS);
    assert.deepEqual(r.ok ? [] : r.errors.map(errorLine), []);
  });

  test('survive a JSON round trip (what is stored and uploaded)', () => {
    assert.equal(validateRepairSettings(JSON.parse(JSON.stringify(DEFAULT_REPAIR_SETTINGS))).ok, true);
  });

  test('hold a useful tree: damp or mould in several rooms, 40 or more repairs, every trade known', () => {
    const all = leaves(DEFAULT_REPAIR_SETTINGS.tree.options);
    assert.ok(all.length >= 40, `${all.length} repairs`);
    const roomsWithDamp = DEFAULT_REPAIR_SETTINGS.tree.options.filter((room) => isNode(room) && room.options.some((o) => o.value === 'damp-or-mould'));
    assert.ok(roomsWithDamp.length >= 3);
    for (const l of all) if (isLeaf(l)) assert.ok(Object.hasOwn(TRADES, l.trade), l.trade);
  });

  test("name an Awaab's priority of 10 working days that is not an emergency", () => {
    const awaab = DEFAULT_REPAIR_SETTINGS.priorities.find((p) => p.code === DEFAULT_REPAIR_SETTINGS.awaabPriority);
    assert.deepEqual(awaab?.target, { amount: 10, unit: 'working-days' });
    assert.equal(awaab?.emergency, false);
  });
});

describe('validateRepairSettings refuses', () => {
  test('something that is not an object', () => {
    assert.equal(errorsOf([1, 2])[0]?.path, '');
    assert.equal(errorsOf(null).length, 1);
  });

  test('a leaf whose priority is not declared, naming its path and the priorities', () => {
    const s = copy();
    const kitchen = s.tree.options[0]!;
    assert.ok(isNode(kitchen));
    const damp = kitchen.options[0]!;
    assert.ok(isNode(damp));
    const leaf = damp.options[1]!;
    assert.ok(isLeaf(leaf));
    leaf.priority = 'whenever';
    const errors = errorsOf(s);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.path, '/tree/options/0/options/0/options/1/priority');
    assert.match(errors[0]!.message, /one of the priorities \(immediate, emergency, urgent, awaab-significant, routine\)/);
    assert.match(errors[0]!.message, /"whenever"/);
  });

  test('a leaf with a missing or empty SOR code, an unknown trade and fractional minutes', () => {
    const s = copy();
    s.tree.options.push({ value: 'shed', label: 'Shed', sorCode: '', priority: 'routine', trade: 'magic', minutes: 2.5 });
    const at = `/tree/options/${s.tree.options.length - 1}`;
    const lines = errorsOf(s).map(errorLine);
    assert.ok(lines.includes(`${at}/sorCode: must not be empty`), lines.join('\n'));
    assert.ok(lines.includes(`${at}/minutes: must be a whole number`), lines.join('\n'));
    // Shape errors come first; the trade is a reference, checked once the shape is right.
    (s.tree.options.at(-1) as { sorCode: string; minutes: number }).sorCode = 'GEN999';
    (s.tree.options.at(-1) as { sorCode: string; minutes: number }).minutes = 30;
    assert.match(errorsOf(s).map(errorLine).join('\n'), new RegExp(`^${at}/trade: must be one of the trades`));
  });

  test('an option that is no kind of option, or two kinds at once', () => {
    const s = copy() as unknown as { tree: { options: unknown[] } };
    s.tree.options.push({ value: 'x', label: 'X' });
    s.tree.options.push({ value: 'y', label: 'Y', exit: 'contact-us', sorCode: 'A1' });
    const errors = errorsOf(s);
    const n = s.tree.options.length;
    assert.match(errors.find((e) => e.path === `/tree/options/${n - 2}`)?.message ?? '', /must be a question .* a repair .* or an exit/);
    assert.match(errors.find((e) => e.path === `/tree/options/${n - 1}`)?.message ?? '', /one kind of option.*a repair.*an exit/);
  });

  test('values repeated among siblings, but not across branches', () => {
    const s = copy();
    const bathroom = s.tree.options[1]!;
    assert.ok(isNode(bathroom));
    bathroom.options.push({ value: 'toilet', label: 'Toilet again', exit: 'contact-us' });
    const errors = errorsOf(s);
    assert.equal(errors.length, 1, errors.map(errorLine).join('\n'));
    assert.equal(errors[0]!.path, `/tree/options/1/options/${bathroom.options.length - 1}/value`);
    assert.match(errors[0]!.message, /already the value of \/tree\/options\/1\/options\/2/);
  });

  test('a tree deeper than the limit', () => {
    const s = copy();
    let deepest: TriageOption = { value: 'end', label: 'End', sorCode: 'GEN1', priority: 'routine', trade: 'general', minutes: 30 };
    for (let i = MAX_TREE_DEPTH; i >= 1; i--) deepest = { value: `level-${i}`, label: `Level ${i}`, options: [deepest] };
    s.tree.options.push(deepest);
    const errors = errorsOf(s);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.path, new RegExp(`^/tree/options/\\d+(/options/0){${MAX_TREE_DEPTH - 1}}$`));
    assert.match(errors[0]!.message, /too deep/);
    // One level less is fine.
    assert.ok(isNode(deepest));
    s.tree.options[s.tree.options.length - 1] = deepest.options[0]!;
    assert.equal(validateRepairSettings(s).ok, true);
  });

  test('an alert rule raising to a priority that does not exist, or naming an unknown code', () => {
    const s = copy();
    s.alertRules[0]!.raiseTo = 'asap';
    s.alertRules[1]!.codes.push('99');
    const lines = errorsOf(s).map(errorLine);
    assert.ok(lines.some((l) => l.startsWith('/alertRules/0/raiseTo: must be one of the priorities')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith(`/alertRules/1/codes/${s.alertRules[1]!.codes.length - 1}: "99" is not a HACT person alert code`)), lines.join('\n'));
  });

  test('no priorities, an unknown unit, and an unknown Awaab priority', () => {
    const s = copy() as unknown as Record<string, unknown>;
    s.priorities = [];
    const lines = errorsOf(s).map(errorLine);
    assert.ok(lines.includes('/priorities: must have at least 1 item'), lines.join('\n'));

    const t = copy();
    (t.priorities[0]!.target as { unit: string }).unit = 'minutes';
    assert.deepEqual(errorsOf(t).map(errorLine), ['/priorities/0/target/unit: must be one of: "hours", "working-days"']);

    const u = copy();
    u.awaabPriority = 'damp';
    assert.match(errorsOf(u).map(errorLine).join('\n'), /^\/awaabPriority: must be one of the priorities/);
  });

  test('priorities sharing a code or a rank', () => {
    const s = copy();
    s.priorities[1]!.code = 'immediate';
    s.priorities[3]!.rank = s.priorities[2]!.rank;
    const lines = errorsOf(s).map(errorLine);
    assert.ok(lines.includes('/priorities/1/code: "immediate" is already the code of /priorities/0: each priority needs its own code'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('/priorities/3/rank: 3 is already the rank of /priorities/2')), lines.join('\n'));
  });

  test('unknown settings, a missing section and a slot that ends before it starts', () => {
    const s = copy() as unknown as Record<string, unknown>;
    s.colour = 'blue';
    delete s.slots;
    delete s.tree;
    const lines = errorsOf(s).map(errorLine);
    assert.ok(lines.includes('/colour: is not a setting Hearth knows: check its spelling, or remove it'), lines.join('\n'));
    assert.ok(lines.includes('/slots: is missing: add "slots"'), lines.join('\n'));
    assert.ok(lines.includes('/tree: is missing: add "tree"'), lines.join('\n'));

    const t = copy();
    t.slots[0]!.end = '07:00';
    t.slots[1]!.start = '25:00';
    const more = errorsOf(t).map(errorLine);
    assert.deepEqual(more, ['/slots/1/start: must be a 24-hour time like 08:00']);
    t.slots[1]!.start = '12:00';
    assert.deepEqual(errorsOf(t).map(errorLine), ['/slots/0/end: must be later than the slot\'s start (08:00)']);
  });

  test('a label with a line break, and a value that is not a code', () => {
    const s = copy();
    s.emergencies[0]!.label = 'Gas\nsmell';
    s.emergencies[1]!.value = 'No Heating';
    const lines = errorsOf(s).map(errorLine);
    assert.ok(lines.includes('/emergencies/0/label: must be one line of text, without control characters, line breaks or invisible direction marks'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('/emergencies/1/value: must be lower-case letters and digits')), lines.join('\n'));
  });

  test('a tree with no repairs in it', () => {
    const s = copy();
    s.tree.options = [{ value: 'anything', label: 'Anything', exit: 'contact-us' }];
    assert.deepEqual(errorsOf(s).map((e) => e.path), ['/tree']);
  });
});
