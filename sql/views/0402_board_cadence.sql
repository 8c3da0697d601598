-- board_cadence: one row per board with `cadence_days`, its usual interval between complete snapshots: the
-- median number of days between its last 10 pairs of consecutive complete snapshots (null with fewer than two
-- complete snapshots). The one rule by which the sidebar's freshness line, `tracker model` and the Model page
-- call a board's newest snapshot old (tracker/read/story.py).
-- Each complete date's interval is its distance from board_dates' prev_as_of (the previous complete date), and
-- max_by keeps the 10 newest per board in one grouping: a window over every board date (two sorts) took 45 ms
-- at 10x against 4 ms, on every page's sidebar.
CREATE OR REPLACE VIEW board_cadence AS
SELECT leaderboard, arena, category, style_control,
       list_median(max_by(as_of - prev_as_of, as_of, 10)) AS cadence_days
FROM board_dates
WHERE NOT partial
GROUP BY leaderboard, arena, category, style_control;
