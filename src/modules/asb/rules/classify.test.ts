import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { casePriority, hateRecordingProblems, isHateCase } from './classify.ts';
import { DEFAULT_ASB_SETTINGS as S } from './default-settings.ts';
import type { AsbSettings } from './settings.ts';

describe('casePriority', () => {
  test('a case with one category takes its priority', () => {
    const p = casePriority(S, ['noise']);
    assert.deepEqual({ priority: p.priority, from: p.from, categories: p.categories }, { priority: 'category-3', from: 'categories', categories: ['noise'] });
    assert.equal(p.words, 'Category 3, from its category Noise');
  });

  test('a case takes the most serious priority of its categories, wherever it is listed', () => {
    assert.equal(casePriority(S, ['noise', 'drugs', 'threats']).priority, 'category-1');
    assert.equal(casePriority(S, ['threats', 'noise']).priority, 'category-1');
    assert.deepEqual(casePriority(S, ['litter-and-fly-tipping', 'vandalism-and-damage']).categories, ['vandalism-and-damage']);
  });

  test('categories that share the winning priority are all named, in the order given', () => {
    const p = casePriority(S, ['noise', 'violence', 'threats', 'hate-incident']);
    assert.deepEqual(p.categories, ['violence', 'threats', 'hate-incident']);
    assert.equal(p.words, 'Category 1, from its categories Violence or assault, Threats of violence and Hate incident');
    assert.deepEqual(casePriority(S, ['threats', 'violence']).categories, ['threats', 'violence']);
  });

  test('rank decides, not the order the priorities are listed in', () => {
    const reordered: AsbSettings = { ...S, priorities: [...S.priorities].reverse() };
    assert.equal(casePriority(reordered, ['noise', 'verbal-abuse']).priority, 'category-2');
  });

  test('a category given twice counts once', () => {
    assert.deepEqual(casePriority(S, ['drugs', 'drugs']).categories, ['drugs']);
  });

  test('an officer can re-prioritise a case, down or up, with a reason', () => {
    const down = casePriority(S, ['threats'], { priority: 'category-2', reason: '  The threat was a year ago and the person has moved away. ' });
    assert.equal(down.priority, 'category-2');
    assert.equal(down.from, 'override');
    assert.equal(down.reason, 'The threat was a year ago and the person has moved away.');
    assert.equal(down.words, 'Category 2, changed from Category 1: The threat was a year ago and the person has moved away.');
    assert.deepEqual(down.categories, []);
    const up = casePriority(S, ['noise', 'drugs'], { priority: 'category-1', reason: 'Children in the home' });
    assert.equal(up.words, 'Category 1, changed from Category 2: Children in the home');
    const same = casePriority(S, ['noise'], { priority: 'category-3', reason: 'Checked with the complainant' });
    assert.match(same.words, /^Category 3, confirmed by an officer/);
  });

  test('refuses an override without a reason, an unknown priority or category, and no categories', () => {
    assert.throws(() => casePriority(S, ['noise'], { priority: 'category-1', reason: '   ' }), /needs a reason/);
    assert.throws(() => casePriority(S, ['noise'], { priority: 'urgent', reason: 'x' }), /not a priority/);
    assert.throws(() => casePriority(S, ['shouting']), /not a category.*"shouting"/);
    assert.throws(() => casePriority(S, []), /at least one category/);
  });
});

describe('hate cases', () => {
  test('a hate category, or any protected characteristic recorded, makes a hate case', () => {
    assert.equal(isHateCase(S, ['hate-incident'], ['race']), true);
    assert.equal(isHateCase(S, ['hate-incident']), true);
    assert.equal(isHateCase(S, ['noise', 'verbal-abuse'], ['religion-or-belief']), true);
    assert.equal(isHateCase(S, ['noise', 'verbal-abuse']), false);
  });

  test('problems: a hate category without a characteristic, and a characteristic the landlord does not have', () => {
    assert.deepEqual(hateRecordingProblems(S, ['hate-incident'], []), ['Say which protected characteristic the hostility was about: this case is a hate incident']);
    assert.deepEqual(hateRecordingProblems(S, ['noise'], ['height', 'age']), ['"height" is not one of the protected characteristics']);
    assert.deepEqual(hateRecordingProblems(S, ['hate-incident', 'threats'], ['disability']), []);
  });
});
