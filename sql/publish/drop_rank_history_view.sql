-- In the read copy rank_history becomes a table (materialise_rank_history.sql): drop the copied view first.
DROP VIEW publish_copy.rank_history;
