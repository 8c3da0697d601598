-- Content hashes are computed when first needed: a snapshot stored without one (its board and as-of were
-- new to its source) gets it once a later payload of the source carries the same board and as-of (staged_keys),
-- from its stored standings with the formula of stage_content_hashes.sql (the standings keep every field it
-- reads, as staged).
UPDATE snapshots
SET content_hash = h.content_hash
FROM (
    SELECT st.snapshot_id,
           md5(bit_xor(md5_number(
               concat_ws('|', st.model_key, coalesce(st.display_name, '~'), coalesce(st.organization, '~'),
                         coalesce(st.license, '~'), st.rating::VARCHAR, coalesce(st.rating_lower::VARCHAR, '~'),
                         coalesce(st.rating_upper::VARCHAR, '~'), coalesce(st.votes::VARCHAR, '~'),
                         coalesce(st.rank_published::VARCHAR, '~'), coalesce(st.extra::VARCHAR, '~'))))::VARCHAR)
               AS content_hash
    FROM standings AS st
    WHERE st.snapshot_id IN (
        SELECT s.snapshot_id
        FROM snapshots AS s
        JOIN staged_keys AS k
            ON s.leaderboard = k.leaderboard AND s.arena = k.arena AND s.category = k.category AND s.style_control = k.style_control
           AND s.as_of = k.as_of
        WHERE s.source = $source AND s.content_hash IS NULL
    )
    GROUP BY st.snapshot_id
) AS h
WHERE snapshots.snapshot_id = h.snapshot_id;
