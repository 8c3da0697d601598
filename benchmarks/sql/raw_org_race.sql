-- Baseline, hand-written on the raw tables: organisations on a board's newest snapshot, one row per
-- organisation spelling (best rank, best model, models in the top 10, models listed), best first.
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
SELECT st.organization, min(st.rank_ordinal) AS best_rank, min(st.rank_ub) AS best_rank_ub,
       arg_min(st.model_key, st.rank_ordinal) AS best_model,
       count(*) FILTER (WHERE st.rank_ordinal <= 10) AS top10,
       count(*) FILTER (WHERE st.rank_ub <= 10) AS top10_ub,
       count(*) AS models
FROM standings AS st
WHERE st.snapshot_id = (
    SELECT arg_max(snapshot_id, as_of) FROM snapshots
    WHERE arena = $arena AND category = $category AND style_control = $style_control
)
  AND nullif(trim(st.organization), '') IS NOT NULL
GROUP BY st.organization
ORDER BY best_rank, st.organization;
