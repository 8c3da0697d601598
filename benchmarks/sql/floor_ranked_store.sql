-- The store of the ranked-store reference (ingest.ranked_store_floor): every file's rows with the tracker's
-- three ranks, computed in polars (registered frame ranked), into one table. No rows come back.
CREATE TABLE floor_ranked_store AS SELECT * FROM ranked;
