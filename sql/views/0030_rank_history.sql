-- rank_history: one row per board, as-of date and canonical model, from the chosen snapshot of that
-- board and date. Ranks are the tracker's own (rank_ordinal, rank_ub, rank_lb: same rule in every era);
-- rank_published is what the source showed, with rank_meaning saying what it meant.
CREATE OR REPLACE VIEW rank_history AS
SELECT
    r.leaderboard, r.arena, r.category, r.style_control, r.as_of, r.model, r.display_name, r.organization,
    r.rating, r.rating_lower, r.rating_upper, r.votes,
    r.rank_ordinal, r.rank_ub, r.rank_lb, r.rank_published, r.rank_meaning,
    r.source, r.snapshot_id, r.as_of_at, r.license, r.source_key
FROM standings_resolved AS r
-- An inner join on the snapshot with its board and date (each chosen snapshot appears once, so this keeps
-- exactly the rows a semi join on snapshot_id would): the equal columns carry a filter on a board or a date
-- over to chosen_snapshots, whose windows partition by them, so only that board's snapshots are ranked.
-- A semi join on snapshot_id alone ranked all of them for every query: one 10x board's newest date 182 ->
-- 22 ms, a whole 10x board 358 -> 173 ms.
JOIN (
    SELECT cs.snapshot_id, cs.leaderboard, cs.arena, cs.category, cs.style_control, cs.as_of_date AS as_of
    FROM chosen_snapshots AS cs
) AS c USING (snapshot_id, leaderboard, arena, category, style_control, as_of)
-- A merge of two source keys into one model keeps the row with more votes. The board columns are in
-- the partition (they follow from snapshot_id) so filters on a board, a date or a model reach the scan below the
-- window: a board's history reads ~8x faster than with PARTITION BY snapshot_id, model alone.
QUALIFY row_number() OVER (
    PARTITION BY r.leaderboard, r.arena, r.category, r.style_control, r.as_of, r.snapshot_id, r.model
    ORDER BY r.votes DESC NULLS LAST, r.source_key
) = 1;
