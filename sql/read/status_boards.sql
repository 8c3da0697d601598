-- One row per board (LMArena's first): its label, snapshots stored (all sources, partial ones included), sources, and the first and newest
-- as-of date of a complete snapshot (a partial one, a few rows of the board, never stands as its newest, as in
-- board_dates; null when the board has only partial snapshots).
SELECT s.leaderboard, s.arena, s.category, s.style_control,
       board_label(s.leaderboard, s.arena, s.category, s.style_control) AS board,
       count(*) AS snapshots,
       string_agg(DISTINCT s.source, ', ' ORDER BY s.source) AS sources,
       min(d.first_as_of) AS first_as_of,
       max(d.newest_as_of) AS newest_as_of
FROM snapshots AS s
LEFT JOIN (
    SELECT DISTINCT leaderboard, arena, category, style_control, first_as_of, newest_as_of FROM board_dates
) AS d USING (leaderboard, arena, category, style_control)
GROUP BY s.leaderboard, s.arena, s.category, s.style_control
ORDER BY s.leaderboard <> 'LMArena', s.leaderboard, s.arena, s.category, s.style_control;
