-- Every model ever shown on one board ($arena, $category, $style_control): one row per model with its
-- display name, organisation and best ordinal rank (from `ranked`: comparable ranks, so a partial snapshot
-- does not make a model #1), best first. Feeds model pickers.
SELECT model, arg_max(display_name, as_of) AS display_name, arg_max(organization, as_of) AS organization,
       min(rank_ordinal) AS best_rank
FROM ranked
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
GROUP BY model
ORDER BY best_rank NULLS LAST, display_name;
