-- Names one leaderboard lists that resolve to no model another leaderboard lists (`tracker models --unmatched`):
-- one row per leaderboard and canonical model, with its newest display name and organisation there, the keys
-- it was published under, its arenas and last date, and the closest model by name that another leaderboard
-- lists (similarity 0..1, shown from 0.85), so a missed alias is one `tracker alias add NAME MODEL` away.
-- $pattern (ILIKE with backslash escapes; NULL lists all) matches the leaderboard, model, key, display name
-- or organisation. No rows while the store holds one leaderboard. Likeliest misses first.
WITH
    listed AS (
        SELECT leaderboard, model, source_key, display_name, organization, arena, as_of
        FROM standings_resolved
    ),
    per_model AS (
        SELECT leaderboard, model,
               arg_max(display_name, as_of) AS display_name,
               arg_max(organization, as_of) AS organization,
               string_agg(DISTINCT source_key, ', ' ORDER BY source_key) AS names,
               string_agg(DISTINCT arena, ', ' ORDER BY arena) AS arenas,
               max(as_of) AS last_seen
        FROM listed
        GROUP BY leaderboard, model
    ),
    unmatched AS (
        SELECT *
        FROM per_model AS u
        WHERE NOT EXISTS (FROM per_model AS o WHERE o.model = u.model AND o.leaderboard <> u.leaderboard)
          AND EXISTS (FROM per_model AS o WHERE o.leaderboard <> u.leaderboard)
          AND ($pattern IS NULL
               OR u.leaderboard ILIKE $pattern ESCAPE '\'
               OR u.model ILIKE $pattern ESCAPE '\'
               OR u.names ILIKE $pattern ESCAPE '\'
               OR u.display_name ILIKE $pattern ESCAPE '\'
               OR u.organization ILIKE $pattern ESCAPE '\')
    ),
    -- each model's key and display name in two comparable forms: squeezed ("claude-3.5" -> claude35) and as
    -- sorted words ("Claude 4.5 Sonnet" and claude-sonnet-4-5 -> "4 5 claude sonnet")
    spelt AS (
        SELECT leaderboard, model, unnest([model, lower(display_name)]) AS name FROM per_model
    ),
    names AS (
        SELECT leaderboard, model, 'squeezed' AS kind, regexp_replace(name, '[^a-z0-9]+', '', 'g') AS form
        FROM spelt WHERE name IS NOT NULL
        UNION
        SELECT leaderboard, model, 'words',
               array_to_string(list_sort(list_filter(string_split_regex(name, '[^a-z0-9]+'), lambda w: w <> '')), ' ')
        FROM spelt WHERE name IS NOT NULL
    ),
    closest AS (
        SELECT u.leaderboard, u.model,
               arg_max(o.model, (jaro_winkler_similarity(a.form, o.form), o.model)) AS closest,
               max(jaro_winkler_similarity(a.form, o.form)) AS similarity
        FROM unmatched AS u
        JOIN names AS a ON a.leaderboard = u.leaderboard AND a.model = u.model
        JOIN names AS o ON o.leaderboard <> u.leaderboard AND o.kind = a.kind
        GROUP BY u.leaderboard, u.model
    )
SELECT u.leaderboard, u.model, u.display_name, u.organization, u.names, u.arenas, u.last_seen,
       CASE WHEN c.similarity >= 0.85 THEN c.closest END AS closest,
       CASE WHEN c.similarity >= 0.85 THEN round(c.similarity, 2) END AS similarity
FROM unmatched AS u
LEFT JOIN closest AS c USING (leaderboard, model)
ORDER BY u.leaderboard, similarity DESC NULLS LAST, u.last_seen DESC, u.model;
