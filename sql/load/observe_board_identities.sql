-- Add the boards' source keys and organisation spellings that the new snapshots' standings (registered
-- frame new_standings, whose rows carry their snapshot's board) bring for the first time to
-- board_identities (see sql/migrations/0140_board_identities.sql), each with the first new snapshot that
-- carried it. Spellings match null-safely (an organisation may be missing). The board is read from the rows
-- themselves: joining them to new_snapshots for it cost 2-3x as much (85 against 32 ms for 500k rows).
INSERT INTO board_identities (leaderboard, arena, category, style_control, model_key, organization, first_snapshot_id)
SELECT n.leaderboard, n.arena, n.category, n.style_control, n.model_key, n.organization, n.first_snapshot_id
FROM (
    SELECT r.leaderboard, r.arena, r.category, r.style_control, r.model_key, r.organization, min(r.snapshot_id) AS first_snapshot_id
    FROM new_standings AS r
    GROUP BY r.leaderboard, r.arena, r.category, r.style_control, r.model_key, r.organization
) AS n
WHERE NOT EXISTS (
    SELECT 1
    FROM board_identities AS b
    WHERE b.leaderboard = n.leaderboard AND b.arena = n.arena AND b.category = n.category AND b.style_control = n.style_control
      AND b.model_key = n.model_key AND b.organization IS NOT DISTINCT FROM n.organization
);
