// Helpers for views composed into one SQL statement that returns JSON in the API's shape.
import { sql, type SQL } from 'drizzle-orm';

/** A timestamp as an ISO 8601 UTC string, the same form Date.toISOString() gives. */
export const isoTimestamp = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
