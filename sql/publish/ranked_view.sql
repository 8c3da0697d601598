-- In the read copy ranked is a projection of the history table (materialise_history.sql) with ranks that
-- can be compared (comparable_rank, as in sql/views/0405_ranked.sql): the same columns in the same order
-- as the writer's view, without its join and window.
CREATE VIEW publish_copy.ranked AS
SELECT * REPLACE (
    comparable_rank(partial, rank_ordinal, rank_published, rank_meaning, 'ordinal') AS rank_ordinal,
    comparable_rank(partial, rank_ub, rank_published, rank_meaning, 'ub') AS rank_ub,
    comparable_rank(partial, rank_lb, NULL, rank_meaning, 'lb') AS rank_lb
)
FROM history;
