-- One row per canonical model whose key, display name, organisation or any alias matches $pattern (ILIKE
-- with backslash escapes; NULL lists every model): display name, organisation, family, aliases (with their kind), leaderboards, sources, first and
-- last as-of date with standings and the number of distinct dates. Newest first.
WITH seen AS (
    SELECT model,
           min(as_of) AS first_seen,
           max(as_of) AS last_seen,
           count(DISTINCT as_of) AS dates,
           string_agg(DISTINCT leaderboard, ', ' ORDER BY leaderboard) AS leaderboards,
           string_agg(DISTINCT source, ', ' ORDER BY source) AS sources
    FROM standings_resolved
    GROUP BY model
),
aliases AS (
    SELECT model_key,
           string_agg(alias || ' (' || kind || ')', ', ' ORDER BY alias) AS aliases
    FROM model_aliases
    WHERE alias <> model_key
    GROUP BY model_key
)
SELECT m.model_key AS model, m.display_name, o.display_name AS organization, m.family,
       a.aliases, s.leaderboards, s.sources, s.first_seen, s.last_seen, s.dates
FROM models AS m
LEFT JOIN organizations AS o ON o.org_key = m.org_key
LEFT JOIN aliases AS a USING (model_key)
LEFT JOIN seen AS s ON s.model = m.model_key
WHERE $pattern IS NULL
   OR m.model_key ILIKE $pattern ESCAPE '\'
   OR m.display_name ILIKE $pattern ESCAPE '\'
   OR o.display_name ILIKE $pattern ESCAPE '\'
   OR EXISTS (SELECT 1 FROM model_aliases AS x WHERE x.model_key = m.model_key AND x.alias ILIKE $pattern ESCAPE '\')
ORDER BY s.last_seen DESC NULLS LAST, m.model_key;
