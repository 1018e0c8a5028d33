// Single view: the composed views of a home, a person (across every linked record) and a block, as pages and as the
// people routes of the API. It reads only through the other modules' services. The manifest, and the public functions
// other modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import { peopleApi } from './people-api.ts';
import { singleViewPages } from './pages.ts';

export const singleViewModule = defineModule({
  name: 'single-view',
  api: (api, { run, read }) => peopleApi(api, run, read),
  pages: (app, { page }) => singleViewPages(app, page),
});

export { homeView, personView, blockView, personApiView } from './service.ts';
