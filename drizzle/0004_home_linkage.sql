CREATE TABLE "home_clusters" (
	"organisation_id" uuid NOT NULL,
	"home_id" uuid NOT NULL,
	"cluster_id" uuid NOT NULL,
	"how" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "home_clusters_organisation_id_home_id_pk" PRIMARY KEY("organisation_id","home_id"),
	CONSTRAINT "home_clusters_how" CHECK ("home_clusters"."how" in ('uprn', 'address', 'alone'))
);
--> statement-breakpoint
ALTER TABLE "home_clusters" ADD CONSTRAINT "home_clusters_organisation_id_home_id_homes_organisation_id_id_fk" FOREIGN KEY ("organisation_id","home_id") REFERENCES "public"."homes"("organisation_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "home_clusters_cluster_idx" ON "home_clusters" USING btree ("organisation_id","cluster_id");