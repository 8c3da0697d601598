-- Who held #1 on one board and for how long: one row per reign (start, last date held, end, days, snapshots, shared #1), oldest first.
-- $leaderboard VARCHAR = 'LMArena': the leaderboard (LMArena, Artificial Analysis or one declared in tracker.toml; e.g. aa)
-- $arena VARCHAR = 'text': the arena
-- $category VARCHAR = 'overall': the category
-- $style_control BOOLEAN = false: style-controlled board (true) or raw board (false)
-- $rank_basis VARCHAR in (ordinal, ub) = 'ordinal': 'ordinal' (highest rating) or 'ub' (rank (UB) 1, often shared)
-- $since DATE = null: only reigns that lasted until this date or later
-- $until DATE >= $since = null: only reigns that began on or before this date
SELECT model, reign_start, last_held, reign_end, days, snapshots, shared, co_holders, current
FROM crowns
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control AND rank_basis = $rank_basis
  AND (CAST($since AS DATE) IS NULL OR coalesce(reign_end, reign_start + CAST(days AS INTEGER)) >= $since)
  AND (CAST($until AS DATE) IS NULL OR reign_start <= $until)
ORDER BY reign_start, model;
