-- Reparse starts from nothing derived: snapshots go after their standings.
DELETE FROM snapshots;
