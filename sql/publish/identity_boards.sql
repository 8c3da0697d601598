-- The boards whose rank_history rows the writer's identity tables resolve differently from the identity
-- tables named $before || '<table>' ($before VARCHAR: 'publish_copy.' for the read copy a publish updates,
-- 'alert_seen_' for the identity the last evaluation of the watches saw), so their rows changed since:
-- boards with a standing whose source key maps to another model now, whose model's display name or
-- organisation changed (or the model is new or gone), whose organisation spelling maps to another
-- organisation, or whose organisation was renamed. A row whose alias is unchanged resolves to the same model
-- before and after, so the new resolution is enough to find it. Those conditions depend on a standing's
-- source key and organisation alone, so they are read from board_identities (each board's keys and
-- spellings), not from every standing. One row per board (leaderboard, arena, category, style_control) with
-- reaches_kept: whether any such standing is in a snapshot up to $max_snapshot_id (BIGINT: the newest the
-- copy holds, or the last evaluation saw); when none is (a model seen for the first time), the rows before
-- resolve as they did and only the board's newer snapshots need reading. The publish runs it only when
-- identity_changed.sql says so; the evaluation of the watches when the identity's hash changed.
WITH
aliases AS (
    SELECT coalesce(n.alias, o.alias) AS alias, o.model_key AS old_model, n.model_key AS new_model
    FROM model_aliases AS n
    FULL OUTER JOIN query_table($before || 'model_aliases') AS o ON o.alias = n.alias
    WHERE n.model_key IS DISTINCT FROM o.model_key
),
models_changed AS (
    SELECT coalesce(n.model_key, o.model_key) AS model
    FROM models AS n
    FULL OUTER JOIN query_table($before || 'models') AS o ON o.model_key = n.model_key
    WHERE n.model_key IS NULL OR o.model_key IS NULL
       OR n.display_name IS DISTINCT FROM o.display_name OR n.org_key IS DISTINCT FROM o.org_key
    UNION SELECT a.old_model FROM aliases AS a WHERE a.old_model IS NOT NULL
    UNION SELECT a.new_model FROM aliases AS a WHERE a.new_model IS NOT NULL
),
spellings AS (
    SELECT coalesce(n.alias, o.alias) AS spelling
    FROM org_aliases AS n
    FULL OUTER JOIN query_table($before || 'org_aliases') AS o ON o.alias = n.alias
    WHERE n.org_key IS DISTINCT FROM o.org_key
),
orgs AS (
    SELECT coalesce(n.org_key, o.org_key) AS org_key
    FROM organizations AS n
    FULL OUTER JOIN query_table($before || 'organizations') AS o ON o.org_key = n.org_key
    WHERE n.org_key IS NULL OR o.org_key IS NULL OR n.display_name IS DISTINCT FROM o.display_name
)
SELECT b.leaderboard, b.arena, b.category, b.style_control, min(b.first_snapshot_id) <= $max_snapshot_id AS reaches_kept
FROM board_identities AS b
LEFT JOIN model_aliases AS ma ON ma.alias = b.model_key
LEFT JOIN models AS m ON m.model_key = coalesce(ma.model_key, b.model_key)
LEFT JOIN org_aliases AS oa ON oa.alias = lower(trim(b.organization))
WHERE b.model_key IN (SELECT a.alias FROM aliases AS a)
   OR coalesce(ma.model_key, b.model_key) IN (SELECT c.model FROM models_changed AS c)
   OR lower(trim(b.organization)) IN (SELECT s.spelling FROM spellings AS s)
   OR coalesce(m.org_key, oa.org_key) IN (SELECT o.org_key FROM orgs AS o)
   OR oa.org_key IN (SELECT o.org_key FROM orgs AS o)
GROUP BY b.leaderboard, b.arena, b.category, b.style_control
ORDER BY ALL;
