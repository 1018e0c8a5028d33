import { pgTable, text, timestamp, primaryKey, uniqueIndex, uuid, integer } from 'drizzle-orm/pg-core';
import { organisationId, recordId } from '../db/columns.ts';

/** Staff accounts. Passwords are stored as scrypt hashes (see docs/decisions/0003-passwords-scrypt.md). */
export const users = pgTable('users', {
  organisationId: organisationId(),
  id: recordId(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  /** Wrong passwords since the last good sign-in; enough of them lock the account until locked_until. */
  failedSignIns: integer('failed_sign_ins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  // One sign-in name across the whole installation, so sign-in needs no organisation picker.
  uniqueIndex('users_email_idx').on(t.email),
]);

/** Server-side sessions: the cookie holds a random token, the database only its SHA-256. */
export const sessions = pgTable('sessions', {
  organisationId: organisationId(),
  tokenHash: text('token_hash').notNull(),
  userId: uuid('user_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.tokenHash] }),
  uniqueIndex('sessions_token_idx').on(t.tokenHash),
]);

/** Bearer tokens for machine clients of the API. */
export const apiTokens = pgTable('api_tokens', {
  organisationId: organisationId(),
  id: recordId(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  tokenHash: text('token_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** After this the token no longer works (HEARTH_TOKEN_DAYS after creation by default): every token expires. */
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  /** Who created it: 'user:<id>', or 'system' for the hearth command. */
  createdBy: text('created_by'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  uniqueIndex('api_tokens_hash_idx').on(t.tokenHash),
]);
