-- After new dates were appended after the board $arena / $category / $style_control's others (a poll's next
-- snapshot): the org_race rows the read copy already holds for the board take their next complete date from
-- the board's recomputed board_dates. Only rows without one can change (the board's newest complete date's:
-- an earlier row's next date is a kept date, and org_race holds no partial snapshot), so only those are joined.
UPDATE publish_copy.org_race AS o
SET next_as_of = d.next_as_of
FROM publish_copy.board_dates AS d
WHERE o.leaderboard = $leaderboard AND o.arena = $arena AND o.category = $category AND o.style_control = $style_control
  AND o.next_as_of IS NULL
  AND d.leaderboard = $leaderboard AND d.arena = $arena AND d.category = $category AND d.style_control = $style_control
  AND d.as_of = o.as_of
  AND d.next_as_of IS NOT NULL
