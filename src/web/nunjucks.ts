import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { GOVUK_DIST } from './assets.ts';
import { can, type Role } from '../platform/auth/roles.ts';
import type { NavigationItem } from '../platform/modules.ts';

/** The platform's own links in the service navigation; the modules give theirs (their manifests' `navigation`). */
const PLATFORM_NAVIGATION: readonly NavigationItem[] = [
  { href: '/users', text: 'Users', sections: ['users'], permission: 'users:manage', position: 70 },
  { href: '/api/docs', text: 'API', position: 100 },
];

const here = path.dirname(new URL(import.meta.url).pathname);
const modules = path.join(here, '..', 'modules');

/**
 * Templates: shared layout and components, each module's own views, then GOV.UK Frontend's macros. `navigation`: the
 * modules' links in the service navigation.
 */
export function nunjucksEnvironment(options: { navigation?: readonly NavigationItem[] } = {}): nunjucks.Environment {
  const moduleViews = fs.readdirSync(modules).map((m) => path.join(modules, m, 'views')).filter((d) => fs.existsSync(d));
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([path.join(here, 'views'), ...moduleViews, GOVUK_DIST], { noCache: false }), {
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
  const navigation = [...PLATFORM_NAVIGATION, ...(options.navigation ?? [])].sort((a, b) => a.position - b.position);
  env.addGlobal('serviceNavigation', (role: Role, section: unknown) => navigation.filter((i) => !i.permission || can(role, i.permission))
    .map((i) => ({ href: i.href, text: i.text, ...(i.sections ? { active: i.sections.includes(String(section)) } : {}) })));
  env.addFilter('number', (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-GB') : n));
  return env;
}
