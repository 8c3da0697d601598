-- Store the new snapshots (registered frame new_snapshots; content_hash is null unless it was computed to
-- tell this snapshot from one stored before, see fill_content_hashes.sql).
INSERT INTO snapshots (
    snapshot_id, source, leaderboard, arena, category, style_control, as_of, as_of_kind, rank_meaning,
    fetched_at, payload_hash, content_hash, row_count, published_ranks
)
SELECT snapshot_id, $source, leaderboard, arena, category, style_control, as_of, as_of_kind, rank_meaning,
       $fetched_at, $payload_hash, content_hash, row_count, published_ranks
FROM new_snapshots;
