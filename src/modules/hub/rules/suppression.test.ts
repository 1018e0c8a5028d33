import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../../platform/random.ts';
import { publishTable, roundToBase, suppressCount, type PublishedCount, type PublishedTable, type TableCell } from './suppression.ts';

const people = (...counts: number[]): TableCell[] => counts.map((count) => ({ count, people: true }));
const things = (...counts: number[]): TableCell[] => counts.map((count) => ({ count, people: false }));
const words = (cells: readonly PublishedCount[]) => cells.map((c) => c.words);

describe('suppressCount', () => {
  test('fewer than 10 people is not shown; 0 is shown as 0', () => {
    for (const n of [1, 5, 9]) assert.deepEqual(suppressCount(n, { people: true }), { shown: null, words: 'fewer than 10', reason: 'primary' });
    assert.deepEqual(suppressCount(0, { people: true }), { shown: 0, words: '0' });
  });

  test('other counts of people are rounded to the nearest 5, never below 10', () => {
    assert.deepEqual(suppressCount(10, { people: true }), { shown: 10, words: '10' });
    assert.deepEqual(suppressCount(12, { people: true }), { shown: 10, words: '10' });
    assert.deepEqual(suppressCount(13, { people: true }), { shown: 15, words: '15' });
    assert.deepEqual(suppressCount(1_234, { people: true }), { shown: 1_235, words: '1,235' });
  });

  test('counts of things are shown as they are, small or not', () => {
    assert.deepEqual(suppressCount(3, { people: false }), { shown: 3, words: '3' });
    assert.deepEqual(suppressCount(1_234, { people: false }), { shown: 1_234, words: '1,234' });
  });

  test('refuses a count that is not a whole number, 0 or more', () => {
    assert.throws(() => suppressCount(-1, { people: true }), /count must be a whole number/);
    assert.throws(() => suppressCount(2.5, { people: false }), /count must be a whole number/);
  });

  test('roundToBase is within 2 of the count and a multiple of 5', () => {
    for (let n = 0; n < 200; n++) {
      const r = roundToBase(n);
      assert.equal(r % 5, 0);
      assert.ok(Math.abs(r - n) <= 2, `${n} → ${r}`);
    }
  });
});

describe('publishTable', () => {
  test('a worked example: one small cell hides three more so no row or column gives it away', () => {
    // Respondents by answer: satisfied, neither, dissatisfied; two landlords.
    const t = publishTable([people(40, 3, 22), people(51, 17, 30)]);
    // Row 1 has one hidden cell (3): its smallest other, 22, is hidden. Column 2 then has one (3): 17 is hidden.
    // Column 3 has one (22): 30 is hidden. Row 2 now has two (17, 30). Totals are rounded on their own.
    assert.deepEqual(words(t.cells[0]!), ['40', 'fewer than 10', 'suppressed']);
    assert.deepEqual(words(t.cells[1]!), ['50', 'suppressed', 'suppressed']);
    assert.deepEqual(t.cells[0]!.map((c) => c.reason), [undefined, 'primary', 'secondary']);
    assert.deepEqual(t.rowTotals.map((c) => c.shown), [65, 100]);
    assert.deepEqual(t.columnTotals.map((c) => c.shown), [90, 20, 50]);
    assert.equal(t.grandTotal.shown, 165);
  });

  test('a total of fewer than 10 people is hidden too, and its line protected in turn', () => {
    const t = publishTable([people(2, 40), people(3, 50)]);
    assert.deepEqual(t.columnTotals[0], { shown: null, words: 'fewer than 10', reason: 'primary' });
    assert.deepEqual(words(t.cells.map((row) => row[0]!)), ['fewer than 10', 'fewer than 10']);
    // Each row had one hidden cell (2, 3), so 40 and 50 are hidden; then the totals row had one (5), so 90 is hidden.
    assert.deepEqual(words(t.cells.map((row) => row[1]!)), ['suppressed', 'suppressed']);
    assert.equal(t.columnTotals[1]!.words, 'suppressed');
    assert.deepEqual(t.rowTotals.map((c) => c.shown), [40, 55]);
    assert.equal(t.grandTotal.shown, 95);
  });

  test('nothing to hide: counts of people rounded (totals on their own), zeros shown', () => {
    const t = publishTable([people(0, 23), people(14, 37)]);
    assert.deepEqual(t.cells.map(words), [['0', '25'], ['15', '35']]);
    assert.deepEqual(t.rowTotals.map((c) => c.shown), [25, 50]); // 23 → 25; 51 → 50
    assert.deepEqual(t.columnTotals.map((c) => c.shown), [15, 60]); // 14 → 15; 60
    assert.equal(t.grandTotal.shown, 75); // 74 → 75, not 25 + 50 or 15 + 60
    assert.ok([...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.grandTotal].every((c) => c.reason === undefined));
  });

  test('counts of things are shown exactly, however small', () => {
    const t = publishTable([things(3, 0), things(7, 1)]);
    assert.deepEqual(t.cells.map(words), [['3', '0'], ['7', '1']]);
    assert.deepEqual([...t.rowTotals, ...t.columnTotals, t.grandTotal].map((c) => c.shown), [3, 8, 10, 1, 11]);
  });

  test('a total that adds people to things counts people: it could give the people away', () => {
    // 4 households beside 20 homes: an exact total of 24 would say there were 4.
    const t = publishTable([[{ count: 20, people: false }, { count: 4, people: true }]]);
    assert.equal(t.rowTotals[0]!.shown, 25);
    assert.equal(t.cells[0]![0]!.reason, 'secondary');
  });

  test('a count of things can be hidden to protect a count of people beside it', () => {
    // Column 1 counts homes, column 2 households surveyed. The 4 households are hidden, and so is their column's
    // total; the smallest other number in their row is the 12 homes, so it is hidden too.
    const t = publishTable([[{ count: 12, people: false }, { count: 4, people: true }], [{ count: 30, people: false }, { count: 0, people: true }]]);
    assert.deepEqual(t.cells[0]!.map((c) => c.reason), ['secondary', 'primary']);
    assert.equal(t.columnTotals[1]!.reason, 'primary');
    assert.equal(t.cells[1]![1]!.words, '0');
  });

  test('a zero is never hidden to protect another cell: the next smallest non-zero number is', () => {
    const t = publishTable([people(4, 0, 25)]);
    assert.deepEqual(words(t.cells[0]!), ['fewer than 10', '0', 'suppressed']);
  });

  test('ties go to the first cell', () => {
    const t = publishTable([people(20, 5, 20)]);
    assert.deepEqual(words(t.cells[0]!), ['suppressed', 'fewer than 10', '20']);
  });

  test('the same table is always published the same way', () => {
    const table = [people(9, 14, 2, 33), people(0, 8, 51, 12), people(17, 1, 0, 40)];
    assert.deepEqual(publishTable(table), publishTable(table.map((row) => row.map((c) => ({ ...c })))));
  });

  test('refuses a table that is not rows of whole counts, naming the row and column', () => {
    assert.throws(() => publishTable([]), /at least one row/);
    assert.throws(() => publishTable([people(1, 2), people(3)]), /row 2: has 1 columns, the first row has 2/);
    assert.throws(() => publishTable([people(1, 2), people(3, -4)]), /row 2, column 2: a count must be a whole number/);
    assert.throws(() => publishTable([people(1, 2.5)]), /row 1, column 2/);
  });
});

