-- Models: every canonical model that has standings, plus the seeded catalogue (seeds/models.csv). The seed's
-- display name, organisation and family win; otherwise the data's: the most recent cased display name
-- (else the most recent) and the canonical organisation that sources publishing real keys give most often
-- (then all sources, then the most recent; the name breaks exact ties so the choice is stable).
INSERT INTO models (model_key, display_name, org_key, family, kind)
WITH observed AS (
    SELECT coalesce(a.model_key, o.model_key) AS model_key, o.display_name, oa.org_key,
           o.seen, o.last_as_of, o.rated, o.keyed
    FROM identity_observed AS o
    LEFT JOIN model_aliases AS a ON a.alias = o.model_key
    LEFT JOIN org_aliases AS oa ON oa.alias = lower(trim(o.organization))
),
rated AS (
    SELECT DISTINCT model_key FROM observed WHERE rated
),
names AS (
    SELECT model_key,
           arg_max(display_name, (display_name <> lower(display_name), coalesce(last_as_of, '-infinity'::TIMESTAMPTZ), display_name)) AS display_name
    FROM observed
    WHERE display_name IS NOT NULL
    GROUP BY model_key
),
org_votes AS (
    SELECT model_key, org_key, sum(seen) FILTER (WHERE keyed) AS n_keyed, sum(seen) AS n, max(last_as_of) AS latest
    FROM observed
    WHERE org_key IS NOT NULL
    GROUP BY model_key, org_key
),
orgs AS (
    SELECT model_key,
           arg_max(org_key, (coalesce(n_keyed, 0), n, coalesce(latest, '-infinity'::TIMESTAMPTZ), org_key)) AS org_key
    FROM org_votes
    GROUP BY model_key
),
seeded AS (
    SELECT coalesce(a.model_key, lower(s.model_key)) AS model_key,
           any_value(s.display_name) AS display_name,
           any_value(lower(s.org_key)) AS org_key,
           any_value(s.family) AS family
    FROM seed_models AS s
    LEFT JOIN model_aliases AS a ON a.alias = lower(s.model_key)
    GROUP BY ALL
)
SELECT coalesce(s.model_key, r.model_key) AS model_key,
       coalesce(s.display_name, n.display_name) AS display_name,
       coalesce(s.org_key, g.org_key) AS org_key,
       s.family,
       CASE WHEN s.model_key IS NULL THEN 'learned' ELSE 'seed' END AS kind
FROM rated AS r
FULL OUTER JOIN seeded AS s ON s.model_key = r.model_key
LEFT JOIN names AS n ON n.model_key = coalesce(s.model_key, r.model_key)
LEFT JOIN orgs AS g ON g.model_key = coalesce(s.model_key, r.model_key);
