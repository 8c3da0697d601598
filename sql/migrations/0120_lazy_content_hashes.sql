-- A snapshot's content hash is computed when first needed (sql/load/fill_content_hashes.sql): only a payload
-- that brings a board and as-of its source already stored needs one to compare. Hashing every row of every
-- load cost ~20% of a full-history import. Null until then; existing hashes stay valid (same formula).
ALTER TABLE snapshots ALTER COLUMN content_hash DROP NOT NULL;
