-- Before new dates are appended to the board $arena / $category / $style_control (appends_only.sql): each
-- model's newest row there, as the read copy holds it, in rank_history's columns (read_copy.py keeps them in
-- the temp table kept_history). The new rows' previous appearance is one of these or another new row, so
-- ranked.sql needs no more of the board's past than this: one row per model, not every date.
WITH last_seen AS (
    SELECT k.model, max(k.as_of) AS as_of
    FROM publish_copy.ranked AS k
    WHERE k.leaderboard = $leaderboard AND k.arena = $arena AND k.category = $category AND k.style_control = $style_control
    GROUP BY k.model
)
SELECT h.*
FROM publish_copy.rank_history AS h
JOIN last_seen AS l ON l.model = h.model AND l.as_of = h.as_of
WHERE h.leaderboard = $leaderboard AND h.arena = $arena AND h.category = $category AND h.style_control = $style_control
