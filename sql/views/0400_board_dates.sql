-- board_dates: one row per board and as-of date that rank_history shows: the chosen snapshot's source,
-- row count and highest published rank, `partial`, and the board's sequence of complete dates: seq
-- (complete dates up to this one), prev_as_of / next_as_of (the complete dates before / after it),
-- first_as_of / newest_as_of (the board's first and newest complete dates) and is_newest.
-- A snapshot is `partial` when it lists fewer than 90% of the ranks it publishes (a transcription of one
-- model's rows, a filtered API response): its computed ranks mean nothing and a model missing from it
-- has not left, so board-level analytics (latest, board_as_of, exits, crowns, events) skip it.
-- Built from the small chosen_snapshots view alone (each snapshot's published ranks are stored with it), so
-- it stays cheap.
CREATE OR REPLACE VIEW board_dates AS
WITH dated AS (
    SELECT
        c.leaderboard, c.arena, c.category, c.style_control,
        c.as_of_date AS as_of,
        c.source,
        c.row_count,
        c.published_ranks,
        coalesce(c.row_count < 0.9 * c.published_ranks, false) AS partial
    FROM chosen_snapshots AS c
)
SELECT
    d.leaderboard, d.arena, d.category, d.style_control, d.as_of, d.source, d.row_count, d.published_ranks, d.partial,
    count(*) FILTER (WHERE NOT d.partial) OVER (
        PARTITION BY d.leaderboard, d.arena, d.category, d.style_control ORDER BY d.as_of ROWS UNBOUNDED PRECEDING
    ) AS seq,
    max(d.as_of) FILTER (WHERE NOT d.partial) OVER (
        PARTITION BY d.leaderboard, d.arena, d.category, d.style_control ORDER BY d.as_of
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS prev_as_of,
    min(d.as_of) FILTER (WHERE NOT d.partial) OVER (
        PARTITION BY d.leaderboard, d.arena, d.category, d.style_control ORDER BY d.as_of
        ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
    ) AS next_as_of,
    min(d.as_of) FILTER (WHERE NOT d.partial) OVER (PARTITION BY d.leaderboard, d.arena, d.category, d.style_control) AS first_as_of,
    max(d.as_of) FILTER (WHERE NOT d.partial) OVER (PARTITION BY d.leaderboard, d.arena, d.category, d.style_control) AS newest_as_of,
    NOT d.partial AND d.as_of = max(d.as_of) FILTER (WHERE NOT d.partial) OVER (
        PARTITION BY d.leaderboard, d.arena, d.category, d.style_control
    ) AS is_newest
FROM dated AS d;
