-- Issue 10, defect 3: an update's audit row used to hold the old and new values of every kind, so reading the audit
-- log read alert descriptions (sensitive) without an audit row of its own. Updates now record only the names of the
-- fields that changed for every kind except estates, blocks, homes, tenancies and organisations (facts about places).
-- Rows written before that are rewritten the same way here, once, by the owner (the application role cannot change
-- audit rows).
UPDATE "audit_events"
SET "detail" = jsonb_build_object('fields', COALESCE((SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys("detail"->'changes') AS k), '[]'::jsonb))
WHERE "action" = 'update'
  AND "entity_kind" NOT IN ('estate', 'block', 'home', 'tenancy', 'organisation')
  AND jsonb_typeof("detail"->'changes') = 'object';
