-- Store the rows of the new snapshots with the tracker's own ranks, computed set-based per snapshot:
--   rank_ordinal = 1 + models with a strictly higher rating
--   rank_ub      = 1 + models whose rating_lower > this model's rating_upper
--   rank_lb      = models whose rating_upper >= this model's rating_lower
-- rank_ub / rank_lb come from two rank() windows over all bounds of a snapshot (models with both bounds):
--   rank_all  ranks every bound by value desc, upper bounds before lower bounds at equal value, so
--             rank_all - 1 = bounds strictly above (plus, for a lower bound, the upper bounds equal to it);
--   rank_kind ranks the bounds of one kind, so rank_kind - 1 = bounds of the same kind strictly above.
-- Hence at an upper bound rank_all - rank_kind = lower bounds strictly above it (rank_ub - 1), and at a
-- lower bound rank_all - rank_kind = upper bounds at or above it (rank_lb). rank() windows are O(n log n)
-- and about twice as fast in DuckDB as the running sums they replace. Models without a CI get no
-- rank_ub / rank_lb.
INSERT INTO standings
WITH rows AS (
    SELECT n.snapshot_id, s.*
    FROM staged AS s
    JOIN staged_snapshots AS n USING (arena, category, style_control, as_of)
),
bounds AS (
    SELECT snapshot_id, model_key, rating_upper AS value, 0 AS is_lower FROM rows
    WHERE rating_lower IS NOT NULL AND rating_upper IS NOT NULL
    UNION ALL
    SELECT snapshot_id, model_key, rating_lower AS value, 1 AS is_lower FROM rows
    WHERE rating_lower IS NOT NULL AND rating_upper IS NOT NULL
),
ranked AS (
    SELECT snapshot_id, model_key, is_lower,
           rank() OVER (PARTITION BY snapshot_id ORDER BY value DESC, is_lower) AS rank_all,
           rank() OVER (PARTITION BY snapshot_id, is_lower ORDER BY value DESC) AS rank_kind
    FROM bounds
),
spread AS (
    SELECT snapshot_id, model_key,
           any_value(1 + rank_all - rank_kind) FILTER (WHERE is_lower = 0) AS rank_ub,
           any_value(rank_all - rank_kind) FILTER (WHERE is_lower = 1) AS rank_lb
    FROM ranked
    GROUP BY snapshot_id, model_key
)
SELECT r.snapshot_id, r.model_key, r.display_name, r.organization, r.license,
       r.rating, r.rating_lower, r.rating_upper, r.votes, r.rank_published,
       rank() OVER (PARTITION BY r.snapshot_id ORDER BY r.rating DESC)::INTEGER AS rank_ordinal,
       p.rank_ub::INTEGER, p.rank_lb::INTEGER, r.extra::JSON
FROM rows AS r
LEFT JOIN spread AS p USING (snapshot_id, model_key);
