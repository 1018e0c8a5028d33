// Workspace: each role's home page (`/`), made of the worklist sections the installed modules declare for the role
// (their manifests' `worklists`), with "only my patch" from patches. The manifest: nothing else imports this module.
import { defineModule } from '../../platform/modules.ts';
import { workspacePages } from './pages.ts';
import { PLACEHOLDERS } from './sections.ts';

export const workspaceModule = defineModule({
  name: 'workspace',
  navigation: [{ href: '/', text: 'Home', sections: ['home'], position: 5 }],
  worklists: PLACEHOLDERS,
  pages: (app, { page }) => workspacePages(app, page),
});
