CREATE TABLE "hazard_events" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"hazard_report_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text,
	"note" text,
	CONSTRAINT "hazard_events_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "hazard_reports" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"home_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"hazard" text NOT NULL,
	"severity" text NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"reported_by" text,
	"description" text NOT NULL,
	"location" text,
	"status" text DEFAULT 'open' NOT NULL,
	"investigated_at" timestamp with time zone,
	"investigation_outcome" text,
	"summary_sent_at" timestamp with time zone,
	"made_safe_at" timestamp with time zone,
	"further_works_started_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "hazard_reports_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "hazard_reports_severity" CHECK ("hazard_reports"."severity" in ('emergency', 'significant')),
	CONSTRAINT "hazard_reports_status" CHECK ("hazard_reports"."status" in ('open', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "damp_mould_signals" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"home_id" uuid NOT NULL,
	"source_kind" text NOT NULL,
	"source_id" uuid NOT NULL,
	"basis" text NOT NULL,
	"kinds" text NOT NULL,
	"evidence" text NOT NULL,
	"observed_on" date,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "damp_mould_signals_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
ALTER TABLE "hazard_events" ADD CONSTRAINT "hazard_events_organisation_id_hazard_report_id_hazard_reports_organisation_id_id_fk" FOREIGN KEY ("organisation_id","hazard_report_id") REFERENCES "public"."hazard_reports"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazard_reports" ADD CONSTRAINT "hazard_reports_organisation_id_home_id_homes_organisation_id_id_fk" FOREIGN KEY ("organisation_id","home_id") REFERENCES "public"."homes"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hazard_events_report_idx" ON "hazard_events" USING btree ("organisation_id","hazard_report_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "hazard_events_milestone_idx" ON "hazard_events" USING btree ("organisation_id","hazard_report_id","kind") WHERE "hazard_events"."kind" <> 'note';--> statement-breakpoint
CREATE UNIQUE INDEX "hazard_reports_reference_idx" ON "hazard_reports" USING btree ("organisation_id","reference");--> statement-breakpoint
CREATE INDEX "hazard_reports_home_idx" ON "hazard_reports" USING btree ("organisation_id","home_id");--> statement-breakpoint
CREATE INDEX "hazard_reports_open_idx" ON "hazard_reports" USING btree ("organisation_id","status","reported_at");--> statement-breakpoint
CREATE UNIQUE INDEX "damp_mould_signals_source_idx" ON "damp_mould_signals" USING btree ("organisation_id","source_kind","source_id");--> statement-breakpoint
CREATE INDEX "damp_mould_signals_home_idx" ON "damp_mould_signals" USING btree ("organisation_id","home_id","observed_on");