import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { repeatVictim, type VictimIncident } from './repeat-victim.ts';
import { DEFAULT_ASB_SETTINGS as S } from './default-settings.ts';
import type { AsbSettings, RepeatVictimRule } from './settings.ts';

const incident = (id: string, occurredOn: string, ...categoryCodes: string[]): VictimIncident => ({ id, occurredOn, categoryCodes });
const NOW = new Date('2026-04-15T12:00:00Z');
const withRule = (similar: RepeatVictimRule['similar']): AsbSettings => ({ ...S, repeatVictim: { ...S.repeatVictim, similar } });

describe('repeatVictim: 3 similar incidents in 3 months', () => {
  test('three noise incidents in the last three months flag a repeat victim', () => {
    const r = repeatVictim(S, [incident('n1', '2026-01-16', 'noise'), incident('n2', '2026-02-20', 'noise'), incident('n3', '2026-04-01', 'noise')], NOW);
    assert.equal(r.flagged, true);
    assert.deepEqual(r.incidents, ['n1', 'n2', 'n3']);
    assert.equal(r.similarBy, 'noise');
    assert.equal(r.words, 'Repeat victim: 3 similar incidents in the last 3 months (3 or more make a repeat victim).');
  });

  test('an incident counts while today is within the three months beginning with its day', () => {
    // Three months beginning with 15 January end on 14 April: on 15 April it no longer counts.
    const r = repeatVictim(S, [incident('n1', '2026-01-15', 'noise'), incident('n2', '2026-02-20', 'noise'), incident('n3', '2026-04-01', 'noise')], NOW);
    assert.equal(r.flagged, false);
    assert.deepEqual(r.incidents, ['n2', 'n3']);
    assert.match(r.words, /^Not a repeat victim: at most 2 similar incidents/);
  });

  test('incidents of different kinds are not similar by category, but may be by national category or at all', () => {
    const incidents = [incident('a', '2026-03-01', 'noise'), incident('b', '2026-03-10', 'threats'), incident('c', '2026-03-20', 'drugs')];
    assert.equal(repeatVictim(S, incidents, NOW).flagged, false);
    assert.equal(repeatVictim(withRule('any'), incidents, NOW).flagged, true);
    // Noise and drugs are nuisance, threats personal: two of a kind, until pets (nuisance) makes three.
    const national = withRule('same-national-category');
    assert.equal(repeatVictim(national, incidents, NOW).flagged, false);
    const more = repeatVictim(national, [...incidents, incident('d', '2026-04-02', 'pets-and-animals')], NOW);
    assert.equal(more.flagged, true);
    assert.equal(more.similarBy, 'nuisance');
    assert.deepEqual(more.incidents, ['a', 'c', 'd']);
  });

  test('an incident with two categories counts towards each', () => {
    const r = repeatVictim(S, [incident('a', '2026-03-01', 'noise', 'verbal-abuse'), incident('b', '2026-03-05', 'verbal-abuse'), incident('c', '2026-03-09', 'verbal-abuse')], NOW);
    assert.equal(r.flagged, true);
    assert.equal(r.similarBy, 'verbal-abuse');
  });

  test('incidents dated after today are left out; none at all is said plainly', () => {
    const r = repeatVictim(S, [incident('a', '2026-04-01', 'noise'), incident('b', '2026-04-10', 'noise'), incident('c', '2026-04-16', 'noise')], NOW);
    assert.equal(r.flagged, false);
    assert.deepEqual(repeatVictim(S, [], NOW), { flagged: false, incidents: [], similarBy: null, words: 'No incidents in the last 3 months.' });
  });

  test("the landlord's own numbers", () => {
    const two: AsbSettings = { ...S, repeatVictim: { incidents: 2, withinMonths: 1, similar: 'same-category' } };
    assert.equal(repeatVictim(two, [incident('a', '2026-03-20', 'noise'), incident('b', '2026-04-10', 'noise')], NOW).flagged, true);
    assert.equal(repeatVictim(two, [incident('a', '2026-03-14', 'noise'), incident('b', '2026-04-10', 'noise')], NOW).flagged, false);
  });

  test('refuses an unknown category', () => {
    assert.throws(() => repeatVictim(S, [incident('a', '2026-04-01', 'shouting')], NOW), /not a category/);
  });
});
