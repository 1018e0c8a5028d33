CREATE TABLE "event_failures" (
	"organisation_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"subscriber" text NOT NULL,
	"attempts" integer NOT NULL,
	"error" text NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "event_failures_organisation_id_event_id_subscriber_pk" PRIMARY KEY("organisation_id","event_id","subscriber")
);
--> statement-breakpoint
CREATE TABLE "event_subscribers" (
	"name" text PRIMARY KEY NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"entity_kind" text NOT NULL,
	"subject" uuid NOT NULL,
	"time" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"correlation_id" text,
	"data" jsonb NOT NULL,
	"txid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"position" bigint,
	"sequenced_at" timestamp with time zone,
	CONSTRAINT "events_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE INDEX "events_position_idx" ON "events" USING btree ("position");--> statement-breakpoint
CREATE INDEX "events_unsequenced_idx" ON "events" USING btree ("txid","id") WHERE position is null;--> statement-breakpoint
CREATE INDEX "events_subject_idx" ON "events" USING btree ("organisation_id","entity_kind","subject");