-- Whether the dates an incremental publish recomputes for the board $arena / $category / $style_control
-- ($dates) all come after every date the read copy holds for it (or the copy holds none): the common case of
-- a poll bringing the board's next snapshot. Then the board's rows already in the copy keep their values but
-- for their board context, and only the new dates' rows are added (read_copy.py); otherwise the board is
-- rewritten. Read before the board's board_dates rows are replaced.
SELECT coalesce(list_min($dates) > max(d.as_of), true) AS appends_only
FROM publish_copy.board_dates AS d
WHERE d.leaderboard = $leaderboard AND d.arena = $arena AND d.category = $category AND d.style_control = $style_control
