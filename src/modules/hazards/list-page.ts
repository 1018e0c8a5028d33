// The page of every hazard report (/hazards): the filter form's values read leniently from the query string (an odd
// URL shows the list unfiltered rather than an error), the sentence saying what the list holds, and GOV.UK pagination
// that keeps the filter.
import { Type, type Static } from 'typebox';
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { QueryValue } from '../../web/page.ts';
import { estateRecords } from '../homes/index.ts';
import { patchScope } from '../../platform/modules.ts';
import { CLOCK_STATES, CLOCK_STATE_LABELS, CLOCK_STATE_TAGS, hazardReportList, LIST_STATUSES, REPORT_STATUS_TAGS, type ClockState, type ListStatus } from './list.ts';
import { longDateTime } from './dates.ts';

export const HazardListQuery = Type.Object({ status: QueryValue, clock: QueryValue, estate: QueryValue, mine: QueryValue, q: QueryValue, page: QueryValue });
export type HazardListQuery = Static<typeof HazardListQuery>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filter the query string asks for; anything it cannot mean is left out. */
export function listFilterOf(q: HazardListQuery) {
  const status = one(q.status) as ListStatus;
  const clock = one(q.clock) as ClockState;
  const estate = one(q.estate);
  const page = Number(one(q.page));
  return {
    status: LIST_STATUSES.includes(status) ? status : 'open' as ListStatus,
    clock: CLOCK_STATES.includes(clock) ? clock : undefined,
    estateId: UUID.test(estate) ? estate.toLowerCase() : undefined,
    mine: ['yes', 'on', 'true'].includes(one(q.mine)),
    q: one(q.q).slice(0, 100) || undefined,
    page: Number.isInteger(page) && page >= 1 && page <= 1e6 ? page : 1,
  };
}

const CLOCK_WORDS: Record<ClockState, string> = {
  overdue: 'past an Awaab’s Law deadline',
  'due-soon': 'with an Awaab’s Law deadline today or the next working day',
  'on-time': 'on time (deadlines still to come, none of them near)',
  stopped: 'with no deadline still running (closed, or every step done or not needed)',
};

/** Everything the list page shows. */
export async function hazardListPage(ctx: Ctx, query: HazardListQuery) {
  const f = listFilterOf(query);
  const scope = await patchScope(ctx, true);
  const hasPatch = scope.patch !== null;
  const estates = (await estateRecords.find(ctx, sql`true`, 10_000)).sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  const estate = estates.find((e) => e.id === f.estateId);
  const list = await hazardReportList(ctx, {
    status: f.status, clock: f.clock, estateId: estate?.id, homeIds: f.mine && hasPatch ? scope.homeIds : null, q: f.q,
  }, { page: f.page });

  // "12 open hazard reports", then what else the filter asks, in words.
  const noun = `${f.status === 'all' ? '' : `${f.status} `}hazard report${list.total === 1 ? '' : 's'}`;
  const also = [
    f.clock ? CLOCK_WORDS[f.clock] : '',
    estate ? `about homes on ${estate.name}` : '',
    f.mine && hasPatch ? 'in your patch' : '',
    f.q ? `with a reference starting “${f.q.toUpperCase()}”` : '',
  ].filter(Boolean);
  const params = (page?: number) => new URLSearchParams({
    status: f.status, ...(f.clock ? { clock: f.clock } : {}), ...(estate ? { estate: estate.id } : {}), ...(f.mine && hasPatch ? { mine: 'yes' } : {}),
    ...(f.q ? { q: f.q } : {}), ...(page && page > 1 ? { page: String(page) } : {}),
  }).toString();
  const href = (n: number) => `/hazards?${params(n)}`;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= list.pages; n++) {
    if (n === 1 || n === list.pages || Math.abs(n - list.page) <= 1) items.push({ number: n, href: href(n), current: n === list.page });
    else if (!('ellipsis' in (items[items.length - 1] ?? {}))) items.push({ ellipsis: true });
  }
  const pagination = list.pages > 1
    ? { items, previous: list.page > 1 ? { href: href(list.page - 1) } : undefined, next: list.page < list.pages ? { href: href(list.page + 1) } : undefined } : null;

  return {
    filter: f, hasPatch, estateName: estate?.name ?? null, pagination, asOfText: longDateTime(list.asOf),
    countText: `${list.total.toLocaleString('en-GB')} ${noun}`, total: list.total, alsoText: also.join(', '),
    patchIgnored: f.mine && !hasPatch,
    firstShown: list.total ? (list.page - 1) * list.limit + 1 : 0, lastShown: (list.page - 1) * list.limit + list.items.length,
    statusItems: [
      { value: 'open', text: 'Open' }, { value: 'closed', text: 'Closed' }, { value: 'all', text: 'Open and closed' },
    ].map((i) => ({ ...i, selected: i.value === f.status })),
    clockItems: [{ value: '', text: 'Any', selected: !f.clock }, ...CLOCK_STATES.map((s) => ({ value: s, text: CLOCK_STATE_LABELS[s], selected: s === f.clock }))],
    estateItems: [{ value: '', text: 'All estates', selected: !estate }, ...estates.map((e) => ({ value: e.id, text: e.name, selected: e.id === estate?.id }))],
    rows: list.items.map((r) => ({
      ...r, self: `/hazards/${r.id}`,
      statusTag: REPORT_STATUS_TAGS[r.status], clockTag: CLOCK_STATE_TAGS[r.clockState],
    })),
  };
}
