-- Before an incremental publish recomputes a changed board: the read copy's board_dates rows of the board $arena /
-- $category / $style_control (constants, so zone maps find them), put back next by board_dates.sql.
DELETE FROM publish_copy.board_dates
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control;
