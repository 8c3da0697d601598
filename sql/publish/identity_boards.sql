-- The boards whose rank_history rows the writer's identity tables resolve differently from the read copy
-- being updated (publish_copy), so their stored rows must be recomputed: boards with a standing whose source
-- key maps to another model now, whose model's display name or organisation changed (or the model is new or
-- gone), whose organisation spelling maps to another organisation, or whose organisation was renamed. A
-- row whose alias is unchanged resolves to the same model before and after, so the new resolution is enough
-- to find it. One row per board (arena, category, style_control). Run only when identity_changed.sql says so (it scans standings).
WITH
aliases AS (
    SELECT coalesce(n.alias, o.alias) AS alias, o.model_key AS old_model, n.model_key AS new_model
    FROM model_aliases AS n
    FULL OUTER JOIN publish_copy.model_aliases AS o ON o.alias = n.alias
    WHERE n.model_key IS DISTINCT FROM o.model_key
),
models_changed AS (
    SELECT coalesce(n.model_key, o.model_key) AS model
    FROM models AS n
    FULL OUTER JOIN publish_copy.models AS o ON o.model_key = n.model_key
    WHERE n.model_key IS NULL OR o.model_key IS NULL
       OR n.display_name IS DISTINCT FROM o.display_name OR n.org_key IS DISTINCT FROM o.org_key
    UNION SELECT a.old_model FROM aliases AS a WHERE a.old_model IS NOT NULL
    UNION SELECT a.new_model FROM aliases AS a WHERE a.new_model IS NOT NULL
),
spellings AS (
    SELECT coalesce(n.alias, o.alias) AS spelling
    FROM org_aliases AS n
    FULL OUTER JOIN publish_copy.org_aliases AS o ON o.alias = n.alias
    WHERE n.org_key IS DISTINCT FROM o.org_key
),
orgs AS (
    SELECT coalesce(n.org_key, o.org_key) AS org_key
    FROM organizations AS n
    FULL OUTER JOIN publish_copy.organizations AS o ON o.org_key = n.org_key
    WHERE n.org_key IS NULL OR o.org_key IS NULL OR n.display_name IS DISTINCT FROM o.display_name
)
SELECT DISTINCT sn.arena, sn.category, sn.style_control
FROM standings AS st
JOIN snapshots AS sn USING (snapshot_id)
LEFT JOIN model_aliases AS ma ON ma.alias = st.model_key
LEFT JOIN models AS m ON m.model_key = coalesce(ma.model_key, st.model_key)
LEFT JOIN org_aliases AS oa ON oa.alias = lower(trim(st.organization))
WHERE st.model_key IN (SELECT a.alias FROM aliases AS a)
   OR coalesce(ma.model_key, st.model_key) IN (SELECT c.model FROM models_changed AS c)
   OR lower(trim(st.organization)) IN (SELECT s.spelling FROM spellings AS s)
   OR coalesce(m.org_key, oa.org_key) IN (SELECT o.org_key FROM orgs AS o)
   OR oa.org_key IN (SELECT o.org_key FROM orgs AS o)
ORDER BY ALL;
