-- A board as it stood on a date: one row per model (rank, rank (UB), rating with CI, votes, organisation), best first, with the places gained since each model's previous appearance.
-- $leaderboard VARCHAR = 'LMArena': the leaderboard (LMArena, Artificial Analysis or one declared in tracker.toml; e.g. aa)
-- $arena VARCHAR = 'text': the arena (text, webdev, vision, ...)
-- $category VARCHAR = 'overall': the category (overall, coding, hard_prompts, ...)
-- $style_control BOOLEAN = false: style-controlled board (true) or raw board (false)
-- $at DATE = null: show the board as of this date (default: its newest snapshot)
-- $top INTEGER >= 1 = null: only ranks 1..top (default: the whole board)
SELECT
    h.as_of, h.rank_ordinal AS rank, h.rank_ub, h.model, h.organization,
    h.rating, h.rating_lower, h.rating_upper, h.votes,
    h.prev_rank_ordinal - h.rank_ordinal AS gain, h.prev_as_of
FROM ranked AS h
-- the board's newest complete date on or before $at, as plain filters on the row's own board context (that
-- date's next complete date comes after $at, or there is none): no subquery over board_dates to plan and
-- join, ~1 ms of a 5 ms read on an open connection at 1x (the same rows as board_as_of)
WHERE h.leaderboard = $leaderboard AND h.arena = $arena AND h.category = $category AND h.style_control = $style_control
  AND NOT h.partial
  AND stood_on(h.as_of, h.board_next_as_of, $at)
  AND (CAST($top AS INTEGER) IS NULL OR h.rank_ordinal <= $top)
ORDER BY h.rank_ordinal, h.model;
