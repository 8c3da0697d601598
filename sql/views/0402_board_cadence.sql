-- board_cadence: one row per board with `cadence_days`, its usual interval between complete snapshots: the
-- median number of days between its last 10 pairs of consecutive complete snapshots (null with fewer than two
-- complete snapshots). The one rule by which the sidebar's freshness line, `tracker model` and the Model page
-- call a board's newest snapshot old (tracker/read/story.py).
CREATE OR REPLACE VIEW board_cadence AS
WITH gaps AS (
    SELECT leaderboard, arena, category, style_control,
           as_of - lag(as_of) OVER (PARTITION BY leaderboard, arena, category, style_control ORDER BY as_of) AS gap,
           row_number() OVER (PARTITION BY leaderboard, arena, category, style_control ORDER BY as_of DESC) AS recent
    FROM board_dates
    WHERE NOT partial
)
SELECT leaderboard, arena, category, style_control, median(gap) FILTER (WHERE recent <= 10) AS cadence_days
FROM gaps
GROUP BY leaderboard, arena, category, style_control;
