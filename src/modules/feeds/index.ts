// Change feeds (RPDE 1.0; decision 0018): one organisation's estates, blocks, homes and tenancies in the order they
// last changed, read from the outbox. The manifest; it owns no tables and no kinds of record.
import { defineModule } from '../../platform/modules.ts';
import { feedsApi } from './api.ts';

export const feedsModule = defineModule({
  name: 'feeds',
  apiTags: [{ name: 'Feeds', description: "Change feeds (RPDE 1.0) of estates, blocks, homes and tenancies, for systems that keep a copy in step, such as a national hub: each record once, at its latest change. The data belongs to the landlord whose API token reads it and is shared on that landlord's terms with whoever holds the token; it is not open data (each page's `license` points here). People, alerts and notes have no feed." }],
  api: (api, { read, store }) => feedsApi(api, read, store),
});

export { FEED_SOURCES, type FeedSource } from './sources.ts';
export { FEED_PAGE } from './service.ts';
