// Staff pages. Every page needs a signed-in member of staff; every form carries a CSRF token. The modules' pages are
// registered by the app from the list of modules (their manifests' `pages`), with the page runner made here.
import type { TypedFastify } from '../platform/http/typed.ts';
import type { Run } from '../platform/records/api.ts';
import type { PageRun } from '../platform/modules.ts';
import type { Ctx } from '../platform/records/context.ts';
import { Problem } from '../platform/http/problem.ts';
import { accountPages } from './accounts.ts';
import type { Config } from '../config.ts';

export type { PageRun } from '../platform/modules.ts';
export { IdParams } from './page.ts';

/** Names of organisations seen by pages, so an error page can still say whose Hearth this is without a query. */
const organisationNames = new Map<string, string>();
export const knownOrganisationName = (id: string | undefined) => (id ? organisationNames.get(id) : undefined);

export interface PagesDeps {
  config: Pick<Config, 'tokenDays'>;
  /** The signed-in actor's organisation (id and name), for the layout: the organisations module's. */
  organisationOf(ctx: Ctx): Promise<{ id: string; name: string }>;
  /** Register the modules' pages with the page runner. */
  modulePages(page: PageRun): void;
}

export function registerPages(app: TypedFastify, run: Run, deps: PagesDeps) {
  const page: PageRun = (req, work) => {
    if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
    return run(req, async (ctx) => {
      const organisation = await deps.organisationOf(ctx);
      organisationNames.set(organisation.id, organisation.name);
      return { ...(await work(ctx)), organisationName: organisation.name };
    });
  };
  // A malformed id in a page URL is simply a page that does not exist.
  app.addHook('preValidation', async (req) => {
    // A hook runs for every route, so its params are not typed: read the id only if it is there.
    const params: unknown = req.params;
    const id = typeof params === 'object' && params !== null && 'id' in params ? params.id : undefined;
    if (typeof id === 'string' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new Problem(404, 'Page not found');
  });
  deps.modulePages(page);
  accountPages(app, page, run, { tokenDays: deps.config.tokenDays });
}
