// Webhooks: an organisation's endpoints, the relay subscriber that queues a delivery per matching endpoint, and the
// worker that sends them signed (docs/webhooks.md, decision 0017). The manifest, for src/modules/index.ts. The worker
// is the manifest's `worker`, not `jobs`: jobs are made for every app, tests' included, and the worker belongs to
// `hearth start` alone (tests drive deliverDue with their own clock).
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { WEBHOOK_API_TAG, WEBHOOK_AUDIT_ACTIONS, WEBHOOK_PERMISSIONS } from './declarations.ts';
import { webhooksApi } from './api.ts';
import { webhookPages } from './pages.ts';
import { webhookFanOut } from './fan-out.ts';
import { startWebhookWorker } from './worker.ts';

export const webhooksModule = defineModule({
  name: 'webhooks',
  tables,
  permissions: WEBHOOK_PERMISSIONS,
  auditActions: WEBHOOK_AUDIT_ACTIONS,
  apiTags: [WEBHOOK_API_TAG],
  subscribers: [webhookFanOut],
  worker: ({ store, log }) => startWebhookWorker(store, log),
  api: (api, { run }) => webhooksApi(api, run),
  navigation: [{ href: '/webhooks', text: 'Webhooks', sections: ['webhooks'], permission: 'webhooks:manage', position: 80, manage: 'where Hearth sends its events for other systems' }],
  pages: (app, { page, run }) => webhookPages(app, page, run),
});

export { startWebhookWorker, deliverDue } from './worker.ts';
export { checkDestination, DestinationRefused } from './destination.ts';
