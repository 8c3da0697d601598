-- raw_payloads without its PRIMARY KEY: with the key, every COMMIT that added a payload cost ~1 s once the
-- table held ~600 MB of bodies (10x benchmark history; a new arena page took 1.4 s to store, 80 ms without
-- it). store.save_raw looks a payload's hash up before inserting it, in the writer's one transaction, and
-- only the lock-holding writer inserts, so each hash is still stored once. Rebuilt in place (DuckDB cannot
-- drop a key), same columns, order and NOT NULLs.
CREATE TABLE raw_payloads_unkeyed (
    payload_hash   VARCHAR NOT NULL,             -- sha256 of the uncompressed bytes; one row per hash
    source         VARCHAR NOT NULL,
    origin         VARCHAR NOT NULL,
    size_bytes     BIGINT NOT NULL,
    compression    VARCHAR NOT NULL,
    body           BLOB NOT NULL,
    status         VARCHAR NOT NULL,
    first_seen_at  TIMESTAMPTZ NOT NULL
);
INSERT INTO raw_payloads_unkeyed SELECT * FROM raw_payloads;
DROP TABLE raw_payloads;
ALTER TABLE raw_payloads_unkeyed RENAME TO raw_payloads;
