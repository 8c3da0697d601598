-- One model's ($model) record on every board it appeared on, from the entrants and exits views: one row per
-- board (with its label; ranks from `ranked`) with its debut (date, ordinal rank; listed_from_start when it was already listed on
-- the board's first date, so no real debut), best ordinal rank and the first date it was reached, newest
-- appearance (date, ordinal rank, rank (UB), rating, votes), snapshots, and gone / missing_since (the first
-- board date without it) when it has left the board.
WITH best AS (
    SELECT arena, category, style_control,
           min(rank_ordinal) AS best_rank,
           arg_min(as_of, (rank_ordinal, as_of)) AS best_at,
           count(*) AS snapshots
    FROM ranked
    WHERE model = $model
    GROUP BY ALL
)
SELECT e.arena, e.category, e.style_control,
       board_label(e.arena, e.category, e.style_control) AS board,
       e.first_as_of AS debut, e.rank_ordinal AS debut_rank, e.with_board AS listed_from_start,
       b.best_rank, b.best_at,
       x.last_as_of AS last_seen, x.rank_ordinal AS latest_rank, x.rank_ub AS latest_rank_ub,
       x.rating AS latest_rating, x.votes AS latest_votes,
       b.snapshots, x.board_newest_as_of AS board_newest, x.gone, x.missing_since
FROM entrants AS e
JOIN exits AS x USING (arena, category, style_control, model)
JOIN best AS b USING (arena, category, style_control)
WHERE e.model = $model
ORDER BY e.arena, e.category = 'overall' DESC, e.category, e.style_control;
