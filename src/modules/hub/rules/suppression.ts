// Statistical disclosure control for the hub's published tables and figures: nothing on a public page may let
// anyone work out a count of fewer than 10 people.
//
// What it follows (ONS's "10-5 rule", NHS Digital's automated rules for Hospital Episode Statistics, and the older
// secondary-suppression practice they replaced):
// - a count of people from 1 to 9 is not shown: it reads "fewer than 10" (primary suppression);
// - any other count of people is rounded to the nearest 5; a total is worked out from the exact counts and rounded
//   on its own, so totals need not add up;
// - 0 people is shown as 0: a true zero says nothing about any person (NHS Digital shows zeros), and hiding it would
//   hide the most common answer in small tables;
// - counts of things (homes, repairs, buildings) are shown as they are: they are not about people (NHS Digital: "no
//   rounding or suppression is required for values not relating to individuals");
// - secondary suppression: rows, columns and their totals are equations (the totals row and column too). Where a line
//   has exactly one hidden number, the smallest other non-zero number in it is hidden as well ("suppressed"), until
//   no line has exactly one; zeros are never used, as they may be known anyway.
// - then the table is attacked as a reader would: every line is used, again and again, to narrow each hidden number
//   between bounds from what is shown (rounded counts within 2 of what is shown, "fewer than 10" between 1 and 9, a
//   hidden count of people at least 10). While that pins any "fewer than 10" to one value, one more number in its row
//   or column is hidden. A reader with a linear-programming solver may narrow a cell further; publish each count in
//   one table only, or differences between tables can give it away.
// Deterministic: lines are taken in order (rows, then columns) and ties go to the first cell.

/** Counts of people from 1 to this minus 1 are not shown. */
export const PEOPLE_THRESHOLD = 10;
/** Other counts of people are rounded to a multiple of this. */
export const ROUNDING_BASE = 5;

export interface TableCell {
  count: number;
  /** Counts people (survey respondents, households, complainants): else things (homes, repairs). */
  people: boolean;
}

export type SuppressionReason = 'primary' | 'secondary';

export interface PublishedCount {
  /** The number to show, rounded where it counts people; null when it is hidden. */
  shown: number | null;
  /** What to print: the number ("1,235"), "fewer than 10", or "suppressed". */
  words: string;
  reason?: SuppressionReason;
}

export interface PublishedTable {
  cells: PublishedCount[][];
  rowTotals: PublishedCount[];
  columnTotals: PublishedCount[];
  grandTotal: PublishedCount;
}

const FEWER = `fewer than ${PEOPLE_THRESHOLD}`;
const SUPPRESSED = 'suppressed';
const numberFormat = new Intl.NumberFormat('en-GB');

/** n to the nearest multiple of 5 (a whole number never falls half-way). */
export function roundToBase(n: number): number {
  return Math.round(n / ROUNDING_BASE) * ROUNDING_BASE;
}

