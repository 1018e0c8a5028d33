CREATE TABLE "hub_insight_subscriptions" (
	"organisation_id" uuid NOT NULL,
	"view_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"sent_through" timestamp with time zone,
	"last_sent_at" timestamp with time zone,
	"origin" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hub_insight_subscriptions_organisation_id_view_id_pk" PRIMARY KEY("organisation_id","view_id")
);
--> statement-breakpoint
CREATE TABLE "hub_insight_views" (
	"organisation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hub_insight_views_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
ALTER TABLE "hub_insight_subscriptions" ADD CONSTRAINT "hub_insight_subscriptions_view_fk" FOREIGN KEY ("organisation_id","view_id") REFERENCES "public"."hub_insight_views"("organisation_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hub_insight_views_user_idx" ON "hub_insight_views" USING btree ("organisation_id","user_id","name");