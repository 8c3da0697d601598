-- The organisation race on one board ($arena, $category, $style_control) between $start and $end (org_race
-- view): one row per organisation in $organizations and board date with its best ordinal rank, best rank
-- (UB), best model, and models in the top 10 by ordinal rank and by rank (UB).
SELECT as_of, organization, best_rank, best_rank_ub, best_display_name, top10, top10_ub, models
FROM org_race
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  AND as_of BETWEEN $start AND $end
  AND list_contains($organizations, organization)
ORDER BY organization, as_of;
