-- Reference, the least statement answering crowns on the read copy: its stored crowns rows of one board by
-- ordinal rank, oldest first; no optional filter.
-- $leaderboard VARCHAR: the leaderboard
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
SELECT model, reign_start, last_held, reign_end, days, snapshots, shared, co_holders, current
FROM crowns
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  AND rank_basis = 'ordinal'
ORDER BY reign_start, model;
