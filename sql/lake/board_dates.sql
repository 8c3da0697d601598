-- board_dates over a Parquet lake (the variable lake_root): one row per board and as-of date, as exported.
CREATE OR REPLACE VIEW board_dates AS
FROM read_parquet(getvariable('lake_root') || '/board_dates.parquet');
