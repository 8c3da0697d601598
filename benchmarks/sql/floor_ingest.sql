-- The ingest floor: DuckDB's own bulk load of the same Parquet files into one table, nothing else
-- (no parsing, checks, ranks or history). No rows come back.
-- $files VARCHAR[]: the dataset's full-*.parquet files
CREATE TABLE floor AS SELECT * FROM read_parquet($files, union_by_name = true);
