-- The boards with snapshots stored since the read copy was built (snapshot_id above its highest): one row per
-- board (leaderboard, arena, category, style_control).
SELECT DISTINCT leaderboard, arena, category, style_control
FROM snapshots
WHERE snapshot_id > $max_snapshot_id
ORDER BY ALL;
