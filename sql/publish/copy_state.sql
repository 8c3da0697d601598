-- Whether the read copy being updated (publish_copy, a copy of the current one) can take the writer's
-- changes incrementally: built by the same SQL ($fingerprint), no snapshot or fetch it holds since removed
-- (a reparse or clear starts again from new ids), the same source precedence. One row: compatible, and the
-- highest snapshot and fetch ids it holds.
SELECT
    s.fingerprint = $fingerprint
        AND s.snapshots = (SELECT count(*) FROM snapshots WHERE snapshot_id <= s.max_snapshot_id)
        AND s.standings = (SELECT coalesce(sum(row_count), 0) FROM snapshots WHERE snapshot_id <= s.max_snapshot_id)
        AND s.fetches = (SELECT count(*) FROM fetches WHERE fetch_id <= s.max_fetch_id)
        AND NOT EXISTS (FROM source_precedence EXCEPT FROM publish_copy.source_precedence)
        AND NOT EXISTS (FROM publish_copy.source_precedence EXCEPT FROM source_precedence) AS compatible,
    s.max_snapshot_id,
    s.max_fetch_id
FROM publish_copy.publish_state AS s;
