CREATE TABLE "asb_actions" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" text,
	"note" text,
	CONSTRAINT "asb_actions_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "asb_case_links" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"case_id" uuid NOT NULL,
	"linked_case_id" uuid NOT NULL,
	"reason" text,
	CONSTRAINT "asb_case_links_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "asb_case_links_self_check" CHECK ("asb_case_links"."case_id" <> "asb_case_links"."linked_case_id")
);
--> statement-breakpoint
CREATE TABLE "asb_case_places" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"case_id" uuid NOT NULL,
	"home_id" uuid,
	"block_id" uuid,
	"tenancy_id" uuid,
	CONSTRAINT "asb_case_places_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "asb_case_places_one_check" CHECK (num_nonnulls("asb_case_places"."home_id", "asb_case_places"."block_id", "asb_case_places"."tenancy_id") = 1)
);
--> statement-breakpoint
CREATE TABLE "asb_case_reviews" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"case_id" uuid NOT NULL,
	"triggered_at" timestamp with time zone NOT NULL,
	"finding" jsonb NOT NULL,
	"review_on" date,
	"outcome" text,
	"recommendations" text,
	CONSTRAINT "asb_case_reviews_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "asb_cases" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reference" text NOT NULL,
	"status" text NOT NULL,
	"summary" text NOT NULL,
	"categories" jsonb NOT NULL,
	"priority_code" text NOT NULL,
	"priority_reason" text,
	"hate" boolean DEFAULT false NOT NULL,
	"protected_characteristics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"risk_level" text,
	"officer_user_id" uuid,
	"team_user_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"closing_reason" text,
	"satisfaction" jsonb,
	"alert_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"case_review_flagged_at" timestamp with time zone,
	"settings_version" integer NOT NULL,
	CONSTRAINT "asb_cases_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "asb_cases_status_check" CHECK ("asb_cases"."status" in ('open', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "asb_evidence" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"incident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"text" text,
	"file_name" text,
	"content_type" text,
	"bytes" "bytea",
	CONSTRAINT "asb_evidence_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "asb_incidents" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"case_id" uuid NOT NULL,
	"occurred_on" date NOT NULL,
	"occurred_time" text,
	"place" text,
	"description" text NOT NULL,
	"reported_by_party_id" uuid,
	"reported_by_name" text,
	"reported_via" text,
	"reported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "asb_incidents_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "asb_parties" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"case_id" uuid NOT NULL,
	"role" text NOT NULL,
	"kind" text NOT NULL,
	"person_id" uuid,
	"name" text,
	"notes" text,
	CONSTRAINT "asb_parties_organisation_id_id_pk" PRIMARY KEY("organisation_id","id"),
	CONSTRAINT "asb_parties_role_check" CHECK ("asb_parties"."role" in ('complainant', 'alleged-perpetrator', 'witness')),
	CONSTRAINT "asb_parties_kind_check" CHECK ("asb_parties"."kind" in ('person', 'group', 'unknown') and ("asb_parties"."kind" <> 'person' or "asb_parties"."person_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "asb_risk_assessments" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"case_id" uuid NOT NULL,
	"incident_id" uuid,
	"answers" jsonb NOT NULL,
	"score" integer NOT NULL,
	"level" text NOT NULL,
	"assessed_at" timestamp with time zone NOT NULL,
	"assessed_by" text NOT NULL,
	"settings_version" integer NOT NULL,
	CONSTRAINT "asb_risk_assessments_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "asb_settings" (
	"organisation_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"settings" jsonb NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"saved_by" text NOT NULL,
	CONSTRAINT "asb_settings_organisation_id_version_pk" PRIMARY KEY("organisation_id","version")
);
--> statement-breakpoint
CREATE TABLE "asb_tools" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"started_on" date,
	"ends_on" date,
	"next_date_on" date,
	"against_party_id" uuid,
	"notes" text,
	CONSTRAINT "asb_tools_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
ALTER TABLE "asb_actions" ADD CONSTRAINT "asb_actions_organisation_id_case_id_asb_cases_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."asb_cases"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_case_links" ADD CONSTRAINT "asb_case_links_organisation_id_case_id_asb_cases_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."asb_cases"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_case_links" ADD CONSTRAINT "asb_case_links_organisation_id_linked_case_id_asb_cases_organisation_id_id_fk" FOREIGN KEY ("organisation_id","linked_case_id") REFERENCES "public"."asb_cases"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_case_places" ADD CONSTRAINT "asb_case_places_organisation_id_case_id_asb_cases_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."asb_cases"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_case_places" ADD CONSTRAINT "asb_case_places_organisation_id_home_id_homes_organisation_id_id_fk" FOREIGN KEY ("organisation_id","home_id") REFERENCES "public"."homes"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_case_places" ADD CONSTRAINT "asb_case_places_organisation_id_block_id_blocks_organisation_id_id_fk" FOREIGN KEY ("organisation_id","block_id") REFERENCES "public"."blocks"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_case_places" ADD CONSTRAINT "asb_case_places_organisation_id_tenancy_id_tenancies_organisation_id_id_fk" FOREIGN KEY ("organisation_id","tenancy_id") REFERENCES "public"."tenancies"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_case_reviews" ADD CONSTRAINT "asb_case_reviews_organisation_id_case_id_asb_cases_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."asb_cases"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_evidence" ADD CONSTRAINT "asb_evidence_organisation_id_incident_id_asb_incidents_organisation_id_id_fk" FOREIGN KEY ("organisation_id","incident_id") REFERENCES "public"."asb_incidents"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_incidents" ADD CONSTRAINT "asb_incidents_organisation_id_case_id_asb_cases_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."asb_cases"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_parties" ADD CONSTRAINT "asb_parties_organisation_id_case_id_asb_cases_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."asb_cases"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_parties" ADD CONSTRAINT "asb_parties_organisation_id_person_id_people_organisation_id_id_fk" FOREIGN KEY ("organisation_id","person_id") REFERENCES "public"."people"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_risk_assessments" ADD CONSTRAINT "asb_risk_assessments_organisation_id_case_id_asb_cases_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."asb_cases"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asb_tools" ADD CONSTRAINT "asb_tools_organisation_id_case_id_asb_cases_organisation_id_id_fk" FOREIGN KEY ("organisation_id","case_id") REFERENCES "public"."asb_cases"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asb_actions_due_idx" ON "asb_actions" USING btree ("organisation_id","due_at") WHERE "asb_actions"."done_at" is null;--> statement-breakpoint
CREATE INDEX "asb_actions_case_idx" ON "asb_actions" USING btree ("organisation_id","case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "asb_case_links_pair_idx" ON "asb_case_links" USING btree ("organisation_id","case_id","linked_case_id");--> statement-breakpoint
CREATE INDEX "asb_case_places_case_idx" ON "asb_case_places" USING btree ("organisation_id","case_id");--> statement-breakpoint
CREATE INDEX "asb_case_places_home_idx" ON "asb_case_places" USING btree ("organisation_id","home_id") WHERE "asb_case_places"."home_id" is not null;--> statement-breakpoint
CREATE INDEX "asb_case_places_block_idx" ON "asb_case_places" USING btree ("organisation_id","block_id") WHERE "asb_case_places"."block_id" is not null;--> statement-breakpoint
CREATE INDEX "asb_case_reviews_case_idx" ON "asb_case_reviews" USING btree ("organisation_id","case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "asb_cases_reference_idx" ON "asb_cases" USING btree ("organisation_id","reference");--> statement-breakpoint
CREATE INDEX "asb_cases_open_idx" ON "asb_cases" USING btree ("organisation_id","status","opened_at");--> statement-breakpoint
CREATE INDEX "asb_evidence_incident_idx" ON "asb_evidence" USING btree ("organisation_id","incident_id");--> statement-breakpoint
CREATE INDEX "asb_incidents_case_idx" ON "asb_incidents" USING btree ("organisation_id","case_id","occurred_on");--> statement-breakpoint
CREATE INDEX "asb_parties_case_idx" ON "asb_parties" USING btree ("organisation_id","case_id");--> statement-breakpoint
CREATE INDEX "asb_parties_person_idx" ON "asb_parties" USING btree ("organisation_id","person_id") WHERE "asb_parties"."person_id" is not null;--> statement-breakpoint
CREATE INDEX "asb_risk_assessments_case_idx" ON "asb_risk_assessments" USING btree ("organisation_id","case_id","assessed_at");--> statement-breakpoint
CREATE INDEX "asb_tools_case_idx" ON "asb_tools" USING btree ("organisation_id","case_id");