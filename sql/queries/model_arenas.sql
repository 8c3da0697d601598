-- A model's presence per arena: one row per leaderboard and arena it was listed in (first and last date seen on any of its boards, the board and rank of its last appearance, and how many complete board snapshots of that arena were published after it without it, from which date).
-- $model VARCHAR: the model key, e.g. mai-1-preview (case-insensitive)
WITH mine AS (
    SELECT
        r.leaderboard,
        r.arena,
        min(r.as_of) AS first_seen,
        max(r.as_of) AS last_seen,
        arg_max(board_label(r.leaderboard, r.arena, r.category, r.style_control), (r.as_of, r.category, r.style_control)) AS last_board,
        arg_max(r.rank_ordinal, (r.as_of, r.category, r.style_control)) AS last_rank,
        arg_max(r.rank_ub, (r.as_of, r.category, r.style_control)) AS last_rank_ub
    FROM ranked AS r
    WHERE r.model = lower(trim($model))
    GROUP BY r.leaderboard, r.arena
),
after AS (
    SELECT m.leaderboard, m.arena, count(*) AS snapshots_after, count(DISTINCT (d.category, d.style_control)) AS boards_after,
           min(d.as_of) AS absent_since, max(d.as_of) AS newest_after
    FROM mine AS m
    JOIN board_dates AS d ON d.leaderboard = m.leaderboard AND d.arena = m.arena AND d.as_of > m.last_seen AND NOT d.partial
    GROUP BY m.leaderboard, m.arena
)
SELECT m.leaderboard, m.arena, m.first_seen, m.last_seen, m.last_board, m.last_rank, m.last_rank_ub,
       coalesce(a.snapshots_after, 0) AS snapshots_after, coalesce(a.boards_after, 0) AS boards_after,
       a.absent_since, a.newest_after
FROM mine AS m
LEFT JOIN after AS a USING (leaderboard, arena)
ORDER BY m.first_seen, m.leaderboard, m.arena;
