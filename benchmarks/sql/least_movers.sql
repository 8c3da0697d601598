-- Reference, the least statement answering movers on the read copy: one scan of the stored ranked rows of
-- the two board dates (complete dates given as stored), one row per model whose rank differs between them
-- (entrants and leavers included), by one grouping instead of the board as of each date joined.
-- $leaderboard VARCHAR: the leaderboard
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
-- $from_date DATE: a complete date of the board
-- $to_date DATE: a later complete date of the board
SELECT model,
       any_value(rank_ordinal) FILTER (WHERE as_of = $from_date) AS from_rank,
       any_value(rank_ordinal) FILTER (WHERE as_of = $to_date) AS to_rank,
       any_value(rating) FILTER (WHERE as_of = $from_date) AS from_rating,
       any_value(rating) FILTER (WHERE as_of = $to_date) AS to_rating
FROM ranked
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  AND as_of IN ($from_date, $to_date)
GROUP BY model
HAVING from_rank IS DISTINCT FROM to_rank
ORDER BY model;
