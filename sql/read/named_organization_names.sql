-- Every name an organisation parameter of a named query may be given in, lower case: each organisation key
-- and each spelling the identity tables know, with the organisation's display name as the views show it.
-- Small: tracker.named_queries reads it once per read copy.
SELECT o.org_key AS name, o.display_name AS canonical FROM organizations AS o
UNION
SELECT a.alias AS name, o.display_name AS canonical
FROM org_aliases AS a
JOIN organizations AS o USING (org_key);
