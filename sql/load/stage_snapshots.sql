-- Snapshots in the staged frame (`staged`) that this source has not stored with the same content:
-- one row per (board, as_of) with a content hash, a new snapshot_id and a row count.
-- The content hash combines one md5 per row with XOR, so it does not depend on row order and needs no
-- per-snapshot sort (rows are unique per model, so no two rows cancel out); md5 and XOR keep it stable
-- across DuckDB versions, unlike hash().
CREATE OR REPLACE TEMP TABLE staged_snapshots AS
WITH hashed AS (
    SELECT
        arena, category, style_control, as_of,
        any_value(as_of_kind) AS as_of_kind,
        any_value(rank_meaning) AS rank_meaning,
        count(*)::INTEGER AS row_count,
        md5(bit_xor(md5_number(
            concat_ws('|', model_key, coalesce(display_name, '~'), coalesce(organization, '~'),
                      coalesce(license, '~'), rating::VARCHAR, coalesce(rating_lower::VARCHAR, '~'),
                      coalesce(rating_upper::VARCHAR, '~'), coalesce(votes::VARCHAR, '~'),
                      coalesce(rank_published::VARCHAR, '~'), coalesce(extra, '~'))))::VARCHAR) AS content_hash
    FROM staged
    GROUP BY arena, category, style_control, as_of
)
SELECT nextval('snapshot_id_seq') AS snapshot_id, h.*
FROM hashed AS h
WHERE NOT EXISTS (
    SELECT 1 FROM snapshots AS s
    WHERE s.source = $source AND s.arena = h.arena AND s.category = h.category
      AND s.style_control = h.style_control AND s.as_of = h.as_of AND s.content_hash = h.content_hash
);
