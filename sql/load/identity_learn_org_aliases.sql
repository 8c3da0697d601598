-- Learned organisation spellings: every spelling in the data not yet mapped goes to the organisation its
-- slug names (a seeded spelling or key with that slug), else to the organisation keyed by the slug itself.
INSERT INTO org_aliases (alias, org_key, kind)
SELECT s.alias, any_value(coalesce(by_slug.org_key, s.slug)), 'learned'
FROM identity_org_spellings AS s
LEFT JOIN org_aliases AS by_slug ON by_slug.alias = s.slug
WHERE s.slug <> '' AND s.alias NOT IN (SELECT alias FROM org_aliases)
GROUP BY s.alias;
