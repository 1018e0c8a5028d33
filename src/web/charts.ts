// Charts drawn on the server as SVG: no client framework, no script, nothing for the CSP to allow. Each chart is an
// image with a title and a description for screen readers, and the page puts a table of the same figures beside it
// (the table is the accessible form; the chart is for seeing the shape). Colours are GOV.UK's, drawn with
// presentation attributes, so no inline style is needed; the font is GOV.UK's fallback stack (Arial), set on the SVG
// itself so it holds wherever the chart is shown.
export interface Bar {
  label: string;
  value: number;
  /** A second line under a column's label (the year under the first month and each January). */
  sublabel?: string;
}

export interface ChartOptions {
  /** Unique on the page: used for the title and description ids. */
  id: string;
  title: string;
  /** What the chart shows, in words (e.g. the highest and latest values). */
  description: string;
  bars: readonly Bar[];
}

const BLUE = '#1d70b8';
const TEXT = '#0b0c0c';
const GRID = '#b1b4b6';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => n.toLocaleString('en-GB');

/** The top of the axis: the smallest 1, 2 or 5 × 10^k at or above the largest value (at least 1). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

function frame(o: ChartOptions, width: number, height: number, body: string): string {
  const t = `${o.id}-title`;
  const d = `${o.id}-desc`;
  return `<svg class="hearth-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${t} ${d}" font-family="Arial, Helvetica, sans-serif" font-size="14">`
    + `<title id="${t}">${esc(o.title)}</title><desc id="${d}">${esc(o.description)}</desc>${body}</svg>`;
}

/** Columns, one per bar, left to right (a series over time: months). */
export function columnChart(o: ChartOptions): string {
  const width = 640;
  const height = 260;
  const left = 48;
  const right = 8;
  const top = 24;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...o.bars.map((b) => b.value)));
  const parts: string[] = [];
  // Counts are whole numbers: the half-way line only when it is one.
  for (const f of max % 2 === 0 ? [0, 0.5, 1] : [0, 1]) {
    const y = top + plotH - f * plotH;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y}" y2="${y}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${y + 5}" text-anchor="end" fill="${TEXT}">${fmt(max * f)}</text>`);
  }
  const slot = o.bars.length ? plotW / o.bars.length : plotW;
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  o.bars.forEach((b, i) => {
    const h = (Math.max(0, b.value) / max) * plotH;
    const x = left + i * slot + (slot - barW) / 2;
    const y = top + plotH - h;
    parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${BLUE}"><title>${esc(`${b.label}${b.sublabel ? ` ${b.sublabel}` : ''}: ${fmt(b.value)}`)}</title></rect>`);
    if (b.value > 0) parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" fill="${TEXT}" font-size="12">${fmt(b.value)}</text>`);
    parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle" fill="${TEXT}" font-size="12">${esc(b.label)}</text>`);
    if (b.sublabel) parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${height - bottom + 34}" text-anchor="middle" fill="${TEXT}" font-size="12">${esc(b.sublabel)}</text>`);
  });
  return frame(o, width, height, parts.join(''));
}

/** Columns for months given as YYYY-MM: "Dec" with the year under the first month and under each January. */
export function monthBars(rows: readonly { month: string; value: number }[]): Bar[] {
  return rows.map((r, i) => {
    const d = new Date(`${r.month}-01T00:00:00Z`);
    const label = d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
    return { label, value: r.value, ...(i === 0 || d.getUTCMonth() === 0 ? { sublabel: String(d.getUTCFullYear()) } : {}) };
  });
}

