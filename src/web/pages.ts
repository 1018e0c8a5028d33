// Staff pages. Every page needs a signed-in member of staff; every form carries a CSRF token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Run } from '../platform/records/api.ts';
import { Problem } from '../platform/http/problem.ts';
import { organisationService } from '../modules/organisations/service.ts';
import type { Ctx } from '../platform/records/context.ts';
import { overviewPages } from '../modules/organisations/pages.ts';
import { searchPages } from '../modules/search/pages.ts';
import { singleViewPages } from '../modules/single-view/pages.ts';
import { dataQualityPages } from '../modules/data-quality/pages.ts';
import { importPages } from '../modules/ingest/pages.ts';
import { linkagePages } from '../modules/linkage/pages.ts';
import { insightPages } from '../modules/insight/pages.ts';
import { hazardPages } from '../modules/hazards/pages.ts';
import { dashboardPages } from '../modules/insight/dashboard.ts';
import { accountPages } from './accounts.ts';
import type { ImportDeps } from '../modules/ingest/api.ts';
import type { Config } from '../config.ts';

/** Run page work for the signed-in actor, with their organisation's name for the layout. */
export type PageRun = <T extends object>(req: FastifyRequest, work: (ctx: Ctx) => Promise<T>) => Promise<T & { organisationName: string }>;

/** Names of organisations seen by pages, so an error page can still say whose Hearth this is without a query. */
const organisationNames = new Map<string, string>();
export const knownOrganisationName = (id: string | undefined) => (id ? organisationNames.get(id) : undefined);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function registerPages(app: FastifyInstance, run: Run, deps: ImportDeps & { config: Pick<Config, 'tokenDays'> }) {
  const page: PageRun = (req, work) => {
    if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
    return run(req, async (ctx) => {
      const organisation = await organisationService.get(ctx, ctx.actor.organisationId);
      organisationNames.set(organisation.id, organisation.name);
      return { ...(await work(ctx)), organisationName: organisation.name };
    });
  };
  // A malformed id in a page URL is simply a page that does not exist.
  app.addHook('preValidation', async (req) => {
    const id = (req.params as { id?: string })?.id;
    if (id !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new Problem(404, 'Page not found');
  });
  overviewPages(app, page);
  searchPages(app, page);
  singleViewPages(app, page);
  dataQualityPages(app, page);
  importPages(app, page, run, deps);
  linkagePages(app, page);
  dashboardPages(app, page);
  insightPages(app, page);
  hazardPages(app, page, run);
  accountPages(app, page, run, { tokenDays: deps.config.tokenDays });
}
