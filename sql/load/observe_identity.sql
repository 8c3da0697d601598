-- Add what the new snapshots' standings (registered frame new_standings, with each snapshot's as_of) say
-- about identity to identity_observations (see sql/migrations/0110_identity_observations.sql): counts add
-- up, the latest as-of wins. Keys match null-safely (display name and organisation may be missing).
MERGE INTO identity_observations AS t
USING (
    WITH snapshot_keyed AS (
        SELECT snapshot_id, bool_or(display_name IS NULL OR lower(trim(display_name)) <> model_key) AS keyed
        FROM new_standings
        GROUP BY snapshot_id
    )
    SELECT r.model_key, r.display_name, r.organization, k.keyed, count(*) AS seen, max(r.as_of) AS last_as_of
    FROM new_standings AS r
    JOIN snapshot_keyed AS k USING (snapshot_id)
    GROUP BY ALL
) AS s
ON t.model_key = s.model_key AND t.display_name IS NOT DISTINCT FROM s.display_name
   AND t.organization IS NOT DISTINCT FROM s.organization AND t.keyed = s.keyed
WHEN MATCHED THEN UPDATE SET seen = t.seen + s.seen, last_as_of = greatest(t.last_as_of, s.last_as_of)
WHEN NOT MATCHED THEN INSERT (model_key, display_name, organization, keyed, seen, last_as_of)
    VALUES (s.model_key, s.display_name, s.organization, s.keyed, s.seen, s.last_as_of);
