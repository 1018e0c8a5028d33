// The one list of Hearth's modules. The app (routes, pages, background jobs), the `hearth` command, the outbox relay's
// subscribers, the import kinds, the data quality report and the registries of kinds of record, permissions and audit
// actions all come from it (platform/modules.ts). Adding a module: its folder, with an index.ts that exports its
// manifest, and one line here (docs/adding-a-module.md).
//
// The order is the order of API routes, pages, commands and data quality sections; import kinds are ordered by their
// own `position`.
import type { HearthModule } from '../platform/modules.ts';
import { organisationsModule } from './organisations/index.ts';
import { homesModule } from './homes/index.ts';
import { peopleModule } from './people/index.ts';
import { tenanciesModule } from './tenancies/index.ts';
import { notificationsModule } from './notifications/index.ts';
import { schedulingModule } from './scheduling/index.ts';
import { repairsModule } from './repairs/index.ts';
import { notesModule } from './notes/index.ts';
import { hazardsModule } from './hazards/index.ts';
import { insightModule } from './insight/index.ts';
import { singleViewModule } from './single-view/index.ts';
import { searchModule } from './search/index.ts';
import { dataQualityModule } from './data-quality/index.ts';
import { ingestModule } from './ingest/index.ts';
import { linkageModule } from './linkage/index.ts';
import { demoModule } from './demo/index.ts';
import { feedsModule } from './feeds/index.ts';
import { webhooksModule } from './webhooks/index.ts';
import { patchesModule } from './patches/index.ts';
import { workspaceModule } from './workspace/index.ts';
import { asbModule } from './asb/index.ts';
import { hubModule } from './hub/index.ts';

export const MODULES: readonly HearthModule[] = [
  organisationsModule,
  homesModule,
  patchesModule,
  peopleModule,
  tenanciesModule,
  notificationsModule,
  schedulingModule,
  repairsModule,
  notesModule,
  hazardsModule,
  asbModule,
  insightModule,
  feedsModule,
  singleViewModule,
  searchModule,
  dataQualityModule,
  ingestModule,
  linkageModule,
  workspaceModule,
  demoModule,
  webhooksModule,
  hubModule,
];
