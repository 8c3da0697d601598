-- The read copy's record of what it was built from (one row, replaced at every publish): when, how (full
-- or incremental), the fingerprint of the SQL that built it, and the writer's snapshot and fetch counts and
-- highest ids, from which the next publish tells what is new, and each small table's content hash (the
-- writer's rows the copy holds), from which it tells which small tables to copy again (store/read_copy.py).
SELECT
    now() AS published_at,
    CAST($mode AS VARCHAR) AS mode,
    CAST($fingerprint AS VARCHAR) AS fingerprint,
    (SELECT count(*) FROM snapshots) AS snapshots,
    (SELECT coalesce(max(snapshot_id), 0) FROM snapshots) AS max_snapshot_id,
    (SELECT coalesce(sum(row_count), 0) FROM snapshots) AS standings,
    (SELECT count(*) FROM fetches) AS fetches,
    (SELECT coalesce(max(fetch_id), 0) FROM fetches) AS max_fetch_id,
    CAST($boards AS VARCHAR[]) AS boards_recomputed,  -- board labels; null after a full publish
    map(CAST($hashed_tables AS VARCHAR[]), CAST($hashes AS VARCHAR[])) AS table_hashes
