CREATE TABLE "hub"."area_counts" (
	"publisher" text NOT NULL,
	"local_authority" text NOT NULL,
	"homes" integer NOT NULL,
	"lcra_homes" integer NOT NULL,
	"lcho_homes" integer NOT NULL,
	"blocks" integer NOT NULL,
	"higher_risk_blocks" integer NOT NULL,
	CONSTRAINT "area_counts_publisher_local_authority_pk" PRIMARY KEY("publisher","local_authority")
);
--> statement-breakpoint
ALTER TABLE "hub"."area_counts" ADD CONSTRAINT "hub_area_counts_publisher_fk" FOREIGN KEY ("publisher") REFERENCES "hub"."publishers"("publisher") ON DELETE cascade ON UPDATE no action;