-- Stage what the stored data says about identity (temp table identity_observed): one row per (source key,
-- display name, organisation, keyed) with how many rows said it, whether any was a rated standing, and the
-- latest as-of. Standings rows count as keyed when their snapshot publishes real keys: some row of it has no
-- display name or one that differs from its key (sources without keys store the display name as the key).
-- Metadata sightings say keyed themselves.
CREATE OR REPLACE TEMP TABLE identity_observed AS
WITH snapshot_keyed AS (
    SELECT snapshot_id,
           bool_or(display_name IS NULL OR lower(trim(display_name)) <> model_key) AS keyed
    FROM standings
    GROUP BY snapshot_id
),
observed AS (
    SELECT st.model_key, st.display_name, st.organization, k.keyed, sn.as_of, true AS rated
    FROM standings AS st
    JOIN snapshots AS sn USING (snapshot_id)
    JOIN snapshot_keyed AS k USING (snapshot_id)
    UNION ALL
    SELECT model_key, display_name, organization, keyed, as_of, false AS rated
    FROM model_sightings
)
SELECT model_key, display_name, organization, keyed,
       bool_or(rated) AS rated,
       count(*) AS seen,
       max(as_of) AS last_as_of
FROM observed
GROUP BY model_key, display_name, organization, keyed;
