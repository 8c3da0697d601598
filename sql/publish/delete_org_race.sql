-- Before an incremental publish recomputes a changed board: the read copy's org_race rows of the board $arena /
-- $category / $style_control (constants, so zone maps find them), put back next by org_race.sql.
DELETE FROM publish_copy.org_race
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control;
