CREATE TABLE "link_models" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"model" jsonb,
	"trained_at" timestamp with time zone,
	"stats" jsonb,
	"source_ranking" jsonb
);
--> statement-breakpoint
CREATE TABLE "link_reviews" (
	"organisation_id" uuid NOT NULL,
	"a_id" uuid NOT NULL,
	"b_id" uuid NOT NULL,
	"weight" double precision NOT NULL,
	"probability" double precision NOT NULL,
	"comparisons" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "link_reviews_organisation_id_a_id_b_id_pk" PRIMARY KEY("organisation_id","a_id","b_id"),
	CONSTRAINT "link_reviews_order" CHECK ("link_reviews"."a_id" < "link_reviews"."b_id"),
	CONSTRAINT "link_reviews_status" CHECK ("link_reviews"."status" in ('pending', 'accepted', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "person_clusters" (
	"organisation_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"cluster_id" uuid NOT NULL,
	"how" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_clusters_organisation_id_person_id_pk" PRIMARY KEY("organisation_id","person_id"),
	CONSTRAINT "person_clusters_how" CHECK ("person_clusters"."how" in ('auto', 'accepted', 'alone'))
);
--> statement-breakpoint
ALTER TABLE "link_reviews" ADD CONSTRAINT "link_reviews_organisation_id_a_id_people_organisation_id_id_fk" FOREIGN KEY ("organisation_id","a_id") REFERENCES "public"."people"("organisation_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_reviews" ADD CONSTRAINT "link_reviews_organisation_id_b_id_people_organisation_id_id_fk" FOREIGN KEY ("organisation_id","b_id") REFERENCES "public"."people"("organisation_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_clusters" ADD CONSTRAINT "person_clusters_organisation_id_person_id_people_organisation_id_id_fk" FOREIGN KEY ("organisation_id","person_id") REFERENCES "public"."people"("organisation_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "link_reviews_status_idx" ON "link_reviews" USING btree ("organisation_id","status","probability");--> statement-breakpoint
CREATE INDEX "person_clusters_cluster_idx" ON "person_clusters" USING btree ("organisation_id","cluster_id");