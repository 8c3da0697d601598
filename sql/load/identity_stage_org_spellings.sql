-- Stage every organisation spelling the data uses (temp table identity_org_spellings): the spelling, its
-- alias form (lower case, trimmed, as standings_resolved joins it), its slug (runs of non-alphanumerics
-- as '-': "Microsoft AI" and "microsoft-ai" share the slug microsoft-ai) and how many rows used it.
CREATE OR REPLACE TEMP TABLE identity_org_spellings AS
SELECT trim(organization) AS spelling,
       lower(trim(organization)) AS alias,
       trim(regexp_replace(lower(trim(organization)), '[^a-z0-9]+', '-', 'g'), '-') AS slug,
       sum(seen) AS n
FROM identity_observed
WHERE nullif(trim(organization), '') IS NOT NULL
GROUP BY ALL;
