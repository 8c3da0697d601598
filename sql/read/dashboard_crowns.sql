-- The #1 reigns on one board ($arena, $category, $style_control) by $rank_basis ('ordinal' or 'ub') from
-- the crowns view: one row per reign with the model, start, last date held, end (null while it lasts),
-- days, shown_until (the end, or the board's newest date for a current reign), snapshots and co-holders of
-- a shared #1; newest reign first.
SELECT model, display_name, organization, reign_start, last_held, reign_end, days,
       reign_start + CAST(days AS INTEGER) AS shown_until, snapshots, shared,
       co_holders, current
FROM crowns
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control AND rank_basis = $rank_basis
ORDER BY reign_start DESC, display_name;
