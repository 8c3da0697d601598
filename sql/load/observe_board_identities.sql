-- Add the boards' source keys and organisation spellings that the new snapshots (registered frames
-- new_standings and new_snapshots) bring for the first time to board_identities (see
-- sql/migrations/0140_board_identities.sql), each with the first new snapshot that carried it. Spellings
-- match null-safely (an organisation may be missing).
INSERT INTO board_identities (leaderboard, arena, category, style_control, model_key, organization, first_snapshot_id)
SELECT n.leaderboard, n.arena, n.category, n.style_control, n.model_key, n.organization, n.first_snapshot_id
FROM (
    SELECT s.leaderboard, s.arena, s.category, s.style_control, r.model_key, r.organization, min(r.snapshot_id) AS first_snapshot_id
    FROM new_standings AS r
    JOIN new_snapshots AS s USING (snapshot_id)
    GROUP BY s.leaderboard, s.arena, s.category, s.style_control, r.model_key, r.organization
) AS n
WHERE NOT EXISTS (
    SELECT 1
    FROM board_identities AS b
    WHERE b.leaderboard = n.leaderboard AND b.arena = n.arena AND b.category = n.category AND b.style_control = n.style_control
      AND b.model_key = n.model_key AND b.organization IS NOT DISTINCT FROM n.organization
);
