import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { dueAt, slaState, raise, diagnose } from './priorities.ts';
import { DEFAULT_REPAIR_SETTINGS as S } from './default-settings.ts';
import type { Priority } from './settings.ts';

const p = (code: string): Priority => S.priorities.find((x) => x.code === code)!;
const at = (iso: string) => new Date(iso);

describe('dueAt', () => {
  test('hour targets run around the clock from when it was raised', () => {
    assert.equal(dueAt(p('immediate'), at('2026-12-24T23:30:00Z')).toISOString(), '2026-12-25T01:30:00.000Z');
    assert.equal(dueAt(p('emergency'), at('2026-12-05T10:00:00Z')).toISOString(), '2026-12-06T10:00:00.000Z');
  });

  test('working-day targets end at UK midnight of the Nth working day, skipping bank holidays', () => {
    // Wednesday 2 December 2026 + 5 working days = Wednesday 9 December; GMT, so UK midnight is UTC midnight.
    assert.equal(dueAt(p('urgent'), at('2026-12-02T15:00:00Z')).toISOString(), '2026-12-09T23:59:59.999Z');
    // Wednesday 23 December + 5: 25 Dec (Christmas), 28 Dec (Boxing Day substitute) and 1 Jan are bank holidays.
    // 24, 29, 30, 31 Dec, 4 Jan.
    assert.equal(dueAt(p('urgent'), at('2026-12-23T09:00:00Z')).toISOString(), '2027-01-04T23:59:59.999Z');
  });

  test('in British Summer Time the day ends at 23:00 UTC, and the UK date of a late-evening report counts', () => {
    // 23:30 UTC on Thursday 4 June 2026 is 00:30 on Friday 5 June in the UK: day 0 is the Friday.
    assert.equal(dueAt(p('urgent'), at('2026-06-04T23:30:00Z')).toISOString(), '2026-06-12T22:59:59.999Z');
    assert.equal(dueAt(p('urgent'), at('2026-06-04T22:30:00Z')).toISOString(), '2026-06-11T22:59:59.999Z');
  });
});

describe('slaState', () => {
  const raised = at('2026-12-02T10:00:00Z'); // Wednesday; urgent due end of Wednesday 9 December
  test('complete: met or missed', () => {
    assert.equal(slaState(p('urgent'), raised, at('2026-12-09T20:00:00Z'), at('2026-12-20T00:00:00Z')).state, 'met');
    const late = slaState(p('urgent'), raised, at('2026-12-10T08:00:00Z'), at('2026-12-20T00:00:00Z'));
    assert.equal(late.state, 'missed');
    assert.equal(late.words, 'Completed late (it was due by the end of 9 December 2026)');
  });

  test('open: on time, due soon within a working day, overdue', () => {
    assert.equal(slaState(p('urgent'), raised, null, at('2026-12-04T12:00:00Z')).state, 'on-time'); // Fri: 3 working days left
    assert.equal(slaState(p('urgent'), raised, null, at('2026-12-08T12:00:00Z')).state, 'due-soon'); // Tue: due Wed
    assert.equal(slaState(p('urgent'), raised, null, at('2026-12-09T23:00:00Z')).state, 'due-soon');
    const over = slaState(p('urgent'), raised, null, at('2026-12-10T00:00:00Z'));
    assert.equal(over.state, 'overdue');
    assert.equal(over.due.toISOString(), '2026-12-09T23:59:59.999Z');
  });

  test('due soon over a weekend: Friday, due Monday, is one working day away', () => {
    const friday = at('2026-12-04T12:00:00Z');
    const raisedMon = at('2026-11-30T09:00:00Z'); // + 5 working days = Monday 7 December
    assert.equal(slaState(p('urgent'), raisedMon, null, friday).state, 'due-soon');
    assert.equal(slaState(p('urgent'), raisedMon, null, at('2026-12-03T12:00:00Z')).state, 'on-time');
  });

  test('hour targets: due soon within 2 hours', () => {
    const r = at('2026-12-02T10:00:00Z');
    assert.equal(slaState(p('emergency'), r, null, at('2026-12-03T07:59:00Z')).state, 'on-time');
    assert.equal(slaState(p('emergency'), r, null, at('2026-12-03T08:01:00Z')).state, 'due-soon');
    assert.equal(slaState(p('emergency'), r, null, at('2026-12-03T10:00:01Z')).state, 'overdue');
    assert.match(slaState(p('emergency'), r, null, at('2026-12-03T08:01:00Z')).words, /^Due soon: by 3 December 2026 at 10am$/);
  });
});

