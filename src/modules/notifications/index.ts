// Notifications: messages to residents by email or text through a provider shaped like GOV.UK Notify's API, or the
// local provider that keeps them for a development page and tests. The manifest, and the public functions other
// modules use: this file is the only one they import.
//
// `jobs` is where the app's settings reach the module: made once per app, it sets the provider notify() uses (GOV.UK
// Notify with HEARTH_NOTIFY_API_KEY, else the local one); it has no background work of its own to start. The sending
// worker is the manifest's `worker`, so it runs in `hearth start` alone (tests call sendQueued).
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { notificationPages } from './pages.ts';
import { providerFromConfig } from './providers.ts';
import { useMessageProvider } from './service.ts';
import { startNotificationWorker } from './worker.ts';

export const notificationsModule = defineModule({
  name: 'notifications',
  tables,
  permissions: [
    { name: 'notifications:read', description: 'messages sent to residents (they hold contact details)', roles: ['administrator'] },
  ],
  jobs: ({ config }) => {
    useMessageProvider(providerFromConfig(config));
    return { async start() {}, async stop() {} };
  },
  worker: ({ store, config, log }) => (config.notifyApiKey
    ? startNotificationWorker(store, providerFromConfig(config), log)
    : { async stop() {} }),
  navigation: [{ href: '/notifications', text: 'Messages', sections: ['notifications'], permission: 'notifications:read', position: 95, manage: 'messages to residents, as sent or kept by the local provider' }],
  pages: (app, { page, config }) => notificationPages(app, page, { local: !config.notifyApiKey }),
});

export { notify, messagesFor, type NotifyInput, type MessageView, type MessageStatus } from './service.ts';
export { TEMPLATES, TEMPLATE_NAMES, MissingPersonalisation, type TemplateName, type Channel } from './templates.ts';
