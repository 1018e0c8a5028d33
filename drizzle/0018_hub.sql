CREATE SCHEMA "hub";
--> statement-breakpoint
CREATE TABLE "hub"."batches" (
	"publisher" text NOT NULL,
	"id" text NOT NULL,
	"via" text NOT NULL,
	"source_id" uuid,
	"body_hash" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"records" integer NOT NULL,
	"accepted" integer NOT NULL,
	"rejected" integer NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"fields_given" integer DEFAULT 0 NOT NULL,
	"fields_possible" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "batches_publisher_id_pk" PRIMARY KEY("publisher","id")
);
--> statement-breakpoint
CREATE TABLE "hub"."blocks" (
	"publisher" text NOT NULL,
	"block_reference" text NOT NULL,
	"local_authority" text NOT NULL,
	"storeys" integer,
	"height_metres" double precision,
	"residential_units" integer,
	"higher_risk" boolean,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "blocks_publisher_block_reference_pk" PRIMARY KEY("publisher","block_reference")
);
--> statement-breakpoint
CREATE TABLE "hub"."credentials" (
	"publisher" text NOT NULL,
	"key_id" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "credentials_publisher_key_id_pk" PRIMARY KEY("publisher","key_id")
);
--> statement-breakpoint
CREATE TABLE "hub"."homes" (
	"publisher" text NOT NULL,
	"landlord_reference" text NOT NULL,
	"uprn" text,
	"local_authority" text NOT NULL,
	"rent_type" text NOT NULL,
	"tenure_group" text,
	"needs_type" text,
	"property_type" text,
	"bedrooms" integer,
	"build_year" integer,
	"block_reference" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "homes_publisher_landlord_reference_pk" PRIMARY KEY("publisher","landlord_reference")
);
--> statement-breakpoint
CREATE TABLE "hub"."local_authorities" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region_code" text NOT NULL,
	"region_name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub"."measure_values" (
	"publisher" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"tenure_group" text NOT NULL,
	"measure" text NOT NULL,
	"numerator" bigint NOT NULL,
	"denominator" bigint,
	CONSTRAINT "measure_values_publisher_period_from_period_to_tenure_group_measure_pk" PRIMARY KEY("publisher","period_from","period_to","tenure_group","measure")
);
--> statement-breakpoint
CREATE TABLE "hub"."measures" (
	"publisher" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"tenure_group" text NOT NULL,
	"record" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "measures_publisher_period_from_period_to_tenure_group_pk" PRIMARY KEY("publisher","period_from","period_to","tenure_group")
);
--> statement-breakpoint
CREATE TABLE "hub"."publishers" (
	"publisher" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"region" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hub_publishers_kind_check" CHECK ("hub"."publishers"."kind" in ('private-registered-provider', 'local-authority'))
);
--> statement-breakpoint
CREATE TABLE "hub"."sources" (
	"publisher" text NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"url" text NOT NULL,
	"file_kind" text,
	"cursor_modified" bigint,
	"cursor_id" text,
	"next_url" text,
	"etag" text,
	"last_modified" text,
	"status" text DEFAULT 'ok' NOT NULL,
	"last_checked_at" timestamp with time zone,
	"last_changed_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sources_publisher_id_pk" PRIMARY KEY("publisher","id"),
	CONSTRAINT "hub_sources_kind_check" CHECK ("hub"."sources"."kind" in ('feed', 'file'))
);
--> statement-breakpoint
ALTER TABLE "hub"."batches" ADD CONSTRAINT "hub_batches_publisher_fk" FOREIGN KEY ("publisher") REFERENCES "hub"."publishers"("publisher") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."blocks" ADD CONSTRAINT "hub_blocks_publisher_fk" FOREIGN KEY ("publisher") REFERENCES "hub"."publishers"("publisher") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."credentials" ADD CONSTRAINT "hub_credentials_publisher_fk" FOREIGN KEY ("publisher") REFERENCES "hub"."publishers"("publisher") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."homes" ADD CONSTRAINT "hub_homes_publisher_fk" FOREIGN KEY ("publisher") REFERENCES "hub"."publishers"("publisher") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."measure_values" ADD CONSTRAINT "hub_measure_values_measures_fk" FOREIGN KEY ("publisher","period_from","period_to","tenure_group") REFERENCES "hub"."measures"("publisher","period_from","period_to","tenure_group") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."measures" ADD CONSTRAINT "hub_measures_publisher_fk" FOREIGN KEY ("publisher") REFERENCES "hub"."publishers"("publisher") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."sources" ADD CONSTRAINT "hub_sources_publisher_fk" FOREIGN KEY ("publisher") REFERENCES "hub"."publishers"("publisher") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hub_batches_received_idx" ON "hub"."batches" USING btree ("publisher","received_at");--> statement-breakpoint
CREATE INDEX "hub_homes_uprn_idx" ON "hub"."homes" USING btree ("publisher","uprn");--> statement-breakpoint
CREATE INDEX "hub_homes_local_authority_idx" ON "hub"."homes" USING btree ("local_authority","publisher");--> statement-breakpoint
CREATE INDEX "hub_measure_values_measure_idx" ON "hub"."measure_values" USING btree ("measure","period_to");