-- Store the staged snapshots that are new.
INSERT INTO snapshots
SELECT snapshot_id, $source, arena, category, style_control, as_of, as_of_kind, rank_meaning,
       $fetched_at, $payload_hash, content_hash, row_count
FROM staged_snapshots;
