CREATE TABLE "repairs" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"job_reference" text NOT NULL,
	"home_id" uuid,
	"home_named" text,
	"reported_date" date,
	"priority" text,
	"status" text,
	"description" text,
	"completed_date" date,
	"target_date" date,
	"sor_code" text,
	"trade" text,
	"location" text,
	CONSTRAINT "repairs_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"subject_kind" text NOT NULL,
	"person_id" uuid,
	"home_id" uuid,
	"tenancy_id" uuid,
	"subject_named" text,
	"note_type" text,
	"author" text,
	"noted_at" timestamp with time zone,
	"text" text NOT NULL,
	CONSTRAINT "notes_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "notes_one_subject" CHECK (num_nonnulls("notes"."person_id", "notes"."home_id", "notes"."tenancy_id") <= 1)
);
--> statement-breakpoint
CREATE TABLE "import_row_issues" (
	"organisation_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"outcome" text NOT NULL,
	"values" jsonb NOT NULL,
	"problems" jsonb NOT NULL,
	CONSTRAINT "import_row_issues_organisation_id_import_id_row_number_pk" PRIMARY KEY("organisation_id","import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"source_system" text NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_bytes" bigint NOT NULL,
	"stored_path" text,
	"sheet" text,
	"headers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"profile" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"for_review" integer DEFAULT 0 NOT NULL,
	"checkpoint_row" integer DEFAULT 1 NOT NULL,
	"bytes_done" bigint DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "imports_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "mapping_profiles" (
	"organisation_id" uuid NOT NULL,
	"source_system" text NOT NULL,
	"kind" text NOT NULL,
	"profile" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mapping_profiles_organisation_id_source_system_kind_pk" PRIMARY KEY("organisation_id","source_system","kind")
);
--> statement-breakpoint
CREATE TABLE "record_changes" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"entity_kind" text NOT NULL,
	"record_id" uuid NOT NULL,
	"field" text NOT NULL,
	"old_value" text,
	"new_value" text,
	"import_id" uuid NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "record_changes_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "home_id" uuid;--> statement-breakpoint
ALTER TABLE "source_references" ADD COLUMN "source_values" jsonb;--> statement-breakpoint
ALTER TABLE "source_references" ADD COLUMN "last_import_id" uuid;--> statement-breakpoint
ALTER TABLE "repairs" ADD CONSTRAINT "repairs_organisation_id_home_id_homes_organisation_id_id_fk" FOREIGN KEY ("organisation_id","home_id") REFERENCES "public"."homes"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_organisation_id_person_id_people_organisation_id_id_fk" FOREIGN KEY ("organisation_id","person_id") REFERENCES "public"."people"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_organisation_id_home_id_homes_organisation_id_id_fk" FOREIGN KEY ("organisation_id","home_id") REFERENCES "public"."homes"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_organisation_id_tenancy_id_tenancies_organisation_id_id_fk" FOREIGN KEY ("organisation_id","tenancy_id") REFERENCES "public"."tenancies"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "repairs_home_idx" ON "repairs" USING btree ("organisation_id","home_id");--> statement-breakpoint
CREATE INDEX "repairs_job_reference_idx" ON "repairs" USING btree ("organisation_id","job_reference");--> statement-breakpoint
CREATE INDEX "notes_person_idx" ON "notes" USING btree ("organisation_id","person_id");--> statement-breakpoint
CREATE INDEX "notes_home_idx" ON "notes" USING btree ("organisation_id","home_id");--> statement-breakpoint
CREATE INDEX "notes_tenancy_idx" ON "notes" USING btree ("organisation_id","tenancy_id");--> statement-breakpoint
CREATE INDEX "import_row_issues_outcome_idx" ON "import_row_issues" USING btree ("organisation_id","import_id","outcome");--> statement-breakpoint
CREATE INDEX "imports_created_idx" ON "imports" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "record_changes_record_idx" ON "record_changes" USING btree ("organisation_id","record_id");--> statement-breakpoint
CREATE INDEX "record_changes_import_idx" ON "record_changes" USING btree ("organisation_id","import_id");--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_organisation_id_home_id_homes_organisation_id_id_fk" FOREIGN KEY ("organisation_id","home_id") REFERENCES "public"."homes"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "people_home_idx" ON "people" USING btree ("organisation_id","home_id");