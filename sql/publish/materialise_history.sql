-- history, the read copy's one table of rank history: the writer's rank_history rows (alias resolution,
-- source precedence and the dedupe window cost 5-50x a plain scan, so they are paid once per publish)
-- with their board context from board_dates and each model's previous appearance on the board, so that
-- `rank_history` and `ranked` are plain projections of it there (rank_history_view.sql, ranked_view.sql)
-- and a board as of a date needs no window over the board's past. Ranks are rank_history's own; `ranked`
-- applies comparable_rank on read. Sorted by board, model and date, so zone maps skip most row groups for
-- a board filter and for a model filter alike.
CREATE TABLE publish_copy.history AS
SELECT
    h.*,
    d.partial,
    d.seq,
    d.prev_as_of AS board_prev_as_of,
    d.next_as_of AS board_next_as_of,
    d.first_as_of AS board_first_as_of,
    d.newest_as_of AS board_newest_as_of,
    lag(h.as_of) OVER w AS prev_as_of,
    lag(comparable_rank(d.partial, h.rank_ordinal, h.rank_published, h.rank_meaning, 'ordinal')) OVER w
        AS prev_rank_ordinal
FROM rank_history AS h
JOIN publish_copy.board_dates AS d
    ON d.arena = h.arena AND d.category = h.category AND d.style_control = h.style_control
   AND d.as_of = h.as_of
WINDOW w AS (PARTITION BY h.arena, h.category, h.style_control, h.model ORDER BY h.as_of)
ORDER BY h.arena, h.category, h.style_control, h.model, h.as_of;
