-- One row per board shown in rank_history: leaderboard, arena, category, style_control, the number of snapshot dates,
-- the first and newest as-of date (board_dates), and cadence_days: the board's usual interval, the median
-- number of days between its last 10 pairs of consecutive complete snapshots (null with fewer than two
-- complete snapshots; the board_cadence view). Feeds the board picker, the date range and
-- the sidebar's freshness line.
SELECT d.leaderboard, d.arena, d.category, d.style_control,
       count(*) AS dates,
       min(d.as_of) AS first_as_of,
       max(d.as_of) AS newest_as_of,
       any_value(c.cadence_days) AS cadence_days
FROM board_dates AS d
LEFT JOIN board_cadence AS c USING (leaderboard, arena, category, style_control)
GROUP BY d.leaderboard, d.arena, d.category, d.style_control
ORDER BY d.leaderboard, d.arena, d.category, d.style_control;
