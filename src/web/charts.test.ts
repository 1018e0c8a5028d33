import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barChart, columnChart, niceMax } from './charts.ts';

test('the axis tops out at the next 1, 2 or 5 times a power of ten', () => {
  assert.deepEqual([0, 1, 3, 7, 12, 20, 21, 480, 501].map(niceMax), [1, 1, 5, 10, 20, 20, 50, 500, 1000]);
});

test('column heights are in proportion to the values, on the same scale', () => {
  const svg = columnChart({ id: 'c', title: 'By month', description: 'd', bars: [{ label: 'Jan', value: 10 }, { label: 'Feb', value: 5 }, { label: 'Mar', value: 0 }] });
  const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(heights.length, 3);
  assert.ok(heights[0]! > 0);
  assert.equal(heights[1], heights[0]! / 2);
  assert.equal(heights[2], 0);
  assert.match(svg, /role="img" aria-labelledby="c-title c-desc"/);
});

test('labels are escaped, so an estate name cannot inject markup', () => {
  const svg = barChart({ id: 'e', title: 'A & B', description: '<x>', bars: [{ label: '<script>alert(1)</script>', value: 3 }] });
  assert.ok(!svg.includes('<script>'));
  assert.match(svg, /&lt;script&gt;/);
  assert.match(svg, /<title id="e-title">A &amp; B<\/title>/);
});

test('months are labelled by their short name, with the year under the first and each January', async () => {
  const { monthBars } = await import('./charts.ts');
  assert.deepEqual(monthBars([{ month: '2025-12', value: 1 }, { month: '2026-01', value: 2 }, { month: '2026-02', value: 0 }]),
    [{ label: 'Dec', value: 1, sublabel: '2025' }, { label: 'Jan', value: 2, sublabel: '2026' }, { label: 'Feb', value: 0 }]);
});

test('grouped columns: one a series a month on one scale, none for a null, the legend naming each series, Arial', async () => {
  const { monthGroupsChart } = await import('./charts.ts');
  const svg = monthGroupsChart({
    id: 'g', title: 'Cases by month', description: 'd',
    series: [{ label: 'All <cases>', colour: '#1d70b8' }, { label: 'Hate', colour: '#d4351c' }],
    months: [{ month: '2025-12', values: [10, 2] }, { month: '2026-01', values: [5, null] }],
  });
  const columns = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="(#[0-9a-f]+)"><title>([^<]*)<\/title>/g)]
    .map((m) => ({ height: Number(m[1]), colour: m[2], title: m[3] }));
  assert.equal(columns.length, 3, 'no column for the null');
  assert.equal(columns[0]!.height, columns[2]!.height * 2, '10 is twice 5 on the same scale');
  assert.deepEqual(columns.map((c) => c.colour), ['#1d70b8', '#d4351c', '#1d70b8']);
  assert.equal(columns[1]!.title, 'December 2025, Hate: 2');
  assert.match(svg, /All &lt;cases&gt;/, 'the legend, escaped');
  assert.match(svg, />2026</, 'the year under January');
  assert.match(svg, /font-family="Arial, Helvetica, sans-serif"/);
});
