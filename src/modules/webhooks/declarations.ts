// What the webhooks module adds to the platform's registries: its permission and its audit actions. Declared when the
// module is loaded (service.ts, api.ts and pages.ts import this file), so they hold wherever the module is used; a
// module manifest can hand the same lists to the registries again (the same declaration twice is a no-op).
import { declarePermissions, type PermissionDeclaration } from '../../platform/auth/roles.ts';
import { declareAuditActions } from '../../platform/audit/service.ts';

export const WEBHOOK_PERMISSIONS: readonly PermissionDeclaration[] = [
  { name: 'webhooks:manage', description: 'webhook endpoints of the organisation and their delivery logs', roles: ['administrator'] },
];

/** Besides create, update and delete of a 'webhook-endpoint'. */
export const WEBHOOK_AUDIT_ACTIONS = ['webhook-disabled', 'webhook-enabled', 'webhook-secret-rotated'] as const;

export const WEBHOOK_API_TAG = {
  name: 'Webhooks',
  description: 'Webhook endpoints of your organisation, for administrators: events of the chosen types are POSTed to each, signed (Standard Webhooks), with retries; and each endpoint’s delivery log.',
};

declarePermissions('webhooks', WEBHOOK_PERMISSIONS);
declareAuditActions('webhooks', WEBHOOK_AUDIT_ACTIONS);
