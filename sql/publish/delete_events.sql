-- Before an incremental publish recomputes a changed board: the read copy's events rows of the board
-- $arena / $category / $style_control but its methodology rows (delete_methodology_events.sql), put back
-- next by events.sql.
DELETE FROM publish_copy.events
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control AND kind <> 'methodology';
