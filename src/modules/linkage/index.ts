// Record linkage (docs/linkage.md): which records of people are one person, and which rows of homes are one home; the
// reviews of doubtful pairs, golden records. The manifest, and the public functions other modules use: this file is
// the only one they import.
import { defineModule, type WorklistSection } from '../../platform/modules.ts';
import * as tables from './schema.ts';
import { linkageApi } from './api.ts';
import { linkagePages } from './pages.ts';
import { linkageFollowUp, linkageSubscriber } from './follow-up.ts';
import { linkageCommands } from './cli.ts';
import { likelihoodInWords, pendingReviews } from './service.ts';

/** The data lead's worklist: the pairs of records waiting for a decision, the most doubtful first (issue 13). */
export const pairsToReview: WorklistSection = {
  id: 'linkage-pairs-to-review',
  title: 'Pairs to review',
  roles: ['data-lead', 'administrator'],
  position: 40,
  href: '/linkage/reviews',
  empty: 'No pairs of records are waiting for a decision',
  async items(ctx, { limit }) {
    const { total, items } = await pendingReviews(ctx, { page: 1, perPage: limit });
    return {
      total,
      items: items.map((r) => ({ href: `/linkage/reviews/${r.aId}/${r.bId}`, text: `${r.aName} and ${r.bName}`, hint: likelihoodInWords(r.probability) })),
    };
  },
};

export const linkageModule = defineModule({
  name: 'linkage',
  tables,
  permissions: [{
    name: 'links:decide', description: 'accept or reject that two records are one person, split a record out',
    roles: ['administrator', 'data-lead'],
  }],
  auditActions: ['link-accepted', 'link-rejected', 'link-split', 'links-recomputed', 'link-undone'],
  apiTags: [{ name: 'Record linkage', description: 'Which person records are one person: reviews of doubtful pairs and the decisions on them.' }],
  // New people and homes are linked as their events come (the subscriber), and in a full run after an import of
  // them when one is due (the follow-up; docs/decisions/0020).
  importFollowUps: [linkageFollowUp],
  subscribers: [linkageSubscriber],
  api: (api, { run }) => linkageApi(api, run),
  navigation: [{ href: '/linkage', text: 'Linkage', sections: ['linkage'], permission: 'links:decide', position: 60 }],
  pages: (app, { page }) => linkagePages(app, page),
  worklists: [pairsToReview],
  commands: linkageCommands,
});

export {
  linkNew, linkedHomes, goldenRecord, survive, isLinkedSql, linkedPersonIdsSql, linkedRecordsJsonSql, sourceRankingJsonSql,
  GOLDEN_FIELDS, type LinkedRecord, type SourceRanking, peopleFigures, type PeopleFigures,
} from './service.ts';
