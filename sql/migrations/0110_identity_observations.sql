-- identity_observations: what the stored standings say about identity, kept up to date by every load
-- (sql/load/observe_identity.sql) instead of being recomputed from every standing at each identity refresh:
-- that scan cost ~0.7 s and a few hundred MB at every publish once the history held 15 M standings. One row
-- per (source key, display name, organisation, keyed) with how many standings said it and the latest as-of.
-- A standing counts as keyed when its snapshot publishes real keys: some row of it has no display name or
-- one that differs from its key (sources without keys store the display name as the key).
CREATE TABLE identity_observations (
    model_key     VARCHAR NOT NULL,
    display_name  VARCHAR,
    organization  VARCHAR,
    keyed         BOOLEAN NOT NULL,
    seen          BIGINT NOT NULL,
    last_as_of    TIMESTAMPTZ NOT NULL
);
INSERT INTO identity_observations
WITH snapshot_keyed AS (
    SELECT snapshot_id, bool_or(display_name IS NULL OR lower(trim(display_name)) <> model_key) AS keyed
    FROM standings
    GROUP BY snapshot_id
)
SELECT st.model_key, st.display_name, st.organization, k.keyed, count(*) AS seen, max(sn.as_of) AS last_as_of
FROM standings AS st
JOIN snapshots AS sn USING (snapshot_id)
JOIN snapshot_keyed AS k USING (snapshot_id)
GROUP BY ALL;
