-- The content hash of each small table as the read copy being updated (publish_copy) holds it, recorded when
-- it was built (publish_state.sql): one row, a map from table name to hash (store/read_copy.py).
SELECT table_hashes FROM publish_copy.publish_state;
