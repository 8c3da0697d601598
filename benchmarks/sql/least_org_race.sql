-- Reference, the least statement answering org_race on the read copy: its stored org_race rows of the board's
-- newest complete date, the date given as stored; no date lookup, no optional filter.
-- $leaderboard VARCHAR: the leaderboard
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
-- $at DATE: the board's newest complete date
SELECT as_of, organization, best_rank, best_rank_ub, best_model, top10, top10_ub, models
FROM org_race
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  AND as_of = $at
ORDER BY best_rank, organization;
