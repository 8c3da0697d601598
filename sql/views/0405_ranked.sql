-- ranked: one row per rank_history row (same columns) with ranks that can be compared, plus its board
-- context from board_dates: partial, seq, board_prev_as_of, board_next_as_of, board_first_as_of,
-- board_newest_as_of. On a partial snapshot the tracker's own ranks (computed from the few rows present)
-- are replaced by the published rank in its own meaning: rank_ub when the source published Rank (UB),
-- rank_ordinal when it published an ordinal rank, null otherwise; rank_lb is null there.
-- The analytics views below read this view; on complete snapshots it equals rank_history.
CREATE OR REPLACE VIEW ranked AS
SELECT
    h.* REPLACE (
        CASE WHEN NOT d.partial THEN h.rank_ordinal WHEN h.rank_meaning = 'ordinal' THEN h.rank_published END
            AS rank_ordinal,
        CASE WHEN NOT d.partial THEN h.rank_ub WHEN h.rank_meaning = 'ub' THEN h.rank_published END AS rank_ub,
        CASE WHEN NOT d.partial THEN h.rank_lb END AS rank_lb
    ),
    d.partial,
    d.seq,
    d.prev_as_of AS board_prev_as_of,
    d.next_as_of AS board_next_as_of,
    d.first_as_of AS board_first_as_of,
    d.newest_as_of AS board_newest_as_of
FROM rank_history AS h
JOIN board_dates AS d
    ON d.arena = h.arena AND d.category = h.category AND d.style_control = h.style_control AND d.as_of = h.as_of;
