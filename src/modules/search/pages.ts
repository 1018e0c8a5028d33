import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { QueryValue, type PageRun } from '../../web/page.ts';
import { search, MAX_TERM, LIMIT } from './service.ts';

export function searchPages(app: TypedFastify, page: PageRun) {
  app.get('/search', { schema: { querystring: Type.Object({ q: QueryValue, patch: QueryValue }) } }, async (req, reply) => {
    const q = String(req.query.q ?? '');
    const mine = [req.query.patch].flat().includes('mine');
    const tooLong = q.length > MAX_TERM;
    const data = await page(req, async (ctx) => ({ results: await search(ctx, q, { mine }) }));
    return reply.view('search/search.njk', { ...data, title: q ? `Search results for ${q.slice(0, MAX_TERM)}` : 'Search', section: 'search', q, mine, tooLong, limit: LIMIT });
  });
}
