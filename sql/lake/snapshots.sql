-- snapshots over a Parquet lake (the variable lake_snapshots: its files, one by one): one row per stored
-- snapshot of every source, with as_of_date and `chosen` (rank_history shows it).
CREATE OR REPLACE VIEW snapshots AS
SELECT f.snapshot_id, f.source, f.leaderboard, f.arena, f.category,
       f.* EXCLUDE (snapshot_id, source, leaderboard, arena, category, year)
FROM read_parquet(getvariable('lake_snapshots'), hive_partitioning = true,
                  hive_types = {'leaderboard': VARCHAR, 'arena': VARCHAR, 'category': VARCHAR, 'year': INTEGER}) AS f;
