-- Risers, fallers, entrants and leavers on one board ($arena, $category, $style_control) between the board
-- as of $from_date and as of $to_date (the movers macro): one row per model that moved, with movement,
-- ranks at both dates, places gained, rating change, votes and `significant`.
SELECT movement, model, display_name, organization, from_as_of, to_as_of, from_rank, to_rank,
       ordinal_gain, from_rank_ub, to_rank_ub, from_rating, to_rating, rating_change, to_votes, significant
FROM movers($leaderboard, $arena, $category, $style_control, $from_date, $to_date);
