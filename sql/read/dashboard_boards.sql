-- One row per board shown in rank_history: arena, category, style_control, the number of snapshot dates,
-- and the first and newest as-of date (board_dates). Feeds the dashboard's board picker and date range.
SELECT arena, category, style_control,
       count(*) AS dates,
       min(as_of) AS first_as_of,
       max(as_of) AS newest_as_of
FROM board_dates
GROUP BY ALL
ORDER BY arena, category, style_control;
