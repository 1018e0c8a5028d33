// The home page (`/`): the signed-in role's work. Each section a module brings for the role ("Hazard reports past a
// deadline", "Data quality checks that got worse") with its total, its first items and a link to all of them; for
// sections about homes, "only my patch" when the officer has one; a search box at the top. Roles with no sections
// get the places to start instead.
import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { can, ROLE_NAMES } from '../../platform/auth/roles.ts';
import { QueryValue, type PageRun } from '../../web/page.ts';
import { installedModules, patchScope } from '../../platform/modules.ts';
import { readSections, sectionsFor } from './sections.ts';

const HomeQuery = Type.Object({ patch: QueryValue });

const TAG_CLASSES: Record<string, string> = {
  red: 'govuk-tag--red', orange: 'govuk-tag--orange', yellow: 'govuk-tag--yellow', green: 'govuk-tag--green', blue: 'govuk-tag--blue',
  grey: 'govuk-tag--grey', purple: 'govuk-tag--purple',
};

export function workspacePages(app: TypedFastify, page: PageRun) {
  app.get('/', { schema: { querystring: HomeQuery } }, async (req, reply) => {
    // Only my patch unless asked for everything ("?patch=all"); it makes a difference only to an officer with a patch.
    const mine = req.query.patch !== 'all';
    // (Signed out: page() refuses before anything is read, and the visitor is sent to sign in.)
    const data = await page(req, async (ctx) => {
      const scope = await patchScope(ctx, mine);
      return {
        role: ctx.actor.role,
        patch: scope.patch ? { name: scope.patch.name, homes: scope.homes } : null,
        sections: await readSections(ctx, sectionsFor(ctx.actor.role), { homeIds: scope.homeIds, personIds: scope.personIds }, req.log),
      };
    });
    const role = data.role;
    const byPatch = !!data.patch && data.sections.some((s) => s.byPatch);
    const views = data.sections.map((s) => ({
      ...s,
      taskItems: s.items.map((i) => ({
        title: { text: i.text }, href: i.href, ...(i.hint ? { hint: { text: i.hint } } : {}),
        status: i.tag ? { tag: { text: i.tag.text, classes: TAG_CLASSES[i.tag.colour ?? ''] ?? '' } } : { text: '' },
      })),
    }));
    return reply.view('workspace/home.njk', {
      ...data, sections: views, byPatch, mine: byPatch && mine, title: 'Home', section: 'home', roleName: ROLE_NAMES[role],
      // An operative's Hearth is their jobs: no search or records (they have no records:read).
      canReadRecords: can(role, 'records:read'),
      canManagePatches: can(role, 'patches:manage'), canManageUsers: can(role, 'users:manage'),
      // The modules' seldom-visited pages (manifest navigation with `manage`), those this role may open.
      manage: installedModules().flatMap((m) => m.navigation ?? []).filter((n) => n.manage && (!n.permission || can(role, n.permission)) && (!n.roles || n.roles.includes(role)))
        .sort((a, b) => a.position - b.position),
    });
  });
}
