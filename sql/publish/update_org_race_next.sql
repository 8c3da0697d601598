-- After new dates were appended to the board $arena / $category / $style_control (a poll's next snapshot): the
-- org_race rows the read copy already holds for the board take their next complete date from the board's
-- recomputed board_dates, where it changed (in practice the newest date's rows, whose next_as_of was null).
UPDATE publish_copy.org_race AS o
SET next_as_of = d.next_as_of
FROM publish_copy.board_dates AS d
WHERE o.leaderboard = $leaderboard AND o.arena = $arena AND o.category = $category AND o.style_control = $style_control
  AND d.leaderboard = $leaderboard AND d.arena = $arena AND d.category = $category AND d.style_control = $style_control
  AND d.as_of = o.as_of
  AND o.next_as_of IS DISTINCT FROM d.next_as_of
