// Notifications: messages to residents by email or text through a provider shaped like GOV.UK Notify's API, or the
// local provider that keeps them for a development page and tests. The manifest, and the public functions other
// modules use: this file is the only one they import.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { notificationPages } from './pages.ts';

export const notificationsModule = defineModule({
  name: 'notifications',
  tables,
  permissions: [
    { name: 'notifications:read', description: 'messages sent to residents (they hold contact details)', roles: ['administrator'] },
  ],
  pages: (app, deps) => notificationPages(app, deps),
});
