-- methodology_events over a Parquet lake (the variable lake_root): one row per seeded methodology event.
CREATE OR REPLACE VIEW methodology_events AS
FROM read_parquet(getvariable('lake_root') || '/methodology_events.parquet');
