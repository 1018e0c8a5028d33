-- Trigram indexes so search by part of a name or address stays fast as a landlord grows.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS homes_search_trgm_idx ON homes USING gin (search_text gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS people_search_trgm_idx ON people USING gin (search_text gin_trgm_ops);
--> statement-breakpoint
-- The role every organisation-scoped request runs as. It owns nothing, so row-level security applies to it.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hearth_app') THEN CREATE ROLE hearth_app NOLOGIN; END IF;
END $$;
