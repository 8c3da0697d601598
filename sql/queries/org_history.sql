-- One organisation's race over time on one board: one row per as-of date (best rank, best model, models in the top 10, models listed).
-- $organization VARCHAR: the organisation as shown, e.g. 'Microsoft AI' (case-insensitive)
-- $leaderboard VARCHAR = 'LMArena': the leaderboard (LMArena, Artificial Analysis or one declared in tracker.toml; e.g. aa)
-- $arena VARCHAR = 'text': the arena
-- $category VARCHAR = 'overall': the category
-- $style_control BOOLEAN = false: style-controlled board (true) or raw board (false)
SELECT as_of, organization, best_rank, best_rank_ub, best_model, top10, top10_ub, models
FROM org_race
WHERE lower(organization) = lower(trim($organization))
  AND leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
ORDER BY as_of;
