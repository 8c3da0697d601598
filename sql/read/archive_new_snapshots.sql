-- One row per source and board with snapshots stored at or after $since (what one import added): how many
-- snapshots, and the first and last as-of date among them.
SELECT source, leaderboard, arena, category, style_control,
       count(*) AS snapshots,
       min(CAST(timezone('UTC', as_of) AS DATE)) AS first_as_of,
       max(CAST(timezone('UTC', as_of) AS DATE)) AS last_as_of
FROM snapshots
WHERE fetched_at >= $since
GROUP BY ALL
ORDER BY source, leaderboard, arena, category, style_control;
