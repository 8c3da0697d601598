-- A board as it stood on a date: one row per model (rank, rank (UB), rating with CI, votes, organisation), best first, with the places gained since each model's previous appearance.
-- $arena VARCHAR = 'text': the arena (text, webdev, vision, ...)
-- $category VARCHAR = 'overall': the category (overall, coding, hard_prompts, ...)
-- $style_control BOOLEAN = false: style-controlled board (true) or raw board (false)
-- $at DATE = null: show the board as of this date (default: its newest snapshot)
-- $top INTEGER = null: only ranks 1..top (default: the whole board)
WITH
    b AS (FROM board_as_of($arena, $category, $style_control, CAST($at AS DATE))),
    -- each model's previous appearance on this board (as rank_moves has it), from one board's rows only
    prev AS (
        SELECT r.model, max(r.as_of) AS prev_as_of, arg_max_null(r.rank_ordinal, r.as_of) AS prev_rank
        FROM ranked AS r
        WHERE r.arena = $arena AND r.category = $category AND r.style_control = $style_control
          AND r.as_of < (SELECT max(b.as_of) FROM b)
        GROUP BY r.model
    )
SELECT
    b.as_of, b.rank_ordinal AS rank, b.rank_ub, b.model, b.organization,
    b.rating, b.rating_lower, b.rating_upper, b.votes,
    p.prev_rank - b.rank_ordinal AS gain, p.prev_as_of
FROM b
LEFT JOIN prev AS p ON p.model = b.model
WHERE CAST($top AS INTEGER) IS NULL OR b.rank_ordinal <= $top
ORDER BY b.rank_ordinal, b.model;
