-- After some dates of the board $arena / $category / $style_control were recomputed in the read copy among its
-- others (delete_ranked_dates.sql, then ranked.sql for those dates alone): each row's previous appearance of
-- its model on the board, as ranked.sql computes it (the model's previous row and that row's comparable
-- ordinal rank), set where it changed - in practice each model's first row after a recomputed date, and the
-- recomputed rows themselves. One window over three columns of the board instead of rewriting its rows (10x,
-- a 150k-row board: the rewrite held ~140 MB more in the poller).
UPDATE publish_copy.ranked AS h
SET prev_as_of = p.prev_as_of,
    prev_rank_ordinal = p.prev_rank_ordinal
FROM (
    SELECT b.model, b.as_of,
           lag(b.as_of) OVER w AS prev_as_of,
           lag(b.rank_ordinal) OVER w AS prev_rank_ordinal
    FROM publish_copy.ranked AS b
    WHERE b.leaderboard = $leaderboard AND b.arena = $arena AND b.category = $category AND b.style_control = $style_control
    WINDOW w AS (PARTITION BY b.model ORDER BY b.as_of)
) AS p
WHERE h.leaderboard = $leaderboard AND h.arena = $arena AND h.category = $category AND h.style_control = $style_control
  AND h.model = p.model AND h.as_of = p.as_of
  AND (h.prev_as_of IS DISTINCT FROM p.prev_as_of OR h.prev_rank_ordinal IS DISTINCT FROM p.prev_rank_ordinal);
