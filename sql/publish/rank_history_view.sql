-- In the read copy rank_history is a projection of the history table (history.sql): the same
-- columns in the same order as the writer's view, so filters on any of them reach the table's scan.
CREATE VIEW publish_copy.rank_history AS
SELECT * EXCLUDE (partial, seq, board_prev_as_of, board_next_as_of, board_first_as_of, board_newest_as_of,
                  prev_as_of, prev_rank_ordinal, comparable_rank_ordinal, comparable_rank_ub,
                  comparable_rank_lb)
FROM history;
