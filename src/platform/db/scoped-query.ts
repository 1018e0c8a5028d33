// One statement in a transaction of its own, scoped to an organisation, in ONE round trip to a PostgreSQL server:
//   BEGIN; SET LOCAL ROLE hearth_app; SET LOCAL hearth.org_id = '…'; <the statement>; COMMIT
// sent together as extended-protocol messages before a single Sync (PostgreSQL runs them in order and answers once).
// The store's readOrg runs every statement of a read this way (decision 0027): the organisation is SET LOCAL inside a
// transaction, which a Citus coordinator passes on to its workers, yet a one-statement read costs one round trip, as
// it did when the setting lived on the connection. If the statement fails, PostgreSQL skips the rest up to the Sync and
// the transaction is left aborted: the caller must ROLLBACK before the connection is used again (readOrg does).
import pg from 'pg';

/** What of node-postgres's Query (lib/query.js) this extends: its protocol steps and results. */
interface QueryInternals {
  portal: string;
  _results: unknown;
  prepare(connection: Connection): void;
  handleReadyForQuery(connection: Connection): void;
}

interface Connection {
  parse(message: { text: string; name?: string; types?: unknown[] }): void;
  bind(message: Record<string, unknown>): void;
  execute(message: { portal?: string; rows?: number }): void;
  sync(): void;
}

const BaseQuery = pg.Query as unknown as new (config: unknown, values?: unknown) => QueryInternals;

export class ScopedQuery extends BaseQuery {
  private readonly before: readonly string[];
  private readonly after: readonly string[];

  /** `scope`: the statements that set the role and organisation (store.ts organisationScope). */
  constructor(config: unknown, values: unknown, scope: readonly string[]) {
    super(config, values);
    this.before = ['BEGIN', ...scope];
    this.after = ['COMMIT'];
  }

  // Always the extended protocol, even without parameters: the simple one cannot be batched before a Sync.
  requiresPreparation(): boolean {
    return true;
  }

  prepare(connection: Connection): void {
    for (const text of this.before) unnamed(connection, text);
    super.prepare(connection); // the statement itself: parse (once per connection if named), bind, describe, execute, then _getRows
  }

  // node-postgres calls this to execute the statement and Sync; the COMMIT goes between the two.
  _getRows(connection: Connection, rows?: number): void {
    connection.execute({ portal: this.portal, rows });
    for (const text of this.after) unnamed(connection, text);
    connection.sync();
  }

  // The answers come as one result per statement (BEGIN, the SETs, the statement, COMMIT): give the statement's.
  handleReadyForQuery(connection: Connection): void {
    if (Array.isArray(this._results)) this._results = this._results[this.before.length];
    super.handleReadyForQuery(connection);
  }
}

function unnamed(connection: Connection, text: string): void {
  connection.parse({ text, name: '', types: [] });
  connection.bind({ portal: '', statement: '', values: [] });
  connection.execute({ portal: '' });
}

/**
 * A node-postgres client whose every query runs as a ScopedQuery, for drizzle (drizzle(scopedClient(…))) and for the
 * store's prepared statements (it keeps `connection`, by which executePrepared knows it may name statements).
 */
export function scopedClient(client: pg.PoolClient, scope: readonly string[]): { connection: unknown; query(config: unknown, values?: unknown): Promise<pg.QueryResult> } {
  return {
    connection: (client as unknown as { connection: unknown }).connection,
    query(config: unknown, values?: unknown): Promise<pg.QueryResult> {
      return new Promise((resolve, reject) => {
        const query = new ScopedQuery(config, values, scope);
        (query as unknown as { callback: (err: Error | null, result: pg.QueryResult) => void }).callback = (err, result) => (err ? reject(err) : resolve(result));
        client.query(query as unknown as pg.Submittable);
      });
    },
  };
}
