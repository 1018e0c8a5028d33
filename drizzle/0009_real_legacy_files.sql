ALTER TABLE "damp_mould_signals" ALTER COLUMN "home_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "blocks" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "homes" ADD COLUMN "address_lines" jsonb;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "name_as_recorded" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "warnings" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "filtered" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "blocks_reference_idx" ON "blocks" USING btree ("organisation_id","reference");