import type { FastifyInstance } from 'fastify';
import type { PageRun } from '../../web/page.ts';
import { organisationService } from './service.ts';
import { ROLE_NAMES } from '../../platform/auth/roles.ts';

export function overviewPages(app: FastifyInstance, page: PageRun) {
  // The organisation at a glance (`/` is each role's home page).
  app.get('/overview', async (req, reply) => {
    const data = await page(req, async (ctx) => ({ counts: await organisationService.overview(ctx) }));
    return reply.view('organisations/overview.njk', { ...data, title: 'Overview', section: 'overview', roleName: ROLE_NAMES[req.actor!.role] });
  });
}
