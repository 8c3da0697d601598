-- Before an incremental publish recomputes some dates of a board (history.sql with $dates): the board's
-- other dates as the read copy holds them, in rank_history's columns (store/read_copy.py keeps them in the
-- temp table kept_history). Nothing new reached those dates, so their identity resolution, source choice
-- and dedupe need not be paid again; their board context and previous appearances are recomputed with the
-- new dates.
SELECT * EXCLUDE (partial, seq, board_prev_as_of, board_next_as_of, board_first_as_of, board_newest_as_of,
                  prev_as_of, prev_rank_ordinal, comparable_rank_ordinal, comparable_rank_ub,
                  comparable_rank_lb)
FROM publish_copy.history
WHERE arena = $arena AND category = $category AND style_control = $style_control
  AND NOT list_contains($dates, as_of)
