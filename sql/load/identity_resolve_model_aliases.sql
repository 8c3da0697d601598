-- Follow alias chains so every alias names a final model (a -> b and b -> c make a -> c). A self-mapping
-- (a user split: a -> a) ends a chain; chains longer than 10 steps (a cycle) stop where they are.
UPDATE model_aliases AS m
SET model_key = r.final
FROM (
    WITH RECURSIVE walk (alias, target, depth) AS (
        SELECT alias, model_key, 0 FROM model_aliases
        UNION ALL
        SELECT w.alias, a.model_key, w.depth + 1
        FROM walk AS w
        JOIN model_aliases AS a ON a.alias = w.target
        WHERE a.alias <> a.model_key AND w.depth < 10
    )
    SELECT alias, arg_max(target, depth) AS final FROM walk GROUP BY alias
) AS r
WHERE m.alias = r.alias AND m.model_key <> r.final;
