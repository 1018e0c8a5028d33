import { pgTable, text, uuid, timestamp, jsonb, primaryKey, index, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * Messages sent to residents (email or text), through the configured provider (GOV.UK Notify, or the local provider
 * that only keeps them here for development and tests). Kept for the record of what was said and when; readable by
 * administrators only, as it holds contact details.
 */
export const notifications = pgTable('notifications', {
  organisationId: uuid('organisation_id').notNull(),
  id: uuid('id').notNull(),
  /** 'email' | 'sms' */
  channel: text('channel').notNull(),
  /** The email address or phone number it went to. */
  recipient: text('recipient').notNull(),
  /** Hearth's template name ("repair-reported"); the provider's own template id is in the settings (HEARTH_NOTIFY_TEMPLATES). */
  templateId: text('template_id').notNull(),
  personalisation: jsonb('personalisation').$type<Record<string, string>>().notNull(),
  /** Our reference, sent to the provider (the repair reference, say). */
  reference: text('reference'),
  subject: text('subject'),
  body: text('body').notNull(),
  /** 'local' | 'notify' */
  provider: text('provider').notNull(),
  /** The provider's id for it. */
  providerId: text('provider_id'),
  /** 'queued' | 'sending' | 'sent' | 'failed' */
  status: text('status').notNull(),
  error: text('error'),
  /** What it is about: 'repair-request' and its id. */
  aboutKind: text('about_kind'),
  aboutId: uuid('about_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  index('notifications_created_idx').on(t.organisationId, t.createdAt),
  index('notifications_about_idx').on(t.organisationId, t.aboutKind, t.aboutId),
  check('notifications_channel', sql`${t.channel} in ('email', 'sms')`),
]);
