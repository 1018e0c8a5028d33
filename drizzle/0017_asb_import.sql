ALTER TABLE "asb_incidents" ADD COLUMN "source_key" text;--> statement-breakpoint
ALTER TABLE "asb_parties" ADD COLUMN "source_key" text;--> statement-breakpoint
ALTER TABLE "asb_parties" ADD COLUMN "person_named" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "asb_incidents_source_idx" ON "asb_incidents" USING btree ("organisation_id","source_key") WHERE "asb_incidents"."source_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "asb_parties_source_idx" ON "asb_parties" USING btree ("organisation_id","source_key") WHERE "asb_parties"."source_key" is not null;