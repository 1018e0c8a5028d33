ALTER TABLE "idempotency_keys" ADD COLUMN "caller_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_organisation_id_key_pk";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_organisation_id_caller_key_key_pk" PRIMARY KEY("organisation_id","caller_key","key");--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "after_import_at" timestamp with time zone;--> statement-breakpoint
-- Imports that finished before this migration had their after-import step run in the same process: none is owed.
UPDATE "imports" SET "after_import_at" = "finished_at" WHERE "status" = 'completed';--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
-- Every token expires: one made before expiry existed gets 90 days from its making, and at least 30 from today, so a
-- client in use has a month to get a new token.
UPDATE "api_tokens" SET "expires_at" = greatest("created_at" + interval '90 days', now() + interval '30 days');--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "expires_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "failed_sign_ins" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_sign_in_at" timestamp with time zone;
