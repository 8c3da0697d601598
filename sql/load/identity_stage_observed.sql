-- Stage what the stored data says about identity (temp table identity_observed): one row per (source key,
-- display name, organisation, keyed) with how many rows said it, whether any was a rated standing, and the
-- latest as-of. The standings' share is kept by every load in identity_observations (keyed there: the
-- snapshot publishes real keys); metadata sightings say keyed themselves.
CREATE OR REPLACE TEMP TABLE identity_observed AS
SELECT model_key, display_name, organization, keyed,
       bool_or(rated) AS rated,
       CAST(sum(seen) AS BIGINT) AS seen,
       max(last_as_of) AS last_as_of
FROM (
    SELECT model_key, display_name, organization, keyed, true AS rated, seen, last_as_of
    FROM identity_observations
    UNION ALL
    SELECT model_key, display_name, organization, keyed, false AS rated, 1 AS seen, as_of AS last_as_of
    FROM model_sightings
)
GROUP BY model_key, display_name, organization, keyed;
