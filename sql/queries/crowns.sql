-- Who held #1 on one board and for how long: one row per reign (start, last date held, end, days, snapshots, shared #1), oldest first.
-- $arena VARCHAR = 'text': the arena
-- $category VARCHAR = 'overall': the category
-- $style_control BOOLEAN = false: style-controlled board (true) or raw board (false)
-- $rank_basis VARCHAR = 'ordinal': 'ordinal' (highest rating) or 'ub' (rank (UB) 1, often shared)
SELECT model, reign_start, last_held, reign_end, days, snapshots, shared, co_holders, current
FROM crowns
WHERE arena = $arena AND category = $category AND style_control = $style_control AND rank_basis = $rank_basis
ORDER BY reign_start, model;
