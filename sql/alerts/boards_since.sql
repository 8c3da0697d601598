-- The boards with snapshots newer than $snapshot_id (BIGINT; null: every board with a snapshot), one row each.
SELECT DISTINCT leaderboard, arena, category, style_control
FROM snapshots
WHERE snapshot_id > coalesce(CAST($snapshot_id AS BIGINT), -1)
ORDER BY ALL;
