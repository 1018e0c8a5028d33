import type { FastifyInstance } from 'fastify';
import type { PageRun } from '../../web/page.ts';
import { search, MAX_TERM } from './service.ts';

export function searchPages(app: FastifyInstance, page: PageRun) {
  app.get('/search', async (req, reply) => {
    const q = String((req.query as { q?: unknown }).q ?? '');
    const tooLong = q.length > MAX_TERM;
    const data = await page(req, async (ctx) => ({ results: await search(ctx, q) }));
    return reply.view('search/search.njk', { ...data, title: q ? `Search results for ${q.slice(0, MAX_TERM)}` : 'Search', section: 'search', q, tooLong });
  });
}
