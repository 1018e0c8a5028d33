// A store whose organisation work runs WITHOUT row-level security: withOrg and readOrg run as the database owner (who
// bypasses it: the policies are for hearth_app and are not FORCEd; on PGlite and on a test server the owner is a
// superuser as well), with hearth.org_id still set so that code reading current_setting('hearth.org_id') works.
// Every query then sees every landlord's rows unless it names its organisation itself (organisation_id = …), as it
// must for Citus to route it to one shard (issue 17). Everything else (system, copy, migrate, …) is the store's own.
// Tests only: never give this to a running Hearth.
import { sql } from 'drizzle-orm';
import type { Db, Store } from '../../src/platform/db/store.ts';
import { isUuid } from '../../src/platform/uuid.ts';

export function withoutRowSecurity(store: Store): Store {
  const asOwner = <T>(organisationId: string, work: (tx: Db) => Promise<T>): Promise<T> => {
    // As organisationScope: an id that is not a UUID never reaches the database.
    if (!isUuid(organisationId)) return Promise.reject(new Error('organisation id must be a UUID'));
    return store.system(async (tx) => {
      await tx.execute(sql`select set_config('hearth.org_id', ${organisationId}, true)`);
      return work(tx);
    });
  };
  return { ...store, withOrg: asOwner, readOrg: asOwner };
}
