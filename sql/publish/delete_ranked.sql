-- Before an incremental publish recomputes a changed board: the read copy's ranked rows of the board $arena /
-- $category / $style_control (constants, so zone maps find them), put back next by ranked.sql.
DELETE FROM publish_copy.ranked
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control;
