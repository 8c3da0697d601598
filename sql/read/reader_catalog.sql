-- The catalogue of the read copy attached to a reader's in-memory instance: one row, its name.
SELECT database_name FROM duckdb_databases() WHERE NOT internal AND database_name <> 'memory';
