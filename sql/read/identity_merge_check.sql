-- Before `tracker alias add`: how many snapshots list each of the two models (by their canonical keys now)
-- and how many list both. Both on one snapshot means they are different models there: a merge would keep
-- one row per snapshot and hide the other's.
WITH
    listed AS (
        SELECT DISTINCT snapshot_id, model
        FROM standings_resolved
        WHERE model IN ($alias_model, $model)
    )
SELECT
    count(DISTINCT snapshot_id) FILTER (WHERE model = $alias_model) AS alias_snapshots,
    count(DISTINCT snapshot_id) FILTER (WHERE model = $model) AS model_snapshots,
    (SELECT count(*) FROM (
        SELECT snapshot_id FROM listed GROUP BY snapshot_id HAVING count(*) = 2
    )) AS together
FROM listed;
