-- Every board with history: one row per board (first and newest as-of date, dates stored, models on the newest date, its source).
SELECT arena, category, style_control,
       min(as_of) AS first_as_of, max(as_of) AS newest_as_of, count(*) AS dates,
       arg_max(row_count, as_of) AS models_newest, arg_max(source, as_of) AS source_newest
FROM board_dates
GROUP BY arena, category, style_control
ORDER BY arena, category, style_control;
