-- entrants: one row per model and board: its first appearance there (first_as_of, ranks, rating with
-- CI, votes, source) and `with_board` (true when that was the board's own first date, i.e. the model was
-- already listed when the tracker's history of the board begins, so it is no debut), plus `appearances`
-- (as-of dates the model is listed on that board).
CREATE OR REPLACE VIEW entrants AS
SELECT
    h.arena, h.category, h.style_control, h.model, h.display_name, h.organization,
    h.as_of AS first_as_of,
    h.rank_ordinal, h.rank_ub, h.rating, h.rating_lower, h.rating_upper, h.votes, h.source,
    h.as_of = d.first_as_of AS with_board,
    count(*) OVER m AS appearances
FROM rank_history AS h
JOIN board_dates AS d
    ON d.arena = h.arena AND d.category = h.category AND d.style_control = h.style_control AND d.as_of = h.as_of
WINDOW m AS (PARTITION BY h.arena, h.category, h.style_control, h.model)
QUALIFY row_number() OVER (PARTITION BY h.arena, h.category, h.style_control, h.model ORDER BY h.as_of) = 1;
