-- rank_history_rows: rank_history's rows before its dedupe (sql/views/0030_rank_history.sql): every standing
-- of the chosen snapshot of each board and as-of date, in rank_history's columns. Two rows share a board,
-- date and model only when two source keys of that snapshot resolve to one model (a merge made with
-- `tracker alias`): validation keeps a source key to one row per snapshot. The read copy's publish
-- (sql/publish/ranked.sql) reads it directly for every model no two keys can resolve to, and skips the
-- dedupe window there.
CREATE OR REPLACE VIEW rank_history_rows AS
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
) AS c USING (snapshot_id, leaderboard, arena, category, style_control, as_of);
