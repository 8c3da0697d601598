-- The canonical models whose key, display name, organisation or any alias matches $pattern (ILIKE with
-- backslash escapes): what `tracker models PATTERN` lists (identity_models.sql, given these keys).
SELECT list(m.model_key ORDER BY m.model_key) AS models
FROM models AS m
LEFT JOIN organizations AS o ON o.org_key = m.org_key
WHERE m.model_key ILIKE $pattern ESCAPE '\'
   OR m.display_name ILIKE $pattern ESCAPE '\'
   OR o.display_name ILIKE $pattern ESCAPE '\'
   OR EXISTS (SELECT 1 FROM model_aliases AS x WHERE x.model_key = m.model_key AND x.alias ILIKE $pattern ESCAPE '\');
