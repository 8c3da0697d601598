-- board_dates: one row per board and as-of date that rank_history shows: the chosen snapshot's source and
-- row count, its place in the board's sequence (seq 1 = the board's first date), the previous and next
-- as-of dates of the board, the board's first and newest dates, and `is_newest`. Built from the small
-- chosen_snapshots view, so board-level questions (is a model gone? when did a reign end?) stay cheap.
CREATE OR REPLACE VIEW board_dates AS
SELECT
    c.arena, c.category, c.style_control,
    c.as_of_date AS as_of,
    c.source,
    c.row_count,
    row_number() OVER w AS seq,
    lag(c.as_of_date) OVER w AS prev_as_of,
    lead(c.as_of_date) OVER w AS next_as_of,
    min(c.as_of_date) OVER b AS first_as_of,
    max(c.as_of_date) OVER b AS newest_as_of,
    lead(c.as_of_date) OVER w IS NULL AS is_newest
FROM chosen_snapshots AS c
WINDOW b AS (PARTITION BY c.arena, c.category, c.style_control),
       w AS (PARTITION BY c.arena, c.category, c.style_control ORDER BY c.as_of_date);
