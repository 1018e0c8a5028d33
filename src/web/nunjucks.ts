import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { GOVUK_DIST } from './assets.ts';
import { can, type Role } from '../platform/auth/roles.ts';
import type { NavigationItem } from '../platform/modules.ts';

/** The platform's own links in the service navigation; the modules give theirs (their manifests' `navigation`). */
const PLATFORM_NAVIGATION: readonly NavigationItem[] = [
  // Under "Manage" on the home page (workspace), so the administrator's navigation stays one line.
  { href: '/users', text: 'Users', sections: ['users'], permission: 'users:manage', position: 70, manage: 'accounts, roles and API tokens' },
  // The API docs (Swagger UI) are for developers, not staff at work: linked from the footer, not the navigation.
];

const here = path.dirname(new URL(import.meta.url).pathname);
const modules = path.join(here, '..', 'modules');

/**
 * Templates by namespace, so two modules' views never collide: "web/…" is the layout and the web layer's own views
 * (src/web/views), "<module>/…" a module's (src/modules/<module>/views), "govuk/…" GOV.UK Frontend's. A name with no
 * known namespace is not found. Relative names ("../../macros/…", as GOV.UK Frontend's macros use) resolve from the
 * including template's file, and stay inside the folders above.
 */
export class NamespacedLoader extends nunjucks.Loader {
  readonly roots: ReadonlyMap<string, string>;
  readonly cacheable: boolean;
  constructor(roots: Record<string, string>, cacheable = true) {
    super();
    this.cacheable = cacheable;
    this.roots = new Map(Object.entries(roots).map(([ns, dir]) => [ns, path.resolve(dir)]));
  }

  /** The file a template name stands for, or null (unknown namespace, outside its folder, or no such file). */
  file(name: string): string | null {
    let full: string;
    if (path.isAbsolute(name)) full = path.resolve(name);
    else {
      const slash = name.indexOf('/');
      const ns = slash > 0 ? name.slice(0, slash) : '';
      const dir = this.roots.get(ns);
      if (!dir) return null;
      // GOV.UK Frontend's templates name themselves from its dist folder ("govuk/components/…").
      full = ns === 'govuk' ? path.resolve(dir, name) : path.resolve(dir, name.slice(slash + 1));
    }
    const inside = [...this.roots.values()].some((dir) => full.startsWith(dir + path.sep));
    return inside && fs.existsSync(full) ? full : null;
  }

  // Nunjucks takes null for "not found" (its own FileSystemLoader returns it); its type declarations leave that out.
  getSource(name: string): nunjucks.LoaderSource {
    const full = this.file(name);
    return (full ? { src: fs.readFileSync(full, 'utf8'), path: full, noCache: !this.cacheable } : null) as nunjucks.LoaderSource;
  }
}

/** The namespaces: web, govuk, and one per module folder with views. A module cannot be called "web" or "govuk". */
export function templateRoots(): Record<string, string> {
  const roots: Record<string, string> = { web: path.join(here, 'views'), govuk: GOVUK_DIST };
  for (const m of fs.readdirSync(modules)) {
    const dir = path.join(modules, m, 'views');
    if (!fs.existsSync(dir)) continue;
    if (roots[m]) throw new Error(`A module cannot be called "${m}": its templates would be confused with the ${m === 'web' ? 'layout' : 'GOV.UK'} templates`);
    roots[m] = dir;
  }
  return roots;
}

/**
 * Templates: "web/layout.njk" and the web layer's views, each module's views as "<module>/<view>.njk", GOV.UK
 * Frontend's macros as "govuk/…". `navigation`: the modules' links in the service navigation.
 */
export function nunjucksEnvironment(options: { navigation?: readonly NavigationItem[]; /** More namespaces (tests' own views). */ roots?: Record<string, string> } = {}): nunjucks.Environment {
  const env = new nunjucks.Environment(new NamespacedLoader({ ...templateRoots(), ...options.roots }), {
    autoescape: true, throwOnUndefined: false,
  });
  env.addFilter('date', (value: unknown) => {
    if (!value) return '';
    const d = value instanceof Date ? value : new Date(String(value).length === 10 ? `${value}T00:00:00Z` : String(value));
    return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  });
  env.addFilter('datetime', (value: unknown) => {
    if (!value) return '';
    const d = new Date(value as string);
    return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
  });
  // What the signed-in role may do, for links to pages it can use: can(actor.role, 'imports:manage').
  env.addGlobal('can', can);
  // The service navigation for a role, the current page's section marked.
  const navigation = [...PLATFORM_NAVIGATION, ...(options.navigation ?? [])].filter((i) => !i.manage).sort((a, b) => a.position - b.position);
  env.addGlobal('serviceNavigation', (role: Role, section: unknown) => navigation.filter((i) => (!i.permission || can(role, i.permission)) && (!i.roles || i.roles.includes(role)))
    .map((i) => ({ href: i.href, text: i.text, ...(i.sections ? { active: i.sections.includes(String(section)) } : {}) })));
  env.addFilter('number', (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-GB') : n));
  return env;
}
