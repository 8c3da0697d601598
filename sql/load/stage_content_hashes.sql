-- The content hash of each staged snapshot whose board and as-of this source already stored (registered
-- frame staged_rows: those snapshots' rows with their _snap), in temp table staged_hashes (_snap,
-- content_hash). The hash combines one md5 per row with XOR, so it does not depend on row order and needs no
-- per-snapshot sort (rows are unique per model, so no two rows cancel out); md5 and XOR keep it stable across
-- DuckDB versions, unlike hash(). content_hash.sql computes the same from stored standings.
CREATE OR REPLACE TEMP TABLE staged_hashes AS
SELECT _snap,
       md5(bit_xor(md5_number(
           concat_ws('|', model_key, coalesce(display_name, '~'), coalesce(organization, '~'),
                     coalesce(license, '~'), rating::VARCHAR, coalesce(rating_lower::VARCHAR, '~'),
                     coalesce(rating_upper::VARCHAR, '~'), coalesce(votes::VARCHAR, '~'),
                     coalesce(rank_published::VARCHAR, '~'), coalesce(extra, '~'))))::VARCHAR) AS content_hash
FROM staged_rows
GROUP BY _snap;
