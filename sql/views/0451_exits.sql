-- exits: one row per model and board: its last appearance there (last_as_of, ranks from `ranked`, rating
-- with CI, votes, source, partial), `gone` (absent from the board's newest complete snapshot; null when the
-- board has none), `missing_since` (the first complete board date after its last appearance; null while
-- it is still listed) and the board's newest complete date.
CREATE OR REPLACE VIEW exits AS
SELECT
    h.leaderboard, h.arena, h.category, h.style_control, h.model, h.display_name, h.organization,
    h.as_of AS last_as_of,
    h.rank_ordinal, h.rank_ub, h.rank_published, h.rank_meaning,
    h.rating, h.rating_lower, h.rating_upper, h.votes, h.source, h.partial,
    h.as_of < h.board_newest_as_of AS gone,
    CASE WHEN h.as_of < h.board_newest_as_of THEN h.board_next_as_of END AS missing_since,
    h.board_newest_as_of
FROM ranked AS h
QUALIFY row_number() OVER (PARTITION BY h.leaderboard, h.arena, h.category, h.style_control, h.model ORDER BY h.as_of DESC) = 1;
