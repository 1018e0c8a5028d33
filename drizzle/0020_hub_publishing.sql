CREATE TABLE "hub_published_homes" (
	"organisation_id" uuid NOT NULL,
	"home_id" uuid NOT NULL,
	"landlord_reference" text NOT NULL,
	"record_hash" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hub_published_homes_organisation_id_home_id_pk" PRIMARY KEY("organisation_id","home_id")
);
--> statement-breakpoint
CREATE TABLE "hub_publishing" (
	"organisation_id" uuid NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"hub_url" text,
	"publisher" text,
	"key_id" text,
	"secret" text,
	"publish_homes" boolean DEFAULT true NOT NULL,
	"publish_measures" boolean DEFAULT true NOT NULL,
	"default_local_authority" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"full_sync" boolean DEFAULT false NOT NULL,
	"full_sync_after" uuid,
	"measures_pushed_at" timestamp with time zone,
	"last_position" bigint DEFAULT 0 NOT NULL,
	"last_push_at" timestamp with time zone,
	"last_accepted" integer,
	"last_rejected" integer,
	"last_errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_invalid" integer,
	"last_failure" text,
	"last_failure_at" timestamp with time zone,
	"failures_in_a_row" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	CONSTRAINT "hub_publishing_organisation_id_pk" PRIMARY KEY("organisation_id")
);
--> statement-breakpoint
CREATE TABLE "hub_publishing_changes" (
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"record_id" uuid NOT NULL,
	"position" bigint NOT NULL,
	CONSTRAINT "hub_publishing_changes_organisation_id_kind_record_id_pk" PRIMARY KEY("organisation_id","kind","record_id")
);
--> statement-breakpoint
CREATE INDEX "hub_publishing_changes_position_idx" ON "hub_publishing_changes" USING btree ("organisation_id","position");