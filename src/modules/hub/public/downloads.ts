// The open data: every landlord's published measures for every period, as the pages show them (the same suppressed
// cells: disclosure.ts makes both), in CSV and in Parquet, under the Open Government Licence v3.0.
import { parquetWriteBuffer } from 'hyparquet-writer';
import { csvDocument } from '../../../platform/http/csv.ts';
import { PUBLIC_MEASURE, TENURE_VIEW_NAMES, type PublishedFigure } from './disclosure.ts';
import type { PublicData } from './queries.ts';

export const LICENCE = { name: 'Open Government Licence v3.0', url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/' } as const;

/** The open data's columns, in order: the CSV's header and the Parquet file's schema. */
export const OPEN_DATA_COLUMNS = [
  'registration', 'landlord', 'period_from', 'period_to', 'tenure_group', 'measure', 'code', 'title',
  'numerator', 'numerator_note', 'denominator', 'denominator_note', 'rate', 'unit',
] as const;

export interface OpenDataRow {
  registration: string;
  landlord: string;
  period_from: string;
  period_to: string;
  tenure_group: string;
  measure: string;
  code: string;
  title: string;
  numerator: number | null;
  numerator_note: string | null;
  denominator: number | null;
  denominator_note: string | null;
  rate: number | null;
  unit: string;
}

const note = (c: PublishedFigure['numerator']) => (c.shown === null ? c.words : null);

/** The open data's rows: one per landlord, period, tenure group (LCRA, LCHO, all) and measure. */
export async function openDataRows(data: PublicData): Promise<OpenDataRow[]> {
  const [periods, publishers] = await Promise.all([data.periods(), data.publishers()]);
  const rows: OpenDataRow[] = [];
  for (const p of periods) {
    const { byMeasure } = await data.period(p);
    for (const figures of byMeasure.values()) {
      for (const f of figures) {
        const m = PUBLIC_MEASURE.get(f.measure)!;
        rows.push({
          registration: f.publisher, landlord: publishers.get(f.publisher)?.name ?? f.publisher, period_from: f.periodFrom, period_to: f.periodTo,
          tenure_group: f.tenure, measure: f.measure, code: m.code, title: m.title,
          numerator: f.numerator.shown, numerator_note: note(f.numerator), denominator: f.denominator.shown, denominator_note: note(f.denominator),
          rate: f.rate === null ? null : Math.round(f.rate * 10) / 10, unit: m.unit,
        });
      }
    }
  }
  const tenureOrder = { LCRA: 0, LCHO: 1, all: 2 } as Record<string, number>;
  const measureOrder = new Map([...PUBLIC_MEASURE.keys()].map((k, i) => [k, i]));
  return rows.sort((a, b) => a.registration.localeCompare(b.registration) || b.period_to.localeCompare(a.period_to) || a.period_from.localeCompare(b.period_from)
    || tenureOrder[a.tenure_group]! - tenureOrder[b.tenure_group]! || measureOrder.get(a.measure)! - measureOrder.get(b.measure)!);
}

/** The open data as CSV (byte order mark, CRLF, formulas neutralised: the project's CSV writer). */
export function openDataCsv(rows: readonly OpenDataRow[]): string {
  return csvDocument([[...OPEN_DATA_COLUMNS], ...rows.map((r) => OPEN_DATA_COLUMNS.map((c) => r[c]))]);
}

/** The open data as Parquet (Snappy-compressed; the licence and the tenure groups' names in the file's metadata). */
export function openDataParquet(rows: readonly OpenDataRow[]): Uint8Array {
  const text = (c: keyof OpenDataRow) => ({ name: c, data: rows.map((r) => r[c] as string | null), type: 'STRING' as const, nullable: true });
  const num = (c: keyof OpenDataRow, type: 'INT64' | 'DOUBLE') => ({
    name: c, data: rows.map((r) => (r[c] === null ? null : type === 'INT64' ? BigInt(r[c] as number) : (r[c] as number))), type, nullable: true,
  });
  const buffer = parquetWriteBuffer({
    columnData: [
      text('registration'), text('landlord'), text('period_from'), text('period_to'), text('tenure_group'), text('measure'), text('code'), text('title'),
      num('numerator', 'INT64'), text('numerator_note'), num('denominator', 'INT64'), text('denominator_note'), num('rate', 'DOUBLE'), text('unit'),
    ],
    kvMetadata: [
      { key: 'licence', value: `${LICENCE.name} ${LICENCE.url}` },
      { key: 'tenure_groups', value: JSON.stringify(TENURE_VIEW_NAMES) },
      { key: 'suppression', value: 'Counts of people from 1 to 9 are not shown ("fewer than 10"); other counts of people and counts of homes are rounded to the nearest 5; some others are hidden ("suppressed") so that totals do not give a hidden count away.' },
    ],
  });
  return new Uint8Array(buffer);
}
