-- rank_history: one row per board, as-of date and canonical model, from the chosen snapshot of that
-- board and date (rank_history_rows, sql/views/0025_rank_history_rows.sql). Ranks are the tracker's own
-- (rank_ordinal, rank_ub, rank_lb: same rule in every era); rank_published is what the source showed, with
-- rank_meaning saying what it meant.
CREATE OR REPLACE VIEW rank_history AS
SELECT r.*
FROM rank_history_rows AS r
-- A merge of two source keys into one model keeps the row with more votes. The board columns are in
-- the partition (they follow from snapshot_id) so filters on a board, a date or a model reach the scan below the
-- window: a board's history reads ~8x faster than with PARTITION BY snapshot_id, model alone.
QUALIFY row_number() OVER (
    PARTITION BY r.leaderboard, r.arena, r.category, r.style_control, r.as_of, r.snapshot_id, r.model
    ORDER BY r.votes DESC NULLS LAST, r.source_key
) = 1;
