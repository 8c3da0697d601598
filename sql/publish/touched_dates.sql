-- The dates of one board that the snapshots stored since the read copy was built (snapshot_id above
-- $since) may have changed: a new date, or a date a new snapshot now wins (source precedence, a later
-- as-of). One row per date.
SELECT DISTINCT CAST(timezone('UTC', as_of) AS DATE) AS as_of
FROM snapshots
WHERE snapshot_id > $since AND leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
ORDER BY as_of;
