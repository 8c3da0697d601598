-- exits: one row per model and board: its last appearance there (last_as_of, ranks, rating with CI,
-- votes, source), `gone` (absent from the board's newest snapshot) and `missing_since` (the first board
-- date without it; null while it is still listed), plus the board's newest date.
CREATE OR REPLACE VIEW exits AS
SELECT
    h.arena, h.category, h.style_control, h.model, h.display_name, h.organization,
    h.as_of AS last_as_of,
    h.rank_ordinal, h.rank_ub, h.rating, h.rating_lower, h.rating_upper, h.votes, h.source,
    NOT d.is_newest AS gone,
    d.next_as_of AS missing_since,
    d.newest_as_of AS board_newest_as_of
FROM rank_history AS h
JOIN board_dates AS d
    ON d.arena = h.arena AND d.category = h.category AND d.style_control = h.style_control AND d.as_of = h.as_of
QUALIFY row_number() OVER (PARTITION BY h.arena, h.category, h.style_control, h.model ORDER BY h.as_of DESC) = 1;
