-- After the board $arena / $category / $style_control's board_dates rows were recomputed for some new dates:
-- its rows already in the read copy take their board context from them, where it changed (for dates appended
-- after the others, in practice the next, first and newest complete dates; for a date among them, also the
-- later dates' seq), and the comparable ranks (rank_ordinal, rank_ub, rank_lb) with their date's partial flag.
UPDATE publish_copy.ranked AS h
SET partial = d.partial,
    seq = d.seq,
    board_prev_as_of = d.prev_as_of,
    board_next_as_of = d.next_as_of,
    board_first_as_of = d.first_as_of,
    board_newest_as_of = d.newest_as_of,
    rank_ordinal =
        comparable_rank(d.partial, h.computed_rank_ordinal, h.rank_published, h.rank_meaning, 'ordinal'),
    rank_ub = comparable_rank(d.partial, h.computed_rank_ub, h.rank_published, h.rank_meaning, 'ub'),
    rank_lb = comparable_rank(d.partial, h.computed_rank_lb, NULL, h.rank_meaning, 'lb')
FROM publish_copy.board_dates AS d
WHERE h.leaderboard = $leaderboard AND h.arena = $arena AND h.category = $category AND h.style_control = $style_control
  AND d.leaderboard = $leaderboard AND d.arena = $arena AND d.category = $category AND d.style_control = $style_control
  AND d.as_of = h.as_of
  AND (h.board_next_as_of IS DISTINCT FROM d.next_as_of
       OR h.board_first_as_of IS DISTINCT FROM d.first_as_of
       OR h.board_newest_as_of IS DISTINCT FROM d.newest_as_of
       OR h.partial IS DISTINCT FROM d.partial
       OR h.seq IS DISTINCT FROM d.seq
       OR h.board_prev_as_of IS DISTINCT FROM d.prev_as_of)