// The attack: what a reader can work out from a published table. Every cell starts with the bounds the page gives
// away: a shown count of things, or 0, exactly; a shown count of people within 2 of it (and at least 10); "fewer than
// 10" between 1 and 9; a hidden count of people at least 10 and of things at least 1 (zeros are never hidden). Then
// each row and column equation (cells add up to the total) narrows each of its cells from the others, again and
// again, substituting what it has found, until nothing changes. A cell is recovered when one value is left.
interface Seen { published: PublishedCount; people: boolean; truth: number }
interface Bounds { lo: number; hi: number }

function grid(table: TableCell[][], published: PublishedTable): Seen[][] {
  const rows = table.length;
  const cols = table[0]!.length;
  const out: Seen[][] = [];
  for (let r = 0; r <= rows; r++) {
    const line: Seen[] = [];
    for (let c = 0; c <= cols; c++) {
      const inside = table.flatMap((row, i) => row.filter((_, j) => (r === rows || r === i) && (c === cols || c === j)));
      const p = r < rows && c < cols ? published.cells[r]![c]! : r < rows ? published.rowTotals[r]! : c < cols ? published.columnTotals[c]! : published.grandTotal;
      line.push({ published: p, people: inside.some((x) => x.people), truth: inside.reduce((s, x) => s + x.count, 0) });
    }
    out.push(line);
  }
  return out;
}

function attack(seen: Seen[][]): Bounds[][] {
  const b: Bounds[][] = seen.map((line) => line.map(({ published: p, people: isPeople }) => {
    if (p.words === 'fewer than 10') return { lo: 1, hi: 9 };
    if (p.shown === null) return { lo: isPeople ? 10 : 1, hi: Infinity };
    if (isPeople && p.shown > 0) return { lo: Math.max(10, p.shown - 2), hi: p.shown + 2 };
    return { lo: p.shown, hi: p.shown };
  }));
  const rows = b.length - 1;
  const cols = b[0]!.length - 1;
  const equations: Bounds[][] = []; // each: the cells, then their total
  for (let r = 0; r <= rows; r++) equations.push(b[r]!);
  for (let c = 0; c <= cols; c++) equations.push(b.map((line) => line[c]!));
  const sum = (xs: Bounds[], k: 'lo' | 'hi') => xs.reduce((s, x) => s + x[k], 0);
  for (let pass = 0, changed = true; changed; pass++) {
    assert.ok(pass < 10_000, 'the attack should settle');
    changed = false;
    for (const eq of equations) {
      const cells = eq.slice(0, -1);
      const total = eq.at(-1)!;
      const tighten = (x: Bounds, lo: number, hi: number) => {
        if (lo > x.lo) { x.lo = lo; changed = true; }
        if (hi < x.hi) { x.hi = hi; changed = true; }
      };
      tighten(total, sum(cells, 'lo'), sum(cells, 'hi'));
      for (const x of cells) {
        const others = cells.filter((y) => y !== x);
        tighten(x, total.lo - sum(others, 'hi'), total.hi - sum(others, 'lo'));
      }
    }
  }
  return b;
}

