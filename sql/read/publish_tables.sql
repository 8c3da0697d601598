-- The writer database's tables, one row each: what publish copies into the read copy.
SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY 1;
