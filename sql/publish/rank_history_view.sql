-- In the read copy rank_history is a projection of the ranked table (ranked.sql), with the ranks it computed
-- (computed_rank_*) in place of the comparable ones: the same columns in the same order as the writer's view,
-- so filters on any of them reach the table's scan.
CREATE VIEW publish_copy.rank_history AS
SELECT * EXCLUDE (partial, seq, board_prev_as_of, board_next_as_of, board_first_as_of, board_newest_as_of,
                  computed_rank_ordinal, computed_rank_ub, computed_rank_lb, prev_as_of, prev_rank_ordinal)
    REPLACE (computed_rank_ordinal AS rank_ordinal, computed_rank_ub AS rank_ub, computed_rank_lb AS rank_lb)
FROM ranked;
