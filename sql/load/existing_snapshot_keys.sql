-- The staged snapshots (registered frame staged_keys: one row per board and as-of of the payload, with its
-- local number _snap) that this source has already stored a snapshot of: only those need their content
-- compared. One row per such _snap.
SELECT DISTINCT k._snap
FROM staged_keys AS k
JOIN snapshots AS s
    ON s.source = $source AND s.leaderboard = k.leaderboard AND s.arena = k.arena AND s.category = k.category
   AND s.style_control = k.style_control AND s.as_of = k.as_of;
