import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { QueryValue, type PageRun } from '../../web/page.ts';
import { search, MAX_TERM } from './service.ts';

export function searchPages(app: TypedFastify, page: PageRun) {
  app.get('/search', { schema: { querystring: Type.Object({ q: QueryValue }) } }, async (req, reply) => {
    const q = String(req.query.q ?? '');
    const tooLong = q.length > MAX_TERM;
    const data = await page(req, async (ctx) => ({ results: await search(ctx, q) }));
    return reply.view('search/search.njk', { ...data, title: q ? `Search results for ${q.slice(0, MAX_TERM)}` : 'Search', section: 'search', q, tooLong });
  });
}
