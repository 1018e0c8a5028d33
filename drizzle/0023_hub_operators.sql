CREATE TABLE "hub"."operators" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL
);
