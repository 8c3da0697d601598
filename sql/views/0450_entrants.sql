-- entrants: one row per model and board: its first appearance there (first_as_of, ranks from `ranked`,
-- rating with CI, votes, source, partial), `with_board` (true when that was on or before the board's first
-- complete date, i.e. the model was already listed when the tracker's history of the board begins, so it
-- is no debut; null when the board has no complete snapshot) and `appearances` (as-of dates it is listed).
CREATE OR REPLACE VIEW entrants AS
SELECT
    h.leaderboard, h.arena, h.category, h.style_control, h.model, h.display_name, h.organization,
    h.as_of AS first_as_of,
    h.rank_ordinal, h.rank_ub, h.rank_published, h.rank_meaning,
    h.rating, h.rating_lower, h.rating_upper, h.votes, h.source, h.partial,
    h.as_of <= h.board_first_as_of AS with_board,
    count(*) OVER m AS appearances
FROM ranked AS h
WINDOW m AS (PARTITION BY h.leaderboard, h.arena, h.category, h.style_control, h.model)
QUALIFY row_number() OVER (PARTITION BY h.leaderboard, h.arena, h.category, h.style_control, h.model ORDER BY h.as_of) = 1;
