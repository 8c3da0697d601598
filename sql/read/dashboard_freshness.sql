-- One row saying how fresh the data is: the newest snapshot as-of time over all boards and the number of
-- snapshots stored.
SELECT max(as_of) AS newest_as_of_at, count(*) AS snapshots
FROM snapshots;
