-- ranked: one row per rank_history row (same columns) with ranks that can be compared, plus its board
-- context from board_dates: partial, seq, board_prev_as_of, board_next_as_of, board_first_as_of,
-- board_newest_as_of; and the model's previous appearance on the board: prev_as_of, prev_rank_ordinal
-- (null at its first). On a partial snapshot the tracker's own ranks (computed from the few rows present)
-- are replaced by the published rank in its own meaning (comparable_rank): rank_ub when the source
-- published Rank (UB), rank_ordinal when it published an ordinal rank, null otherwise; rank_lb is null
-- there. rank_history's own ranks stay beside them as computed_rank_ordinal, computed_rank_ub and
-- computed_rank_lb. The analytics views below read this view; on complete snapshots its ranks equal
-- rank_history's. The read copy stores it as a table (sql/publish/ranked.sql), so reads there skip the join
-- and window.
CREATE OR REPLACE VIEW ranked AS
SELECT
    c.*,
    lag(c.as_of) OVER w AS prev_as_of,
    lag(c.rank_ordinal) OVER w AS prev_rank_ordinal
FROM (
    SELECT
        h.* REPLACE (
            comparable_rank(d.partial, h.rank_ordinal, h.rank_published, h.rank_meaning, 'ordinal') AS rank_ordinal,
            comparable_rank(d.partial, h.rank_ub, h.rank_published, h.rank_meaning, 'ub') AS rank_ub,
            comparable_rank(d.partial, h.rank_lb, NULL, h.rank_meaning, 'lb') AS rank_lb
        ),
        d.partial,
        d.seq,
        d.prev_as_of AS board_prev_as_of,
        d.next_as_of AS board_next_as_of,
        d.first_as_of AS board_first_as_of,
        d.newest_as_of AS board_newest_as_of,
        h.rank_ordinal AS computed_rank_ordinal,
        h.rank_ub AS computed_rank_ub,
        h.rank_lb AS computed_rank_lb
    FROM rank_history AS h
    JOIN board_dates AS d
        ON d.leaderboard = h.leaderboard AND d.arena = h.arena AND d.category = h.category AND d.style_control = h.style_control
       AND d.as_of = h.as_of
) AS c
-- partitioned by board and model: filters on those columns still reach the scan below the window
WINDOW w AS (PARTITION BY c.leaderboard, c.arena, c.category, c.style_control, c.model ORDER BY c.as_of);
