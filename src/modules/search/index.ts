// Search: one search box across homes, people and tenancies, through their services. The manifest, and the public
// functions other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import { searchPages } from './pages.ts';

export const searchModule = defineModule({
  name: 'search',
  navigation: [{ href: '/search', text: 'Search', sections: ['search'], permission: 'records:read', position: 20 }],
  pages: (app, { page }) => searchPages(app, page),
});

export { search } from './service.ts';
