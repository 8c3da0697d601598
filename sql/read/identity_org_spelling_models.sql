-- After `tracker alias org`: the canonical models whose rows spell their organisation $alias (standings or
-- sightings), one row each by key: the organisation key and name each shows now and the model's kind ('seed':
-- the catalogue fixes its organisation; 'learned': the spelling most of its rows use decides).
WITH spelled AS (
    SELECT DISTINCT coalesce(a.model_key, o.model_key) AS model_key
    FROM (
        SELECT model_key, organization FROM identity_observations
        UNION ALL
        SELECT model_key, organization FROM model_sightings
    ) AS o
    LEFT JOIN model_aliases AS a ON a.alias = o.model_key
    WHERE lower(trim(o.organization)) = $alias
)
SELECT m.model_key, m.org_key, coalesce(g.display_name, m.org_key) AS organization, m.kind
FROM spelled AS s
JOIN models AS m USING (model_key)
LEFT JOIN organizations AS g ON g.org_key = m.org_key
ORDER BY m.model_key;
