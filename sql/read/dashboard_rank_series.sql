-- Rank and rating over time of the models in $models on one board ($arena, $category, $style_control)
-- between $start and $end: one row per model and snapshot date, with ordinal rank, rank (UB), rank (LB),
-- rating and its CI bounds (ranks from `ranked`: on a partial snapshot the published rank, else null).
SELECT as_of, model, display_name, rank_ordinal, rank_ub, rank_lb, rating, rating_lower, rating_upper
FROM ranked
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  AND as_of BETWEEN $start AND $end
  AND list_contains($models, model)
ORDER BY model, as_of;
