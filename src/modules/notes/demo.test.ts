// The demo landlord's notes to action: some of the notes written in the last 30 days ask for something by a date, a
// few of them overdue and a few due soon; older notes never do, and every note has the field (the COPY's columns).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withActionsDue } from './demo.ts';

test('recent notes give a few actions due, some overdue and some due soon; older notes none', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  const day = (n: number) => new Date(now - n * 86_400_000).toISOString().slice(0, 10);
  const notes = Array.from({ length: 120 }, (_, i) => ({ id: String(i), notedAt: `${day(i % 60)} 09:30:00+00`, text: 'x' }));
  const out = withActionsDue(notes, now);
  assert.ok(out.every((n) => 'actionDue' in n), 'every record has the column');
  const due = out.filter((n) => n.actionDue !== null);
  assert.ok(due.length >= 5 && due.length <= 20, `${due.length} notes to action`);
  assert.ok(due.every((n) => Date.parse(String(n.notedAt).slice(0, 10)) >= now - 31 * 86_400_000), 'only recent notes');
  const today = '2026-12-02';
  assert.ok(due.some((n) => String(n.actionDue) < today), 'some overdue');
  assert.ok(due.some((n) => String(n.actionDue) >= today), 'some due soon');
  assert.deepEqual(withActionsDue(notes, now), out, 'the same every time');
});
