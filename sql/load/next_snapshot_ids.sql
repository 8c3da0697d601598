-- A new snapshot_id for each new staged snapshot (registered frame new_keys: their _snap). One row per _snap.
-- Taken in _snap order (board, then date: store._snapshot_keys), so a board's snapshots get neighbouring ids.
SELECT _snap, nextval('snapshot_id_seq') AS snapshot_id
FROM (SELECT _snap FROM new_keys ORDER BY _snap) AS k;
