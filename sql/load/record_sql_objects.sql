-- After the macros and views were (re)created: the fingerprint of the SQL they were created from (one row).
-- $fingerprint VARCHAR: tracker.sqlfiles.fingerprint of sql/macros and sql/views
INSERT OR REPLACE INTO sql_objects VALUES (1, $fingerprint);
