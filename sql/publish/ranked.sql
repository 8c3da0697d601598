-- The read copy's `ranked` rows for the board $arena / $category / $style_control (null arguments: every
-- board; $dates: only those dates' rows, the board's others kept as the copy holds them): the writer's
-- ranked view (sql/views/0405_ranked.sql) as a table, in its columns and their order, so that the named
-- queries and the analytics views bind a table there, not a view (a view over the table cost ~0.6 ms of a
-- 3.5 ms read of one model's history at 1x), and the copy's `rank_history` is a plain projection of it
-- (rank_history_view.sql) with the computed ranks back in place. Its rows are the writer's rank_history
-- (alias resolution, source precedence and the dedupe window cost 5-50x a plain scan, so they are paid once
-- per publish, and only for boards that changed; $merged below) with its board context from the copy's
-- board_dates and each model's previous appearance on the board, so a board as of a date needs no window
-- over the board's past. The board's values reach the scans below rank_history's window as constants (it
-- partitions by board). Sorted by board, model and date, so zone maps skip most row groups for a board
-- filter and for a model filter alike. The sort is needed: stored as the previous-appearance window gives
-- them (each board's rows by model and date, but the boards in the order of the window's hash partitions),
-- row groups mixed boards far apart in that order and one model's history on one board scanned 19 of 104 row
-- groups instead of 5 at 1x (0.43 -> 1.29 ms).
WITH
    -- the board's rows from the writer's views: every date, or with $dates only those (new snapshots there).
    -- rank_history is rank_history_rows with one row kept per board, date and model by a window over every
    -- row; only the models in $merged (merged_models.sql, the few that two source keys can resolve to) can
    -- have more than one, so only their rows go through rank_history and its window, and every other row
    -- is read from rank_history_rows as it is (the window cost as much again as reading the rows, 1x).
    -- $merged is a constant list, and DuckDB pushes the board's filters into both sides of the union, so
    -- they reach the scans below rank_history's window.
    fresh AS (
        SELECT r.*
        FROM (
            SELECT * FROM rank_history_rows WHERE NOT list_contains(CAST($merged AS VARCHAR[]), model)
            UNION ALL
            SELECT * FROM rank_history WHERE list_contains(CAST($merged AS VARCHAR[]), model)
        ) AS r
        WHERE (CAST($leaderboard AS VARCHAR) IS NULL OR r.leaderboard = $leaderboard)
          AND (CAST($arena AS VARCHAR) IS NULL OR r.arena = $arena)
          AND (CAST($category AS VARCHAR) IS NULL OR r.category = $category)
          AND (CAST($style_control AS BOOLEAN) IS NULL OR r.style_control = $style_control)
          AND (CAST($dates AS DATE[]) IS NULL OR list_contains($dates, r.as_of))
    ),
    -- with $dates after the board's others, each model's newest row as the read copy holds it
    -- (kept_last_rows.sql), for the new rows' previous appearances; empty otherwise (no_kept_history.sql:
    -- a whole board, or dates among the others, whose previous appearances update_ranked_prev.sql sets)
    board_rows AS (
        FROM fresh
        UNION ALL
        FROM kept_history
    ),
    with_context AS (
        SELECT
            h.*,
            d.partial,
            d.seq,
            d.prev_as_of AS board_prev_as_of,
            d.next_as_of AS board_next_as_of,
            d.first_as_of AS board_first_as_of,
            d.newest_as_of AS board_newest_as_of,
            CASE WHEN lag(h.model) OVER w = h.model THEN lag(h.as_of) OVER w END AS prev_as_of,
            CASE WHEN lag(h.model) OVER w = h.model
                 THEN lag(comparable_rank(d.partial, h.rank_ordinal, h.rank_published, h.rank_meaning, 'ordinal')) OVER w
            END AS prev_rank_ordinal
        FROM board_rows AS h
        JOIN publish_copy.board_dates AS d
            ON d.leaderboard = h.leaderboard AND d.arena = h.arena AND d.category = h.category AND d.style_control = h.style_control
           AND d.as_of = h.as_of
        WINDOW w AS (PARTITION BY h.leaderboard, h.arena, h.category, h.style_control ORDER BY h.model, h.as_of)
    )
-- $new_only: only the $dates rows (the board's other rows stay in the copy)
SELECT
    c.* EXCLUDE (partial, seq, board_prev_as_of, board_next_as_of, board_first_as_of, board_newest_as_of,
                 prev_as_of, prev_rank_ordinal) REPLACE (
        comparable_rank(c.partial, c.rank_ordinal, c.rank_published, c.rank_meaning, 'ordinal') AS rank_ordinal,
        comparable_rank(c.partial, c.rank_ub, c.rank_published, c.rank_meaning, 'ub') AS rank_ub,
        comparable_rank(c.partial, c.rank_lb, NULL, c.rank_meaning, 'lb') AS rank_lb
    ),
    c.partial, c.seq, c.board_prev_as_of, c.board_next_as_of, c.board_first_as_of, c.board_newest_as_of,
    c.rank_ordinal AS computed_rank_ordinal,
    c.rank_ub AS computed_rank_ub,
    c.rank_lb AS computed_rank_lb,
    c.prev_as_of, c.prev_rank_ordinal
FROM with_context AS c
WHERE NOT $new_only OR list_contains($dates, c.as_of)
ORDER BY c.leaderboard, c.arena, c.category, c.style_control, c.model, c.as_of
