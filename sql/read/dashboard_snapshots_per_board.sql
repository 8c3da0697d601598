-- Snapshots stored per board and source: one row per (arena, category, style_control, source) with the board's label, the
-- snapshot count, rows stored, and the first and newest as-of date.
SELECT arena, category, style_control, board_label(arena, category, style_control) AS board, source,
       count(*) AS snapshots,
       sum(row_count) AS rows,
       min(CAST(timezone('UTC', as_of) AS DATE)) AS first_as_of,
       max(CAST(timezone('UTC', as_of) AS DATE)) AS newest_as_of
FROM snapshots
GROUP BY ALL
ORDER BY arena, category, style_control, source;