function checkCount(n: number, where: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${where}: a count must be a whole number, 0 or more (got ${n})`);
}

function shownAs(n: number, people: boolean): PublishedCount {
  if (people && n > 0 && n < PEOPLE_THRESHOLD) return { shown: null, words: FEWER, reason: 'primary' };
  const shown = people ? roundToBase(n) : n;
  return { shown, words: numberFormat.format(shown) };
}

/** One figure on its own (a landlord's page): fewer than 10 people hidden, other people counts rounded to 5. */
export function suppressCount(n: number, options: { people: boolean }): PublishedCount {
  checkCount(n, 'count');
  return shownAs(n, options.people);
}

type State = 'shown' | 'primary' | 'secondary';
interface GridCell { value: number; people: boolean; state: State }
/** A row or column of the grid with its total: the members add up to the total. */
interface Line { members: number[]; total: number }

/**
 * A table of counts with its row totals, column totals and grand total, as it may be published. The totals are
 * worked out here from the counts; a total counts people when any of its counts does.
 */
export function publishTable(table: readonly (readonly TableCell[])[]): PublishedTable {
  const rows = table.length;
  if (rows === 0) throw new RangeError('a table needs at least one row');
  const cols = table[0]!.length;
  if (cols === 0) throw new RangeError('row 1: a table needs at least one column');
  table.forEach((row, r) => {
    if (row.length !== cols) throw new RangeError(`row ${r + 1}: has ${row.length} columns, the first row has ${cols}`);
    row.forEach((cell, c) => {
      checkCount(cell.count, `row ${r + 1}, column ${c + 1}`);
      if (typeof cell.people !== 'boolean') throw new RangeError(`row ${r + 1}, column ${c + 1}: say whether it counts people`);
    });
  });

  // The grid is the table with its totals: row `rows` holds the column totals, column `cols` the row totals.
  const width = cols + 1;
  const at = (r: number, c: number) => r * width + c;
  const grid: GridCell[] = [];
  for (let r = 0; r <= rows; r++) {
    for (let c = 0; c <= cols; c++) {
      const inRows = r < rows ? [r] : [...Array(rows).keys()];
      const inCols = c < cols ? [c] : [...Array(cols).keys()];
      let value = 0;
      let people = false;
      for (const i of inRows) for (const j of inCols) { value += table[i]![j]!.count; people ||= table[i]![j]!.people; }
      if (!Number.isSafeInteger(value)) throw new RangeError(`row ${r + 1}, column ${c + 1}: the total is too large`);
      grid.push({ value, people, state: people && value > 0 && value < PEOPLE_THRESHOLD ? 'primary' : 'shown' });
    }
  }
  const lines: Line[] = [];
  for (let r = 0; r <= rows; r++) lines.push({ members: [...Array(cols).keys()].map((c) => at(r, c)), total: at(r, cols) });
  for (let c = 0; c <= cols; c++) lines.push({ members: [...Array(rows).keys()].map((r) => at(r, c)), total: at(rows, c) });

  for (;;) {
    hideUntilNoLineHasOne(grid, lines);
    const pinned = pinnedPrimary(grid, lines);
    if (pinned === undefined) break;
    const around = lines.filter((l) => l.total === pinned || l.members.includes(pinned)).flatMap((l) => [...l.members, l.total]);
    const next = smallestShown(grid, around) ?? smallestShown(grid, grid.map((_, i) => i));
    if (next === undefined) break; // everything is hidden already
    grid[next]!.state = 'secondary';
  }

  const publish = (i: number): PublishedCount => {
    const g = grid[i]!;
    if (g.state === 'primary') return { shown: null, words: FEWER, reason: 'primary' };
    if (g.state === 'secondary') return { shown: null, words: SUPPRESSED, reason: 'secondary' };
    return shownAs(g.value, g.people);
  };
  return {
    cells: [...Array(rows).keys()].map((r) => [...Array(cols).keys()].map((c) => publish(at(r, c)))),
    rowTotals: [...Array(rows).keys()].map((r) => publish(at(r, cols))),
    columnTotals: [...Array(cols).keys()].map((c) => publish(at(rows, c))),
    grandTotal: publish(at(rows, cols)),
  };
}

/** The smallest non-zero number still shown among these cells (the first of equals), if any. */
function smallestShown(grid: GridCell[], cells: readonly number[]): number | undefined {
  let best: number | undefined;
  for (const i of [...new Set(cells)].sort((a, b) => a - b)) {
    const g = grid[i]!;
    if (g.state !== 'shown' || g.value === 0) continue;
    if (best === undefined || g.value < grid[best]!.value) best = i;
  }
  return best;
}

/** Secondary suppression: no line may be left with exactly one hidden number, which its line would give away. */
function hideUntilNoLineHasOne(grid: GridCell[], lines: readonly Line[]): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      const all = [...line.members, line.total];
      if (all.filter((i) => grid[i]!.state !== 'shown').length !== 1) continue;
      const next = smallestShown(grid, all);
      if (next !== undefined) { grid[next]!.state = 'secondary'; changed = true; }
    }
  }
}

/**
 * The attack, as a reader with the published table would make it: bounds for every cell from what is shown, narrowed
 * by each line in turn until nothing changes. Returns the first "fewer than 10" cell left with one possible value.
 */
function pinnedPrimary(grid: readonly GridCell[], lines: readonly Line[]): number | undefined {
  const lo: number[] = [];
  const hi: number[] = [];
  for (const g of grid) {
    if (g.state === 'primary') { lo.push(1); hi.push(PEOPLE_THRESHOLD - 1); }
    else if (g.state === 'secondary') { lo.push(g.people ? PEOPLE_THRESHOLD : 1); hi.push(Infinity); }
    else if (g.people && g.value > 0) {
      const r = roundToBase(g.value);
      lo.push(Math.max(PEOPLE_THRESHOLD, r - 2)); hi.push(r + 2);
    } else { lo.push(g.value); hi.push(g.value); }
  }
  // Bounds only narrow, by whole numbers, so this ends; the cap keeps a pathological table from taking long.
  for (let pass = 0, changed = true; changed && pass < 1000; pass++) {
    changed = false;
    for (const { members, total } of lines) {
      // The others' sum, one member left out, with unbounded (Infinity) upper bounds counted apart.
      let sumLo = 0;
      let finiteHi = 0;
      let unbounded = 0;
      for (const m of members) {
        sumLo += lo[m]!;
        if (hi[m] === Infinity) unbounded++; else finiteHi += hi[m]!;
      }
      const othersHi = (m: number) => (hi[m] === Infinity ? (unbounded > 1 ? Infinity : finiteHi) : (unbounded > 0 ? Infinity : finiteHi - hi[m]!));
      const narrow = (i: number, l: number, h: number) => {
        if (l > lo[i]!) { lo[i] = l; changed = true; }
        if (h < hi[i]!) { hi[i] = h; changed = true; }
      };
      narrow(total, sumLo, unbounded > 0 ? Infinity : finiteHi);
      for (const m of members) narrow(m, lo[total]! - othersHi(m), hi[total]! - (sumLo - lo[m]!));
    }
  }
  const i = grid.findIndex((g, i) => g.state === 'primary' && lo[i] === hi[i]);
  return i >= 0 ? i : undefined;
}
