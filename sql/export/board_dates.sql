-- board_dates for the lake: one row per board and as-of date (the view of the same name); always
-- exported whole, since a new date changes the previous date's next_as_of.
SELECT * FROM board_dates
