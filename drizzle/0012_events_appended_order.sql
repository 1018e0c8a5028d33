DROP INDEX "events_unsequenced_idx";--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "appended_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL;--> statement-breakpoint
CREATE INDEX "events_unsequenced_idx" ON "events" USING btree ("appended_at","id") WHERE position is null;