import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { actionPlan, complainantUpdatesDue, overdue, type PlannedAction } from './actions.ts';
import { DEFAULT_ASB_SETTINGS as S } from './default-settings.ts';
import type { AsbSettings } from './settings.ts';

const dues = (plan: PlannedAction[]) => Object.fromEntries(plan.map((a) => [a.code, a.due.toISOString()]));
const endOf = (date: string) => `${date}T23:59:59.999Z`; // in winter (GMT) a UK day ends at UTC midnight

describe('actionPlan', () => {
  // Wednesday 2 December 2026; the review (30 working days) runs over Christmas, Boxing Day's substitute and New Year.
  const openedAt = new Date('2026-12-02T10:00:00Z');

  test('category 3, standard risk: each action by its priority target, the first by the response target', () => {
    const plan = actionPlan(S, { priority: 'category-3', risk: 'standard', openedAt });
    assert.deepEqual(plan.map((a) => a.code), ['acknowledge', 'interview', 'visit', 'review']);
    assert.deepEqual(dues(plan), {
      acknowledge: endOf('2026-12-09'), interview: endOf('2026-12-16'), visit: endOf('2026-12-23'), review: endOf('2027-01-18'),
    });
    assert.ok(plan.every((a) => a.setBy === 'priority'));
    assert.equal(plan[0]!.words, 'Due by the end of 9 December 2026 (Category 3: 5 working days)');
  });

  test('high risk brings every action forward to its tighter target', () => {
    const plan = actionPlan(S, { priority: 'category-3', risk: 'high', openedAt });
    assert.deepEqual(dues(plan), {
      acknowledge: endOf('2026-12-03'), interview: endOf('2026-12-04'), visit: endOf('2026-12-07'), review: endOf('2026-12-09'),
    });
    assert.ok(plan.every((a) => a.setBy === 'risk'));
    assert.equal(plan[0]!.words, "Due by the end of 3 December 2026 (high risk: 1 working day, sooner than Category 3's 5 working days)");
  });

  test('risk never puts an action back: the sooner target applies, and on a tie the priority is named', () => {
    const high = actionPlan(S, { priority: 'category-1', risk: 'high', openedAt });
    assert.deepEqual(high.map((a) => [a.code, a.setBy]), [['acknowledge', 'priority'], ['interview', 'risk'], ['visit', 'risk'], ['review', 'risk']]);
    const medium = actionPlan(S, { priority: 'category-1', risk: 'medium', openedAt });
    assert.deepEqual(dues(medium), dues(actionPlan(S, { priority: 'category-1', risk: 'standard', openedAt })));
  });

  test('a case opened on Christmas Eve is first due after Christmas and the Boxing Day substitute', () => {
    const plan = actionPlan(S, { priority: 'category-1', risk: 'standard', openedAt: new Date('2026-12-24T15:00:00Z') });
    assert.equal(plan[0]!.due.toISOString(), endOf('2026-12-29'));
  });

  test('a case opened on the Thursday before Easter is first due on the Tuesday after, at UK midnight in summer time', () => {
    const plan = actionPlan(S, { priority: 'category-1', risk: 'standard', openedAt: new Date('2026-04-02T16:00:00Z') });
    assert.equal(plan[0]!.due.toISOString(), '2026-04-07T22:59:59.999Z');
  });

  test('hour targets run around the clock, and compare with working-day targets by the instant they fall due', () => {
    const hours: AsbSettings = structuredClone(S);
    hours.priorities[0]!.response = { amount: 24, unit: 'hours' };
    hours.actions[0]!.byRisk = { high: { amount: 4, unit: 'hours' } };
    // Friday 25 December 2026 at 8pm: 24 hours later is Saturday 26th at 8pm, bank holiday or not.
    const christmas = new Date('2026-12-25T20:00:00Z');
    const plan = actionPlan(hours, { priority: 'category-1', risk: 'standard', openedAt: christmas });
    assert.equal(plan[0]!.due.toISOString(), '2026-12-26T20:00:00.000Z');
    assert.match(plan[0]!.words, /^Due by 26 December 2026 at 8pm \(Category 1: 24 hours\)$/);
    const high = actionPlan(hours, { priority: 'category-1', risk: 'high', openedAt: christmas });
    assert.equal(high[0]!.due.toISOString(), '2026-12-26T00:00:00.000Z');
    assert.equal(high[0]!.setBy, 'risk');
  });

  test('refuses a priority the settings do not have', () => {
    assert.throws(() => actionPlan(S, { priority: 'urgent', risk: 'standard', openedAt }), /not a priority/);
  });
});

