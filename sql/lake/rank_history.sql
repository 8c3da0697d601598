-- rank_history over a Parquet lake (the variable lake_rank_history: its files, one by one): one row per
-- board, as-of date and model, the same columns in the same order as the database view (leaderboard, arena and
-- category come from the hive folders).
-- Columns are qualified: a table macro over this view (board_as_of) would read a bare `arena` as its parameter.
CREATE OR REPLACE VIEW rank_history AS
SELECT f.leaderboard, f.arena, f.category, f.* EXCLUDE (leaderboard, arena, category, year)
FROM read_parquet(getvariable('lake_rank_history'), hive_partitioning = true,
                  hive_types = {'leaderboard': VARCHAR, 'arena': VARCHAR, 'category': VARCHAR, 'year': INTEGER}) AS f;
