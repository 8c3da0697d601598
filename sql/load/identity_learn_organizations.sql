-- Learned organisations: a spelling whose alias form and slug match no known spelling starts a new
-- organisation keyed by its slug, named by its most used cased spelling ("Reka AI" over "reka-ai"); an
-- organisation key the user mapped a spelling to exists too (named by its key until a seed names it).
INSERT INTO organizations (org_key, display_name, kind)
SELECT org_key, arg_max(spelling, weight), 'learned'
FROM (
    SELECT slug AS org_key, spelling,
           (CASE WHEN spelling <> lower(spelling) THEN 1e15 ELSE 0 END) + n AS weight
    FROM identity_org_spellings
    WHERE slug <> ''
      AND alias NOT IN (SELECT alias FROM org_aliases)
      AND slug NOT IN (SELECT alias FROM org_aliases)
    UNION ALL
    SELECT org_key, org_key, 0 FROM org_aliases WHERE kind = 'user'
) AS candidates
WHERE org_key NOT IN (SELECT org_key FROM organizations)
GROUP BY org_key;
