DROP INDEX "events_position_idx";--> statement-breakpoint
DROP INDEX "events_subject_idx";--> statement-breakpoint
DROP INDEX "events_feed_idx";--> statement-breakpoint
CREATE INDEX "events_position_idx" ON "events" USING btree ("position") WHERE position is not null;--> statement-breakpoint
CREATE INDEX "events_subject_idx" ON "events" USING btree ("organisation_id","entity_kind","subject","position") WHERE position is not null;--> statement-breakpoint
CREATE INDEX "events_feed_idx" ON "events" USING btree ("organisation_id","entity_kind","position") WHERE position is not null;