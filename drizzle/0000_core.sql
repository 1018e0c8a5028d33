CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"registration_number" text,
	"kind" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "blocks" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"estate_id" uuid,
	"name" text NOT NULL,
	"building_number" text,
	"street" text,
	"locality" text,
	"town" text,
	"postcode" text,
	"storeys" integer,
	"height_metres" numeric(6, 2),
	"height_source" text,
	"height_method" text,
	"year_built" integer,
	"residential_units" integer,
	CONSTRAINT "blocks_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "estates" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"local_authority" text,
	CONSTRAINT "estates_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "homes" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"uprn" text,
	"reference" text,
	"sub_building" text,
	"building_name" text,
	"building_number" text,
	"street" text,
	"locality" text,
	"town" text,
	"postcode" text,
	"property_type" text NOT NULL,
	"bedrooms" integer,
	"floor" integer,
	"block_id" uuid,
	"estate_id" uuid,
	"search_text" text DEFAULT '' NOT NULL,
	CONSTRAINT "homes_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "people" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text,
	"given_name" text NOT NULL,
	"middle_names" text,
	"family_name" text NOT NULL,
	"preferred_name" text,
	"date_of_birth" date,
	"contact_points" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"address" jsonb,
	"search_text" text DEFAULT '' NOT NULL,
	CONSTRAINT "people_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "person_alerts" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"person_id" uuid NOT NULL,
	"hact_code" text NOT NULL,
	"category" text NOT NULL,
	"description" text,
	"confidentiality" text NOT NULL,
	"start_date" date NOT NULL,
	"review_date" date,
	"end_date" date,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_alerts_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "tenancies" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reference" text NOT NULL,
	"tenancy_type" text NOT NULL,
	"tenure" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"home_id" uuid NOT NULL,
	CONSTRAINT "tenancies_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "tenancy_members" (
	"organisation_id" uuid NOT NULL,
	"tenancy_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"role" text NOT NULL,
	"relationship" text,
	"start_date" date,
	"end_date" date,
	CONSTRAINT "tenancy_members_organisation_id_tenancy_id_person_id_pk" PRIMARY KEY("organisation_id","tenancy_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"organisation_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sessions_organisation_id_token_hash_pk" PRIMARY KEY("organisation_id","token_hash")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "users_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"entity_kind" text NOT NULL,
	"entity_id" uuid,
	"detail" jsonb,
	CONSTRAINT "audit_events_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "source_references" (
	"organisation_id" uuid NOT NULL,
	"entity_kind" text NOT NULL,
	"source_system" text NOT NULL,
	"source_id" text NOT NULL,
	"record_id" uuid NOT NULL,
	"description" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_references_organisation_id_entity_kind_source_system_source_id_pk" PRIMARY KEY("organisation_id","entity_kind","source_system","source_id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"organisation_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"headers" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_organisation_id_key_pk" PRIMARY KEY("organisation_id","key")
);
--> statement-breakpoint
ALTER TABLE "blocks" ADD CONSTRAINT "blocks_organisation_id_estate_id_estates_organisation_id_id_fk" FOREIGN KEY ("organisation_id","estate_id") REFERENCES "public"."estates"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "homes" ADD CONSTRAINT "homes_organisation_id_block_id_blocks_organisation_id_id_fk" FOREIGN KEY ("organisation_id","block_id") REFERENCES "public"."blocks"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "homes" ADD CONSTRAINT "homes_organisation_id_estate_id_estates_organisation_id_id_fk" FOREIGN KEY ("organisation_id","estate_id") REFERENCES "public"."estates"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_alerts" ADD CONSTRAINT "person_alerts_organisation_id_person_id_people_organisation_id_id_fk" FOREIGN KEY ("organisation_id","person_id") REFERENCES "public"."people"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenancies" ADD CONSTRAINT "tenancies_organisation_id_home_id_homes_organisation_id_id_fk" FOREIGN KEY ("organisation_id","home_id") REFERENCES "public"."homes"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenancy_members" ADD CONSTRAINT "tenancy_members_organisation_id_tenancy_id_tenancies_organisation_id_id_fk" FOREIGN KEY ("organisation_id","tenancy_id") REFERENCES "public"."tenancies"("organisation_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenancy_members" ADD CONSTRAINT "tenancy_members_organisation_id_person_id_people_organisation_id_id_fk" FOREIGN KEY ("organisation_id","person_id") REFERENCES "public"."people"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisations_name_idx" ON "organisations" USING btree ("name");--> statement-breakpoint
CREATE INDEX "blocks_estate_idx" ON "blocks" USING btree ("organisation_id","estate_id");--> statement-breakpoint
CREATE INDEX "blocks_name_idx" ON "blocks" USING btree ("organisation_id","name");--> statement-breakpoint
CREATE INDEX "estates_name_idx" ON "estates" USING btree ("organisation_id","name");--> statement-breakpoint
CREATE INDEX "homes_uprn_idx" ON "homes" USING btree ("organisation_id","uprn");--> statement-breakpoint
CREATE INDEX "homes_reference_idx" ON "homes" USING btree ("organisation_id","reference");--> statement-breakpoint
CREATE INDEX "homes_postcode_idx" ON "homes" USING btree ("organisation_id","postcode");--> statement-breakpoint
CREATE INDEX "homes_block_idx" ON "homes" USING btree ("organisation_id","block_id");--> statement-breakpoint
CREATE INDEX "people_family_name_idx" ON "people" USING btree ("organisation_id","family_name");--> statement-breakpoint
CREATE INDEX "person_alerts_person_idx" ON "person_alerts" USING btree ("organisation_id","person_id");--> statement-breakpoint
CREATE INDEX "tenancies_home_idx" ON "tenancies" USING btree ("organisation_id","home_id");--> statement-breakpoint
CREATE INDEX "tenancies_reference_idx" ON "tenancies" USING btree ("organisation_id","reference");--> statement-breakpoint
CREATE INDEX "tenancy_members_person_idx" ON "tenancy_members" USING btree ("organisation_id","person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_idx" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_idx" ON "sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_idx" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("organisation_id","entity_kind","entity_id");--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("organisation_id","at");--> statement-breakpoint
CREATE INDEX "source_references_record_idx" ON "source_references" USING btree ("organisation_id","record_id");