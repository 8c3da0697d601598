-- Snapshots stored per board and source: one row per (leaderboard, arena, category, style_control, source) with the board's label, the
-- snapshot count, rows stored, and the first and newest as-of date.
SELECT leaderboard, arena, category, style_control, board_label(leaderboard, arena, category, style_control) AS board, source,
       count(*) AS snapshots,
       sum(row_count) AS rows,
       min(CAST(timezone('UTC', as_of) AS DATE)) AS first_as_of,
       max(CAST(timezone('UTC', as_of) AS DATE)) AS newest_as_of
FROM snapshots
GROUP BY ALL
ORDER BY leaderboard, arena, category, style_control, source;
