import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { resolve, optionsAt, describePath, pathLabels } from './triage.ts';
import { DEFAULT_REPAIR_SETTINGS } from './default-settings.ts';
import type { TriageTree } from './settings.ts';

const tree: TriageTree = {
  question: 'Where is the problem?',
  options: [
    { value: 'bathroom', label: 'Bathroom', question: 'What is the problem in the bathroom?', options: [
      { value: 'damp-or-mould', label: 'Damp or mould', options: [
        { value: 'mould', label: 'Mould on walls or ceiling', sorCode: 'DMP001', priority: 'routine', trade: 'damp-and-mould', minutes: 60 },
      ] },
      { value: 'leak-electrics', label: 'Water on electrics', exit: 'emergency', message: 'Call us now' },
    ] },
    { value: 'garden', label: 'Garden', exit: 'not-responsible' },
  ],
};

describe('resolve', () => {
  test('the empty path is the root question', () => {
    const r = resolve(tree, []);
    assert.equal(r.kind, 'node');
    assert.equal(r.kind === 'node' && r.node.question, 'Where is the problem?');
  });

  test('a full path is a repair; a path to an exit is the exit', () => {
    const r = resolve(tree, ['bathroom', 'damp-or-mould', 'mould']);
    assert.equal(r.kind === 'leaf' && r.leaf.sorCode, 'DMP001');
    const e = resolve(tree, ['bathroom', 'leak-electrics']);
    assert.equal(e.kind === 'exit' && e.exit.exit, 'emergency');
    assert.equal(resolve(tree, ['garden']).kind, 'exit');
  });

  test('names the first unknown step: a wrong value, a step after an answer, a label instead of a value', () => {
    assert.deepEqual(resolve(tree, ['kitchen']), { kind: 'unknown', at: 0 });
    assert.deepEqual(resolve(tree, ['bathroom', 'mould']), { kind: 'unknown', at: 1 });
    assert.deepEqual(resolve(tree, ['garden', 'hedge']), { kind: 'unknown', at: 1 });
    assert.deepEqual(resolve(tree, ['bathroom', 'damp-or-mould', 'mould', 'more']), { kind: 'unknown', at: 3 });
    assert.deepEqual(resolve(tree, ['Bathroom']), { kind: 'unknown', at: 0 });
  });
});

describe('optionsAt', () => {
  test('gives the question and options of a node', () => {
    const r = optionsAt(tree, ['bathroom']);
    assert.ok(r.ok);
    assert.equal(r.question, 'What is the problem in the bathroom?');
    assert.deepEqual(r.options.map((o) => o.value), ['damp-or-mould', 'leak-electrics']);
  });

  test('makes up a question for a node that has none', () => {
    const r = optionsAt(tree, ['bathroom', 'damp-or-mould']);
    assert.ok(r.ok);
    assert.match(r.question, /damp or mould/);
  });

  test('says which step is unknown, or that the path is already an answer', () => {
    const bad = optionsAt(tree, ['bathroom', 'sink']);
    assert.deepEqual(bad, { ok: false, at: 1, message: 'Step 2 ("sink") is not one of the options after "bathroom"' });
    const done = optionsAt(tree, ['garden']);
    assert.equal(done.ok, false);
    assert.match(!done.ok ? done.message : '', /is an answer/);
  });
});

describe('describePath', () => {
  test('joins the labels for check your answers', () => {
    assert.equal(describePath(tree, ['bathroom', 'damp-or-mould', 'mould']), 'Bathroom › Damp or mould › Mould on walls or ceiling');
    assert.deepEqual(pathLabels(tree, ['bathroom']), ['Bathroom']);
    assert.equal(describePath(tree, []), '');
    assert.equal(describePath(tree, ['bathroom', 'nope']), null);
  });

  test('every repair in the default tree can be reached and described', () => {
    let count = 0;
    const walk = (path: string[]) => {
      const r = resolve(DEFAULT_REPAIR_SETTINGS.tree, path);
      if (r.kind === 'node') for (const o of r.node.options) walk([...path, o.value]);
      else if (r.kind === 'leaf') {
        count++;
        assert.equal(describePath(DEFAULT_REPAIR_SETTINGS.tree, path)?.split(' › ').at(-1), r.leaf.label);
      } else assert.notEqual(r.kind, 'unknown');
    };
    walk([]);
    assert.ok(count >= 40);
    assert.equal(describePath(DEFAULT_REPAIR_SETTINGS.tree, ['bedroom', 'damp-or-mould', 'mould-walls-ceiling']), 'Bedroom › Damp or mould › Mould on walls or ceiling');
  });
});
