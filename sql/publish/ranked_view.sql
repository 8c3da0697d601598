-- In the read copy ranked is a projection of the history table (history.sql) with the comparable ranks it
-- stores (comparable_rank, as in sql/views/0405_ranked.sql) in place of rank_history's own: the same columns
-- in the same order as the writer's view, without its join, window or CASE.
CREATE VIEW publish_copy.ranked AS
SELECT * EXCLUDE (comparable_rank_ordinal, comparable_rank_ub, comparable_rank_lb) REPLACE (
    comparable_rank_ordinal AS rank_ordinal,
    comparable_rank_ub AS rank_ub,
    comparable_rank_lb AS rank_lb
)
FROM history;
