-- Risers, fallers, entrants and leavers on one board between two dates (each date: the board's newest snapshot on or before it): one row per model that moved.
-- $leaderboard VARCHAR = 'LMArena': the leaderboard (LMArena, Artificial Analysis or one declared in tracker.toml; e.g. aa)
-- $arena VARCHAR = 'text': the arena
-- $category VARCHAR = 'overall': the category
-- $style_control BOOLEAN = false: style-controlled board (true) or raw board (false)
-- $from_date DATE: compare the board as of this date...
-- $to_date DATE >= $from_date = null: ...with the board as of this date (default: its newest snapshot)
SELECT model, movement, from_as_of, to_as_of, from_rank, to_rank, ordinal_gain, from_rank_ub, to_rank_ub,
       from_rating, to_rating, rating_change, significant
FROM movers($leaderboard, $arena, $category, $style_control, CAST($from_date AS DATE), CAST($to_date AS DATE));
