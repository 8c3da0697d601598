-- A new snapshot_id for each new staged snapshot (registered frame new_keys: their _snap). One row per _snap.
SELECT _snap, nextval('snapshot_id_seq') AS snapshot_id
FROM new_keys;
