-- A reference beside the ingest floor: the same bulk load with the cheapest of the tracker's three ranks
-- added as a window, rank_ordinal (1 + the rows of the same file, category and publish date with a
-- strictly higher rating; the agent config's rating is its score). What ranking alone adds to the floor:
-- no checks, no rank (UB) or rank (LB), no identity. No rows come back.
-- $files VARCHAR[]: the dataset's full-*.parquet files
CREATE TABLE floor_ranked AS
SELECT *,
       rank() OVER (
           PARTITION BY filename, category, leaderboard_publish_date ORDER BY coalesce(rating, score) DESC
       ) AS rank_ordinal
FROM read_parquet($files, union_by_name = true, filename = true);
