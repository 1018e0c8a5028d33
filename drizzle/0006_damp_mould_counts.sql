CREATE TABLE "damp_mould_counts" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"homes" integer NOT NULL,
	"signals" integer NOT NULL,
	"counted_at" timestamp with time zone DEFAULT now() NOT NULL
);
