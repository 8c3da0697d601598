-- The sources with stored snapshots, one row each.
SELECT DISTINCT source FROM snapshots ORDER BY source;
