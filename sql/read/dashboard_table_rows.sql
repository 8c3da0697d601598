-- Row counts of the tracker's main tables: one row per table (name, rows).
SELECT 'snapshots' AS table_name, count(*) AS rows FROM snapshots
UNION ALL SELECT 'standings', count(*) FROM standings
UNION ALL SELECT 'fetches', count(*) FROM fetches
UNION ALL SELECT 'raw_payloads', count(*) FROM raw_payloads
UNION ALL SELECT 'models', count(*) FROM models
UNION ALL SELECT 'model_aliases', count(*) FROM model_aliases;