describe('raise', () => {
  test('gives the more urgent of the two, never lowering', () => {
    assert.equal(raise(S, 'routine', 'urgent'), 'urgent');
    assert.equal(raise(S, 'emergency', 'urgent'), 'emergency');
    assert.equal(raise(S, 'routine', 'awaab-significant'), 'awaab-significant');
    assert.equal(raise(S, 'urgent', 'awaab-significant'), 'urgent');
    assert.throws(() => raise(S, 'routine', 'asap'), /not a priority/);
  });
});

describe('diagnose', () => {
  test("a damp sign raises a routine repair to the Awaab's priority, with the reason", () => {
    const d = diagnose(S, { leafPriority: 'routine', description: 'Black mould on the bedroom wall behind the wardrobe', alertCodes: [] });
    assert.equal(d.priority, 'awaab-significant');
    assert.equal(d.damp.flagged, true);
    assert.equal(d.reasons.length, 1);
    assert.match(d.reasons[0]!, /^Signs of damp or mould in the description \(.*mould.*\): raised from Routine to Damp and mould \(Awaab's Law\)$/);
    assert.deepEqual(d.operativeWords, []);
  });

  test('a damp sign does not lower a more urgent repair', () => {
    const d = diagnose(S, { leafPriority: 'emergency', description: 'water pouring through the ceiling, the wall is soaking wet and damp', alertCodes: [] });
    assert.equal(d.priority, 'emergency');
    assert.match(d.reasons[0]!, /stays Emergency/);
  });

  test('no damp, no alerts: the leaf priority, no reasons', () => {
    const d = diagnose(S, { leafPriority: 'routine', description: 'The kitchen cupboard door has come off its hinge', alertCodes: [] });
    assert.deepEqual({ priority: d.priority, reasons: d.reasons, words: d.operativeWords, flagged: d.damp.flagged }, { priority: 'routine', reasons: [], words: [], flagged: false });
  });

  test('alerts raise by the rules and give operative words once each, never the alert', () => {
    const d = diagnose(S, { leafPriority: 'routine', description: 'Tap dripping', alertCodes: ['10', 'RISK', '20-60', 'AGE'] });
    assert.equal(d.priority, 'urgent');
    assert.deepEqual(d.operativeWords, ['Visit in pairs', 'Call before visiting', 'Allow extra time at the door']);
    assert.ok(d.reasons.some((r) => /Vulnerable or unwell resident.*raised from Routine to Urgent/.test(r)), d.reasons.join('\n'));
    assert.ok(!d.operativeWords.some((w) => /elderly|risk/i.test(w)));
  });

  test('damp and an alert together: the most urgent wins', () => {
    const d = diagnose(S, { leafPriority: 'routine', description: 'mould in the bathroom', alertCodes: ['MED'] });
    assert.equal(d.priority, 'urgent');
    assert.equal(d.reasons.length, 2);
  });

  test('rules match codes exactly', () => {
    const s = structuredClone(S);
    s.alertRules = [{ name: 'Parent only', codes: ['20'], raiseTo: 'emergency', operativeWords: 'Take care' }];
    assert.equal(diagnose(s, { leafPriority: 'routine', description: 'x', alertCodes: ['20-60'] }).priority, 'routine');
    assert.equal(diagnose(s, { leafPriority: 'routine', description: 'x', alertCodes: ['20'] }).priority, 'emergency');
  });
});
