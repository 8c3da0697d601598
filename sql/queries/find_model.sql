-- Models whose key or display name contains a text: one row per model (display name, organisation, boards, first and last date seen), most boards first.
-- $pattern VARCHAR: part of a model key or display name (case-insensitive), e.g. mai
SELECT model, any_value(display_name) AS display_name, any_value(organization) AS organization,
       count(DISTINCT (arena, category, style_control)) AS boards,
       min(as_of) AS first_seen, max(as_of) AS last_seen
FROM rank_history
WHERE model ILIKE '%' || trim($pattern) || '%' OR display_name ILIKE '%' || trim($pattern) || '%'
GROUP BY model
ORDER BY boards DESC, last_seen DESC, model
LIMIT 50;
