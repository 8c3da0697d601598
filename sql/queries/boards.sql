-- Every board with history: one row per board (first and newest complete as-of date, complete dates, partial snapshots also stored, models and source on the newest complete date).
-- Partial snapshots (a few rows of a board) are counted apart and never stand as a board's first or newest date,
-- as in every board-level view; a board with only partial snapshots has null dates.
SELECT leaderboard, arena, category, style_control,
       min(as_of) FILTER (WHERE NOT partial) AS first_as_of,
       max(as_of) FILTER (WHERE NOT partial) AS newest_as_of,
       count(*) FILTER (WHERE NOT partial) AS dates,
       count(*) FILTER (WHERE partial) AS partial_dates,
       arg_max(row_count, as_of) FILTER (WHERE NOT partial) AS models_newest,
       arg_max(source, as_of) FILTER (WHERE NOT partial) AS source_newest
FROM board_dates
GROUP BY leaderboard, arena, category, style_control
ORDER BY leaderboard, arena, category, style_control;
