CREATE TABLE "quality_snapshots" (
	"organisation_id" uuid NOT NULL,
	"check_id" text NOT NULL,
	"taken_on" date NOT NULL,
	"count" integer NOT NULL,
	"total" integer NOT NULL,
	CONSTRAINT "quality_snapshots_organisation_id_check_id_taken_on_pk" PRIMARY KEY("organisation_id","check_id","taken_on")
);
--> statement-breakpoint
CREATE TABLE "patch_estates" (
	"organisation_id" uuid NOT NULL,
	"patch_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	CONSTRAINT "patch_estates_organisation_id_patch_id_estate_id_pk" PRIMARY KEY("organisation_id","patch_id","estate_id")
);
--> statement-breakpoint
CREATE TABLE "patch_homes" (
	"organisation_id" uuid NOT NULL,
	"patch_id" uuid NOT NULL,
	"home_id" uuid NOT NULL,
	CONSTRAINT "patch_homes_organisation_id_patch_id_home_id_pk" PRIMARY KEY("organisation_id","patch_id","home_id")
);
--> statement-breakpoint
CREATE TABLE "patches" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"officer_user_id" uuid,
	CONSTRAINT "patches_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "action_due" date;--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "actioned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "actioned_by" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "communication_needs" text;--> statement-breakpoint
ALTER TABLE "patch_estates" ADD CONSTRAINT "patch_estates_organisation_id_patch_id_patches_organisation_id_id_fk" FOREIGN KEY ("organisation_id","patch_id") REFERENCES "public"."patches"("organisation_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patch_estates" ADD CONSTRAINT "patch_estates_organisation_id_estate_id_estates_organisation_id_id_fk" FOREIGN KEY ("organisation_id","estate_id") REFERENCES "public"."estates"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patch_homes" ADD CONSTRAINT "patch_homes_organisation_id_patch_id_patches_organisation_id_id_fk" FOREIGN KEY ("organisation_id","patch_id") REFERENCES "public"."patches"("organisation_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patch_homes" ADD CONSTRAINT "patch_homes_organisation_id_home_id_homes_organisation_id_id_fk" FOREIGN KEY ("organisation_id","home_id") REFERENCES "public"."homes"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patches" ADD CONSTRAINT "patches_organisation_id_officer_user_id_users_organisation_id_id_fk" FOREIGN KEY ("organisation_id","officer_user_id") REFERENCES "public"."users"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patch_estates_estate_idx" ON "patch_estates" USING btree ("organisation_id","estate_id");--> statement-breakpoint
CREATE INDEX "patch_homes_home_idx" ON "patch_homes" USING btree ("organisation_id","home_id");--> statement-breakpoint
CREATE UNIQUE INDEX "patches_officer_idx" ON "patches" USING btree ("organisation_id","officer_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "patches_name_idx" ON "patches" USING btree ("organisation_id","name");--> statement-breakpoint
CREATE INDEX "homes_estate_idx" ON "homes" USING btree ("organisation_id","estate_id");--> statement-breakpoint
CREATE INDEX "notes_action_idx" ON "notes" USING btree ("organisation_id","action_due") WHERE "notes"."action_due" is not null and "notes"."actioned_at" is null;