-- crowns_for(for_leaderboard, for_arena, for_category, for_style_control): table macro; the crowns (see 0461_crowns.sql) of
-- one board (a null argument: every arena, category or style). One row per reign at #1:
-- a run of consecutive complete board dates (partial snapshots are skipped, see board_dates) on which one
-- model held #1.
-- rank_basis 'ordinal' = rank_ordinal 1 (highest rating), 'ub' = rank_ub 1 (no model's lower bound above
-- its upper bound; several models often share it). reign_start / last_held: first and last as-of date at
-- #1; reign_end: the first board date it no longer held #1 (null while it still does); days: reign_end (or,
-- for a current reign, the board's newest date) minus reign_start; snapshots: board dates in the reign;
-- shared: another model also held #1 on at least one of those dates; co_holders: those models.
-- The board's values reach the scan as constants, below the windows (they partition by board).
CREATE OR REPLACE MACRO crowns_for(for_leaderboard, for_arena, for_category, for_style_control) AS TABLE
WITH holders AS (
    SELECT h.leaderboard, h.arena, h.category, h.style_control, 'ordinal' AS rank_basis, h.model, h.display_name,
           h.organization, h.as_of, h.seq, h.board_next_as_of, h.board_newest_as_of
    FROM ranked AS h
    WHERE h.rank_ordinal = 1 AND NOT h.partial
      AND (for_leaderboard IS NULL OR h.leaderboard = for_leaderboard) AND (for_arena IS NULL OR h.arena = for_arena) AND (for_category IS NULL OR h.category = for_category)
      AND (for_style_control IS NULL OR h.style_control = for_style_control)
    UNION ALL
    SELECT h.leaderboard, h.arena, h.category, h.style_control, 'ub' AS rank_basis, h.model, h.display_name,
           h.organization, h.as_of, h.seq, h.board_next_as_of, h.board_newest_as_of
    FROM ranked AS h
    WHERE h.rank_ub = 1 AND NOT h.partial
      AND (for_leaderboard IS NULL OR h.leaderboard = for_leaderboard) AND (for_arena IS NULL OR h.arena = for_arena) AND (for_category IS NULL OR h.category = for_category)
      AND (for_style_control IS NULL OR h.style_control = for_style_control)
),
marked AS (
    SELECT
        x.*,
        -- consecutive complete board dates held by one model share one island number (gaps and islands)
        x.seq - row_number() OVER (
            PARTITION BY x.leaderboard, x.arena, x.category, x.style_control, x.rank_basis, x.model ORDER BY x.as_of
        ) AS island,
        list(x.model) OVER (PARTITION BY x.leaderboard, x.arena, x.category, x.style_control, x.rank_basis, x.as_of) AS day_holders
    FROM holders AS x
)
SELECT
    leaderboard, arena, category, style_control, rank_basis, model,
    arg_max(display_name, as_of) AS display_name,
    arg_max(organization, as_of) AS organization,
    min(as_of) AS reign_start,
    max(as_of) AS last_held,
    arg_max_null(board_next_as_of, as_of) AS reign_end,
    coalesce(arg_max_null(board_next_as_of, as_of), max(board_newest_as_of)) - min(as_of) AS days,
    count(*) AS snapshots,
    max(len(day_holders)) > 1 AS shared,
    list_sort(list_distinct(list_filter(flatten(list(day_holders)), lambda m: m <> model))) AS co_holders,
    arg_max_null(board_next_as_of, as_of) IS NULL AS current
FROM marked
GROUP BY leaderboard, arena, category, style_control, rank_basis, model, island;
