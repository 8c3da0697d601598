-- Reparse starts from nothing derived: standings go (snapshots are cleared by clear_snapshots).
DELETE FROM standings;
