-- Every organisation on one board ($arena, $category, $style_control) on the board's newest complete date on
-- or before $end (org_race view): one row per organisation with its best ordinal rank, best model, top-10
-- counts and models listed, best first. Feeds the organisation picker and the standings table.
SELECT organization, best_rank, best_rank_ub, best_display_name, top10, top10_ub, models, as_of
FROM org_race
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  -- the newest complete date on or before $end (org_race leaves partial snapshots out: a range ending on or
  -- after one, before the next complete date, showed no organisation at all)
  AND stood_on(as_of, next_as_of, $end)
ORDER BY best_rank, organization;
