-- Seeded organisation spellings: seeds/org_aliases.csv first, then each seeded organisation's display name
-- and key. A spelling the user mapped keeps the user's mapping.
INSERT INTO org_aliases (alias, org_key, kind)
SELECT alias, arg_min(org_key, priority), 'seed'
FROM (
    SELECT lower(alias) AS alias, lower(org_key) AS org_key, 0 AS priority FROM seed_org_aliases
    UNION ALL
    SELECT lower(display_name), lower(org_key), 1 FROM seed_organizations
    UNION ALL
    SELECT lower(org_key), lower(org_key), 2 FROM seed_organizations
) AS spellings
WHERE alias NOT IN (SELECT alias FROM org_aliases)
GROUP BY alias;
