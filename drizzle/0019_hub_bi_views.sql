-- The hub's read-only SQL views for BI tools (docs/hub-bi.md), and the role that may read them and nothing else.
-- The views read the hub's own tables only: what landlords published under the Hearth Housing Data Standard, which
-- has no personal field. Counts are exact (this is for the regulator's and government's analysts, not the public site,
-- which applies disclosure control).
CREATE VIEW "hub"."bi_publishers" AS
SELECT p.publisher, p.name, p.kind,
  (SELECT count(*) FROM hub.homes h WHERE h.publisher = p.publisher) AS homes,
  (SELECT count(*) FROM hub.blocks b WHERE b.publisher = p.publisher AND b.higher_risk) AS higher_risk_blocks,
  (SELECT max(received_at) FROM hub.batches x WHERE x.publisher = p.publisher) AS last_received_at
FROM hub.publishers p;
--> statement-breakpoint
CREATE VIEW "hub"."bi_measures" AS
SELECT v.publisher, p.name AS landlord, v.period_from, v.period_to, v.tenure_group, v.measure,
  v.numerator, v.denominator,
  CASE
    WHEN v.denominator IS NULL OR v.denominator = 0 THEN NULL
    WHEN v.measure IN ('nm01_1', 'nm01_2', 'ch01_1', 'ch01_2') THEN round(1000.0 * v.numerator / v.denominator, 2)
    ELSE round(100.0 * v.numerator / v.denominator, 1)
  END AS value,
  CASE
    WHEN v.measure LIKE 'dm\_%' THEN 'count'
    WHEN v.measure IN ('nm01_1', 'nm01_2', 'ch01_1', 'ch01_2') THEN 'per 1,000 homes'
    ELSE '%'
  END AS unit
FROM hub.measure_values v JOIN hub.publishers p ON p.publisher = v.publisher;
--> statement-breakpoint
CREATE VIEW "hub"."bi_homes_by_area" AS
SELECT h.publisher, h.local_authority, la.name AS local_authority_name, la.region_code, la.region_name,
  h.rent_type, h.tenure_group, count(*) AS homes
FROM hub.homes h LEFT JOIN hub.local_authorities la ON la.code = h.local_authority
GROUP BY h.publisher, h.local_authority, la.name, la.region_code, la.region_name, h.rent_type, h.tenure_group;
--> statement-breakpoint
CREATE VIEW "hub"."bi_blocks" AS
SELECT b.publisher, b.block_reference, b.local_authority, la.name AS local_authority_name, la.region_name,
  b.storeys, b.height_metres, b.residential_units, b.higher_risk
FROM hub.blocks b LEFT JOIN hub.local_authorities la ON la.code = b.local_authority;
--> statement-breakpoint
DO $reader$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hub_reader') THEN CREATE ROLE hub_reader NOLOGIN; END IF;
END
$reader$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA hub TO hub_reader;
--> statement-breakpoint
GRANT SELECT ON hub.bi_publishers, hub.bi_measures, hub.bi_homes_by_area, hub.bi_blocks TO hub_reader;