/** Bars, one per row, longest value first as given (a comparison between things: estates, clocks). */
export function barChart(o: ChartOptions): string {
  const width = 640;
  const labelW = 290;
  const rowH = 28;
  const top = 8;
  const height = top + Math.max(1, o.bars.length) * rowH + 8;
  const plotW = width - labelW - 60;
  const max = niceMax(Math.max(0, ...o.bars.map((b) => b.value)));
  const parts: string[] = [];
  o.bars.forEach((b, i) => {
    const y = top + i * rowH;
    const w = (Math.max(0, b.value) / max) * plotW;
    // 32 characters fit the label column in the widest font of the Arial stack's fallbacks (the bar's title has the whole label).
    const label = b.label.length > 32 ? `${b.label.slice(0, 31)}…` : b.label;
    parts.push(`<text x="${labelW - 8}" y="${y + 18}" text-anchor="end" fill="${TEXT}">${esc(label)}</text>`,
      `<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${BLUE}"><title>${esc(`${b.label}: ${fmt(b.value)}`)}</title></rect>`,
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 18}" fill="${TEXT}">${fmt(b.value)}</text>`);
  });
  return frame(o, width, height, parts.join(''));
}

/** A series of a grouped column chart: its name in the legend and its colour. */
export interface Series { label: string; colour: string }

export interface MonthGroupsOptions {
  id: string;
  title: string;
  description: string;
  /** One group a month (YYYY-MM), oldest first: a value per series, null for none (no column, not a column of 0). */
  months: readonly { month: string; values: readonly (number | null)[] }[];
  series: readonly Series[];
  /** The top of the axis (100 for percentages); default: niceMax of the largest value. */
  max?: number;
  /** A value as the axis and the columns' titles say it ("12", "87.5%"). */
  format?: (n: number) => string;
}

/** "June 2026" for "2026-06". */
export const monthName = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * Columns side by side for each month, one a series (emergency and non-emergency repairs within target; ASB cases
 * and hate-incident cases), with a legend naming the series; the month under each group and the year under the first
 * and each January. The page puts the table of the same figures beside it.
 */
export function monthGroupsChart(o: MonthGroupsOptions): string {
  const width = 640;
  const height = 290;
  const left = 48;
  const right = 8;
  const top = 40;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const format = o.format ?? fmt;
  const max = o.max ?? niceMax(Math.max(0, ...o.months.flatMap((m) => m.values.map((v) => v ?? 0))));
  const parts: string[] = [];
  o.series.forEach((s, i) => {
    const x = left + i * 220;
    parts.push(`<rect x="${x}" y="8" width="14" height="14" fill="${s.colour}"/>`, `<text x="${x + 20}" y="20" fill="${TEXT}">${esc(s.label)}</text>`);
  });
  // The half-way line only where it is a whole number (counts are).
  for (const f of Number.isInteger(max / 2) ? [0, 0.5, 1] : [0, 1]) {
    const y = top + plotH - f * plotH;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y}" y2="${y}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${y + 5}" text-anchor="end" fill="${TEXT}">${esc(format(max * f))}</text>`);
  }
  const slot = plotW / Math.max(1, o.months.length);
  const barW = Math.min(18, slot * (0.72 / Math.max(1, o.series.length)));
  o.months.forEach((row, i) => {
    const d = new Date(`${row.month}-01T00:00:00Z`);
    const cx = left + i * slot + slot / 2;
    o.series.forEach((s, j) => {
      const value = row.values[j];
      if (value === null || value === undefined) return;
      const h = (value / max) * plotH;
      const x = cx - (barW * o.series.length) / 2 + j * barW;
      parts.push(`<rect x="${x.toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${s.colour}">`
        + `<title>${esc(`${monthName(row.month)}, ${s.label}: ${format(value)}`)}</title></rect>`);
    });
    parts.push(`<text x="${cx.toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle" fill="${TEXT}" font-size="12">${d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })}</text>`);
    if (i === 0 || d.getUTCMonth() === 0) parts.push(`<text x="${cx.toFixed(1)}" y="${height - bottom + 34}" text-anchor="middle" fill="${TEXT}" font-size="12">${d.getUTCFullYear()}</text>`);
  });
  return frame({ id: o.id, title: o.title, description: o.description, bars: [] }, width, height, parts.join(''));
}
