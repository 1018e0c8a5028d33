import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectDampMould } from './damp-detector.ts';
import { buildDampLabelled, buildDampHeldOut } from './damp-labelled.ts';

const POSITIVE = [
  'black spots on the ceiling', 'condensation', 'mildew', 'musty smell', 'fungus', 'rising damp', 'black mould', 'mould growth',
  'damp patch', 'wet walls', 'water running down windows', 'mold', 'mould', 'moulds', 'dampness', 'dammp', 'condensaton', 'mildrew',
  'DPC bridged by raised flower bed', 'tide marks on the hall wall', 'walls are always wet in the box room', 'the room feels damper than last year',
  'windows streaming every morning', "tenant can't get rid of the mould",
];
const NEGATIVE = [
  'no sign of mould', 'no damp found', 'not damp', 'coving and mouldings', 'moulded skirting', 'door damper', 'damper on the boiler flue',
  'mould-resistant paint requested', 'anti-mould paint fitted as prevention', 'damp proof course inspected, no issues',
  'leak under sink repaired, no damp', 'boiler condensate pipe frozen', 'condensation pipe frozen, thawed', 'wipe with a damp cloth',
  'misted double glazed unit, replace', 'if you notice any mould please call', 'advised to report any signs of damp',
  'extractor fan fitted to prevent condensation', 'Damp: none', 'mould not found', 'damp meter readings normal',
];

test('positives flag', () => {
  for (const t of POSITIVE) assert.equal(detectDampMould(t).flagged, true, t);
});

test('negatives and other meanings do not flag', () => {
  for (const t of NEGATIVE) assert.equal(detectDampMould(t).flagged, false, t);
});

test('negation is scoped to the clause', () => {
  assert.equal(detectDampMould('no damp but black mould in bathroom').flagged, true);
  assert.equal(detectDampMould('No damp. Mould on the bedroom ceiling.').flagged, true);
  assert.equal(detectDampMould('no damp, black mould in bathroom').flagged, true);
  assert.equal(detectDampMould('no heating and black mould in bedroom').flagged, true);
  assert.equal(detectDampMould('no damp, mould or condensation').flagged, false);
  assert.equal(detectDampMould('no visible signs of damp or mould growth in any room').flagged, false);
  assert.equal(detectDampMould('checked for damp, all clear').flagged, false);
  assert.equal(detectDampMould('black mould in bathroom, kitchen ok').flagged, true);
  const r = detectDampMould('no damp but black mould in bathroom');
  assert.deepEqual(r.evidence.map((e) => e.phrase), ['black mould']);
});

test('evidence offsets point at the phrase', () => {
  const text = 'Tenant reports  Black Mould on ceiling; also a MUSTY SMELL and condensaton on windows. Not damp elsewhere.';
  const r = detectDampMould(text);
  assert.ok(r.flagged);
  for (const e of r.evidence) assert.equal(text.slice(e.start, e.end), e.phrase);
  assert.deepEqual(r.evidence.map((e) => [e.phrase, e.kind]), [['Black Mould', 'mould'], ['MUSTY SMELL', 'smell'], ['condensaton', 'condensation']]);
  assert.equal(text.indexOf('Black Mould'), r.evidence[0]!.start);
});

test('empty and unrelated text', () => {
  assert.deepEqual(detectDampMould(''), { flagged: false, evidence: [] });
  assert.equal(detectDampMould('Kitchen tap dripping, replace washer.').flagged, false);
});

test('labelled set: at least 500 notes, 150 hard negatives, detector >= 0.95 precision and recall', () => {
  const set = buildDampLabelled();
  assert.ok(set.length >= 500);
  assert.ok(set.filter((n) => n.hard && !n.damp).length >= 150);
  let tp = 0, fp = 0, fn = 0;
  for (const n of set) {
    const p = detectDampMould(n.text).flagged;
    if (p && n.damp) tp++; else if (p) fp++; else if (n.damp) fn++;
  }
  assert.ok(tp / (tp + fp) >= 0.95, `precision ${tp / (tp + fp)}`);
  assert.ok(tp / (tp + fn) >= 0.95, `recall ${tp / (tp + fn)}`);
});

test('a check cleared after naming which room ("bedroom 1", "the child’s bedroom") is not a sign; damp found there is', () => {
  assert.equal(detectDampMould('Checked for damp in the bedroom 1, all clear.').flagged, false);
  assert.equal(detectDampMould('Checked for damp in the child’s bedroom, all clear.').flagged, false);
  assert.equal(detectDampMould('Damp in bedroom 1, tenant says it is getting worse.').flagged, true);
  assert.equal(detectDampMould('Checked for damp in bedroom 1: black mould found behind the wardrobe.').flagged, true);
});

test('near-miss words do not fire: compensation, conversation, condemnation, combination, moulding, Mold the town, mouldy bread', () => {
  for (const t of ['Compensation', 'compensation claim for distress', 'Long conversation with tenant', 'condemnation notice', 'combination boiler',
    'consideration', 'condensed milk', 'skirting moulding loose', 'decorative moulding', 'Tenant lives in Mold, Flintshire', 'flat on Mold Road',
    'mouldy bread in the bin', 'weather milder now']) {
    assert.equal(detectDampMould(t).flagged, false, t);
  }
  for (const t of ['condensaton', 'condenstion', 'condensasion', 'condensaiton', 'condencation', 'Compensation paid, black mould still in bedroom', 'mouldy clothes in the wardrobe']) {
    assert.equal(detectDampMould(t).flagged, true, t);
  }
});

test('labelled set with near-miss hard negatives, and its held-out part: precision and recall at least 0.97 on each', () => {
  const dev = buildDampLabelled();
  assert.ok(dev.some((n) => /compensation/i.test(n.text) && !n.damp), 'the development set has near-miss hard negatives');
  const held = buildDampHeldOut();
  assert.ok(held.length >= 150 && !held.some((n) => dev.some((d) => d.text === n.text)), 'the held-out set shares no note with the development set');
  for (const [name, set] of [['development', dev], ['held out', held]] as const) {
    let tp = 0, fp = 0, fn = 0;
    for (const n of set) {
      const p = detectDampMould(n.text).flagged;
      if (p && n.damp) tp++; else if (p) fp++; else if (n.damp) fn++;
    }
    assert.ok(tp / (tp + fp) >= 0.97, `${name}: precision ${tp / (tp + fp)}`);
    assert.ok(tp / (tp + fn) >= 0.97, `${name}: recall ${tp / (tp + fn)}`);
  }
});
