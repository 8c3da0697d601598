-- Organisations on one board on a date: one row per organisation (best rank, best model, models in the top 10, models listed), best first.
-- $leaderboard VARCHAR = 'LMArena': the leaderboard (LMArena, Artificial Analysis or one declared in tracker.toml; e.g. aa)
-- $arena VARCHAR = 'text': the arena
-- $category VARCHAR = 'overall': the category
-- $style_control BOOLEAN = false: style-controlled board (true) or raw board (false)
-- $at DATE = null: the board as of this date (default: its newest snapshot)
-- $top INTEGER >= 1 = null: only organisations with a model ranked 1..top (default: all)
SELECT o.as_of, o.organization, o.best_rank, o.best_rank_ub, o.best_model, o.top10, o.top10_ub, o.models
FROM org_race AS o
-- the board's newest complete date on or before $at, as filters on the row's own next complete date
WHERE o.leaderboard = $leaderboard AND o.arena = $arena AND o.category = $category AND o.style_control = $style_control
  AND stood_on(o.as_of, o.next_as_of, $at)
  AND (CAST($top AS INTEGER) IS NULL OR o.best_rank <= $top)
ORDER BY o.best_rank, o.organization;
