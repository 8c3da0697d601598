-- Reference, the least statement answering leaderboard (a board as of a date) on the read copy: its stored
-- ranked rows of one board date, the date given as it is stored (a complete board date: the harness picks
-- one), best first; no view, no date lookup, no optional filter.
-- $leaderboard VARCHAR: the leaderboard
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
-- $at DATE: a complete date of the board
SELECT as_of, rank_ordinal AS rank, rank_ub, model, organization, rating,
       rating_lower, rating_upper, votes, prev_rank_ordinal - rank_ordinal AS gain, prev_as_of
FROM ranked
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  AND as_of = $at
ORDER BY rank, model;
