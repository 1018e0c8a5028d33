import type { TypedFastify } from '../../platform/http/typed.ts';
import { Type } from 'typebox';
import { IdParams, QueryValue, type PageRun } from '../../web/page.ts';
import { homeView, personView, blockView } from './service.ts';
import { formatAddress, PROPERTY_TYPES } from '../homes/index.ts';
import { fullName, displayPhone, HACT_ALERT_CODES, ALERT_CATEGORIES, CONFIDENTIALITY_LEVELS } from '../people/index.ts';
import { TENANCY_TYPES, TENURES, MEMBER_ROLES } from '../tenancies/index.ts';
import { govukDateTime as govukWhen } from '../../platform/uk-time.ts';

const labels = { PROPERTY_TYPES, HACT_ALERT_CODES, ALERT_CATEGORIES, CONFIDENTIALITY_LEVELS, TENANCY_TYPES, TENURES, MEMBER_ROLES };

export function singleViewPages(app: TypedFastify, page: PageRun) {
  app.get('/homes/:id', { schema: { params: IdParams } }, async (req, reply) => {
    const data = await page(req, (ctx) => homeView(ctx, req.params.id));
    return reply.view('single-view/home.njk', { ...data, title: formatAddress(data.home), labels, formatAddress, fullName, when: govukWhen, today: new Date().toISOString().slice(0, 10) });
  });
  app.get('/people/:id', { schema: { params: IdParams, querystring: Type.Object({ updated: QueryValue }) } }, async (req, reply) => {
    const data = await page(req, (ctx) => personView(ctx, req.params.id));
    // What was just saved (the edit forms come back here): a success banner.
    const updated = typeof req.query.updated === 'string' ? req.query.updated : undefined;
    return reply.view('single-view/person.njk', { ...data, title: fullName(data.display), labels, formatAddress, fullName, displayPhone, updated, when: govukWhen,
      today: new Date().toISOString().slice(0, 10) });
  });
  app.get('/blocks/:id', { schema: { params: IdParams } }, async (req, reply) => {
    const data = await page(req, (ctx) => blockView(ctx, req.params.id));
    return reply.view('single-view/block.njk', { ...data, title: data.block.name, labels, formatAddress });
  });
}
