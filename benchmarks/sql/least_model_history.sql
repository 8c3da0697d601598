-- Reference, the least statement answering model_history on the read copy: its stored ranked rows of one
-- model on one board, sorted by date; no view, no optional filter, no alias lookup (what any statement for
-- these rows costs, run on a plain connection).
-- $leaderboard VARCHAR: the leaderboard
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
-- $model VARCHAR: the canonical model key
SELECT as_of, rank_ordinal, rank_ub,
       prev_rank_ordinal - rank_ordinal AS ordinal_gain, rating, rating_lower, rating_upper, votes, source
FROM ranked
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  AND model = $model
ORDER BY as_of;
