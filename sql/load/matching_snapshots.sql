-- The staged snapshots this source already stored with the same content (same board, as-of and content hash):
-- they are skipped, so loading the same snapshot twice writes nothing. One row per such _snap.
SELECT DISTINCT h._snap
FROM staged_hashes AS h
JOIN staged_keys AS k USING (_snap)
JOIN snapshots AS s
    ON s.source = $source AND s.leaderboard = k.leaderboard AND s.arena = k.arena AND s.category = k.category
   AND s.style_control = k.style_control AND s.as_of = k.as_of AND s.content_hash = h.content_hash;
