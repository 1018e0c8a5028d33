// The demo landlord's notes with something to be done: one in six of the notes written in the last 30 days asks for
// an action within 14 days of being written, so some are overdue and some are due soon (the housing officers'
// worklist has something in it). Which ones is fixed by the notes themselves, so the demo is the same every time.
import type { DemoRecord } from '../../platform/demo.ts';

const DAY = 86_400_000;

export function withActionsDue(notes: readonly DemoRecord[], now = Date.now()): DemoRecord[] {
  return notes.map((n, i) => {
    const at = typeof n.notedAt === 'string' ? Date.parse(n.notedAt.replace(' ', 'T').replace(/\+00$/, 'Z')) : NaN;
    const recent = Number.isFinite(at) && now - at <= 30 * DAY && at <= now;
    const due = recent && i % 6 === 0 ? new Date(at + (3 + (i % 12)) * DAY).toISOString().slice(0, 10) : null;
    return { ...n, actionDue: due };
  });
}
