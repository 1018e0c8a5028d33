// The national hub (issue 16; docs/decisions/0026), being built. So far its pure parts: the Hearth Housing Data
// Standard (standard/: the records landlords publish, as TypeBox schemas published as JSON Schema, with no personal
// field possible; the validator with errors naming record and field; the CSV profile) and the rules of what the
// public and the regulator see (rules/: small-number suppression with secondary suppression; the TSM return, LCRA
// and LCHO apart, with each survey's precision). Publishing, the three ways in, hub mode and the public site come next.
import { defineModule } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { hubPushRoutes } from './push/routes.ts';
import { hubCommands } from './push/commands.ts';
import { startPoller } from './sources/poller.ts';
import { checkDestination } from '../webhooks/index.ts';
import { publishingPages } from './publishing/pages.ts';
import { hubPublicPages } from './public/pages.ts';
import { hubDemoRoutes } from './demo.ts';
import { HUB_INSIGHT_PERMISSIONS } from './insight/service.ts';
import { hubInsightPages, HUB_INSIGHT_NAVIGATION } from './insight/pages.ts';
import { startSubscriptionWorker } from './insight/subscriptions.ts';
import { hubOperatorPages } from './operator/pages.ts';
import { hubQualityPages } from './quality/pages.ts';
import { HUB_OPERATOR_PERMISSIONS, HUB_OPERATOR_AUDIT_ACTIONS } from './operator/service.ts';
import { addOperatorCommands } from './operator/commands.ts';
import { commandGroup } from '../../platform/cli.ts';
import { HUB_DISTRIBUTION } from './scaling.ts';
import { publishingSubscriber, startPublishingWorker } from './publishing/push.ts';
import { PUBLISHING_PERMISSIONS, PUBLISHING_AUDIT_ACTIONS } from './publishing/settings.ts';

export const hubModule = defineModule({
  name: 'hub',
  tables,
  distribution: HUB_DISTRIBUTION,
  permissions: [...PUBLISHING_PERMISSIONS, ...HUB_INSIGHT_PERMISSIONS, ...HUB_OPERATOR_PERMISSIONS],
  auditActions: [...PUBLISHING_AUDIT_ACTIONS, ...HUB_OPERATOR_AUDIT_ACTIONS],
  subscribers: [publishingSubscriber],
  navigation: [...HUB_INSIGHT_NAVIGATION, {
    href: '/hub-publishing', text: 'Publish to a hub', sections: ['hub-publishing'], permission: 'hub:publish', position: 85,
    manage: 'what Hearth publishes to a national hub, and how the last push went',
  }, {
    href: '/hub-operator', text: 'Hub publishers', sections: ['hub-operator'], permission: 'hub:operate', position: 86,
    manage: "the hub's publishers: their push keys, the feeds and files the hub pulls, uploads and pull now",
  }],
  pages: (app, deps) => {
    hubPushRoutes(app, deps);
    hubPublicPages(app, deps);
    hubDemoRoutes(app, deps);
    publishingPages(app, deps);
    hubInsightPages(app, deps);
    hubQualityPages(app, deps);
    hubOperatorPages(app, deps);
  },
  commands: (program, cli) => {
    hubCommands(program, cli);
    addOperatorCommands(commandGroup(program, 'hub', 'The national hub'), cli);
  },
  // Registered feeds and files pulled on their schedule; in production never from a private or loopback address (as webhooks).
  // And this landlord's changes pushed to its hub, from the outbox (publishing/push.ts).
  worker: ({ store, config, log }) => {
    const workers = [
      startPoller(store, { log, maxBytes: config.uploadLimit, ...(config.hubAllowPrivate ? {} : { checkUrl: async (url: string) => { await checkDestination(url); } }) }),
      startPublishingWorker(store, log),
      // Saved views' subscribers emailed when new data arrives.
      startSubscriptionWorker(store, log),
    ];
    return { stop: async () => { await Promise.all(workers.map((w) => w.stop())); } };
  },
});

export {
  STANDARD_VERSION, STANDARD_NAME, STANDARD_ID, MAX_BATCH_RECORDS, HomeSchema, BlockSchema, MeasuresSchema, DeletionSchema, RecordSchema, BatchSchema,
  standardJsonSchema, standardJsonSchemaText, RENT_TYPES, TENURE_GROUP_OF_RENT_TYPE, MEASURES, HIGHER_RISK,
  type HomeRecord, type MeasuresRecord, type DeletionRecord, type StandardRecord, type StandardBatch,
} from './standard/schema.ts';
export { validateRecords, validateBatch, validateRecord } from './standard/validate.ts';
export { parseStandardCsv, csvColumns, CSV_FILES } from './standard/csv.ts';
export { personalProperties, personalMatch } from './standard/personal.ts';
export { publishTable, suppressCount, roundToBase, PEOPLE_THRESHOLD, ROUNDING_BASE, type TableCell, type PublishedCount, type PublishedTable } from './rules/suppression.ts';
export { tsmReturn, tsmReturnCsv, marginOfError, requiredPrecision, type TsmReturn, type TsmReturnInput } from './rules/tsm-return.ts';
export { receive, upsertPublisher, BatchConflict, type Arrival, type Receipt } from './intake.ts';
export { pushBatch, pushHeaders, PushRefused, PUSH_PATH, type PushReceipt } from './push/client.ts';
export { createKey, revokeKey, activeSecret, listKeys } from './push/credentials.ts';
export { hubTsmReturns, hubTsmReturnsCsv, reportingYear } from './returns.ts';
export { distributionPlan, scalingRuleBreaks } from './scaling.ts';
export { registerSource, listSources, getSource, sourceStatus, unregisterSource, pauseSource, resumeSource, SourceRefused, SOURCE_KINDS, FILE_KINDS, type Source, type SourceKind, type FileKind, type SourceStatus } from './sources/registry.ts';
export { pullFeed, parseFeedPage, MAX_PAGE_BYTES } from './sources/feed.ts';
export { pullFile, receiveUpload, uploadKind, UploadRefused, MAX_FILE_BYTES, type FileReceipt } from './sources/file.ts';
export { pollDueSources, startPoller, DEFAULT_EVERY_MINUTES } from './sources/poller.ts';
export { buildHomeRecords, buildMeasuresRecords } from './publishing/build.ts';
export { seedHubDemo, type HubDemoSummary } from './demo.ts';
export { sendDueSubscriptions, startSubscriptionWorker } from './insight/subscriptions.ts';
export { makeHubOperator, isHubOperator } from './operator/service.ts';
