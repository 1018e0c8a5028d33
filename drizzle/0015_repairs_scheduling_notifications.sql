CREATE TABLE "notifications" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"template_id" text NOT NULL,
	"personalisation" jsonb NOT NULL,
	"reference" text,
	"subject" text,
	"body" text NOT NULL,
	"provider" text NOT NULL,
	"provider_id" text,
	"status" text NOT NULL,
	"error" text,
	"about_kind" text,
	"about_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "notifications_channel" CHECK ("notifications"."channel" in ('email', 'sms'))
);
--> statement-breakpoint
CREATE TABLE "repair_photos" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"request_id" uuid,
	"repair_id" uuid,
	"content_type" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"taken_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "repair_photos_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "repair_requests" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reference" text NOT NULL,
	"home_id" uuid NOT NULL,
	"communal" boolean DEFAULT false NOT NULL,
	"settings_version" integer NOT NULL,
	"triage_path" jsonb NOT NULL,
	"sor_code" text NOT NULL,
	"trade" text NOT NULL,
	"triage_priority" text NOT NULL,
	"priority_code" text NOT NULL,
	"description" text NOT NULL,
	"location" text,
	"availability" text,
	"contact_name" text,
	"contact_phone" text,
	"contact_email" text,
	"contact_by" text,
	"channel" text NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"hazard_report_id" uuid,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "repair_requests_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "repair_requests_channel" CHECK ("repair_requests"."channel" in ('online', 'staff', 'api'))
);
--> statement-breakpoint
CREATE TABLE "repair_settings" (
	"organisation_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "repair_settings_organisation_id_version_pk" PRIMARY KEY("organisation_id","version")
);
--> statement-breakpoint
CREATE TABLE "work_order_events" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"repair_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"reason" text,
	"note" text,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_order_events_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"job_kind" text NOT NULL,
	"job_id" uuid NOT NULL,
	"job_reference" text NOT NULL,
	"home_id" uuid,
	"latitude" numeric(9, 6),
	"longitude" numeric(9, 6),
	"trade" text NOT NULL,
	"minutes" integer NOT NULL,
	"date" date NOT NULL,
	"slot" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"operative_id" uuid,
	"sequence" integer,
	"planned_start" timestamp with time zone,
	"href" text NOT NULL,
	"label" text NOT NULL,
	CONSTRAINT "appointments_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "appointments_status" CHECK ("appointments"."status" in ('booked', 'cancelled', 'rebooked', 'attended'))
);
--> statement-breakpoint
CREATE TABLE "day_plans" (
	"organisation_id" uuid NOT NULL,
	"date" date NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL,
	"built_by" text NOT NULL,
	"jobs" integer NOT NULL,
	"unassigned" integer NOT NULL,
	"operatives_used" integer NOT NULL,
	"travel_minutes" integer NOT NULL,
	"lateness_minutes" integer NOT NULL,
	"milliseconds" integer NOT NULL,
	"not_placed" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "day_plans_organisation_id_date_pk" PRIMARY KEY("organisation_id","date")
);
--> statement-breakpoint
CREATE TABLE "operatives" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"user_id" uuid,
	"trades" jsonb NOT NULL,
	"pattern" jsonb NOT NULL,
	"base_postcode" text,
	"base_latitude" numeric(9, 6),
	"base_longitude" numeric(9, 6),
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "operatives_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
ALTER TABLE "homes" ADD COLUMN "latitude" numeric(9, 6);--> statement-breakpoint
ALTER TABLE "homes" ADD COLUMN "longitude" numeric(9, 6);--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "work_status" text;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "request_id" uuid;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "priority_code" text;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "raised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "minutes" integer;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "hold_reason" text;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "work_done" text;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "operative_words" jsonb;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "access_notes" text;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "first_time_fix" boolean;--> statement-breakpoint
ALTER TABLE "repairs" ADD COLUMN "settings_version" integer;--> statement-breakpoint
ALTER TABLE "repair_requests" ADD CONSTRAINT "repair_requests_organisation_id_home_id_homes_organisation_id_id_fk" FOREIGN KEY ("organisation_id","home_id") REFERENCES "public"."homes"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_events" ADD CONSTRAINT "work_order_events_organisation_id_repair_id_repairs_organisation_id_id_fk" FOREIGN KEY ("organisation_id","repair_id") REFERENCES "public"."repairs"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_created_idx" ON "notifications" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_about_idx" ON "notifications" USING btree ("organisation_id","about_kind","about_id");--> statement-breakpoint
CREATE INDEX "repair_photos_request_idx" ON "repair_photos" USING btree ("organisation_id","request_id");--> statement-breakpoint
CREATE INDEX "repair_photos_repair_idx" ON "repair_photos" USING btree ("organisation_id","repair_id");--> statement-breakpoint
CREATE UNIQUE INDEX "repair_requests_reference_idx" ON "repair_requests" USING btree ("organisation_id","reference");--> statement-breakpoint
CREATE INDEX "repair_requests_home_idx" ON "repair_requests" USING btree ("organisation_id","home_id","reported_at");--> statement-breakpoint
CREATE INDEX "work_order_events_repair_idx" ON "work_order_events" USING btree ("organisation_id","repair_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_job_booked_idx" ON "appointments" USING btree ("organisation_id","job_kind","job_id") WHERE "appointments"."status" = 'booked';--> statement-breakpoint
CREATE INDEX "appointments_day_idx" ON "appointments" USING btree ("organisation_id","date","slot","status");--> statement-breakpoint
CREATE INDEX "appointments_operative_idx" ON "appointments" USING btree ("organisation_id","operative_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "operatives_user_idx" ON "operatives" USING btree ("organisation_id","user_id") WHERE "operatives"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "repairs_work_status_idx" ON "repairs" USING btree ("organisation_id","work_status","due_at") WHERE "repairs"."work_status" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "repairs_request_idx" ON "repairs" USING btree ("organisation_id","request_id") WHERE "repairs"."request_id" is not null and "repairs"."parent_id" is null;