/** Random tables: some columns count people, some things; many zeros and small counts. */
function randomTables(seed: number, n: number): TableCell[][][] {
  const random = seededRandom(seed);
  const below = (k: number) => Math.floor(random() * k);
  const count = () => { const u = random(); return u < 0.2 ? 0 : u < 0.5 ? 1 + below(9) : u < 0.9 ? 10 + below(50) : 60 + below(400); };
  return [...Array(n)].map(() => {
    const kinds = [...Array(1 + below(6))].map(() => random() < 0.6);
    return [...Array(1 + below(6))].map(() => kinds.map((isPeople) => ({ count: count(), people: isPeople })));
  });
}

describe('an attack on published tables', () => {
  const tables = randomTables(20_260_401, 400);

  test('tables where every line already hides two numbers, and a reader could still work one out, hide more', () => {
    const recovered = (table: TableCell[][]) => {
      const seen = grid(table, publishTable(table));
      const bounds = attack(seen);
      return seen.flatMap((line, r) => line.filter((cell, c) => cell.published.reason === 'primary' && bounds[r]![c]!.lo === bounds[r]![c]!.hi));
    };
    // 1 person beside 8 homes: the row total, 9, is hidden too; but hidden totals are at most 9, so the person is 1.
    const beside = [[{ count: 1, people: true }, { count: 8, people: false }]];
    assert.deepEqual(recovered(beside), []);
    assert.equal(publishTable(beside).cells[0]![1]!.words, 'suppressed');
    // Two 9s make 18, shown as 20 (18 to 22): each is at least 18 - 9, so both are 9. Nothing here can be shown.
    const nines = [people(9), people(9)];
    assert.deepEqual(recovered(nines), []);
    const t = publishTable(nines);
    assert.ok([...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.grandTotal].every((c) => c.shown === null));
  });

  test('recovers no hidden count of people, from any table', () => {
    let hidden = 0;
    for (const [t, table] of tables.entries()) {
      const seen = grid(table, publishTable(table));
      const bounds = attack(seen);
      seen.forEach((line, r) => line.forEach((cell, c) => {
        const { lo, hi } = bounds[r]![c]!;
        // The attacker's reasoning is sound: the true count is always within what it works out.
        assert.ok(cell.truth >= lo && cell.truth <= hi, `table ${t}, row ${r + 1}, column ${c + 1}: ${cell.truth} outside ${lo}..${hi}`);
        if (cell.published.reason !== 'primary') return;
        hidden++;
        assert.ok(lo < hi, `table ${t}, row ${r + 1}, column ${c + 1}: the hidden ${cell.truth} is recovered`);
      }));
    }
    assert.ok(hidden > 500, `the tables hide enough small counts to test (${hidden})`);
  });

  test('the same attack does recover small counts when there is no secondary suppression', () => {
    // Shows the attack can find what it looks for: publish each secondary-suppressed cell as it would be on its own.
    let recovered = 0;
    for (const table of tables) {
      const seen = grid(table, publishTable(table)).map((line) => line.map((cell) => cell.published.reason === 'secondary'
        ? { ...cell, published: suppressCount(cell.truth, { people: cell.people }) } : cell));
      const bounds = attack(seen);
      seen.forEach((line, r) => line.forEach((cell, c) => {
        if (cell.published.reason === 'primary' && bounds[r]![c]!.lo === bounds[r]![c]!.hi) {
          assert.equal(bounds[r]![c]!.lo, cell.truth);
          recovered++;
        }
      }));
    }
    assert.ok(recovered > 0, 'primary suppression alone gives some small counts away');
  });

  test('no published count of people is from 1 to 9, and every shown count of people is a multiple of 5', () => {
    for (const table of tables) {
      for (const line of grid(table, publishTable(table))) {
        for (const cell of line) {
          if (!cell.people) { if (cell.published.shown !== null) assert.equal(cell.published.shown, cell.truth); continue; }
          const shown = cell.published.shown;
          if (shown === null) continue;
          assert.ok(shown === 0 || shown >= 10, `shown ${shown}`);
          assert.equal(shown % 5, 0);
          assert.ok(Math.abs(shown - cell.truth) <= 2);
          assert.ok(!/^[1-9]$/.test(cell.published.words));
        }
      }
    }
  });
});
