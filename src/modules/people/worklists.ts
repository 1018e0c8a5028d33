// The people module's sections of the roles' home pages (issue 13): "Alerts to review" for housing and ASB officers.
import type { WorklistSection } from '../../platform/modules.ts';
import { can } from '../../platform/auth/roles.ts';
import { alertsToReview, alertToReviewItem, REVIEW_WINDOW_DAYS } from './edits.ts';

export const alertsToReviewSection: WorklistSection = {
  id: 'people-alerts-to-review',
  title: 'Alerts to review',
  roles: ['housing-officer', 'asb-officer'],
  position: 30,
  href: '/people/alerts/to-review',
  empty: `No alerts are due for review in the next ${REVIEW_WINDOW_DAYS} days`,
  byPatch: true,
  /** Active alerts due for review within 14 days or overdue, of people whose home is in the scope; each read audited. */
  async items(ctx, { limit, scope }) {
    if (!can(ctx.actor.role, 'alerts:read')) return { total: 0, items: [] };
    const { total, items } = await alertsToReview(ctx, { homeIds: scope.homeIds, personIds: scope.personIds, limit });
    return { total, items: items.map(alertToReviewItem) };
  },
};
