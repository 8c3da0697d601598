-- Before an incremental publish recomputes a changed board: the read copy's history rows of the board $arena /
-- $category / $style_control (constants, so zone maps find them), put back next by history.sql.
DELETE FROM publish_copy.history
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control;
