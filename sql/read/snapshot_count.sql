-- One row: how many snapshots are stored.
SELECT count(*) FROM snapshots;
