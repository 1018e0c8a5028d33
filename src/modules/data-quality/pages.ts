import type { TypedFastify } from '../../platform/http/typed.ts';
import { Type } from 'typebox';
import type { PageRun } from '../../web/page.ts';
import { csvDocument, csvField, csvFilename, sendCsv } from '../../platform/http/csv.ts';
import { qualityReport, qualityRows, EXAMPLES, type CheckResult, type CsvRow } from './service.ts';

const CsvQuery = Type.Object({ check: Type.Optional(Type.String({ maxLength: 100 })) });

export { csvField };

const CSV_HEADER = ['check', 'kind', 'record id', 'label', 'detail'];

/** The report's CSV: a byte order mark (so spreadsheets read it as UTF-8), a header row, CRLF line ends. */
export function qualityCsv(rows: CsvRow[]): string {
  return csvDocument([CSV_HEADER, ...rows.map((r) => [r.check, r.kind, r.id, r.label, r.detail])]);
}


/** "12.5%", "under 0.1%", "–" when there is nothing to count. */
function percentText(c: CheckResult): string {
  if (c.percent === null) return '–';
  if (c.count > 0 && c.percent < 0.1) return 'under 0.1%';
  return `${c.percent.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;
}

export function dataQualityPages(app: TypedFastify, page: PageRun) {
  app.get('/data-quality', async (req, reply) => {
    const data = await page(req, async (ctx) => ({ report: await qualityReport(ctx) }));
    const fixFirst = data.report.checks.filter((c) => c.fixFirst && c.count > 0).sort((a, b) => b.count - a.count);
    const percents = Object.fromEntries(data.report.checks.map((c) => [c.id, percentText(c)]));
    return reply.view('data-quality/data-quality.njk', { ...data, fixFirst, percents, examplesShown: EXAMPLES, title: 'Data quality', section: 'data-quality' });
  });

  app.get('/data-quality.csv', { schema: { querystring: CsvQuery } }, async (req, reply) => {
    const { check } = req.query;
    const data = await page(req, async (ctx) => ({ rows: await qualityRows(ctx, check || undefined) }));
    return sendCsv(reply, csvFilename('data-quality', data.organisationName, check || undefined), qualityCsv(data.rows));
  });
}
