-- One model on every board it was listed on: one row per board (debut date and rank, best rank and rank (UB) and when, latest rank, last seen, gone, missing since, the complete board snapshots published after its last appearance there, the board's newest complete date and usual cadence, and when the tracker's history of the arena begins).
-- $model VARCHAR: the model key, e.g. mai-1-preview (case-insensitive)
WITH best AS (
    SELECT leaderboard, arena, category, style_control,
           min(rank_ordinal) AS best_rank,
           arg_min(as_of, (rank_ordinal, as_of)) FILTER (WHERE rank_ordinal IS NOT NULL) AS best_first_as_of,
           min(rank_ub) AS best_rank_ub,
           arg_min(as_of, (rank_ub, as_of)) FILTER (WHERE rank_ub IS NOT NULL) AS best_ub_first_as_of
    FROM ranked
    WHERE model = lower(trim($model))
    GROUP BY leaderboard, arena, category, style_control
),
arena_start AS (
    SELECT leaderboard, arena, min(first_as_of) AS arena_first_as_of FROM board_dates GROUP BY leaderboard, arena
),
exits_here AS (
    SELECT x.*,
           (SELECT count(*) FROM board_dates AS d
            WHERE d.leaderboard = x.leaderboard AND d.arena = x.arena AND d.category = x.category AND d.style_control = x.style_control
              AND d.as_of > x.last_as_of AND NOT d.partial) AS snapshots_after
    FROM exits AS x
    WHERE x.model = lower(trim($model))
)
SELECT
    e.leaderboard, e.arena, e.category, e.style_control, board_label(e.leaderboard, e.arena, e.category, e.style_control) AS board,
    e.first_as_of, e.rank_ordinal AS debut_rank, e.rank_ub AS debut_rank_ub, e.rating AS debut_rating,
    e.votes AS debut_votes, e.with_board,
    b.best_rank, b.best_first_as_of, b.best_rank_ub, b.best_ub_first_as_of, a.arena_first_as_of,
    x.last_as_of, x.rank_ordinal AS last_rank, x.rank_ub AS last_rank_ub, x.rating AS last_rating,
    x.votes AS last_votes, x.gone, x.missing_since, x.snapshots_after, x.board_newest_as_of,
    c.cadence_days AS board_cadence_days, e.appearances, e.display_name, e.organization
FROM entrants AS e
JOIN exits_here AS x USING (leaderboard, arena, category, style_control, model)
JOIN best AS b USING (leaderboard, arena, category, style_control)
LEFT JOIN arena_start AS a USING (leaderboard, arena)
LEFT JOIN board_cadence AS c USING (leaderboard, arena, category, style_control)
WHERE e.model = lower(trim($model))
ORDER BY e.first_as_of, e.leaderboard, e.arena, e.category, e.style_control;
