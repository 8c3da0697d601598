-- Store the rows of the new snapshots with the tracker's own ranks, computed set-based per snapshot:
--   rank_ordinal = 1 + models with a strictly higher rating
--   rank_ub      = 1 + models whose rating_lower > this model's rating_upper
--   rank_lb      = models whose rating_upper >= this model's rating_lower
-- rank_ub / rank_lb use one sorted pass over all bounds (value desc, upper bounds before lower bounds at
-- equal value), so a running count gives "strictly above" for uppers and "at or above" for lowers;
-- O(n log n) per snapshot instead of a self-join. Models without a CI get no rank_ub / rank_lb.
INSERT INTO standings
WITH rows AS (
    SELECT n.snapshot_id, s.*
    FROM staged AS s
    JOIN staged_snapshots AS n USING (arena, category, style_control, as_of)
),
bounds AS (
    SELECT snapshot_id, model_key, rating_lower AS value, 1 AS is_lower FROM rows
    WHERE rating_lower IS NOT NULL AND rating_upper IS NOT NULL
    UNION ALL
    SELECT snapshot_id, model_key, rating_upper AS value, 0 AS is_lower FROM rows
    WHERE rating_lower IS NOT NULL AND rating_upper IS NOT NULL
),
running AS (
    SELECT snapshot_id, model_key, is_lower,
           sum(is_lower) OVER w AS lowers_so_far,
           sum(1 - is_lower) OVER w AS uppers_so_far
    FROM bounds
    WINDOW w AS (PARTITION BY snapshot_id ORDER BY value DESC, is_lower ASC ROWS UNBOUNDED PRECEDING)
),
spread AS (
    SELECT snapshot_id, model_key,
           1 + max(lowers_so_far) FILTER (WHERE is_lower = 0) AS rank_ub,
           max(uppers_so_far) FILTER (WHERE is_lower = 1) AS rank_lb
    FROM running
    GROUP BY snapshot_id, model_key
)
SELECT r.snapshot_id, r.model_key, r.display_name, r.organization, r.license,
       r.rating, r.rating_lower, r.rating_upper, r.votes, r.rank_published,
       rank() OVER (PARTITION BY r.snapshot_id ORDER BY r.rating DESC)::INTEGER AS rank_ordinal,
       p.rank_ub::INTEGER, p.rank_lb::INTEGER, r.extra::JSON
FROM rows AS r
LEFT JOIN spread AS p USING (snapshot_id, model_key);
