// The higher-risk buildings register as a page, and as a CSV of the registration data per structure.
import type { FastifyInstance } from 'fastify';
import type { PageRun } from '../../web/pages.ts';
import { csvDocument, filenameSlug } from '../../platform/http/csv.ts';
import { higherRiskRegisterView, type HigherRiskRegister } from './api.ts';

type Entry = HigherRiskRegister['higherRisk'][number];

const CSV_HEADER = ['block id', 'name', 'status', 'storeys', 'height (m)', 'height method', 'residential units', 'year built', 'address', 'postcode', 'homes', 'residents', 'reasons'];

/** A block's address on one line: number and street, town. */
export const addressLine = (e: Pick<Entry, 'buildingNumber' | 'street' | 'town'>) =>
  [[e.buildingNumber, e.street].filter(Boolean).join(' '), e.town].filter(Boolean).join(', ');

/** Registration data per structure, higher-risk first then those needing data: BOM, header, CRLF, every cell neutralised. */
export function higherRiskCsv(r: HigherRiskRegister): string {
  const rows = [...r.higherRisk, ...r.dataNeeded].map((e) => [e.id, e.name, e.assessment.status, e.storeys, e.heightMetres, e.heightMethod, e.residentialUnits,
    e.yearBuilt, addressLine(e), e.postcode, e.homes, e.residents, e.assessment.reasons.join('; ')]);
  return csvDocument([CSV_HEADER, ...rows]);
}


export function insightPages(app: FastifyInstance, page: PageRun) {
  app.get('/insight/higher-risk-buildings', async (req, reply) => {
    const data = await page(req, async (ctx) => ({ register: await higherRiskRegisterView(ctx) }));
    return reply.view('higher-risk-buildings.njk', { ...data, title: 'Higher-risk buildings', section: 'higher-risk' });
  });

  app.get('/insight/higher-risk-buildings.csv', async (req, reply) => {
    const data = await page(req, async (ctx) => ({ register: await higherRiskRegisterView(ctx) }));
    const filename = `higher-risk-buildings-${filenameSlug(data.organisationName)}-${new Date().toISOString().slice(0, 10)}.csv`;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(higherRiskCsv(data.register));
  });
}
