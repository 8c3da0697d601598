-- source_disagreements: one row per board, as-of date, canonical model and pair of sources (source_a <
-- source_b) whose ratings differ by more than rounding explains. Each source contributes its latest
-- snapshot of that board and day (a merge of two source keys keeps the row with more votes).
-- Tolerance: a snapshot's rating step is the coarsest decimal step all its ratings sit on (1 for integer
-- scores: fboulnois, kevinschaul, acarter881, keshami; 0.01 for the page's two decimals; 0.001 for
-- arena-catalog; 0 for full floats). Two roundings of one value differ by at most half of each step, so a
-- pair disagrees when |rating_a - rating_b| > (step_a + step_b) / 2 (+1e-9 for float noise).
CREATE OR REPLACE VIEW source_disagreements AS
WITH steps AS (
    SELECT snapshot_id,
           CASE
               WHEN bool_and(abs(rating - round(rating)) < 1e-9) THEN 1.0
               WHEN bool_and(abs(rating - round(rating, 1)) < 1e-9) THEN 0.1
               WHEN bool_and(abs(rating - round(rating, 2)) < 1e-9) THEN 0.01
               WHEN bool_and(abs(rating - round(rating, 3)) < 1e-9) THEN 0.001
               ELSE 0.0
           END AS rating_step
    FROM standings
    GROUP BY snapshot_id
),
per_source AS (
    SELECT r.leaderboard, r.arena, r.category, r.style_control, r.as_of, r.model, r.source, r.source_key,
           r.rating, r.votes, r.snapshot_id, s.rating_step
    FROM standings_resolved AS r
    JOIN steps AS s USING (snapshot_id)
    QUALIFY row_number() OVER (
        PARTITION BY r.leaderboard, r.arena, r.category, r.style_control, r.as_of, r.model, r.source
        ORDER BY r.as_of_at DESC, r.fetched_at DESC, r.snapshot_id DESC, r.votes DESC NULLS LAST, r.source_key
    ) = 1
)
SELECT a.leaderboard, a.arena, a.category, a.style_control, a.as_of, a.model,
       a.source AS source_a, a.rating AS rating_a,
       b.source AS source_b, b.rating AS rating_b,
       b.rating - a.rating AS difference,
       (a.rating_step + b.rating_step) / 2 AS tolerance,
       a.source_key AS source_key_a, b.source_key AS source_key_b,
       a.snapshot_id AS snapshot_a, b.snapshot_id AS snapshot_b
FROM per_source AS a
JOIN per_source AS b
  ON a.leaderboard = b.leaderboard AND a.arena = b.arena AND a.category = b.category AND a.style_control = b.style_control
 AND a.as_of = b.as_of AND a.model = b.model AND a.source < b.source
WHERE abs(a.rating - b.rating) > (a.rating_step + b.rating_step) / 2 + 1e-9;
