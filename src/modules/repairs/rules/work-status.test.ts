import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TRANSITIONS, WORK_STATUS_CODES, TERMINAL_STATUSES, canTransition, checkTransition, nextStatuses, residentMayCancel, MAX_STATUS_TEXT, type WorkStatus } from './work-status.ts';
import { ROLES } from '../../../platform/auth/roles.ts';

describe('the work-order state machine', () => {
  test('has no moves out of complete or cancelled, and every other status can move on', () => {
    for (const s of TERMINAL_STATUSES) assert.deepEqual(TRANSITIONS.filter((t) => t.from === s), []);
    for (const s of WORK_STATUS_CODES.filter((x) => !TERMINAL_STATUSES.includes(x))) {
      assert.ok(TRANSITIONS.some((t) => t.from === s), `${s} is a dead end`);
    }
  });

  test('every status can be reached from open', () => {
    const seen = new Set<WorkStatus>(['open']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of TRANSITIONS) if (seen.has(t.from) && !seen.has(t.to)) { seen.add(t.to); grew = true; }
    }
    assert.deepEqual([...seen].sort(), [...WORK_STATUS_CODES].sort());
  });

  test('lists each move once, between known statuses, by known roles', () => {
    const keys = TRANSITIONS.map((t) => `${t.from}>${t.to}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const t of TRANSITIONS) {
      assert.ok(WORK_STATUS_CODES.includes(t.from) && WORK_STATUS_CODES.includes(t.to));
      for (const r of t.roles) assert.ok((ROLES as readonly string[]).includes(r));
    }
  });

  test("an operative's day: scheduled → in progress → complete, no access, on hold or variation", () => {
    assert.ok(canTransition('scheduled', 'in-progress', 'operative'));
    for (const to of ['complete', 'no-access', 'on-hold', 'variation-pending'] as const) assert.ok(canTransition('in-progress', to, 'operative'), to);
    assert.deepEqual(nextStatuses('in-progress', 'operative').sort(), ['complete', 'no-access', 'on-hold', 'variation-pending']);
    // Operatives do not plan or cancel.
    assert.equal(canTransition('open', 'scheduled', 'operative'), false);
    assert.equal(canTransition('scheduled', 'cancelled', 'operative'), false);
    assert.equal(canTransition('no-access', 'scheduled', 'operative'), false);
  });

  test('no access leads back to scheduled (rebook) or to cancelled', () => {
    assert.deepEqual(TRANSITIONS.filter((t) => t.from === 'no-access').map((t) => t.to).sort(), ['cancelled', 'scheduled']);
  });

  test('roles that have nothing to do with repairs may not move jobs', () => {
    for (const role of ['analyst', 'asb-officer', 'data-lead', 'compliance-lead'] as const) {
      assert.deepEqual(TRANSITIONS.filter((t) => t.roles.includes(role)), [], role);
    }
  });
});

describe('checkTransition', () => {
  test('allows a permitted move with what it needs', () => {
    assert.deepEqual(checkTransition('open', 'scheduled', 'repairs-planner'), { ok: true });
    assert.deepEqual(checkTransition('in-progress', 'on-hold', 'operative', { reason: 'Waiting for a part' }), { ok: true });
    assert.deepEqual(checkTransition('in-progress', 'complete', 'operative', { workDone: 'Replaced the tap washer' }), { ok: true });
  });

  test('names the missing reason or work done', () => {
    assert.deepEqual(checkTransition('in-progress', 'on-hold', 'operative', { reason: '   ' }), { ok: false, field: 'reason', message: 'Give a reason the job is on hold' });
    assert.deepEqual(checkTransition('in-progress', 'complete', 'operative', {}), { ok: false, field: 'workDone', message: 'Describe the work done' });
    assert.deepEqual(checkTransition('open', 'cancelled', 'housing-officer', { reason: null }), { ok: false, field: 'reason', message: 'Give a reason the job is cancelled' });
    const long = checkTransition('in-progress', 'no-access', 'operative', { reason: 'x'.repeat(MAX_STATUS_TEXT + 1) });
    assert.equal(long.ok, false);
    assert.match(!long.ok ? long.message : '', /characters or fewer/);
  });

  test('refuses a move that is not allowed, or not for this role, or out of a closed job', () => {
    assert.deepEqual(checkTransition('open', 'complete', 'repairs-planner', { workDone: 'x' }), { ok: false, field: 'status', message: 'A job that is open cannot be moved to complete' });
    assert.deepEqual(checkTransition('open', 'scheduled', 'operative'), { ok: false, field: 'status', message: 'An operative cannot move a job from open to scheduled' });
    assert.deepEqual(checkTransition('on-hold', 'cancelled', 'housing-officer', { reason: 'x' }), { ok: false, field: 'status', message: 'A housing officer cannot move a job from on hold to cancelled' });
    const closed = checkTransition('complete', 'in-progress', 'administrator');
    assert.equal(closed.ok, false);
    assert.match(!closed.ok ? closed.message : '', /complete.*follow-on/);
    assert.equal(checkTransition('scheduled', 'scheduled', 'repairs-planner').ok, false);
  });
});

test('residents may cancel only before the job is despatched', () => {
  assert.deepEqual(WORK_STATUS_CODES.filter(residentMayCancel), ['open', 'assigned', 'scheduled']);
});
