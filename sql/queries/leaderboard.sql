-- A board as it stood on a date: one row per model (rank, rank (UB), rating with CI, votes, organisation), best first, with the places gained since each model's previous appearance.
-- $arena VARCHAR = 'text': the arena (text, webdev, vision, ...)
-- $category VARCHAR = 'overall': the category (overall, coding, hard_prompts, ...)
-- $style_control BOOLEAN = false: style-controlled board (true) or raw board (false)
-- $at DATE = null: show the board as of this date (default: its newest snapshot)
-- $top INTEGER = null: only ranks 1..top (default: the whole board)
SELECT
    b.as_of, b.rank_ordinal AS rank, b.rank_ub, b.model, b.organization,
    b.rating, b.rating_lower, b.rating_upper, b.votes,
    m.ordinal_gain AS gain, m.prev_as_of
FROM board_as_of($arena, $category, $style_control, CAST($at AS DATE)) AS b
LEFT JOIN (
    -- the board's moves only (constant filters reach the scan), not every board's
    SELECT * FROM rank_moves WHERE arena = $arena AND category = $category AND style_control = $style_control
) AS m ON m.model = b.model AND m.as_of = b.as_of
WHERE CAST($top AS INTEGER) IS NULL OR b.rank_ordinal <= $top
ORDER BY b.rank_ordinal, b.model;
