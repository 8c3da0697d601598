-- The models in the top $n by ordinal rank on the newest complete snapshot of one board ($arena, $category,
-- $style_control) at or before $end: one row per model (model, display_name, rank_ordinal), best first.
WITH newest AS (
    SELECT max(as_of) AS as_of
    FROM board_dates
    WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control AND as_of <= $end AND NOT partial
)
SELECT r.model, r.display_name, r.rank_ordinal
FROM ranked AS r
JOIN newest USING (as_of)
WHERE r.leaderboard = $leaderboard AND r.arena = $arena AND r.category = $category AND r.style_control = $style_control
  AND r.rank_ordinal <= $n
ORDER BY r.rank_ordinal, r.display_name;
