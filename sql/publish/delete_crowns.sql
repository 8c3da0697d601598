-- Before an incremental publish recomputes a changed board: the read copy's crowns rows of the board $arena /
-- $category / $style_control (constants, so zone maps find them), put back next by crowns.sql.
DELETE FROM publish_copy.crowns
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control;