describe('overdue', () => {
  const due = new Date('2026-12-09T23:59:59.999Z');
  const actions = [
    { code: 'open', due },
    { code: 'done-on-time', due, doneAt: new Date('2026-12-08T10:00:00Z') },
    { code: 'done-late', due, doneAt: new Date('2026-12-11T10:00:00Z') },
    { code: 'not-done', due, doneAt: null },
    { code: 'later', due: new Date('2026-12-20T00:00:00Z') },
  ];
  test('the actions not done whose due time has passed', () => {
    assert.deepEqual(overdue(actions, new Date('2026-12-10T00:00:00Z')).map((a) => a.code), ['open', 'not-done']);
  });
  test('not at the due time itself', () => {
    assert.deepEqual(overdue(actions, due), []);
    assert.equal(overdue(actions, new Date(due.getTime() + 1)).length, 2);
  });
});

describe('complainantUpdatesDue', () => {
  test('every 10 working days after the last update', () => {
    // Monday 7 December 2026 + 10 working days = Monday 21 December.
    const lastUpdateAt = new Date('2026-12-07T14:00:00Z');
    const onTime = complainantUpdatesDue(S, { risk: 'standard', lastUpdateAt }, new Date('2026-12-21T16:00:00Z'));
    assert.deepEqual({ due: onTime.due.toISOString(), overdue: onTime.overdue, missed: onTime.missed }, { due: endOf('2026-12-21'), overdue: false, missed: 0 });
    assert.equal(onTime.words, 'Update the complainant by the end of 21 December 2026 (every 10 working days)');
    const late = complainantUpdatesDue(S, { risk: 'standard', lastUpdateAt }, new Date('2026-12-22T09:00:00Z'));
    assert.deepEqual({ overdue: late.overdue, missed: late.missed }, { overdue: true, missed: 1 });
  });

  test('more often for a high-risk complainant', () => {
    const r = complainantUpdatesDue(S, { risk: 'high', lastUpdateAt: new Date('2026-12-07T14:00:00Z') }, new Date('2026-12-08T09:00:00Z'));
    assert.equal(r.everyWorkingDays, 5);
    assert.equal(r.due.toISOString(), endOf('2026-12-14'));
    // Medium has no interval of its own in the default settings: the usual one applies.
    assert.equal(complainantUpdatesDue(S, { risk: 'medium', lastUpdateAt: new Date('2026-12-07T14:00:00Z') }, new Date('2026-12-08T09:00:00Z')).everyWorkingDays, 10);
  });

  test('over Christmas and New Year', () => {
    // Friday 18 December 2026: 21–24, 29–31 December and 4–6 January are the 10 working days.
    const r = complainantUpdatesDue(S, { risk: 'standard', lastUpdateAt: new Date('2026-12-18T11:00:00Z') }, new Date('2026-12-30T09:00:00Z'));
    assert.equal(r.due.toISOString(), endOf('2027-01-06'));
  });

  test('counts the updates missed since the last one', () => {
    // Tuesday 1 December 2026: updates due by 15 December, 31 December, 15 January.
    const lastUpdateAt = new Date('2026-12-01T10:00:00Z');
    const missed = (now: string) => complainantUpdatesDue(S, { risk: 'standard', lastUpdateAt }, new Date(now)).missed;
    assert.equal(missed('2026-12-31T12:00:00Z'), 1);
    assert.equal(missed('2027-01-01T12:00:00Z'), 2);
    assert.equal(missed('2027-01-05T10:00:00Z'), 2);
    assert.equal(missed('2027-01-16T10:00:00Z'), 3);
    assert.equal(complainantUpdatesDue(S, { risk: 'standard', lastUpdateAt }, new Date('2027-01-05T10:00:00Z')).due.toISOString(), endOf('2026-12-15'));
  });
});
